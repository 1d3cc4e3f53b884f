package dev.segloss.core;

import java.util.Locale;

/**
 * The JVM heap budget shared by every reader that refuses, before allocating, what would not fit: the
 * image decoder ({@link dev.segloss.core.io.Images}) and the data loaders of segloss-train ({@code
 * MemoryCheck}, which delegates here). The budget is {@value #HEAP_SHARE} of the heap that is still free
 * ({@code maxMemory - (totalMemory - freeMemory)}); the rest is left for what runs beside.
 */
public final class Memory {
  /** Share of the free heap one allocation may take. */
  public static final double HEAP_SHARE = 0.8;

  private Memory() {}

  /** Bytes of the JVM heap not in use right now. */
  public static long freeHeap() {
    Runtime r = Runtime.getRuntime();
    return r.maxMemory() - (r.totalMemory() - r.freeMemory());
  }

  /** {@value #HEAP_SHARE} of {@link #freeHeap()}. */
  public static long heapBudget() {
    return (long) (freeHeap() * HEAP_SHARE);
  }

  /**
   * ", or give the JVM more heap: SEGLOSS_JAVA_OPTS=-Xmx12g" with a heap that would hold {@code bytes}
   * (plus what is in use), when the machine has that much memory; else " (this machine has N of RAM)".
   */
  public static String heapHint(long bytes) {
    Runtime r = Runtime.getRuntime();
    long used = r.totalMemory() - r.freeMemory();
    long gib = (long) Math.ceil((bytes / HEAP_SHARE + used) / (double) (1L << 30));
    long ram = -1;
    try {
      if (java.lang.management.ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
        ram = os.getTotalMemorySize();
      }
    } catch (RuntimeException | LinkageError e) {
      // unknown
    }
    if (ram > 0 && (gib << 30) > ram * 0.9) return " (this machine has " + human(ram) + " of RAM)";
    return ", or give the JVM more heap: SEGLOSS_JAVA_OPTS=-Xmx" + gib + "g (with ./segloss; java -Xmx" + gib + "g otherwise)";
  }

  /** "1.5 GiB", "320 MiB", "12 KiB". */
  public static String human(long bytes) {
    if (bytes < 1024) return bytes + " B";
    String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    double v = bytes;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, v >= 100 ? "%.0f %s" : "%.1f %s", v, units[u]);
  }
}
