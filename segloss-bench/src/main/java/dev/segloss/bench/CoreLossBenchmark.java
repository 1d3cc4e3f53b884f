package dev.segloss.bench;

import dev.segloss.core.Tensor;
import dev.segloss.core.kernel.KernelSelector;
import dev.segloss.core.loss.LossInput;
import dev.segloss.core.loss.LossResult;
import dev.segloss.core.loss.Losses;
import dev.segloss.core.loss.SegLoss;
import dev.segloss.core.spec.LossSpec;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Value and gradient of one core loss ({@code SegLoss.compute(input, true)}, defaults of the spec) on a
 * 16×1×512×512 float32 batch, probabilities or logits:
 * <ul>
 *   <li>{@code vector1}: the Vector API kernels ({@link KernelSelector#vectorized}), one thread;
 *   <li>{@code vector2}: the same with {@code LossInput.threads(2)} (images split over two threads);
 *   <li>{@code scalar1}: the scalar reference loops ({@link KernelSelector#scalar}), one thread.
 * </ul>
 * Run through {@link CoreLossReport}, which sets {@code loss} to every family of {@code Losses.types()} and
 * runs {@link StreamTriadBenchmark} in the same JMH run, then prints bandwidth and % of the triad. The
 * {@code @Param} default below is only the list for a bare JMH run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xms4g", "-Xmx4g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class CoreLossBenchmark {
  @Param({"bce", "dice", "combined"})
  public String loss;

  @Param({"prob", "logits"})
  public String input;

  private SegLoss segLoss;
  private LossInput oneThread;
  private LossInput twoThreads;

  @Setup(Level.Trial)
  public void setup() {
    if (!KernelSelector.available()) {
      throw new IllegalStateException("the vector kernels are not loaded: run with --add-modules=jdk.incubator.vector");
    }
    boolean logits = input.equals("logits");
    Tensor y = Tensor.of(BenchData.labels(1), BenchData.SHAPE);
    Tensor x = Tensor.of(BenchData.predictions(2, logits), BenchData.SHAPE);
    segLoss = LossSpec.parse(loss);
    oneThread = LossInput.builder(y, x).fromLogits(logits).build();
    twoThreads = LossInput.builder(y, x).fromLogits(logits).threads(2).build();
  }

  @Benchmark
  public LossResult vector1() {
    return KernelSelector.vectorized(() -> segLoss.compute(oneThread, true));
  }

  @Benchmark
  public LossResult vector2() {
    return KernelSelector.vectorized(() -> segLoss.compute(twoThreads, true));
  }

  @Benchmark
  public LossResult scalar1() {
    return KernelSelector.scalar(() -> segLoss.compute(oneThread, true));
  }
}
