package dev.segloss.bench;

import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
 * The bandwidth reference: a STREAM-style triad {@code a[i] = b[i] + s·c[i]} over float arrays as large as
 * the loss benchmark's batch (16·512·512 floats, 16 MiB each), counted as STREAM counts it, 12 bytes per
 * element (two reads, one write); on one thread ({@code triad1}) and split in two halves over two threads
 * ({@code triad2}). {@code allocate} measures {@code new float[16·512·512]}, what every loss call pays for
 * its fresh gradient array (the JVM zeroes it).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xms4g", "-Xmx4g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class StreamTriadBenchmark {
  private final float[] a = new float[BenchData.PIXELS];
  private float[] b;
  private float[] c;
  private final float s = 0.37f;
  private ExecutorService second;

  @Setup(Level.Trial)
  public void setup() {
    b = BenchData.predictions(3, false);
    c = BenchData.predictions(4, true);
    Arrays.fill(a, 1f);
    second = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "triad-2");
      t.setDaemon(true);
      return t;
    });
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    second.shutdownNow();
  }

  private static void triad(float[] a, float[] b, float[] c, float s, int from, int to) {
    for (int i = from; i < to; i++) a[i] = b[i] + s * c[i];
  }

  @Benchmark
  public float[] triad1() {
    triad(a, b, c, s, 0, a.length);
    return a;
  }

  @Benchmark
  public float[] triad2() throws InterruptedException, ExecutionException {
    int half = a.length / 2;
    Future<?> f = second.submit(() -> triad(a, b, c, s, half, a.length));
    triad(a, b, c, s, 0, half);
    f.get();
    return a;
  }

  @Benchmark
  public float[] allocate() {
    return new float[BenchData.PIXELS];
  }
}
