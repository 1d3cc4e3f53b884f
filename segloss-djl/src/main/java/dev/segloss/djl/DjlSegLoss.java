package dev.segloss.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.loss.Loss;
import dev.segloss.core.Tensor;
import dev.segloss.core.loss.AbstractSegLoss;
import dev.segloss.core.loss.LossInput;
import dev.segloss.core.loss.LossResult;
import dev.segloss.core.loss.Reduction;

/**
 * Base of every single segloss loss in DJL: a {@link Loss} written with NDArray operations, so the
 * engine's autograd differentiates it, built from a core loss object whose typed parameter record it reads
 * (names, defaults and validation are the core's). Region losses evaluate the core loss's own formula
 * ({@link DjlRegionLoss}); the others are written here where PyTorch needs it.
 *
 * <p>Inputs: labels {@code NDList(y_true)} or {@code NDList(y_true, weights)} (weights of the labels'
 * shape, or {@code [N]}), predictions {@code NDList(y_pred)} (only the head is read); batch first, any
 * rank (NCHW with one channel is the common case). See {@link DjlBatch} for the shape rules and
 * {@link DjlLossOptions} for logits, the ignore value and input checks.
 *
 * <p>{@link #evaluate} returns a float32 scalar, or with reduction {@code none} one value per image.
 * The accumulators follow DJL's {@link Loss}: each update adds the sum of the evaluation and counts one,
 * so the training listeners show the mean batch loss under this loss's name, its canonical spec.
 */
public abstract class DjlSegLoss extends Loss implements BatchLoss {
  private final AbstractSegLoss core;
  private final DjlLossOptions options;
  private final Accumulators accumulators = new Accumulators();

  protected DjlSegLoss(AbstractSegLoss core, DjlLossOptions options) {
    super(core.toSpec());
    this.core = core;
    this.options = options;
  }

  /** The core loss this one computes (same parameters). */
  public AbstractSegLoss coreLoss() {
    return core;
  }

  public DjlLossOptions options() {
    return options;
  }

  public Reduction reduction() {
    return core.reduction();
  }

  /** The canonical spec of the loss (same as {@link #getName()}). */
  public String toSpec() {
    return core.toSpec();
  }

  /**
   * Whether an evaluation goes through {@link #coreSurrogate}: never with reduction {@code none}; as
   * {@link DjlLossOptions#coreKernels()} says under ALWAYS and NEVER; under AUTO, {@code autoChoice}
   * (the loss's own judgement of when the core is faster).
   */
  final boolean useCore(boolean autoChoice) {
    if (reduction() == Reduction.NONE) return false;
    switch (options.coreKernels()) {
      case NEVER:
        return false;
      case ALWAYS:
        return true;
      default:
        return autoChoice;
    }
  }

  /**
   * The core computes value and gradient g on host copies; autograd sees value + s − stopGradient(s)
   * with s = &Sigma;x·g (g constant), whose value is the core's and whose derivative is exactly g. For a
   * reduced loss only (reduction {@code none} has one value per image, which this scalar cannot carry).
   *
   * @param zeroGradientGuard leave the pixels with g = 0 out of s, so that an infinite prediction the loss
   *     ignores (a Lovász pixel with no hinge error) gives 0 there instead of ∞·0 = NaN; one extra
   *     comparison and select, so only for losses that can give such pixels a zero gradient
   */
  NDArray coreSurrogate(DjlBatch b, boolean zeroGradientGuard) {
    float[] xs = b.x.toFloatArray();
    LossInput.Builder in = LossInput.builder(Tensor.of(b.rawY.toFloatArray(), b.n, b.m), Tensor.of(xs, b.n, b.m))
        .fromLogits(b.logits).ignoreValue(options.ignoreValue()).threads(coreThreads(b.n)).unchecked();
    if (b.rawWeights != null) {
      float[] w = b.rawWeights.toFloatArray();
      in.weights(b.imageWeights != null ? Tensor.of(w, b.n) : Tensor.of(w, b.n, b.m));
    }
    LossResult r = core.compute(in.build(), true);
    NDArray g = b.x.getManager().create(r.gradient(), new Shape(b.n, b.m));
    // the guard's select costs two passes on the device, so only when the host copy shows an infinity
    NDArray x = zeroGradientGuard && !allFinite(xs) ? NDArrays.where(g.eq(0), g, b.x) : b.x;
    NDArray s = x.mul(g).sum();
    return Ops.f64(s.sub(s.stopGradient())).add(r.value());
  }

  private static boolean allFinite(float[] v) {
    for (float f : v) {
      if (!Float.isFinite(f)) return false;
    }
    return true;
  }

  /** The core's threads: as many as PyTorch's intra-op pool ({@code ai.djl.pytorch.num_threads}), at most one per image. */
  private static int coreThreads(int images) {
    int t = Integer.getInteger("ai.djl.pytorch.num_threads", Runtime.getRuntime().availableProcessors());
    return Math.max(1, Math.min(images, t));
  }

  @Override
  public NDArray evaluate(NDList labels, NDList predictions) {
    return Ops.cast(compute(DjlBatch.of(labels, predictions, options)), DataType.FLOAT32);
  }

  @Override
  public void accumulate(String[] keys, DjlBatch batch) {
    double v = compute(batch).sum().toType(DataType.FLOAT64, false).getDouble();
    for (String key : keys) accumulators.update(key, v);
  }

  @Override
  public void addAccumulator(String key) {
    accumulators.add(key);
  }

  @Override
  public void updateAccumulators(String[] keys, NDList labels, NDList predictions) {
    accumulate(keys, DjlBatch.of(labels, predictions, options));
  }

  @Override
  public void resetAccumulator(String key) {
    accumulators.reset(key);
  }

  @Override
  public float getAccumulator(String key) {
    return accumulators.get(key);
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + core.toSpec() + ", " + options + "]";
  }
}
