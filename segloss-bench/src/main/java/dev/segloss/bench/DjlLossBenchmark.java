package dev.segloss.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.loss.Loss;
import ai.djl.training.loss.SigmoidBinaryCrossEntropyLoss;
import dev.segloss.core.Tensor;
import dev.segloss.core.kernel.KernelSelector;
import dev.segloss.core.loss.LossInput;
import dev.segloss.core.loss.LossResult;
import dev.segloss.core.loss.Losses;
import dev.segloss.core.loss.SegLoss;
import dev.segloss.djl.DjlLosses;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * segloss losses through DJL (PyTorch engine) against DJL's own {@link SigmoidBinaryCrossEntropyLoss}
 * on logits: forward and backward (autograd) of one loss on a batch of 16×1×512×512 float32 logits
 * with imbalanced labels (about 10 % foreground), the time of one training step's loss part.
 *
 * <p>Threads: PyTorch's intra-op and inter-op pools are pinned to 1 thread each
 * ({@code -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1}), so the ratios compare
 * the work done, not how it is spread over a shared machine; override with {@code -jvmArgsAppend}. The
 * core kernels of the surrogate variants run on one thread with the Vector API
 * ({@code --add-modules jdk.incubator.vector}).
 *
 * <p>Every invocation takes a fresh leaf view of the same logits ({@code stopGradient} +
 * {@code setRequiresGradient}: no copy), so no gradient accumulates across invocations, and frees its
 * intermediate arrays with an {@link NDScope}.
 *
 * <p>The {@code *CoreKernel} variants measure the alternative issue 3 asks about: value and gradient
 * computed by the core's kernels on a host copy, handed to autograd through the surrogate
 * {@code value + sum(x·g) − stopGradient(sum(x·g))} with {@code g = stopGradient(core gradient)}.
 *
 * <p>Run (after {@code mvn -o -q -B -DskipTests package -pl segloss-bench -am}):
 * {@code java -jar segloss-bench/target/benchmarks.jar DjlLossBenchmark -f 1 -wi 3 -i 5}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "--add-modules", "jdk.incubator.vector", "-Dai.djl.offline=true",
    "-Dai.djl.pytorch.num_threads=1", "-Dai.djl.pytorch.num_interop_threads=1",
    "-Dorg.slf4j.simpleLogger.log.ai.djl=error"})
public class DjlLossBenchmark {
  static final Shape SHAPE = new Shape(16, 1, 512, 512);
  static final int[] DIMS = {16, 1, 512, 512};

  private NDManager manager;
  private NDArray logits;
  private NDList labels;
  private float[] labelsOnHost;
  private Engine engine;
  private Loss builtIn;
  private Loss bce;
  private Loss dice;
  private Loss combined;
  private Loss focal;
  private Loss tversky;
  private SegLoss coreBce;
  private SegLoss coreDice;

  @Setup(Level.Trial)
  public void setup() {
    engine = Engine.getEngine("PyTorch");
    manager = engine.newBaseManager();
    SplittableRandom r = new SplittableRandom(42);
    int n = (int) SHAPE.size();
    float[] x = new float[n];
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      y[i] = r.nextDouble() < 0.1 ? 1f : 0f;
      x[i] = (float) (r.nextGaussian() * 2 + (y[i] > 0 ? 1 : -1));
    }
    logits = manager.create(x, SHAPE);
    labels = new NDList(manager.create(y, SHAPE));
    labelsOnHost = y;
    builtIn = new SigmoidBinaryCrossEntropyLoss("builtin", 1f, false);
    bce = DjlLosses.fromSpec("bce", true);
    dice = DjlLosses.fromSpec("dice", true);
    combined = DjlLosses.fromSpec("combined", true);
    focal = DjlLosses.fromSpec("focal", true);
    tversky = DjlLosses.fromSpec("tversky", true);
    coreBce = Losses.parse("bce");
    coreDice = Losses.parse("dice");
    System.out.println("core kernels: " + KernelSelector.describe());
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    manager.close();
  }

  /** Forward and backward of a DJL loss; returns the loss value. */
  private float step(Loss loss) {
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      NDArray x = logits.stopGradient();
      x.setRequiresGradient(true);
      float value;
      try (GradientCollector gc = engine.newGradientCollector()) {
        NDArray l = loss.evaluate(labels, new NDList(x));
        value = l.getFloat();
        gc.backward(l);
      }
      return value + x.getGradient().getFloat(0, 0, 0, 0);
    }
  }

  /** The surrogate path: the core computes value and gradient on host copies of x (and of y). */
  private float stepCoreKernel(SegLoss core) {
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      NDArray x = logits.stopGradient();
      x.setRequiresGradient(true);
      float value;
      try (GradientCollector gc = engine.newGradientCollector()) {
        float[] yHost = labels.head().toFloatArray(); // in training the labels live on the device too
        float[] xHost = x.toFloatArray();
        LossResult r = core.compute(LossInput.builder(Tensor.of(yHost, DIMS), Tensor.of(xHost, DIMS)).fromLogits(true).unchecked().build(), true);
        NDArray g = manager.create(r.gradient(), SHAPE);
        NDArray xg = x.mul(g).sum();
        NDArray l = xg.sub(xg.stopGradient()).add((float) r.value());
        value = l.getFloat();
        gc.backward(l);
      }
      return value + x.getGradient().getFloat(0, 0, 0, 0) + labelsOnHost[0];
    }
  }

  @Benchmark
  public float djlBuiltInSigmoidBce() {
    return step(builtIn);
  }

  @Benchmark
  public float bce() {
    return step(bce);
  }

  @Benchmark
  public float dice() {
    return step(dice);
  }

  @Benchmark
  public float combined() {
    return step(combined);
  }

  @Benchmark
  public float focal() {
    return step(focal);
  }

  @Benchmark
  public float tversky() {
    return step(tversky);
  }

  @Benchmark
  public float bceCoreKernel() {
    return stepCoreKernel(coreBce);
  }

  @Benchmark
  public float diceCoreKernel() {
    return stepCoreKernel(coreDice);
  }
}
