package dev.segloss.bench;

import dev.segloss.tensorflow.TfLosses;
import dev.segloss.tensorflow.TfSegLoss;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.framework.losses.BinaryCrossentropy;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Our losses through TensorFlow Java against TF's own {@code BinaryCrossentropy(fromLogits=true)}, on
 * 16×1×512×512 float32 logits with imbalanced masks (10 % foreground): one {@code Session.run} computes
 * the value and the {@code Graph.addGradients} gradient with respect to the logits (fetched, as a
 * training step would consume it). Labels and logits are fed from tensors allocated once, so the feed
 * costs nothing and TF cannot constant-fold the loss. TF uses its default thread pools (all cores).
 *
 * <pre>
 *   java -jar segloss-bench/target/benchmarks.jar TfLossBenchmark -f 1 -wi 3 -i 5
 * </pre>
 *
 * Goals (issue 5): dice ≤ 1.0× and bce ≤ 1.2× the built-in's time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class TfLossBenchmark {
  static final long[] SHAPE = {16, 1, 512, 512};

  /** {@code builtin_bce} is TF's BinaryCrossentropy(fromLogits=true); the others are segloss specs. */
  @Param({"builtin_bce", "bce", "dice", "combined", "focal", "tversky"})
  public String loss;

  private Graph graph;
  private Session session;
  private TFloat32 labels;
  private TFloat32 logits;
  private Placeholder<TFloat32> y;
  private Placeholder<TFloat32> x;
  private Operand<TFloat32> value;
  private Output<?> grad;

  @Setup(Level.Trial)
  public void setUp() {
    int n = (int) (SHAPE[0] * SHAPE[1] * SHAPE[2] * SHAPE[3]);
    float[] yv = new float[n];
    float[] xv = new float[n];
    SplittableRandom r = new SplittableRandom(42);
    for (int i = 0; i < n; i++) {
      boolean fg = r.nextDouble() < 0.1;
      yv[i] = fg ? 1f : 0f;
      xv[i] = (float) (r.nextGaussian() * 2 + (fg ? 1 : -1));
    }
    labels = TFloat32.tensorOf(Shape.of(SHAPE), DataBuffers.of(yv, true, false));
    logits = TFloat32.tensorOf(Shape.of(SHAPE), DataBuffers.of(xv, true, false));
    graph = new Graph();
    Ops tf = Ops.create(graph);
    y = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(SHAPE)));
    x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(SHAPE)));
    value = build(tf, loss, y, x);
    grad = graph.addGradients(value.asOutput(), new Output<?>[] {x.asOutput()})[0];
    session = new Session(graph);
    step(); // first run: graph optimisation
  }

  /** The loss graph of a benchmark parameter. */
  static Operand<TFloat32> build(Ops tf, String which, Operand<TFloat32> y, Operand<TFloat32> x) {
    if (which.equals("builtin_bce")) return new BinaryCrossentropy(true).call(tf, y, x, null);
    TfSegLoss l = TfLosses.fromSpec(spec(which), true);
    return l.call(tf, y, x, null);
  }

  /** The spec of a benchmark parameter: the seed's losses with their defaults, focal and tversky with common settings. */
  static String spec(String which) {
    switch (which) {
      case "combined": return "combined(dice_weight=0.7, w_neg=0.2)";
      case "focal": return "focal(alpha=0.25)";
      case "tversky": return "tversky(alpha=0.3, beta=0.7)";
      default: return which;
    }
  }

  private float step() {
    try (Result r = session.runner().feed(y, labels).feed(x, logits).fetch(value).fetch(grad).run()) {
      return ((TFloat32) r.get(0)).getFloat() + ((TFloat32) r.get(1)).getFloat(0, 0, 0, 0);
    }
  }

  @Benchmark
  public void valueAndGradient(Blackhole bh) {
    bh.consume(step());
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    session.close();
    graph.close();
    labels.close();
    logits.close();
  }
}
