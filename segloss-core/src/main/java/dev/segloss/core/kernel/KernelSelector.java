package dev.segloss.core.kernel;

/**
 * Chooses the Vector API kernels when the running JVM has the {@code jdk.incubator.vector} module
 * (started with {@code --add-modules jdk.incubator.vector}, as the {@code segloss} launcher does) and
 * the system property {@code segloss.vector} is not {@code false}. Otherwise every loss runs its scalar
 * per-pixel loop: the library needs no JVM flags to work.
 */
public final class KernelSelector {
  private static final Kernels VECTOR = load();
  private static final ThreadLocal<Boolean> SCALAR_ONLY = ThreadLocal.withInitial(() -> Boolean.FALSE);

  private KernelSelector() {}

  private static Kernels load() {
    if ("false".equalsIgnoreCase(System.getProperty("segloss.vector", "true"))) return null;
    if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) return null;
    try {
      Class<?> c = Class.forName("dev.segloss.core.kernel.VectorKernels");
      return (Kernels) c.getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException | LinkageError e) {
      return null;
    }
  }

  /** The Vector API kernels, or null when unavailable, disabled, or inside {@link #scalar}. */
  public static Kernels vector() {
    return VECTOR == null || SCALAR_ONLY.get() ? null : VECTOR;
  }

  /**
   * Runs {@code body} on this thread with the scalar (double precision per pixel) reference loops, e.g.
   * for finite-difference gradient checks. Use with one thread ({@code LossInput.threads(1)}).
   */
  public static <T> T scalar(java.util.function.Supplier<T> body) {
    boolean before = SCALAR_ONLY.get();
    SCALAR_ONLY.set(Boolean.TRUE);
    try {
      return body.get();
    } finally {
      SCALAR_ONLY.set(before);
    }
  }

  /** A one-word description of what runs: the vector kernel's name or {@code scalar}. */
  public static String describe() {
    return VECTOR == null ? "scalar" : VECTOR.name();
  }
}
