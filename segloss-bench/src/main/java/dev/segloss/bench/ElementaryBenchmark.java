package dev.segloss.bench;

import java.lang.reflect.Method;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Are the Vector API's lanewise transcendentals intrinsified on this JDK, and how do they compare with the
 * kernels' inline polynomials and with a scalar {@code Math} loop? Each call maps 65 536 floats (L2-resident)
 * through one function; the score is per call, divide by 65 536 for ns per float. {@code fn}: {@code
 * svml-exp}, {@code svml-log}, {@code svml-log1p} (lanewise EXP, LOG, LOG1P), {@code exp-neg-abs}, {@code
 * log}, {@code log1p-unit} (the kernels' polynomials, through {@code VectorKernels.elementary}), and
 * {@code math-exp}, {@code math-log} (a plain loop over {@code Math.exp}/{@code Math.log}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ElementaryBenchmark {
  static final int SIZE = 1 << 16;

  @Param({"svml-exp", "svml-log", "svml-log1p", "exp-neg-abs", "log", "log1p-unit", "math-exp", "math-log"})
  public String fn;

  private final float[] in = new float[SIZE];
  private final float[] out = new float[SIZE];
  private Method elementary;

  @Setup(Level.Trial)
  public void setup() throws ReflectiveOperationException {
    SplittableRandom r = new SplittableRandom(5);
    boolean exp = fn.contains("exp");
    for (int i = 0; i < SIZE; i++) in[i] = exp ? (float) (-20 * r.nextDouble()) : (float) (1e-6 + r.nextDouble());
    elementary = Class.forName("dev.segloss.core.kernel.VectorKernels")
        .getDeclaredMethod("elementary", String.class, float[].class, float[].class);
    elementary.setAccessible(true);
  }

  @Benchmark
  public float[] apply() throws ReflectiveOperationException {
    switch (fn) {
      case "math-exp":
        for (int i = 0; i < SIZE; i++) out[i] = (float) Math.exp(in[i]);
        break;
      case "math-log":
        for (int i = 0; i < SIZE; i++) out[i] = (float) Math.log(in[i]);
        break;
      default:
        elementary.invoke(null, fn, in, out);
    }
    return out;
  }
}
