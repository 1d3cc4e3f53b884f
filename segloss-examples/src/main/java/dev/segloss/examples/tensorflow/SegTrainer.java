package dev.segloss.examples.tensorflow;

import dev.segloss.core.metrics.Metric;
import dev.segloss.data.Sample;
import dev.segloss.tensorflow.TfBoundaryLoss;
import dev.segloss.tensorflow.TfSegLoss;
import dev.segloss.tensorflow.TfSegMetric;
import dev.segloss.tensorflow.TfTensors;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.framework.optimizers.Adam;
import org.tensorflow.framework.optimizers.Optimizer;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;

/**
 * Trains a {@link UNet} with a segloss TF loss in graph mode, the way the module is meant to be used:
 *
 * <ol>
 *   <li>the loss is called on the network's logits like any TF Java loss;
 *   <li>gradients come from {@code Graph.addGradients} on the network's own variables and are applied
 *       with {@code Adam.applyGradients} (not {@code Optimizer.minimize}, which differentiates every
 *       variable of the graph and so fails once the metric's variables exist);
 *   <li>validation Dice comes from the streaming {@link TfSegMetric} (macro mean over images, the core's
 *       threshold 0.5 on sigmoid(logits), empty policy nan), in the same graph;
 *   <li>a loss with a {@code boundary} term gets the labels' distance maps computed on the Java side and
 *       fed with every batch.
 * </ol>
 *
 * Single-channel images [N, height, width, 1] (segloss-data's samples and batches, whose [N, 1, H, W] layout is
 * the same memory for one channel); the loss reads logits.
 */
public final class SegTrainer implements AutoCloseable {
  private final Graph g;
  private final Session s;
  private final int height;
  private final int width;
  private final Placeholder<TFloat32> images;
  private final Placeholder<TFloat32> labels;
  private final Placeholder<TFloat32> phi;
  private final Operand<TFloat32> loss;
  private final Op train;
  private final Op diceUpdate;
  private final Op diceReset;
  private final Operand<TFloat64> diceResult;
  private final long parameters;

  /**
   * Builds the graph.
   *
   * @param loss the loss (it is used on logits whatever its fromLogits flag)
   * @param base channels of the first U-Net level
   * @param depth U-Net poolings; height and width must be divisible by 2^depth
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public SegTrainer(TfSegLoss loss, int height, int width, int base, int depth, float learningRate, long seed) {
    this.height = height;
    this.width = width;
    this.g = new Graph();
    try {
      Ops tf = Ops.create(g);
      Shape shape = Shape.of(-1, height, width, 1);
      images = tf.withName("images").placeholder(TFloat32.class, Placeholder.shape(shape));
      labels = tf.withName("labels").placeholder(TFloat32.class, Placeholder.shape(shape));
      UNet net = new UNet(tf, 1, base, depth, seed);
      parameters = net.parameterCount();
      Operand<TFloat32> logits = net.logits(images);
      TfSegLoss l = loss.withFromLogits(true);
      if (l.needsDistanceMaps()) {
        phi = tf.withName("distance_maps").placeholder(TFloat32.class, Placeholder.shape(shape));
        l = l.withDistanceMaps(phi);
      } else {
        phi = null;
      }
      this.loss = l.call(tf, labels, logits, null);
      List<Variable<TFloat32>> vars = net.variables();
      Output<?>[] xs = new Output<?>[vars.size()];
      for (int i = 0; i < xs.length; i++) xs[i] = vars.get(i).asOutput();
      Output<?>[] grads = g.addGradients(this.loss.asOutput(), xs);
      List<Optimizer.GradAndVar<?>> gv = new ArrayList<>();
      for (int i = 0; i < xs.length; i++) gv.add(new Optimizer.GradAndVar(grads[i], xs[i]));
      train = new Adam(g, learningRate).applyGradients((List) gv, "train");
      TfSegMetric dice = TfSegMetric.builder(Metric.DICE).fromLogits(true).build();
      diceUpdate = dice.updateState(tf, labels, logits);
      diceResult = dice.result(tf, TFloat64.class);
      diceReset = dice.resetStates(tf);
      s = new Session(g);
    } catch (RuntimeException e) {
      g.close();
      throw e;
    }
  }

  /** Trainable parameters of the network. */
  public long parameters() {
    return parameters;
  }

  /**
   * One optimisation step on a batch of n images ({@code x}, {@code y}: n x height x width, row-major, e.g.
   * a segloss-data {@code Batch}'s images and masks); returns the loss before the step.
   */
  public float step(float[] x, float[] y, int n) {
    return run(x, y, n, true);
  }

  /** One optimisation step on {@code samples} (one batch); returns the loss before the step. */
  public float step(List<Sample> samples) {
    return run(pack(samples, false), pack(samples, true), samples.size(), true);
  }

  /** The loss on a batch, without training. */
  public float loss(float[] x, float[] y, int n) {
    return run(x, y, n, false);
  }

  /** The loss on {@code samples} as one batch, without training. */
  public float loss(List<Sample> samples) {
    return run(pack(samples, false), pack(samples, true), samples.size(), false);
  }

  private float run(float[] x, float[] y, int n, boolean doTrain) {
    int[] shape = {n, height, width, 1};
    try (TFloat32 xt = TfTensors.of(x, shape); TFloat32 yt = TfTensors.of(y, shape);
        TFloat32 maps = phi == null ? null : TfBoundaryLoss.distanceMaps(yt, Float.NaN)) {
      Session.Runner r = s.runner().feed(images, xt).feed(labels, yt).fetch(loss);
      if (maps != null) r.feed(phi, maps);
      if (doTrain) r.addTarget(train);
      try (Result res = r.run()) {
        return ((TFloat32) res.get(0)).getFloat();
      }
    }
  }

  /** The macro Dice over {@code data}, fed in batches. */
  public double dice(List<Sample> data, int batch) {
    s.runner().addTarget(diceReset).run();
    for (int from = 0; from < data.size(); from += batch) {
      List<Sample> part = data.subList(from, Math.min(data.size(), from + batch));
      int[] shape = {part.size(), height, width, 1};
      try (TFloat32 xt = TfTensors.of(pack(part, false), shape); TFloat32 yt = TfTensors.of(pack(part, true), shape)) {
        s.runner().feed(images, xt).feed(labels, yt).addTarget(diceUpdate).run();
      }
    }
    try (Result r = s.runner().fetch(diceResult).run()) {
      return ((TFloat64) r.get(0)).getDouble();
    }
  }

  /** The images (or masks) of {@code samples} end to end: [n, height, width], row-major. */
  private float[] pack(List<Sample> samples, boolean masks) {
    int m = height * width;
    float[] out = new float[samples.size() * m];
    for (int i = 0; i < samples.size(); i++) {
      Sample x = samples.get(i);
      if (x.height() != height || x.width() != width) {
        throw new IllegalArgumentException(x.name() + " is " + x.height() + "x" + x.width() + ", the network takes " + height + "x" + width);
      }
      System.arraycopy(masks ? x.mask() : x.image(), 0, out, i * m, m);
    }
    return out;
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
