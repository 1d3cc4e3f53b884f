package dev.segloss.data;

import dev.segloss.core.InvalidInputException;

/**
 * One 2-D single-channel image with its binary mask, in memory.
 *
 * <p>The image is float32, row-major {@code [height, width]}, already intensity-normalised by the
 * loader (see {@link dev.segloss.data.transform.Intensity}); the mask has the same shape and holds 0 (background) or 1
 * (foreground). The arrays are shared, not copied: treat them as read-only (the batch loader copies
 * before augmenting).
 */
public final class Sample {
  private final String name;
  private final int height;
  private final int width;
  private final float[] image;
  private final float[] mask;
  private final int slice;
  private final long foreground;

  /**
   * @param name a unique, human-readable name (file stem, {@code "synthetic-0042"}, {@code "T1:axial:093"})
   * @param slice the slice index along the slicing axis for volume slices, -1 for 2-D images
   */
  public Sample(String name, int height, int width, float[] image, float[] mask, int slice) {
    if (height <= 0 || width <= 0) throw new InvalidInputException(name + ": empty image " + height + "x" + width);
    long n = (long) height * width;
    if (image.length != n || mask.length != n) {
      throw new InvalidInputException(
          name + ": image has " + image.length + " and mask " + mask.length + " values, expected " + n);
    }
    this.name = name;
    this.height = height;
    this.width = width;
    this.image = image;
    this.mask = mask;
    this.slice = slice;
    long fg = 0;
    for (float m : mask) if (m > 0.5f) fg++;
    this.foreground = fg;
  }

  public String name() {
    return name;
  }

  public int height() {
    return height;
  }

  public int width() {
    return width;
  }

  /** The normalised image, row-major [height, width]; shared, do not modify. */
  public float[] image() {
    return image;
  }

  /** The 0/1 mask, row-major [height, width]; shared, do not modify. */
  public float[] mask() {
    return mask;
  }

  /** Slice index along the slicing axis for a volume slice, -1 for a 2-D image. */
  public int slice() {
    return slice;
  }

  /** Number of foreground pixels. */
  public long foregroundPixels() {
    return foreground;
  }

  /** Foreground pixels over all pixels. */
  public double foregroundFraction() {
    return foreground / (double) image.length;
  }

  /** True when the mask has no foreground pixel. */
  public boolean isEmpty() {
    return foreground == 0;
  }

  @Override
  public String toString() {
    return "Sample[" + name + ", " + height + "x" + width + ", fg=" + foreground + "]";
  }
}
