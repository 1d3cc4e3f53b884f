package dev.segloss.core.kernel;

import java.util.function.Supplier;

/**
 * Chooses the Vector API kernels when the running JVM has the {@code jdk.incubator.vector} module
 * (started with {@code --add-modules jdk.incubator.vector}, as the {@code segloss} launcher does) and
 * the system property {@code segloss.vector} is not {@code false}. Otherwise every loss runs its scalar
 * per-pixel loop: the library needs no JVM flags to work.
 *
 * <p>The two paths agree to float32 accuracy (the kernels compute in float lanes, the scalar loops in
 * double; see {@code VectorKernels}). {@link #scalar} and {@link #vectorized} pick one path for the
 * computations started on the calling thread, whatever the default: for reference computations, tests and
 * benchmarks. The core module's own tests run with {@code -Dsegloss.vector=false}, so that golden values
 * are checked against the double-precision reference, and test the kernels through {@link #vectorized}.
 */
public final class KernelSelector {
  private static final Kernels AVAILABLE = load();
  private static final boolean ENABLED = !"false".equalsIgnoreCase(System.getProperty("segloss.vector", "true"));
  private static final int DEFAULT = 0;
  private static final int SCALAR = 1;
  private static final int VECTOR = 2;
  private static final ThreadLocal<Integer> MODE = ThreadLocal.withInitial(() -> DEFAULT);

  private KernelSelector() {}

  private static Kernels load() {
    if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) return null;
    try {
      Class<?> c = Class.forName("dev.segloss.core.kernel.VectorKernels");
      return (Kernels) c.getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException | LinkageError e) {
      return null;
    }
  }

  /**
   * The kernels a loss computation started on this thread should use: the Vector API kernels, or null for
   * the scalar loops (module absent, disabled by {@code segloss.vector=false}, or inside {@link #scalar}).
   * A loss reads it once per call, on the calling thread, and hands it to its worker threads.
   */
  public static Kernels vector() {
    switch (MODE.get()) {
      case SCALAR: return null;
      case VECTOR: return AVAILABLE;
      default: return ENABLED ? AVAILABLE : null;
    }
  }

  /** True when the JVM has the incubator module and the kernels loaded (enabled or not). */
  public static boolean available() {
    return AVAILABLE != null;
  }

  /**
   * Runs {@code body} on this thread with the scalar (double precision per pixel) reference loops, e.g.
   * for finite-difference gradient checks.
   */
  public static <T> T scalar(Supplier<T> body) {
    return with(SCALAR, body);
  }

  /**
   * Runs {@code body} on this thread with the Vector API kernels, even when {@code segloss.vector=false}
   * disabled them by default (tests and benchmarks that compare both paths).
   *
   * @throws IllegalStateException when the JVM was started without {@code --add-modules jdk.incubator.vector}
   */
  public static <T> T vectorized(Supplier<T> body) {
    if (AVAILABLE == null) {
      throw new IllegalStateException("the Vector API kernels need the JVM option --add-modules jdk.incubator.vector");
    }
    return with(VECTOR, body);
  }

  private static <T> T with(int mode, Supplier<T> body) {
    int before = MODE.get();
    MODE.set(mode);
    try {
      return body.get();
    } finally {
      MODE.set(before);
    }
  }

  /** A one-word description of what runs by default: the vector kernels' name (e.g. {@code vector-512}) or {@code scalar}. */
  public static String describe() {
    return ENABLED && AVAILABLE != null ? AVAILABLE.name() : "scalar";
  }
}
