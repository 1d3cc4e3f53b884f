package dev.segloss.core.io;

import dev.segloss.core.InvalidInputException;
import dev.segloss.core.Tensor;

/**
 * The pixels of one decoded image as float values, row-major with interleaved channels ({@code [H, W, C]}),
 * immutable. Produced by {@link Images#read}.
 *
 * <p>Two scales:
 *
 * <ul>
 *   <li><b>raw</b>: the integer sample stored in the file (0..255 for 8-bit, 0..65535 for 16-bit, 0/1 for
 *       1-bit); for palette (indexed) images the palette <em>index</em>, not its colour, which is what
 *       label masks such as PASCAL VOC's store (PIL's mode {@code P} convention); floating-point TIFF
 *       samples as stored.
 *   <li><b>scaled</b>: raw / (2<sup>bits</sup> − 1), in [0, 1] (8-bit: /255, 16-bit: /65535); floating-point
 *       samples are taken as already scaled.
 * </ul>
 *
 * <p>Single-channel views ({@link #gray()}): a gray image (with or without alpha) gives its gray channel;
 * an RGB(A) image gives, per pixel, the common value when R = G = B (a gray image stored as RGB) and the
 * ITU-R BT.601 luma 0.299·R + 0.587·G + 0.114·B otherwise (PIL's {@code convert("L")} weights). Alpha is
 * ignored. Every non-black colour has a positive luma, so "mask pixel &gt; 0" keeps meaning "not black".
 */
public final class ImageData {
  private final String source;
  private final int height;
  private final int width;
  private final int channels;
  private final int bitDepth;
  private final boolean floatingPoint;
  private final boolean indexed;
  private final boolean alpha;
  private final float[] raw;

  ImageData(String source, int height, int width, int channels, int bitDepth, boolean floatingPoint, boolean indexed,
      boolean alpha, float[] raw) {
    this.source = source;
    this.height = height;
    this.width = width;
    this.channels = channels;
    this.bitDepth = bitDepth;
    this.floatingPoint = floatingPoint;
    this.indexed = indexed;
    this.alpha = alpha;
    this.raw = raw;
  }

  /**
   * Wraps raw interleaved samples (for tests and generated data).
   *
   * @param bitDepth bits per sample, 1..16 for integer samples (sets the scale), 32 for floating point
   */
  public static ImageData of(float[] raw, int height, int width, int channels, int bitDepth) {
    if (height <= 0 || width <= 0 || channels < 1 || channels > 4) {
      throw new InvalidInputException("image: expected positive height and width and 1..4 channels, got " + height + "x" + width + "x" + channels);
    }
    if ((long) height * width * channels != raw.length) {
      throw new InvalidInputException("image: " + raw.length + " samples do not fill " + height + "x" + width + "x" + channels);
    }
    boolean fp = bitDepth == 32;
    if (!fp && (bitDepth < 1 || bitDepth > 16)) throw new InvalidInputException("image: bit depth must be 1..16 or 32, got " + bitDepth);
    return new ImageData("image", height, width, channels, bitDepth, fp, false, channels == 2 || channels == 4, raw.clone());
  }

  /** Where the image came from (the file name), for messages. */
  public String source() {
    return source;
  }

  public int height() {
    return height;
  }

  public int width() {
    return width;
  }

  /** Number of channels: 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA. */
  public int channels() {
    return channels;
  }

  /** Bits per sample as stored (1, 2, 4, 8, 16; 32 for floating point). */
  public int bitDepth() {
    return bitDepth;
  }

  public boolean floatingPoint() {
    return floatingPoint;
  }

  /** True for palette images (raw values are palette indices). */
  public boolean indexed() {
    return indexed;
  }

  /** True when the last channel is alpha. */
  public boolean hasAlpha() {
    return alpha;
  }

  /** The largest raw value of the format, 2<sup>bits</sup> − 1 (1 for floating point): the scale divisor. */
  public double maxValue() {
    return floatingPoint ? 1.0 : (double) ((1L << bitDepth) - 1);
  }

  /** Spatial shape {@code [height, width]}. */
  public int[] shape() {
    return new int[] {height, width};
  }

  /** Raw sample of pixel (y, x), channel c. */
  public float raw(int y, int x, int c) {
    return raw[(y * width + x) * channels + c];
  }

  /** A copy of all raw samples, {@code [H, W, C]} interleaved. */
  public float[] raw() {
    return raw.clone();
  }

  /** A copy of all samples scaled to [0, 1], {@code [H, W, C]} interleaved. */
  public float[] scaled() {
    float[] out = raw.clone();
    scale(out);
    return out;
  }

  /** Raw values of one channel, {@code H·W}, row-major. */
  public float[] channel(int c) {
    if (c < 0 || c >= channels) throw new InvalidInputException(source + ": no channel " + c + " (the image has " + channels + ")");
    float[] out = new float[height * width];
    for (int i = 0; i < out.length; i++) out[i] = raw[i * channels + c];
    return out;
  }

  /** The single-channel view of the raw values (see the class comment), {@code H·W}, row-major. */
  public float[] gray() {
    int n = height * width;
    float[] out = new float[n];
    if (channels <= 2) {
      for (int i = 0; i < n; i++) out[i] = raw[i * channels];
      return out;
    }
    for (int i = 0; i < n; i++) {
      int o = i * channels;
      float r = raw[o];
      float g = raw[o + 1];
      float b = raw[o + 2];
      out[i] = r == g && g == b ? r : (float) (0.299 * r + 0.587 * g + 0.114 * b);
    }
    return out;
  }

  /** {@link #gray()} scaled to [0, 1]: the view for probability maps. */
  public float[] grayScaled() {
    float[] g = gray();
    scale(g);
    return g;
  }

  /**
   * A binary mask from the raw single-channel view: 1 where the value is &gt; {@code threshold}, 0 elsewhere,
   * and {@code ignoreValue} itself where the raw value equals it (NaN: nothing is ignored). The threshold
   * is on raw values (the integers in the file), so the default 0 means "not black" at any bit depth.
   */
  public float[] mask(double threshold, double ignoreValue) {
    float[] g = gray();
    boolean ign = !Double.isNaN(ignoreValue);
    float iv = (float) ignoreValue;
    for (int i = 0; i < g.length; i++) {
      if (ign && g[i] == iv) g[i] = iv;
      else g[i] = g[i] > threshold ? 1f : 0f;
    }
    return g;
  }

  /** The single-channel view as a tensor {@code [1, H, W]} (a batch of one), raw or scaled. */
  public Tensor toTensor(boolean scaled) {
    return Tensor.of(scaled ? grayScaled() : gray(), 1, height, width);
  }

  private void scale(float[] v) {
    if (floatingPoint) return;
    double max = maxValue();
    for (int i = 0; i < v.length; i++) v[i] = (float) (v[i] / max);
  }

  @Override
  public String toString() {
    return source + " " + height + "x" + width + "x" + channels + " " + (floatingPoint ? "float" : bitDepth + "-bit") + (indexed ? " indexed" : "");
  }
}
