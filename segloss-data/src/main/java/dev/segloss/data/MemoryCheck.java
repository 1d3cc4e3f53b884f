package dev.segloss.data;

import dev.segloss.core.InvalidInputException;
import java.util.Locale;

/**
 * Refuses, before anything is allocated, a data set whose estimated size does not fit in memory.
 *
 * <p>The budget is {@link LoadOptions#memoryBudget()} when set, else {@value #HEAP_SHARE} of the JVM
 * heap that is still free ({@code maxMemory - (totalMemory - freeMemory)}); the rest is left for the
 * model, the batches in flight and the engine.
 */
public final class MemoryCheck {
  /** Share of the free heap the data may take. */
  public static final double HEAP_SHARE = 0.8;

  private MemoryCheck() {}

  /** Bytes of the JVM heap not in use right now. */
  public static long freeHeap() {
    Runtime r = Runtime.getRuntime();
    return r.maxMemory() - (r.totalMemory() - r.freeMemory());
  }

  /** The budget in bytes for {@code options}. */
  public static long budget(LoadOptions options) {
    return options.memoryBudget() > 0 ? options.memoryBudget() : (long) (freeHeap() * HEAP_SHARE);
  }

  /**
   * Throws when {@code bytes} exceeds the budget.
   *
   * @param what what needs the memory, e.g. {@code "400 images of 128x128 (image + mask, float32)"}
   */
  public static void require(long bytes, String what, LoadOptions options) {
    require(bytes, "--data: " + what, "use fewer or smaller images", options);
  }

  /**
   * Throws when {@code bytes} exceeds the budget, with a message that starts with {@code what} (which
   * names the option or file) and suggests {@code advice} (and more heap when the machine has it).
   */
  public static void require(long bytes, String what, String advice, LoadOptions options) {
    long budget = budget(options);
    if (bytes > budget) {
      throw new InvalidInputException(what + " needs about " + human(bytes) + " of memory but only "
          + human(budget) + " is available (" + (options.memoryBudget() > 0 ? "the configured budget"
              : Math.round(HEAP_SHARE * 100) + "% of the free JVM heap") + "); " + advice
          + (options.memoryBudget() > 0 ? "" : heapHint(bytes)));
    }
  }

  /**
   * ", or give the JVM more heap: SEGLOSS_JAVA_OPTS=-Xmx12g" with a heap that would hold {@code bytes}
   * (plus what is in use), when the machine has that much memory; else nothing.
   */
  static String heapHint(long bytes) {
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

  /** Bytes of {@code n} image+mask pairs of {@code h x w} float32 pixels. */
  public static long pairBytes(long n, long h, long w) {
    return n * h * w * 2L * Float.BYTES;
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
