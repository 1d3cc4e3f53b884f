package dev.segloss.core.io;

import dev.segloss.core.InvalidInputException;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Reads PNG, JPEG, TIFF and BMP images (the JDK's {@code javax.imageio} decoders: 1- to 16-bit integer
 * samples, gray, gray+alpha, RGB, RGBA, palette; float TIFF) into {@link ImageData}, and writes PNG
 * (8- or 16-bit, gray, RGB or RGBA) atomically.
 *
 * <p>Typical use for segmentation data:
 *
 * <pre>{@code
 * ImageData m = Images.read(maskPath);
 * float[] mask = m.mask(0, 255);          // 1 where raw > 0, 255 (ignored) where raw == 255, else 0
 * float[] prob = Images.read(predPath).grayScaled();   // probability map in [0, 1]
 * Images.writePng(out, prob, m.height(), m.width(), 1, 8);
 * }</pre>
 *
 * Errors are {@link InvalidInputException}s whose one-line message starts with the file name.
 */
public final class Images {
  /** File extensions recognised as images (lower case, without the dot). */
  public static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "tif", "tiff", "bmp");

  private Images() {}

  /** True when the file name ends with one of {@link #EXTENSIONS} (case-insensitive). */
  public static boolean isImageFile(Path file) {
    return EXTENSIONS.contains(extension(file));
  }

  /** The lower-case extension of a file name without the dot, "" when there is none. */
  public static String extension(Path file) {
    String n = file.getFileName().toString();
    int dot = n.lastIndexOf('.');
    return dot <= 0 ? "" : n.substring(dot + 1).toLowerCase(Locale.ROOT);
  }

  /**
   * Decodes the first image of a file.
   *
   * @throws InvalidInputException naming the file when it is missing, not an image the JDK decodes, or
   *     has more than 4 channels
   */
  public static ImageData read(Path file) {
    if (!Files.exists(file)) throw new InvalidInputException(file + ": no such file");
    if (Files.isDirectory(file)) throw new InvalidInputException(file + ": is a directory, expected an image file");
    BufferedImage img;
    try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
      if (in == null) throw new InvalidInputException(file + ": cannot open");
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        throw new InvalidInputException(file + ": not an image the JDK can decode; expected PNG, JPEG, TIFF or BMP");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        img = reader.read(0);
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof InvalidInputException) throw (InvalidInputException) e;
      // the decoder's own words for I/O errors ("Error reading PNG image data"); the class too for a decoder bug
      String why = e instanceof IOException && e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName() + ": " + e.getMessage();
      throw new InvalidInputException(file + ": cannot decode the image (" + why + ")", e);
    }
    return fromBufferedImage(file.toString(), img);
  }

  /** Converts a decoded image (see {@link ImageData} for the conventions). */
  public static ImageData fromBufferedImage(String source, BufferedImage img) {
    Raster r = img.getRaster();
    int w = r.getWidth();
    int h = r.getHeight();
    int bands = r.getNumBands();
    if (bands > 4) throw new InvalidInputException(source + ": " + bands + " channels; expected 1 to 4 (gray, gray+alpha, RGB, RGBA)");
    int type = r.getDataBuffer().getDataType();
    boolean fp = type == DataBuffer.TYPE_FLOAT || type == DataBuffer.TYPE_DOUBLE;
    int bits = 0;
    for (int b = 0; b < bands; b++) bits = Math.max(bits, r.getSampleModel().getSampleSize(b));
    ColorModel cm = img.getColorModel();
    boolean indexed = cm instanceof IndexColorModel;
    boolean alpha = !indexed && cm.hasAlpha() && (bands == 2 || bands == 4);
    float[] raw = r.getPixels(r.getMinX(), r.getMinY(), w, h, (float[]) null);
    return new ImageData(source, h, w, bands, fp ? 32 : bits, fp, indexed, alpha, raw);
  }

  /**
   * Writes a PNG atomically (temporary file, then rename).
   *
   * @param values samples in [0, 1], {@code [H, W, C]} interleaved; stored as round(v·(2<sup>bits</sup>−1))
   * @param channels 1 (gray), 2 (gray+alpha), 3 (RGB) or 4 (RGBA)
   * @param bitDepth 8 or 16
   * @return true when an existing file was replaced
   * @throws InvalidInputException for NaN or values outside [0, 1] (naming the file and index)
   */
  public static boolean writePng(Path file, float[] values, int height, int width, int channels, int bitDepth) {
    if (bitDepth != 8 && bitDepth != 16) throw new InvalidInputException(file + ": PNG bit depth must be 8 or 16, got " + bitDepth);
    if (channels < 1 || channels > 4) throw new InvalidInputException(file + ": PNG channels must be 1..4, got " + channels);
    if (height <= 0 || width <= 0 || (long) height * width * channels != values.length) {
      throw new InvalidInputException(file + ": " + values.length + " values do not fill " + height + "x" + width + "x" + channels);
    }
    int max = (1 << bitDepth) - 1;
    int[] samples = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      float v = values[i];
      if (!(v >= 0f && v <= 1f)) {
        throw new InvalidInputException(file + ": value " + v + " at flat index " + i + " is outside [0, 1]; cannot store it in a PNG");
      }
      samples[i] = (int) Math.round(v * (double) max);
    }
    boolean alpha = channels == 2 || channels == 4;
    ColorSpace cs = ColorSpace.getInstance(channels <= 2 ? ColorSpace.CS_GRAY : ColorSpace.CS_sRGB);
    ComponentColorModel cm = new ComponentColorModel(cs, alpha, false, alpha ? Transparency.TRANSLUCENT : Transparency.OPAQUE,
        bitDepth == 8 ? DataBuffer.TYPE_BYTE : DataBuffer.TYPE_USHORT);
    WritableRaster raster = cm.createCompatibleWritableRaster(width, height);
    raster.setPixels(0, 0, width, height, samples);
    BufferedImage img = new BufferedImage(cm, raster, false, null);
    byte[] png = encodePng(img);
    return AtomicFiles.write(file, out -> out.write(png));
  }

  /**
   * Encodes an image as PNG in memory. ImageIO's file cache is never used: {@code ImageIO.write} to a
   * plain stream would buffer through a temporary file in {@code java.io.tmpdir}, which fails on a full
   * or read-only temporary folder and, when it fails, leaves a stream that ImageIO's exit-time closer
   * thread trips over (a stack trace after the command has ended).
   */
  public static byte[] encodePng(BufferedImage img) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
      if (!ImageIO.write(img, "png", out)) throw new IllegalStateException("no PNG writer for " + img);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("PNG encoding in memory failed: " + e.getMessage(), e); // no file involved
    }
    return bytes.toByteArray();
  }

  /** Writes a gray 8-bit PNG from values in [0, 1] ({@code H·W}, row-major). */
  public static boolean writeGrayPng(Path file, float[] values, int height, int width) {
    return writePng(file, values, height, width, 1, 8);
  }
}
