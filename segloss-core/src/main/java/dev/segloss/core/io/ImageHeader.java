package dev.segloss.core.io;

/**
 * What an image file's header says, read without decoding the pixels ({@link Images#probe}): the format,
 * the size, and the samples per pixel and bits per sample the decoded image will have.
 */
public final class ImageHeader {
  private final String format;
  private final int width;
  private final int height;
  private final int channels;
  private final int bitsPerSample;

  ImageHeader(String format, int width, int height, int channels, int bitsPerSample) {
    this.format = format;
    this.width = width;
    this.height = height;
    this.channels = channels;
    this.bitsPerSample = bitsPerSample;
  }

  /** "PNG", "BMP", "TIFF" or "JPEG". */
  public String format() {
    return format;
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  /** Samples per pixel of the decoded image (a palette image: 1 index, or its colours as decoded). */
  public int channels() {
    return channels;
  }

  /** Bits per stored sample (1 to 16, 32 or 64 for floating point). */
  public int bitsPerSample() {
    return bitsPerSample;
  }

  /** Number of samples, height × width × channels. */
  public long samples() {
    return (long) width * height * channels;
  }

  /**
   * Heap bytes a decode into {@link ImageData} takes at its peak, estimated: the decoder's raster (at
   * least one byte per sample, two for 9- to 16-bit samples, four or eight for floating point), the
   * float32 copy {@link ImageData} keeps, and two single-channel float32 views (gray and mask) that
   * consumers make.
   */
  public long decodeBytes() {
    long px = (long) width * height;
    int rasterBytes = bitsPerSample <= 8 ? 1 : bitsPerSample <= 16 ? 2 : bitsPerSample / 8;
    return px * channels * rasterBytes + px * channels * Float.BYTES + 2 * px * Float.BYTES;
  }

  /** {@code 640x480 8-bit gray}. */
  public String describe() {
    String kind = channels == 1 ? "gray" : channels == 2 ? "gray+alpha" : channels == 3 ? "RGB" : channels == 4 ? "RGBA" : channels + "-channel";
    return width + "x" + height + " " + bitsPerSample + "-bit " + kind;
  }

  @Override
  public String toString() {
    return format + " " + describe();
  }
}
