package dev.segloss.core.loss;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The Lovász hinge's sort ({@code Functions.sortDescending}, package-private, hence this package) against
 * the stable bottom-up merge sort of (key, index) pairs it replaced ({@code Functions.stableSortDescending},
 * still used for runs of float32 ties), on the hinge errors of one image at
 * initialisation (logits ~ N(0, 0.1²), 2 % foreground: every error is near 1 and positive, so every pixel
 * is sorted): {@code n} = 4,096 (a 64×64 image, {@code segloss compare}'s default) and 262,144 (512×512).
 * Each invocation sorts a fresh copy (the copy is included in both).
 *
 * <p>Run: {@code java -jar segloss-bench/target/benchmarks.jar LovaszSortBenchmark -f 1}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class LovaszSortBenchmark {
  @Param({"4096", "262144"})
  public int n;

  private double[] errors;
  private int[] positions;

  @Setup
  public void setUp() {
    SplittableRandom r = new SplittableRandom(7);
    errors = new double[n];
    positions = new int[n];
    for (int i = 0; i < n; i++) {
      boolean foreground = r.nextDouble() < 0.02;
      double z = (float) (0.1 * r.nextGaussian());
      errors[i] = 1 - (foreground ? z : -z);
      positions[i] = i;
    }
  }

  @Benchmark
  public int[] radixOfPackedFloatKeys() {
    double[] k = errors.clone();
    int[] idx = positions.clone();
    Functions.sortDescending(k, idx, n);
    return idx;
  }

  @Benchmark
  public int[] mergeSortBaseline() {
    double[] k = errors.clone();
    int[] idx = positions.clone();
    Functions.stableSortDescending(k, idx, 0, n); // the merge sort the hinge used before
    return idx;
  }
}
