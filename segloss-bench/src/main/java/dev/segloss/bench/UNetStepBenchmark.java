package dev.segloss.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import dev.segloss.data.Datasets;
import dev.segloss.data.LoadOptions;
import dev.segloss.data.SegDataset;
import dev.segloss.data.Split;
import dev.segloss.data.batch.Batch;
import dev.segloss.data.batch.BatchLoader;
import dev.segloss.data.transform.Augmentation;
import dev.segloss.djl.DjlLossOptions;
import dev.segloss.djl.DjlLosses;
import dev.segloss.train.AdamOptimizer;
import dev.segloss.train.DjlRuntime;
import dev.segloss.train.TrainingRun;
import dev.segloss.train.compare.CompareConfig;
import dev.segloss.train.model.UNet;
import dev.segloss.train.model.UNetConfig;
import java.util.Locale;
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

/**
 * One U-Net training step as {@code segloss compare} runs it by default — synthetic data at 64×64 from
 * the background {@link BatchLoader} with augmentation, batch 8, U-Net depth 3 and width 16, Adam, two
 * PyTorch intra-op threads and one inter-op thread — and the parts of it:
 *
 * <ul>
 *   <li>{@code step}: next batch (waiting for the loader when it is behind), forward in training mode,
 *       loss, backward, Adam update. At the end of every measurement iteration the share of the time spent
 *       waiting for batches is printed ({@code data wait: x % of step time}; goal ≤ 10 %).
 *   <li>{@code lossOnly}: the loss's forward and backward on logits of the same shape (a leaf that
 *       requires a gradient), i.e. the loss's own part of a step; {@code lossOnly / step} is the loss share
 *       (goal ≤ 5 %).
 *   <li>{@code batchOnly}: preparing one batch (augmentation included) on the calling thread: what the
 *       loader's worker does per step, to compare with {@code step}.
 * </ul>
 *
 * <p>Run (after {@code mvn -o -q -B -DskipTests package -pl segloss-bench -am}):
 * {@code java -jar segloss-bench/target/benchmarks.jar UNetStepBenchmark -f 1 -wi 3 -i 5}
 *
 * <p>On a shared machine the load drifts between JMH's benchmarks, which spoils ratios of figures taken
 * minutes apart; {@link #main} therefore also times them interleaved in one JVM — per round 10 steps then
 * 10 loss-only evaluations, per loss, reporting the median and the minimum of the rounds and the data-wait
 * share over all steps:
 * {@code java --add-modules jdk.incubator.vector -Dai.djl.pytorch.num_threads=2 -Dai.djl.pytorch.num_interop_threads=1
 * -cp segloss-bench/target/benchmarks.jar dev.segloss.bench.UNetStepBenchmark 20}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "--add-modules", "jdk.incubator.vector", "-Dai.djl.offline=true",
    "-Dai.djl.pytorch.num_threads=2", "-Dai.djl.pytorch.num_interop_threads=1", "-Dorg.slf4j.simpleLogger.log.ai.djl=error"})
public class UNetStepBenchmark {
  @Param({"bce(w_neg=0.0204)", "dice", "combined(w_neg=0.0204)", "focal", "tversky(alpha=0.3, beta=0.7)", "lovasz"})
  public String loss;

  /** Where bce, focal and lovasz compute (segloss-djl's {@code DjlLossOptions.CoreKernels}); AUTO as in training. */
  @Param({"AUTO"})
  public String kernels;

  @Param({"64"})
  public int size;

  @Param({"" + CompareConfig.DEFAULT_BATCH})
  public int batch;

  private Engine engine;
  private NDManager manager;
  private UNet net;
  private AdamOptimizer opt;
  private ParameterStore ps;
  private Loss djlLoss;
  private SegDataset data;
  private BatchLoader loader;
  private BatchLoader.Epoch epoch;
  private int epochIndex;
  private long waitAtIterationStart;
  private long stepsAtIterationStart;
  private long iterationStart;
  private long waitTotal;
  private long steps;
  private NDArray fixedLogits;
  private NDArray fixedLabels;
  private Batch fixedBatch;

  @Setup(Level.Trial)
  public void setUp() {
    engine = DjlRuntime.engine(2, 1);
    manager = engine.newBaseManager();
    data = Datasets.load("synthetic:size=" + size, LoadOptions.builder().sizeMultiple(16).build());
    net = new UNet(new UNetConfig(1, CompareConfig.DEFAULT_DEPTH, CompareConfig.DEFAULT_WIDTH));
    net.initialize(manager, DataType.FLOAT32, new Shape(batch, 1, size, size));
    net.initializeWeights(1);
    for (Pair<String, Parameter> p : net.getParameters()) {
      if (p.getValue().requiresGradient()) p.getValue().getArray().setRequiresGradient(true);
    }
    opt = AdamOptimizer.withDefaults(0);
    ps = new ParameterStore(manager, false);
    djlLoss = DjlLosses.fromSpec(loss, DjlLossOptions.logits().withCoreKernels(DjlLossOptions.CoreKernels.valueOf(kernels)));
    loader = new BatchLoader(data.split(Split.TRAIN), BatchLoader.Config.builder().batchSize(batch).augmentation(Augmentation.defaults()).seed(1)
        .dropLast(true).build());
    epoch = loader.epoch(epochIndex);
    fixedBatch = loader.batch(0, 0);
    try (NDManager sub = manager.newSubManager()) {
      NDArray x = sub.create(fixedBatch.images(), new Shape(batch, 1, size, size));
      fixedLogits = net.forward(ps, new NDList(x), false).singletonOrThrow().duplicate();
      fixedLogits.attach(manager);
    }
    fixedLabels = manager.create(fixedBatch.masks(), new Shape(batch, 1, size, size));
  }

  private Batch next() {
    if (!epoch.hasNext()) {
      waitTotal += epoch.waitNanos();
      epoch.close();
      epoch = loader.epoch(++epochIndex);
    }
    return epoch.next();
  }

  @Setup(Level.Iteration)
  public void startIteration() {
    waitAtIterationStart = waitTotal + epoch.waitNanos();
    stepsAtIterationStart = steps;
    iterationStart = System.nanoTime();
  }

  @TearDown(Level.Iteration)
  public void endIteration() {
    long n = steps - stepsAtIterationStart;
    if (n == 0) return;
    long wait = waitTotal + epoch.waitNanos() - waitAtIterationStart;
    long span = System.nanoTime() - iterationStart;
    System.out.printf(Locale.ROOT, "%n  data wait: %.2f %% of step time (%d steps, %.3f ms waited per step)%n", 100.0 * wait / span, n,
        wait / 1e6 / n);
  }

  @Benchmark
  public float step() {
    steps++;
    return TrainingRun.step(engine, manager, ps, net, djlLoss, opt, next(), 1, size, size, 1e-4f);
  }

  @Benchmark
  public float lossOnly() {
    // every array made here (the leaf view, the loss's intermediates — attached to the labels' manager —
    // and the gradient) is freed when the scope closes, so nothing accumulates across invocations
    try (NDScope scope = new NDScope()) {
      NDArray z = fixedLogits.stopGradient();
      z.setRequiresGradient(true);
      float v;
      try (GradientCollector gc = engine.newGradientCollector()) {
        NDArray l = djlLoss.evaluate(new NDList(fixedLabels), new NDList(z));
        v = l.getFloat();
        gc.backward(l);
      }
      return v + z.getGradient().getFloat(0, 0, 0, 0);
    }
  }

  @Benchmark
  public int batchOnly() {
    return loader.batch(epochIndex, 1).size();
  }

  /**
   * Interleaved timing of {@code step} and {@code lossOnly} per loss; args: rounds (default 20), then
   * optionally the kernel modes to run each loss with (comma-separated, default AUTO), then optionally
   * the loss specs (default: the benchmark's {@code loss} parameters).
   */
  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    String[] modes = args.length > 1 ? args[1].split(",") : new String[] {"AUTO"};
    int per = 10;
    String[] losses;
    try {
      losses = args.length > 2 ? java.util.Arrays.copyOfRange(args, 2, args.length)
          : UNetStepBenchmark.class.getField("loss").getAnnotation(Param.class).value();
    } catch (NoSuchFieldException e) {
      throw new IllegalStateException(e);
    }
    System.out.printf(Locale.ROOT, "%-32s %12s %12s %12s %12s %10s %10s%n", "loss", "step med ms", "step min ms", "loss med ms",
        "loss min ms", "loss share", "data wait");
    for (String l : losses) {
     for (String mode : modes) {
      UNetStepBenchmark b = new UNetStepBenchmark();
      b.loss = l;
      b.kernels = mode;
      b.size = 64;
      b.batch = CompareConfig.DEFAULT_BATCH;
      b.setUp();
      double[] step = new double[rounds], lossOnly = new double[rounds];
      long waitStart = 0, stepNanos = 0;
      for (int r = -3; r < rounds; r++) {
        if (r == 0) waitStart = b.waitTotal + b.epoch.waitNanos();
        long t0 = System.nanoTime();
        for (int i = 0; i < per; i++) b.step();
        long t1 = System.nanoTime();
        for (int i = 0; i < per; i++) b.lossOnly();
        long t2 = System.nanoTime();
        if (r >= 0) {
          step[r] = (t1 - t0) / 1e6 / per;
          lossOnly[r] = (t2 - t1) / 1e6 / per;
          stepNanos += t1 - t0;
        }
      }
      long wait = b.waitTotal + b.epoch.waitNanos() - waitStart;
      double[] ss = step.clone(), ll = lossOnly.clone();
      java.util.Arrays.sort(ss);
      java.util.Arrays.sort(ll);
      // share: per round, loss-only over step (both measured seconds apart), median over rounds
      double[] share = new double[rounds];
      for (int r = 0; r < rounds; r++) share[r] = lossOnly[r] / step[r];
      java.util.Arrays.sort(share);
      System.out.printf(Locale.ROOT, "%-32s %12.2f %12.2f %12.3f %12.3f %9.2f%% %9.3f%%%n", modes.length > 1 ? l + " " + mode : l, ss[rounds / 2], ss[0], ll[rounds / 2], ll[0],
          100 * share[rounds / 2], 100.0 * wait / stepNanos);
      b.tearDown();
     }
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    epoch.close();
    loader.close();
    opt.close();
    manager.close();
  }
}
