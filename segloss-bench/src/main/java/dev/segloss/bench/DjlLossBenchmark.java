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
import dev.segloss.core.loss.SegLoss;
import dev.segloss.core.spec.LossSpec;
import dev.segloss.djl.DjlLossOptions;
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
 * <p>{@code bce}, {@code dice}, {@code combined}, {@code focal}, {@code tversky}, {@code lovasz}: the
 * NDArray path ({@code CoreKernels.NEVER}), PyTorch does all the work. The {@code *CoreKernels} variants
 * measure the alternative issue 3 asks about ({@code CoreKernels.ALWAYS}; the default {@code AUTO} picks
 * it for bce and focal when the core's Vector API kernels are loaded, and for lovasz on any CPU tensor): value and gradient computed by the core's
 * kernels on host copies, handed to autograd through the surrogate
 * {@code value + sum(x·g) − stopGradient(sum(x·g))}. Which core kernels run (vector or scalar) is printed
 * at setup.
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
  private Engine engine;
  private Loss builtIn;
  private Loss bce;
  private Loss dice;
  private Loss combined;
  private Loss focal;
  private Loss tversky;
  private Loss bceCore;
  private Loss focalCore;
  private Loss diceCore;
  private Loss combinedCore;
  private Loss lovasz;
  private Loss lovaszCore;

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
    builtIn = new SigmoidBinaryCrossEntropyLoss("builtin", 1f, false);
    DjlLossOptions ndarray = DjlLossOptions.logits().withInputChecks(false).withCoreKernels(DjlLossOptions.CoreKernels.NEVER);
    DjlLossOptions core = DjlLossOptions.logits().withInputChecks(false).withCoreKernels(DjlLossOptions.CoreKernels.ALWAYS);
    bce = DjlLosses.fromSpec("bce", ndarray);
    dice = DjlLosses.fromSpec("dice", ndarray);
    combined = DjlLosses.fromSpec("combined", ndarray);
    focal = DjlLosses.fromSpec("focal", ndarray);
    tversky = DjlLosses.fromSpec("tversky", ndarray);
    bceCore = DjlLosses.fromSpec("bce", core);
    focalCore = DjlLosses.fromSpec("focal", core);
    combinedCore = DjlLosses.fromSpec("combined", core);
    diceCore = new DiceThroughCore();
    lovasz = DjlLosses.fromSpec("lovasz", ndarray);
    lovaszCore = DjlLosses.fromSpec("lovasz", core);
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

  /**
   * Dice through the core's kernels with the same surrogate as the library's bce/focal path (the library
   * keeps Dice on the NDArray path: this variant shows why).
   */
  private final class DiceThroughCore extends Loss {
    private final SegLoss coreDice = LossSpec.parse("dice");

    DiceThroughCore() {
      super("dice-core");
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
      NDArray x = predictions.head();
      LossResult r = coreDice.compute(LossInput.builder(Tensor.of(labels.head().toFloatArray(), DIMS),
          Tensor.of(x.toFloatArray(), DIMS)).fromLogits(true).unchecked().build(), true);
      NDArray g = manager.create(r.gradient(), SHAPE);
      NDArray xg = x.mul(g).sum();
      return xg.sub(xg.stopGradient()).add((float) r.value());
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
  public float bceCoreKernels() {
    return step(bceCore);
  }

  @Benchmark
  public float focalCoreKernels() {
    return step(focalCore);
  }

  @Benchmark
  public float combinedCoreKernels() {
    return step(combinedCore);
  }

  @Benchmark
  public float diceCoreKernels() {
    return step(diceCore);
  }

  @Benchmark
  public float lovasz() {
    return step(lovasz);
  }

  @Benchmark
  public float lovaszCoreKernels() {
    return step(lovaszCore);
  }

  /**
   * An interleaved A/B of the same variants for a loaded machine, where JMH's per-benchmark averages
   * drift with the other jobs: round after round every variant runs once, and the minimum over the rounds
   * is reported (the time with the least interference). Run with the fork's JVM options, e.g.
   * {@code java --add-modules jdk.incubator.vector -Dai.djl.pytorch.num_threads=1
   * -Dai.djl.pytorch.num_interop_threads=1 -cp segloss-bench/target/benchmarks.jar
   * dev.segloss.bench.DjlLossBenchmark [rounds]}.
   */
  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 40;
    DjlLossBenchmark b = new DjlLossBenchmark();
    b.setup();
    try {
      String[] names = {"djlBuiltInSigmoidBce", "bce", "bceCoreKernels", "dice", "diceCoreKernels", "combined",
          "combinedCoreKernels", "focal", "focalCoreKernels", "tversky", "lovasz", "lovaszCoreKernels"};
      java.util.List<java.util.function.DoubleSupplier> runs = java.util.List.of(b::djlBuiltInSigmoidBce, b::bce, b::bceCoreKernels,
          b::dice, b::diceCoreKernels, b::combined, b::combinedCoreKernels, b::focal, b::focalCoreKernels, b::tversky, b::lovasz,
          b::lovaszCoreKernels);
      double[] best = new double[names.length];
      java.util.Arrays.fill(best, Double.MAX_VALUE);
      for (int r = 0; r < rounds + 3; r++) {
        for (int i = 0; i < names.length; i++) {
          long t0 = System.nanoTime();
          runs.get(i).getAsDouble();
          double ms = (System.nanoTime() - t0) / 1e6;
          if (r >= 3) best[i] = Math.min(best[i], ms); // the first rounds warm up
        }
      }
      for (int i = 0; i < names.length; i++) {
        System.out.printf(java.util.Locale.ROOT, "%-22s %8.2f ms  %5.2fx%n", names[i], best[i], best[i] / best[0]);
      }
    } finally {
      b.tearDown();
    }
  }
}
