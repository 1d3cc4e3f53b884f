package dev.segloss.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segloss.core.InvalidInputException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9, items 2, 6 and 7: a corrupt, truncated or oversized image is a one-line error naming the
 * file, before anything is decoded where the header tells; never other pixels.
 */
class ImagesStrictTest {
  @TempDir Path dir;

  /** A 16x16 gray mask with 72 foreground pixels (the count): rows 2..9, columns 3..11. */
  static BufferedImage mask() {
    BufferedImage img = new BufferedImage(16, 16, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 2; y < 10; y++) for (int x = 3; x < 12; x++) img.getRaster().setSample(x, y, 0, 255);
    return img;
  }

  /** A 64x64 mask with scattered foreground: its deflate stream is long enough for flips to inflate to other rows. */
  static BufferedImage noisyMask() {
    BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_BYTE_GRAY);
    java.util.Random rnd = new java.util.Random(9);
    for (int y = 0; y < 64; y++) for (int x = 0; x < 64; x++) img.getRaster().setSample(x, y, 0, rnd.nextInt(50) == 0 ? 255 : 0);
    return img;
  }

  static byte[] encode(BufferedImage img, String format) throws IOException {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    assertTrue(ImageIO.write(img, format, o));
    return o.toByteArray();
  }

  /** A TIFF with the JDK's writer and the given compression ("ZLib", "Deflate", "LZW", "PackBits", null: none). */
  static byte[] tiff(BufferedImage img, String compression) throws IOException {
    ImageWriter w = ImageIO.getImageWritersByFormatName("tiff").next();
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    try (ImageOutputStream out = ImageIO.createImageOutputStream(o)) {
      w.setOutput(out);
      ImageWriteParam p = w.getDefaultWriteParam();
      if (compression == null) {
        p.setCompressionMode(ImageWriteParam.MODE_DISABLED);
      } else {
        p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        p.setCompressionType(compression);
      }
      w.write(null, new IIOImage(img, null, null), p);
    } finally {
      w.dispose();
    }
    return o.toByteArray();
  }

  private Path write(String name, byte[] b) throws IOException {
    Path f = dir.resolve(name);
    Files.write(f, b);
    return f;
  }

  private static String error(Path f) {
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> Images.read(f));
    assertTrue(e.getMessage().startsWith(f + ": "), "names the file: " + e.getMessage());
    assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    return e.getMessage();
  }

  private static long foreground(float[] v) {
    return java.util.stream.IntStream.range(0, v.length).filter(i -> v[i] > 0).count();
  }

  /** What the JDK's decoder alone makes of the bytes: the foreground count, or -1 when it refuses. */
  private static long jdkForeground(byte[] b) {
    try {
      BufferedImage img = ImageIO.read(new java.io.ByteArrayInputStream(b));
      if (img == null) return -1;
      return foreground(img.getRaster().getPixels(0, 0, img.getWidth(), img.getHeight(), (float[]) null));
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /**
   * The reproducer: a corrupted IDAT decoded to other pixels ("weights counted 67 foreground
   * pixels instead of 72"). The JDK's decoder alone still gives other pixels for some one-byte changes;
   * through {@link Images#read} every one is a CRC error.
   */
  @Test
  void corruptIdatIsACrcErrorNotOtherPixels() throws IOException {
    byte[] png = encode(noisyMask(), "png");
    long want = foreground(Images.read(write("m.png", png)).gray());
    assertEquals(want, jdkForeground(png));
    int idatData = 8 + 25 + 8; // signature, IHDR chunk, IDAT length and type (the JDK writes one IDAT here)
    assertEquals("IDAT", new String(png, idatData - 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1));
    int idatLen = ByteBuffer.wrap(png, idatData - 8, 4).getInt();
    boolean jdkGaveOtherPixels = false;
    try (ScratchFile f = new ScratchFile(dir.resolve("flip.png"))) {
      for (int k = 2; k < idatLen; k++) {
        for (int bit : new int[] {k % 8, (k + 3) % 8}) {
          byte[] b = png.clone();
          b[idatData + k] ^= (byte) (1 << bit);
          long jdk = jdkForeground(b);
          if (jdk >= 0 && jdk != want) jdkGaveOtherPixels = true;
          String m = error(f.write(b));
          assertTrue(m.contains(": corrupt PNG: CRC mismatch in chunk IDAT at byte offset 33"), m);
        }
      }
    }
    assertTrue(jdkGaveOtherPixels, "the reproducer: the JDK's decoder alone decodes some flips to other pixels");
  }

  /** Deleted bytes with the chunk's length and CRC made consistent again: only the zlib checks can tell. */
  @Test
  void deletedIdatBytesAreAZlibErrorEvenWithAValidCrc() throws IOException {
    byte[] png = encode(noisyMask(), "png");
    long want = jdkForeground(png);
    byte[] z = PngBytes.idat(png);
    boolean jdkGaveOtherPixels = false;
    try (ScratchFile f = new ScratchFile(dir.resolve("cut.png"))) {
      for (int k = 2; k < z.length; k++) {
        for (int n = 1; n <= 2 && k + n <= z.length; n++) {
          byte[] cut = new byte[z.length - n];
          System.arraycopy(z, 0, cut, 0, k);
          System.arraycopy(z, k + n, cut, k, z.length - k - n);
          byte[] b = PngBytes.withIdat(png, cut);
          long jdk = jdkForeground(b);
          if (jdk >= 0 && jdk != want) jdkGaveOtherPixels = true;
          String m = error(f.write(b));
          assertTrue(m.contains("corrupt PNG: the zlib stream in IDAT is") || m.contains("corrupt PNG: the IDAT data inflates to")
              || m.contains("corrupt PNG: invalid filter type"), m);
        }
      }
    }
    assertTrue(jdkGaveOtherPixels, "the JDK's decoder alone decodes some of these to other pixels");
    // the Adler-32 alone changed
    byte[] adler = z.clone();
    adler[adler.length - 1] ^= 1;
    assertTrue(error(write("adler.png", PngBytes.withIdat(png, adler))).contains("the zlib stream in IDAT is corrupt (Adler-32 checksum mismatch)"));
  }

  @Test
  void inflatedLengthFilterBytesAndZlibEndAreChecked() throws IOException {
    int[][] rows = new int[4][5];
    rows[1][2] = 200;
    byte[] ihdr = PngBytes.ihdr(5, 4, 8, 0, 0);
    List<PngBytes.Chunk> base = List.of(new PngBytes.Chunk("IHDR", ihdr));
    byte[] lines = PngBytes.scanlines(rows);
    Path ok = write("ok.png", build(ihdr, PngBytes.zlib(lines)));
    assertArrayEquals(new float[] {0, 0, 0, 0, 0, 0, 0, 200, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, Images.read(ok).gray());
    // one row short, one byte long: valid zlib streams of the wrong length
    String m = error(write("short.png", build(ihdr, PngBytes.zlib(Arrays.copyOf(lines, lines.length - 6)))));
    assertTrue(m.endsWith("corrupt PNG: the IDAT data inflates to 18 bytes, but the IHDR (5x4, 8-bit, colour type 0) implies 24"), m);
    m = error(write("long.png", build(ihdr, PngBytes.zlib(Arrays.copyOf(lines, lines.length + 1)))));
    assertTrue(m.contains("inflates to more than the 24 bytes the IHDR implies"), m);
    // a filter type that does not exist
    byte[] bad = lines.clone();
    bad[6] = 5;
    assertTrue(error(write("filter.png", build(ihdr, PngBytes.zlib(bad)))).contains("invalid filter type 5 at the start of row 1 (0 to 4)"));
    // bytes after the end of the zlib stream, inside IDAT
    byte[] z = PngBytes.zlib(lines);
    assertTrue(error(write("after.png", build(ihdr, Arrays.copyOf(z, z.length + 2)))).contains("2 byte(s) after the end of the zlib stream in IDAT"));
    // the stream split over two IDAT chunks is fine; split by another chunk it is not
    byte[] two = PngBytes.png(List.of(new PngBytes.Chunk("IHDR", ihdr), new PngBytes.Chunk("IDAT", Arrays.copyOf(z, 5)),
        new PngBytes.Chunk("IDAT", Arrays.copyOfRange(z, 5, z.length)), new PngBytes.Chunk("IEND", new byte[0])));
    assertArrayEquals(Images.read(ok).gray(), Images.read(write("two.png", two)).gray());
    byte[] split = PngBytes.png(List.of(new PngBytes.Chunk("IHDR", ihdr), new PngBytes.Chunk("IDAT", Arrays.copyOf(z, 5)),
        new PngBytes.Chunk("tEXt", "a\0b".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)),
        new PngBytes.Chunk("IDAT", Arrays.copyOfRange(z, 5, z.length)), new PngBytes.Chunk("IEND", new byte[0])));
    assertTrue(error(write("split.png", split)).contains("the zlib stream in IDAT is incomplete"));
    assertEquals(1, base.size());
  }

  private static byte[] build(byte[] ihdr, byte[] idat, PngBytes.Chunk... extra) {
    List<PngBytes.Chunk> c = new ArrayList<>();
    c.add(new PngBytes.Chunk("IHDR", ihdr));
    c.addAll(Arrays.asList(extra));
    c.add(new PngBytes.Chunk("IDAT", idat));
    c.add(new PngBytes.Chunk("IEND", new byte[0]));
    return PngBytes.png(c);
  }

  @Test
  void chunkStructureIsChecked() throws IOException {
    byte[] png = encode(mask(), "png");
    float[] want = Images.read(write("m.png", png)).gray();
    // nothing after IEND
    assertTrue(error(write("after.png", Arrays.copyOf(png, png.length + 3))).contains("3 byte(s) after the IEND chunk, from byte offset " + png.length));
    // IEND missing: the file ends
    assertTrue(error(write("noend.png", Arrays.copyOf(png, png.length - 12))).contains("truncated PNG: no IEND chunk"));
    // unknown critical chunk refused; unknown ancillary chunk skipped
    List<PngBytes.Chunk> c = new ArrayList<>(PngBytes.chunks(png));
    c.add(1, new PngBytes.Chunk("ABCD", new byte[3]));
    assertTrue(error(write("crit.png", PngBytes.png(c))).contains("unknown critical chunk 'ABCD' at byte offset 33"));
    c.set(1, new PngBytes.Chunk("abCd", new byte[3]));
    assertArrayEquals(want, Images.read(write("anc.png", PngBytes.png(c))).gray());
    // chunk type letters
    c.set(1, new PngBytes.Chunk("ab1d", new byte[3]));
    assertTrue(error(write("type.png", PngBytes.png(c))).contains("invalid chunk type 'ab1d'"));
    // tRNS after IDAT would be ignored by the JDK (no alpha channel): refused
    c = new ArrayList<>(PngBytes.chunks(png));
    c.add(c.size() - 1, new PngBytes.Chunk("tRNS", new byte[] {0, 0}));
    assertTrue(error(write("trns.png", PngBytes.png(c))).contains("tRNS after IDAT"));
    // a palette in a gray image; a bad IHDR
    c = new ArrayList<>(PngBytes.chunks(png));
    c.add(1, new PngBytes.Chunk("PLTE", new byte[6]));
    assertTrue(error(write("plte.png", PngBytes.png(c))).contains("a PLTE chunk in a gray image"));
    c = new ArrayList<>(PngBytes.chunks(png));
    c.set(0, new PngBytes.Chunk("IHDR", PngBytes.ihdr(16, 16, 3, 0, 0)));
    assertTrue(error(write("depth.png", PngBytes.png(c))).contains("IHDR bit depth 3 is invalid for colour type 0"));
    // a palette image without PLTE
    c = new ArrayList<>(PngBytes.chunks(png));
    c.set(0, new PngBytes.Chunk("IHDR", PngBytes.ihdr(16, 16, 8, 3, 0)));
    assertTrue(error(write("nopal.png", PngBytes.png(c))).contains("a palette image without a PLTE chunk"));
    // a CRC error in IHDR is found before anything else
    byte[] h = png.clone();
    h[20] ^= 1;
    assertTrue(error(write("ihdr.png", h)).contains("CRC mismatch in chunk IHDR at byte offset 8"));
  }

  /** Issue 9, item 7 (and the same for every format): a truncated file says so. */
  @Test
  void truncatedFilesSaySo() throws IOException {
    byte[] bmp = encode(mask(), "bmp");
    Path f = write("t.bmp", Arrays.copyOf(bmp, bmp.length - 10));
    assertEquals(f + ": truncated BMP: the header declares " + bmp.length + " bytes, the file has " + (bmp.length - 10), error(f));
    // without the declared size (0 is allowed), the pixel data's extent tells
    byte[] noSize = Arrays.copyOf(bmp, bmp.length - 10);
    ByteBuffer.wrap(noSize).order(ByteOrder.LITTLE_ENDIAN).putInt(2, 0);
    f = write("t0.bmp", noSize);
    int offset = ByteBuffer.wrap(bmp).order(ByteOrder.LITTLE_ENDIAN).getInt(10);
    assertEquals(f + ": truncated BMP: the pixel data needs 256 bytes from byte offset " + offset + " (16 rows of 16), the file ends after 246",
        error(f));
    assertTrue(error(write("t1.bmp", Arrays.copyOf(bmp, 30))).contains("truncated BMP"));
    byte[] png = encode(mask(), "png");
    for (int cut : new int[] {4, 20, 40, png.length - 5}) {
      assertTrue(error(write("t.png", Arrays.copyOf(png, cut))).contains("truncated PNG"), "cut at " + cut);
    }
    byte[] tif = tiff(mask(), null);
    assertTrue(error(write("t.tif", Arrays.copyOf(tif, tif.length - 40))).contains("truncated TIFF"));
    byte[] jpg = encode(noisyMask(), "jpeg");
    assertTrue(error(write("t.jpg", Arrays.copyOf(jpg, jpg.length * 2 / 3))).endsWith("truncated JPEG: the file has no end-of-image marker (FF D9)"));
    // cut inside the scan but ended with FF D9: the decoder's warning ("premature end of data segment") is an error
    byte[] cut = Arrays.copyOf(jpg, jpg.length * 2 / 3 + 2);
    cut[cut.length - 2] = (byte) 0xff;
    cut[cut.length - 1] = (byte) 0xd9;
    String m = error(write("t2.jpg", cut));
    assertTrue(m.contains("corrupt or truncated image data (the decoder warns: "), m);
  }

  @Test
  void bmpHeadersMustAgreeWithTheFile() throws IOException {
    byte[] bmp = encode(mask(), "bmp");
    float[] want = Images.read(write("m.bmp", bmp)).gray();
    assertEquals(72, foreground(want));
    // a longer file than the header declares (bytes inserted or appended)
    assertTrue(error(write("long.bmp", Arrays.copyOf(bmp, bmp.length + 2))).contains("2 byte(s) after the end the header declares"));
    // the pixel data offset inside the palette
    byte[] off = bmp.clone();
    ByteBuffer.wrap(off).order(ByteOrder.LITTLE_ENDIAN).putInt(10, 60);
    assertTrue(error(write("off.bmp", off)).contains("the pixel data offset 60 lies inside the headers and palette"));
    // planes, bit count, compression
    byte[] planes = bmp.clone();
    planes[26] = 2;
    assertTrue(error(write("planes.bmp", planes)).contains("2 planes, expected 1"));
    byte[] bits = bmp.clone();
    bits[28] = 7;
    assertTrue(error(write("bits.bmp", bits)).contains("7 bits per pixel is invalid"));
    byte[] comp = bmp.clone();
    comp[30] = 9;
    assertTrue(error(write("comp.bmp", comp)).contains("unknown compression 9"));
    // a smaller height reads the first rows as a smaller image unless the declared image size or the file end tell
    byte[] lower = bmp.clone();
    ByteBuffer.wrap(lower).order(ByteOrder.LITTLE_ENDIAN).putInt(22, 15);
    assertTrue(error(write("lower.bmp", lower)).contains("the declared image size of 256 bytes holds more rows than the header's 15 rows of 16 bytes"));
    ByteBuffer.wrap(lower).order(ByteOrder.LITTLE_ENDIAN).putInt(34, 0);
    assertTrue(error(write("lower0.bmp", lower)).contains("256 bytes of pixel data hold more rows than the header's 15 rows of 16 bytes"));
  }

  @Test
  void rleBmpIsWalked() throws IOException {
    BufferedImage img = new BufferedImage(16, 16, BufferedImage.TYPE_BYTE_INDEXED);
    for (int y = 2; y < 10; y++) for (int x = 3; x < 12; x++) img.getRaster().setSample(x, y, 0, 1);
    ImageWriter w = ImageIO.getImageWritersByFormatName("bmp").next();
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    try (ImageOutputStream out = ImageIO.createImageOutputStream(o)) {
      w.setOutput(out);
      ImageWriteParam p = w.getDefaultWriteParam();
      p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      p.setCompressionType("BI_RLE8");
      w.write(null, new IIOImage(img, null, null), p);
    } finally {
      w.dispose();
    }
    byte[] bmp = o.toByteArray();
    assertEquals(1, ByteBuffer.wrap(bmp).order(ByteOrder.LITTLE_ENDIAN).getInt(30), "RLE8");
    assertEquals(72, foreground(Images.read(write("rle.bmp", bmp)).gray()));
    int data = ByteBuffer.wrap(bmp).order(ByteOrder.LITTLE_ENDIAN).getInt(10);
    int size = ByteBuffer.wrap(bmp).order(ByteOrder.LITTLE_ENDIAN).getInt(34);
    // no end-of-bitmap code: the last two bytes (00 01) changed to an end-of-line
    byte[] noEnd = bmp.clone();
    noEnd[data + size - 1] = 0;
    assertTrue(error(write("noend.bmp", noEnd)).contains("truncated BMP: the RLE data ends without the end-of-bitmap code"));
    // a run longer than the row
    byte[] run = bmp.clone();
    run[data] = (byte) 200;
    assertTrue(error(write("run.bmp", run)).contains("an RLE run beyond the image at byte offset " + data));
  }

  @Test
  void tiffStripsAreChecked() throws IOException {
    float[] want = Images.read(write("m.png", encode(mask(), "png"))).gray();
    for (String comp : new String[] {null, "ZLib", "Deflate", "LZW", "PackBits"}) {
      byte[] t = tiff(mask(), comp);
      Path f = write("m.tif", t);
      assertArrayEquals(want, Images.read(f).gray(), "compression " + comp);
      TiffCheck.Info in = TiffCheck.readHeader(f);
      long off = in.offsets[0];
      long count = in.counts[0];
      // half the strip's bytes in StripByteCounts: a short strip, whatever the compression
      byte[] shorter = patchCount(t, f, count / 2);
      String m = error(write("short.tif", shorter));
      assertTrue(m.contains("corrupt TIFF: strip 0"), comp + ": " + m);
      if ("ZLib".equals(comp) || "Deflate".equals(comp)) {
        // any changed byte of a Deflate strip: the Adler-32 (or the stream itself) tells
        try (ScratchFile s = new ScratchFile(dir.resolve("flip.tif"))) {
          for (long k = 2; k < count; k++) {
            byte[] b = t.clone();
            b[(int) (off + k)] ^= 0x10;
            String e = error(s.write(b));
            assertTrue(e.contains("corrupt TIFF: strip 0"), e);
          }
        }
      }
    }
    // a strip that lies beyond the end of the file
    byte[] t = tiff(mask(), null);
    Path f = write("u.tif", t);
    TiffCheck.Info in = TiffCheck.readHeader(f);
    assertTrue(error(write("beyond.tif", patchCount(t, f, in.counts[0] + 100000))).contains("truncated TIFF: strip 0"));
  }

  /** The file with the first StripByteCounts value replaced. */
  private static byte[] patchCount(byte[] t, Path parsed, long value) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(t.clone()).order(t[0] == 'I' ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
    int ifd = b.getInt(4);
    int n = b.getShort(ifd) & 0xffff;
    for (int k = 0; k < n; k++) {
      int e = ifd + 2 + 12 * k;
      if ((b.getShort(e) & 0xffff) != 279) continue;
      int type = b.getShort(e + 2);
      long cnt = b.getInt(e + 4) & 0xffffffffL;
      int pos = cnt * (type == 3 ? 2 : 4) <= 4 ? e + 8 : b.getInt(e + 8);
      if (type == 3) b.putShort(pos, (short) value);
      else b.putInt(pos, (int) value);
      return b.array();
    }
    throw new AssertionError("no StripByteCounts in " + parsed);
  }

  /**
   * Issue 9, item 6: a 30000x30000 PNG (the file was 875 KB) and a 20000x20000 16-bit one are
   * refused from their headers, before any pixel is decoded (these files hold no pixel data at all, so
   * decoding would fail differently).
   */
  @Test
  void hugeImagesAreRefusedFromTheHeaderBeforeDecoding() throws IOException {
    Path big = write("big.png", build(PngBytes.ihdr(30000, 30000, 8, 0, 0), new byte[0]));
    assertEquals(30000, Images.probe(big).width());
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> Images.read(big, 1L << 30));
    assertEquals(big + ": a 30000x30000 8-bit gray image needs about 10.9 GiB of memory to decode but only 1.0 GiB is available (the given"
        + " budget); use a smaller image", e.getMessage());
    Path deep = write("deep.png", build(PngBytes.ihdr(20000, 20000, 16, 0, 0), new byte[0]));
    e = assertThrows(InvalidInputException.class, () -> Images.read(deep, 1L << 30));
    assertTrue(e.getMessage().contains("a 20000x20000 16-bit gray image needs about 5.2 GiB"), e.getMessage());
    // with the default budget (80 % of the free heap): an image no test heap holds
    Path huge = write("huge.png", build(PngBytes.ihdr(46000, 46000, 16, 0, 0), new byte[0]));
    String m = error(huge);
    assertTrue(m.contains("a 46000x46000 16-bit gray image needs about 27.6 GiB of memory to decode") && m.contains("% of the free JVM heap"), m);
    // more samples than a Java array holds
    Path wide = write("wide.png", build(PngBytes.ihdr(50000, 50000, 8, 2, 0), new byte[0]));
    assertTrue(error(wide).contains("a 50000x50000 8-bit RGB image has 7500000000 samples, more than a Java array holds"));
    // the same from BMP and TIFF headers
    byte[] bmp = encode(mask(), "bmp");
    ByteBuffer.wrap(bmp).order(ByteOrder.LITTLE_ENDIAN).putInt(18, 30000).putInt(22, 30000);
    InvalidInputException eb = assertThrows(InvalidInputException.class, () -> Images.read(write("big.bmp", bmp), 1L << 30));
    assertTrue(eb.getMessage().contains("a 30000x30000 8-bit gray image needs about"), eb.getMessage());
  }
}
