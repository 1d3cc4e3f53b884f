package dev.segloss.train;

import dev.segloss.core.InvalidInputException;
import dev.segloss.data.MemoryCheck;
import dev.segloss.train.model.UNetConfig;
import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * Refuses, before the engine allocates anything, a training configuration whose native memory (outside
 * the JVM heap: PyTorch's tensors) would not fit: the activations of one batch kept for the backward pass
 * and their gradients ({@link UNetConfig#activationBytes}) plus four copies of the parameters (weights,
 * gradients, Adam's two moments). The budget is {@value #SHARE} of the free physical memory.
 */
public final class MemoryEstimate {
  /** Share of the free physical memory a run may plan to use. */
  public static final double SHARE = 0.8;

  private MemoryEstimate() {}

  /** Bytes one training step needs, estimated. */
  public static long trainingBytes(UNetConfig net, int batch, int height, int width) {
    return net.activationBytes(batch, height, width) + net.parameterCount() * 4L * 4L;
  }

  /**
   * Bytes the forward pass of one {@code h x w} image needs in inference mode, estimated: the encoder
   * outputs the skip connections keep (a {@code width(l)}-channel tensor at every level l, at 1/4^l of
   * the pixels) plus the working set of the last decoder level (the upsampled tensor, the concatenation
   * of twice its channels and two convolution outputs: 5 x width(0) channels at full resolution), float32.
   * Nothing is kept for a backward pass, so this is far less than {@link #trainingBytes} for one image.
   */
  public static long inferenceBytes(UNetConfig net, int h, int w) {
    double values = 5.0 * net.width(0) * h * w;
    for (int l = 0; l <= net.depth(); l++) values += (double) h * w / Math.pow(4, l) * net.width(l);
    return (long) (values * 4) + net.parameterCount() * 4L;
  }

  /**
   * Throws, naming {@code file}, when one image of {@code h x w} would not fit in {@value #SHARE} of
   * {@code freeBytes} during inference (a non-positive value skips the check).
   */
  public static void checkInference(UNetConfig net, Object file, int h, int w, long freeBytes) {
    if (freeBytes <= 0) return;
    long need = inferenceBytes(net, h, w);
    long budget = (long) (freeBytes * SHARE);
    if (need > budget) {
      throw new InvalidInputException(String.format(Locale.ROOT,
          "%s: an image of %dx%d needs about %s of memory for the U-Net's forward pass, but only %s is free (%.0f%% of %s);"
              + " split it into tiles first", file, h, w, MemoryCheck.human(need), MemoryCheck.human(budget), SHARE * 100,
          MemoryCheck.human(freeBytes)));
    }
  }

  /** {@link #check(UNetConfig, int, int, int, int, long)} for a batch that holds what --batch asks. */
  public static void check(UNetConfig net, int batch, int height, int width, long freeBytes) {
    check(net, batch, batch, height, width, freeBytes);
  }

  /**
   * Throws when a training step on {@code batch} images exceeds {@value #SHARE} of {@code freeBytes} (a
   * non-positive value skips the check); {@code requested} is what --batch asked, named in the message
   * with the smaller effective batch when the training split holds fewer images.
   */
  public static void check(UNetConfig net, int requested, int batch, int height, int width, long freeBytes) {
    if (freeBytes <= 0) return;
    long need = trainingBytes(net, batch, height, width);
    long budget = (long) (freeBytes * SHARE);
    if (need > budget) {
      throw new InvalidInputException(String.format(Locale.ROOT,
          "--batch %s with %dx%d images and a U-Net of depth %d, width %d needs about %s of memory for one training step, but only %s is free"
              + " (%.0f%% of %s); lower --batch, --width or the image size",
          requested == batch ? String.valueOf(batch) : requested + " (" + batch + " images per step: all the training split holds)",
          height, width, net.depth(), net.baseWidth(), MemoryCheck.human(need), MemoryCheck.human(budget), SHARE * 100,
          MemoryCheck.human(freeBytes)));
    }
  }

  /**
   * Physical memory a run can still take, or -1 when the JVM cannot tell: on Linux the kernel's {@code
   * MemAvailable} (free memory plus the page cache and other memory the kernel can reclaim, which is what
   * {@code free} reports as "available"), unless a container limit makes the JVM's own figure smaller;
   * elsewhere the JVM's free physical memory. {@code MemFree} alone would refuse runs on any machine whose
   * page cache has filled the RAM, which is the normal state of a machine that has read data for a while.
   */
  public static long freePhysicalMemory() {
    long jvmFree = -1;
    long jvmTotal = -1;
    try {
      var os = ManagementFactory.getOperatingSystemMXBean();
      if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
        jvmFree = sun.getFreeMemorySize();
        jvmTotal = sun.getTotalMemorySize();
      }
    } catch (RuntimeException | LinkageError e) {
      // not available on this JVM
    }
    long[] meminfo = readMeminfo();
    return available(jvmFree, jvmTotal, meminfo[0], meminfo[1]);
  }

  /**
   * Combines the JVM's figures with {@code /proc/meminfo}'s (each -1 when unknown): a JVM total below
   * MemTotal means a container limit, whose free figure counts; else MemAvailable when known.
   */
  static long available(long jvmFree, long jvmTotal, long memTotal, long memAvailable) {
    if (memAvailable < 0) return jvmFree;
    if (jvmTotal > 0 && memTotal > 0 && jvmTotal < memTotal) return jvmFree < 0 ? memAvailable : Math.min(jvmFree, memAvailable);
    return Math.max(jvmFree, memAvailable);
  }

  /** {MemTotal, MemAvailable} in bytes from {@code /proc/meminfo}, -1 each when unknown. */
  private static long[] readMeminfo() {
    try {
      return parseMeminfo(java.nio.file.Files.readString(java.nio.file.Path.of("/proc/meminfo")));
    } catch (java.io.IOException | RuntimeException e) {
      return new long[] {-1, -1};
    }
  }

  /** {MemTotal, MemAvailable} in bytes from the text of {@code /proc/meminfo} (values in kB), -1 each when missing. */
  static long[] parseMeminfo(String text) {
    long[] out = {-1, -1};
    for (String line : text.split("\\R")) {
      String[] f = line.trim().split("\\s+");
      if (f.length < 2) continue;
      int i = f[0].equals("MemTotal:") ? 0 : f[0].equals("MemAvailable:") ? 1 : -1;
      if (i < 0) continue;
      try {
        out[i] = Long.parseLong(f[1]) * (f.length > 2 && f[2].equalsIgnoreCase("kB") ? 1024L : 1L);
      } catch (NumberFormatException e) {
        // leave it unknown
      }
    }
    return out;
  }
}
