package dev.segloss.core.io;

import dev.segloss.core.InvalidInputException;
import dev.segloss.core.Memory;
import dev.segloss.core.SafeText;
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
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
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
   * Reads the header of an image file without decoding its pixels: the format (from the content, not
   * the name), size and sample format. PNG, BMP and TIFF headers are read and checked by segloss's own
   * parsers ({@code PngCheck}, {@code BmpCheck}, {@code TiffCheck}); JPEG's by the JDK's decoder.
   *
   * @throws InvalidInputException naming the file when it is missing, not a PNG, JPEG, TIFF or BMP file,
   *     or its header is corrupt or truncated
   */
  public static ImageHeader probe(Path file) {
    checkFile(file);
    try {
      switch (format(file)) {
        case "PNG":
          return PngCheck.readHeader(file);
        case "BMP":
          return BmpCheck.readHeader(file).header();
        case "TIFF":
          return TiffCheck.readHeader(file).header();
        default:
          return jpegHeader(file);
      }
    } catch (IOException e) {
      throw ioError(file, e);
    }
  }

  /**
   * Decodes the first image of a file. Before any pixel is decoded: the header is read, and an image
   * whose decoded pixels would not fit in {@value Memory#HEAP_SHARE} of the free heap ({@link Memory}) or
   * hold more samples than a Java array is refused; PNG, BMP and TIFF files are then checked in full
   * (chunk CRCs, zlib Adler-32 and lengths, strip extents, truncation: see {@code PngCheck}, {@code
   * BmpCheck}, {@code TiffCheck}), because the JDK's decoders decode many corrupt files to other pixels
   * without a word. The JDK then decodes; any warning of its decoder (a JPEG's "premature end of data",
   * for one) is an error too. So a corrupt file stops the read with one line naming it.
   *
   * @throws InvalidInputException naming the file when it is missing, not an image the JDK decodes, too
   *     large for the heap, corrupt or truncated, or has more than 4 channels
   */
  public static ImageData read(Path file) {
    return read(file, 0);
  }

  /**
   * {@link #read(Path)} with a memory budget in bytes for the decoded image instead of the default
   * ({@link Memory#heapBudget()}; a budget &le; 0 means the default).
   */
  public static ImageData read(Path file, long memoryBudget) {
    ImageHeader header = probe(file);
    requireMemory(file, header, memoryBudget > 0 ? memoryBudget : Memory.heapBudget(), memoryBudget > 0);
    try {
      switch (header.format()) {
        case "PNG":
          PngCheck.validate(file);
          break;
        case "BMP":
          BmpCheck.validate(file);
          break;
        case "TIFF":
          TiffCheck.validate(file);
          break;
        default:
          requireJpegEnd(file);
          break;
      }
    } catch (IOException e) {
      throw ioError(file, e);
    }
    BufferedImage img = decode(file);
    if (img.getWidth() != header.width() || img.getHeight() != header.height()) {
      throw new InvalidInputException(file + ": the decoder gave a " + img.getWidth() + "x" + img.getHeight() + " image, but the header says "
          + header.width() + "x" + header.height());
    }
    return fromBufferedImage(file.toString(), img);
  }

  /**
   * Refuses an image whose decode would not fit in the heap budget ({@link Memory#heapBudget()}) or
   * whose samples a Java array cannot hold.
   */
  static void requireMemory(Path file, ImageHeader h, long budget, boolean configured) {
    if (h.samples() > Integer.MAX_VALUE - 8) {
      throw new InvalidInputException(file + ": a " + h.describe() + " image has " + h.samples()
          + " samples, more than a Java array holds; split it into tiles first");
    }
    long need = h.decodeBytes();
    if (need > budget) {
      throw new InvalidInputException(file + ": a " + h.describe() + " image needs about " + Memory.human(need) + " of memory to decode but only "
          + Memory.human(Math.max(0, budget)) + " is available (" + (configured ? "the given budget"
              : Math.round(Memory.HEAP_SHARE * 100) + "% of the free JVM heap") + "); use a smaller image" + (configured ? "" : Memory.heapHint(need)));
    }
  }

  private static void checkFile(Path file) {
    if (!Files.exists(file)) throw new InvalidInputException(file + ": no such file");
    if (Files.isDirectory(file)) throw new InvalidInputException(file + ": is a directory, expected an image file");
  }

  /** "PNG", "BMP", "TIFF" or "JPEG" from the first bytes; anything else is an error naming the file. */
  private static String format(Path file) throws IOException {
    byte[] b = new byte[8];
    int n;
    try (InputStream in = Files.newInputStream(file)) {
      n = in.readNBytes(b, 0, 8);
    }
    if (n >= 8 && Arrays.equals(b, PngCheck.SIGNATURE)) return "PNG";
    if (n >= 2 && b[0] == 'B' && b[1] == 'M') return "BMP";
    if (n >= 4 && ((b[0] == 'I' && b[1] == 'I' && b[2] == 42 && b[3] == 0) || (b[0] == 'M' && b[1] == 'M' && b[2] == 0 && b[3] == 42)
        || (b[0] == 'I' && b[1] == 'I' && b[2] == 43 && b[3] == 0) || (b[0] == 'M' && b[1] == 'M' && b[2] == 0 && b[3] == 43))) {
      return "TIFF";
    }
    if (n >= 3 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xd8 && (b[2] & 0xff) == 0xff) return "JPEG";
    if (n >= 4 && Arrays.equals(Arrays.copyOf(b, 4), Arrays.copyOf(PngCheck.SIGNATURE, 4))) {
      if (n < 8 && Arrays.equals(Arrays.copyOf(b, n), Arrays.copyOf(PngCheck.SIGNATURE, n))) {
        throw new InvalidInputException(file + ": truncated PNG: the file ends inside the signature (" + n + " bytes)");
      }
      throw new InvalidInputException(file + ": corrupt PNG: bad signature");
    }
    throw new InvalidInputException(file + ": not an image the JDK can decode; expected PNG, JPEG, TIFF or BMP");
  }

  /** A JPEG's size and components from the JDK's decoder (header only). */
  private static ImageHeader jpegHeader(Path file) throws IOException {
    try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
      if (in == null) throw new InvalidInputException(file + ": cannot open");
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) throw new InvalidInputException(file + ": not an image the JDK can decode; expected PNG, JPEG, TIFF or BMP");
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        int w = reader.getWidth(0);
        int h = reader.getHeight(0);
        ImageTypeSpecifier t = reader.getRawImageType(0);
        int channels = t == null ? 3 : t.getNumBands();
        return new ImageHeader("JPEG", w, h, channels, 8);
      } catch (IOException | RuntimeException e) {
        throw decodeError(file, e, "cannot read the image header");
      } finally {
        reader.dispose();
      }
    }
  }

  /**
   * A JPEG without any end-of-image marker (FF D9) was cut short: the JDK's decoder would fill the rest
   * with gray after a warning. (Inside the entropy-coded data a 0xFF byte is always followed by 00 or a
   * restart marker, so FF D9 only occurs as a marker.) A truncated file that still holds an FF D9 (of a
   * thumbnail, say) is caught by the decoder's warning instead.
   */
  private static void requireJpegEnd(Path file) throws IOException {
    try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      int prev = -1;
      int b;
      while ((b = in.read()) >= 0) {
        if (prev == 0xff && b == 0xd9) return;
        prev = b;
      }
    }
    throw new InvalidInputException(file + ": truncated JPEG: the file has no end-of-image marker (FF D9)");
  }

  /** Decodes with the JDK; decoder warnings are errors. */
  private static BufferedImage decode(Path file) {
    try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
      if (in == null) throw new InvalidInputException(file + ": cannot open");
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        throw new InvalidInputException(file + ": not an image the JDK can decode; expected PNG, JPEG, TIFF or BMP");
      }
      ImageReader reader = readers.next();
      List<String> warnings = new ArrayList<>();
      try {
        reader.setInput(in, true, true);
        reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
        BufferedImage img = reader.read(0);
        if (!warnings.isEmpty()) {
          throw new InvalidInputException(file + ": corrupt or truncated image data (the decoder warns: " + SafeText.escape(warnings.get(0).strip())
              + (warnings.size() > 1 ? "; and " + (warnings.size() - 1) + " more warning(s)" : "") + ")");
        }
        return img;
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof InvalidInputException) throw (InvalidInputException) e;
      throw decodeError(file, e, "cannot decode the image");
    }
  }

  private static InvalidInputException decodeError(Path file, Exception e, String what) {
    if (e instanceof InvalidInputException) return (InvalidInputException) e;
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof java.io.EOFException) return new InvalidInputException(file + ": truncated image: the file ends before the image data does", e);
    }
    // the decoder's own words for I/O errors ("Error reading PNG image data"); the class too for a decoder bug
    String why = e instanceof IOException && e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName() + ": " + e.getMessage();
    return new InvalidInputException(file + ": " + what + " (" + SafeText.escape(why) + ")", e);
  }

  private static InvalidInputException ioError(Path file, IOException e) {
    if (e instanceof java.nio.file.NoSuchFileException) return new InvalidInputException(file + ": no such file", e);
    return new InvalidInputException(file + ": cannot read (" + e.getClass().getSimpleName() + ": " + SafeText.escape(String.valueOf(e.getMessage()))
        + ")", e);
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
