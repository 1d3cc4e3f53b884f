package dev.segloss.tensorflow;

import dev.segloss.core.InvalidInputException;
import dev.segloss.core.Tensor;
import dev.segloss.core.engine.LossEngine;
import dev.segloss.core.loss.LossInput;
import dev.segloss.core.loss.LossResult;
import dev.segloss.core.loss.SegLoss;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.exceptions.TFInvalidArgumentException;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Computes a loss through a TensorFlow graph from core inputs, with the core's result type: the engine
 * {@code tensorflow} of the core's engine plug-in interface ({@link LossEngine}, registered in this
 * module's {@code META-INF/services}), behind {@code segloss loss --engine tensorflow}, and the harness of
 * the parity tests. It builds a graph
 * (placeholders for labels, predictions, weights and, for the boundary loss, the distance maps computed
 * on the Java side), and runs the value and, when asked, the gradient from {@code Graph.addGradients}
 * with respect to the predictions as given, in one session run.
 *
 * <p>Values follow the core's reductions exactly (see {@link TfSegLoss}); with {@code reduction=none}
 * the gradient is that of the sum of the values, as in the core. The graph computes in float32.
 */
public final class TfLossEngine implements LossEngine {
  /** The engine's name. */
  public static final String NAME = "tensorflow";

  /** The engine as the {@link java.util.ServiceLoader} makes it. */
  public TfLossEngine() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "tensorflow (TensorFlow Java 1.1.0 graph, float32, autodiff gradient)";
  }

  /** The loss of a core loss on core inputs (fromLogits, weights and ignore value from the input). */
  @Override
  public LossResult compute(SegLoss loss, LossInput input, boolean withGradient) {
    return compute(TfLosses.of(loss, input.fromLogits()), input, withGradient);
  }

  /** The loss of a spec on core inputs (fromLogits, weights and ignore value from the input). */
  public static LossResult compute(String spec, LossInput input, boolean withGradient) {
    return compute(TfLosses.fromSpec(spec, input.fromLogits()), input, withGradient);
  }

  /** The loss on core inputs; the input's fromLogits and ignore value override the loss's. */
  public static LossResult compute(TfSegLoss loss, LossInput input, boolean withGradient) {
    int[] ws = input.weights() == null ? null : input.weights().shape();
    try (Compiled c = compile(loss.withFromLogits(input.fromLogits()).withIgnoreValue(input.ignoreValue()),
        input.yTrue().shape(), ws, withGradient)) {
      return c.run(input);
    }
  }

  /**
   * A graph and session for one loss and input shape, to run on many inputs (close it when done).
   *
   * @param weightsShape the weights' shape, or null for no weights
   */
  public static Compiled compile(TfSegLoss loss, int[] shape, int[] weightsShape, boolean withGradient) {
    return new Compiled(loss, shape, weightsShape, withGradient);
  }

  /** A compiled loss graph: placeholders, the value, the gradient, and a session. */
  public static final class Compiled implements AutoCloseable {
    private final Graph g;
    private final Session s;
    private final TfSegLoss loss;
    private final int[] shape;
    private final int[] weightsShape;
    private final Placeholder<TFloat32> y;
    private final Placeholder<TFloat32> x;
    private final Placeholder<TFloat32> w;
    private final Placeholder<TFloat32> phi;
    private final Operand<TFloat32> value;
    private final Output<?> grad;

    private Compiled(TfSegLoss loss, int[] shape, int[] weightsShape, boolean withGradient) {
      this.g = new Graph();
      try {
        this.shape = shape.clone();
        this.weightsShape = weightsShape == null ? null : weightsShape.clone();
        Ops tf = Ops.create(g);
        y = tf.withName("y_true").placeholder(TFloat32.class, Placeholder.shape(TfTensors.shape(shape)));
        x = tf.withName("y_pred").placeholder(TFloat32.class, Placeholder.shape(TfTensors.shape(shape)));
        w = weightsShape == null ? null
            : tf.withName("weights").placeholder(TFloat32.class, Placeholder.shape(TfTensors.shape(weightsShape)));
        TfSegLoss l = loss;
        if (l.needsDistanceMaps()) {
          phi = tf.withName("distance_maps").placeholder(TFloat32.class, Placeholder.shape(TfTensors.shape(shape)));
          l = l.withDistanceMaps(phi);
        } else {
          phi = null;
        }
        this.loss = l;
        value = l.call(tf, y, x, w);
        grad = withGradient ? g.addGradients(TfOps.sumAll(tf, value).asOutput(), new Output<?>[] {x.asOutput()})[0] : null;
        this.s = new Session(g);
      } catch (RuntimeException e) {
        g.close();
        throw e;
      }
    }

    /** Runs the loss on an input of the compiled shape. */
    public LossResult run(LossInput input) {
      if (!Arrays.equals(input.yTrue().shape(), shape)) {
        throw new InvalidInputException("y_true: shape " + Tensor.shapeString(input.yTrue().shape())
            + " differs from the compiled shape " + Tensor.shapeString(shape));
      }
      int[] ws = input.weights() == null ? null : input.weights().shape();
      if (!Arrays.equals(ws, weightsShape)) {
        throw new InvalidInputException("weights: shape " + (ws == null ? "none" : Tensor.shapeString(ws))
            + " differs from the compiled one " + (weightsShape == null ? "none" : Tensor.shapeString(weightsShape)));
      }
      List<TFloat32> feeds = new ArrayList<>();
      try {
        Session.Runner r = s.runner();
        r.feed(y, add(feeds, TfTensors.of(input.yTrue())));
        r.feed(x, add(feeds, TfTensors.of(input.yPred())));
        if (w != null) r.feed(w, add(feeds, TfTensors.of(input.weights())));
        if (phi != null) r.feed(phi, add(feeds, TfTensors.of(TfBoundaryLoss.distanceMaps(input.yTrue(), input.ignoreValue()))));
        r.fetch(value);
        if (grad != null) r.fetch(grad);
        try (Result res = runChecked(r)) {
          float[] v = TfTensors.toArray((TFloat32) res.get(0));
          double[] values = new double[v.length];
          for (int i = 0; i < v.length; i++) values[i] = v[i];
          float[] gr = grad != null ? TfTensors.toArray((TFloat32) res.get(1)) : null;
          return new LossResult(values, gr);
        }
      } finally {
        for (TFloat32 t : feeds) t.close();
      }
    }

    private static Result runChecked(Session.Runner r) {
      try {
        return r.run();
      } catch (TFInvalidArgumentException e) {
        throw new InvalidInputException(TfErrors.oneLine(e), e);
      }
    }

    /** The loss as compiled (bound to the distance-map placeholder when it needs one). */
    public TfSegLoss loss() {
      return loss;
    }

    private static TFloat32 add(List<TFloat32> feeds, TFloat32 t) {
      feeds.add(t);
      return t;
    }

    @Override
    public void close() {
      try {
        s.close();
      } finally {
        g.close();
      }
    }
  }
}
