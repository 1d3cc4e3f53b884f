package dev.segloss.djl;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.segloss.core.Tensor;
import dev.segloss.core.engine.LossEngine;
import dev.segloss.core.loss.LossInput;
import dev.segloss.core.loss.LossResult;
import dev.segloss.core.loss.SegLoss;
import dev.segloss.core.spec.LossSpec;

/**
 * Computes a segloss loss through DJL and PyTorch with core types in and out: the engine {@code djl} of
 * the core's engine plug-in interface ({@link LossEngine}, registered in this module's
 * {@code META-INF/services}), behind {@code segloss loss --engine djl}. The value (one number, or one per image with {@code
 * reduction=none}) comes from the DJL loss's NDArray operations, the gradient with respect to
 * {@code y_pred} as given (probabilities or logits) from PyTorch's autograd; with {@code none} it is the
 * gradient of the sum of the per-image values, as in the core. Logits and the ignore value are taken
 * from the {@link LossInput}; its {@code threads} setting does not apply (PyTorch's thread pool is set
 * by the system properties {@code ai.djl.pytorch.num_threads} and {@code num_interop_threads}).
 * The engine runs the NDArray path of every loss ({@link DjlLossOptions.CoreKernels#NEVER}): it is an
 * independent computation of the core's results, not the core again. Inputs are checked as every DJL
 * loss checks them by default ({@link DjlLossOptions#checkInputs()}).
 *
 * <p>Made by the {@link java.util.ServiceLoader} (a command-line tool listing its engines), the engine sets
 * DJL to offline mode (the {@code pytorch-native-cpu} dependency bundles libtorch) and DJL's log messages
 * below ERROR to silent, unless those system properties are already set: DJL warns about CUDA on every
 * start on a machine without a GPU, which would break a tool's one-line error contract on stderr.
 */
public final class DjlLossEngine implements LossEngine {
  /** The engine's name. */
  public static final String NAME = "djl";
  private static final Object LOCK = new Object();

  /** The engine as the {@link java.util.ServiceLoader} makes it (see the class comment for its settings). */
  public DjlLossEngine() {
    if (System.getProperty("ai.djl.offline") == null) System.setProperty("ai.djl.offline", "true");
    if (System.getProperty("org.slf4j.simpleLogger.log.ai.djl") == null) {
      System.setProperty("org.slf4j.simpleLogger.log.ai.djl", "error");
    }
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "djl (DJL 0.36 NDArray losses on PyTorch, gradient by autograd)";
  }

  @Override
  public LossResult compute(SegLoss loss, LossInput input, boolean withGradient) {
    return compute(loss, input, withGradient, DjlLossOptions.CoreKernels.NEVER);
  }

  /** Parses the spec with the core's parser and computes it through DJL. */
  public static LossResult compute(String spec, LossInput input, boolean withGradient) {
    return compute(LossSpec.parse(spec), input, withGradient, DjlLossOptions.CoreKernels.NEVER);
  }

  /** As {@link #compute(SegLoss, LossInput, boolean)} choosing where bce and focal are computed. */
  public static LossResult compute(SegLoss loss, LossInput input, boolean withGradient, DjlLossOptions.CoreKernels kernels) {
    DjlLossOptions o = DjlLossOptions.of(input.fromLogits()).withIgnoreValue(input.ignoreValue()).withCoreKernels(kernels);
    BatchLoss djl = (BatchLoss) DjlLosses.of(loss, o);
    Engine engine = Engine.getEngine("PyTorch");
    // PyTorch's autograd recording is global in DJL: one gradient collector at a time
    synchronized (LOCK) {
      try (NDManager m = engine.newBaseManager()) {
        NDArray y = array(m, input.yTrue());
        NDArray x = array(m, input.yPred());
        NDList labels = input.weights() == null ? new NDList(y) : new NDList(y, array(m, input.weights()));
        NDList preds = new NDList(x);
        if (!withGradient) {
          NDArray v = djl.compute(DjlBatch.of(labels, preds, o));
          return new LossResult(v.toType(DataType.FLOAT64, false).toDoubleArray(), null);
        }
        x.setRequiresGradient(true);
        double[] values;
        try (GradientCollector gc = engine.newGradientCollector()) {
          NDArray v = djl.compute(DjlBatch.of(labels, preds, o));
          values = v.toType(DataType.FLOAT64, false).toDoubleArray();
          gc.backward(v.sum());
        }
        return new LossResult(values, x.getGradient().toFloatArray());
      }
    }
  }

  private static NDArray array(NDManager m, Tensor t) {
    int[] s = t.shape();
    long[] l = new long[s.length];
    for (int i = 0; i < s.length; i++) l[i] = s[i];
    return m.create(t.data(), new Shape(l));
  }
}
