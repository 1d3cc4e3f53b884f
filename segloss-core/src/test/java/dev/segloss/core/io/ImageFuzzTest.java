package dev.segloss.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segloss.core.InvalidInputException;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9 fuzz tests for the image readers: seeded mutations of valid PNG, BMP and TIFF files must give
 * either a one-line {@link InvalidInputException} naming the file, or identical decoded pixels (raw
 * samples, size, channels, bit depth). Never another exception, never a hang (the timeout).
 *
 * <p>PNG protects every byte (chunk CRCs, zlib Adler-32, exact lengths), so every mutation anywhere
 * counts. BMP and uncompressed TIFF samples have no checksum: a changed pixel byte is a valid file with
 * that one pixel changed, which is what the test then expects (and nothing else changed). Header fields
 * that are content rather than structure (BMP resolution and "important colours"; TIFF photometric
 * interpretation, resolution and its unit) can take other valid values that the format has no way to
 * tell from the original, so single-byte changes there are not drawn; nor is the BMP width, whose low
 * bits can move inside the row padding unnoticed (a 16-pixel row of 8-bit pixels and a 15-pixel one have
 * the same stride). Insertions, deletions, truncations, appended and copied bytes are drawn everywhere.
 */
class ImageFuzzTest {
  static final int MUTATIONS = 1400;

  @TempDir Path dir;

  /** A gray mask with scattered foreground, a gradient and an RGB picture: the bases. */
  static BufferedImage gray(int w, int h, long seed) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
    Random r = new Random(seed);
    for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) img.getRaster().setSample(x, y, 0, r.nextInt(6) == 0 ? 255 : 0);
    return img;
  }

  static BufferedImage rgb(int w, int h, long seed) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
    Random r = new Random(seed);
    for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) img.setRGB(x, y, r.nextInt(1 << 24));
    return img;
  }

  static BufferedImage gray16(int w, int h) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_USHORT_GRAY);
    for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) img.getRaster().setSample(x, y, 0, (x * 4099 + y * 977) & 0xffff);
    return img;
  }

  static BufferedImage palette(int w, int h) {
    byte[] c = new byte[4];
    for (int i = 0; i < 4; i++) c[i] = (byte) (i * 80);
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(2, 4, c, c, c));
    for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) img.getRaster().setSample(x, y, 0, (x + 2 * y) % 4);
    return img;
  }

  /** The decoded pixels compared by the test: size, channels, bit depth, raw samples. */
  record Pixels(int h, int w, int c, int bits, float[] raw) {
    static Pixels of(ImageData d) {
      return new Pixels(d.height(), d.width(), d.channels(), d.bitDepth(), d.raw());
    }

    void assertSame(Pixels o, String what) {
      assertEquals(h + "x" + w + "x" + c + " " + bits, o.h + "x" + o.w + "x" + o.c + " " + o.bits, what);
      assertArrayEquals(raw, o.raw, what);
    }
  }

  /**
   * Runs the mutations of one base file; a same-length mutation that changes a byte {@code skip} names is
   * not drawn, nor one that inserts or deletes bytes where {@code skipShift} says; {@code sampleAt} maps a
   * byte of uncompressed samples to its sample index (else -1).
   */
  private int[] fuzz(ScratchFile f, byte[] base, Random r, int focusTo, java.util.function.IntPredicate skip,
      java.util.function.IntPredicate skipShift, java.util.function.IntUnaryOperator sampleAt) throws IOException {
    Pixels want = Pixels.of(Images.read(f.write(base)));
    int errors = 0;
    int read = 0;
    for (int k = 0; k < MUTATIONS; k++) {
      Mutator.Mutation m = Mutator.mutate(base, r, 0, focusTo);
      // the bytes a same-length mutation changed: none of them may be a content field; samples are expected to change
      List<Integer> changed = new ArrayList<>();
      if (m.bytes().length == base.length) {
        for (int i = 0; i < base.length; i++) if (base[i] != m.bytes()[i]) changed.add(i);
        if (changed.stream().anyMatch(skip::test)) continue;
      } else if (skipShift.test(m.pos())) {
        continue;
      }
      f.write(m.bytes());
      ImageData d;
      try {
        d = Images.read(f.path());
      } catch (InvalidInputException e) {
        assertTrue(e.getMessage().startsWith(f.path() + ": "), m + ": names the file: " + e.getMessage());
        assertFalse(e.getMessage().contains("\n"), m + ": one line: " + e.getMessage());
        errors++;
        continue;
      } catch (RuntimeException | Error e) {
        throw new AssertionError(m + ": " + e, e);
      }
      read++;
      float[] expected = want.raw.clone();
      for (int pos : changed) {
        int sample = sampleAt == null ? -1 : sampleAt.applyAsInt(pos);
        if (sample >= 0) expected[sample] = m.bytes()[pos] & 0xff; // an uncompressed sample byte: that sample holds the new byte
      }
      new Pixels(want.h, want.w, want.c, want.bits, expected).assertSame(Pixels.of(d), m + " gave other pixels (changed bytes " + changed + ")");
    }
    return new int[] {errors, read};
  }

  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void mutatedPngsAreAnErrorOrTheSamePixels() throws IOException {
    Random r = new Random(7);
    List<byte[]> bases = new ArrayList<>();
    bases.add(ImagesStrictTest.encode(gray(24, 20, 3), "png"));
    bases.add(ImagesStrictTest.encode(rgb(12, 10, 4), "png"));
    bases.add(ImagesStrictTest.encode(gray16(9, 7), "png"));
    bases.add(ImagesStrictTest.encode(palette(10, 6), "png"));
    // interlaced, with an ancillary chunk and the zlib stream split over three IDAT chunks
    int[][] rows = new int[11][13];
    for (int y = 0; y < 11; y++) for (int x = 0; x < 13; x++) rows[y][x] = (x * 37 + y * 11) & 0xff;
    byte[] adam7 = adam7Gray8(rows);
    byte[] z = PngBytes.zlib(adam7);
    int third = z.length / 3;
    bases.add(PngBytes.png(List.of(new PngBytes.Chunk("IHDR", PngBytes.ihdr(13, 11, 8, 0, 1)),
        new PngBytes.Chunk("tEXt", "Comment\0fuzz".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)),
        new PngBytes.Chunk("IDAT", java.util.Arrays.copyOf(z, third)), new PngBytes.Chunk("IDAT", java.util.Arrays.copyOfRange(z, third, 2 * third)),
        new PngBytes.Chunk("IDAT", java.util.Arrays.copyOfRange(z, 2 * third, z.length)), new PngBytes.Chunk("IEND", new byte[0]))));
    int errors = 0;
    int read = 0;
    try (ScratchFile f = new ScratchFile(dir.resolve("fuzz.png"))) {
      for (byte[] b : bases) {
        int[] n = fuzz(f, b, r, 64, pos -> false, pos -> false, null);
        errors += n[0];
        read += n[1];
      }
    }
    assertTrue(errors > 0.9 * (errors + read), errors + " errors, " + read + " read");
  }

  /** Raw Adam7 scanlines (filter 0) of a gray 8-bit image. */
  static byte[] adam7Gray8(int[][] px) {
    int h = px.length;
    int w = px[0].length;
    int[][] p = {{0, 0, 8, 8}, {4, 0, 8, 8}, {0, 4, 4, 8}, {2, 0, 4, 4}, {0, 2, 2, 4}, {1, 0, 2, 2}, {0, 1, 1, 2}};
    java.io.ByteArrayOutputStream o = new java.io.ByteArrayOutputStream();
    for (int[] q : p) {
      if (w <= q[0] || h <= q[1]) continue;
      for (int y = q[1]; y < h; y += q[3]) {
        o.write(0);
        for (int x = q[0]; x < w; x += q[2]) o.write(px[y][x]);
      }
    }
    return o.toByteArray();
  }

  @Test
  void interlacedPngBaseDecodesAsWritten() throws IOException {
    int[][] rows = new int[11][13];
    float[] want = new float[11 * 13];
    for (int y = 0; y < 11; y++) {
      for (int x = 0; x < 13; x++) {
        rows[y][x] = (x * 37 + y * 11) & 0xff;
        want[y * 13 + x] = rows[y][x];
      }
    }
    byte[] png = PngBytes.png(List.of(new PngBytes.Chunk("IHDR", PngBytes.ihdr(13, 11, 8, 0, 1)),
        new PngBytes.Chunk("IDAT", PngBytes.zlib(adam7Gray8(rows))), new PngBytes.Chunk("IEND", new byte[0])));
    try (ScratchFile f = new ScratchFile(dir.resolve("i.png"))) {
      assertArrayEquals(want, Images.read(f.write(png)).raw());
    }
  }

  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void mutatedBmpsAreAnErrorOrTheSamePixelsButTheChangedOne() throws IOException {
    Random r = new Random(11);
    int errors = 0;
    int read = 0;
    try (ScratchFile f = new ScratchFile(dir.resolve("fuzz.bmp"))) {
      for (BufferedImage img : new BufferedImage[] {gray(16, 12, 5), rgb(10, 6, 6)}) {
        byte[] b = ImagesStrictTest.encode(img, "bmp");
        ByteBuffer h = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int offset = h.getInt(10);
        int w = h.getInt(18);
        int ht = h.getInt(22);
        int bits = h.getShort(28);
        int channels = bits == 8 ? 1 : 3;
        int stride = (w * bits + 31) / 32 * 4;
        // width, resolution and "important colours": content the format cannot check (see the class comment)
        java.util.function.IntPredicate skip = pos -> (pos >= 18 && pos < 22) || (pos >= 38 && pos < 46) || (pos >= 50 && pos < 54);
        java.util.function.IntUnaryOperator sample = pos -> {
          if (pos < offset || pos >= offset + stride * ht) return -1;
          int row = (pos - offset) / stride;
          int col = (pos - offset) % stride;
          if (col >= w * channels) return -2; // row padding: no sample
          int y = ht - 1 - row; // bottom-up
          int x = col / channels;
          int c = channels == 1 ? 0 : 2 - col % 3; // stored B, G, R
          return (y * w + x) * channels + c;
        };
        int[] n = fuzz(f, b, r, offset, skip, pos -> false, pos -> {
          int s = sample.applyAsInt(pos);
          return s == -2 ? -1 : s;
        });
        errors += n[0];
        read += n[1];
      }
    }
    assertTrue(errors > 100 && read > 100, errors + " errors, " + read + " read");
  }

  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void mutatedTiffsAreAnErrorOrTheSamePixels() throws IOException {
    Random r = new Random(13);
    int errors = 0;
    int read = 0;
    try (ScratchFile f = new ScratchFile(dir.resolve("fuzz.tif"))) {
      for (String comp : new String[] {"ZLib", "Deflate", "PackBits", "LZW"}) {
        byte[] b = ImagesStrictTest.tiff(gray(20, 14, 8), comp);
        List<int[]> content = contentRanges(b);
        java.util.function.IntPredicate skip = pos -> content.stream().anyMatch(q -> pos >= q[0] && pos < q[1]);
        // PackBits and LZW have no checksum: a changed code byte, or data shifted under the strip offset by an
        // insertion or deletion before the strip's end, can decode to other samples of the right length; so
        // for them only the structure (IFD, strip extents and lengths) is fuzzed, not the data bytes
        int stripFrom = (int) TiffCheck.readHeader(f.write(b)).offsets[0];
        int stripTo = stripFrom + (int) TiffCheck.readHeader(f.path()).counts[0];
        boolean checksummed = comp.equals("ZLib") || comp.equals("Deflate");
        java.util.function.IntPredicate skipAll = checksummed ? skip : skip.or(pos -> pos >= stripFrom && pos < stripTo);
        java.util.function.IntPredicate skipShift = checksummed ? pos -> false : pos -> pos < stripTo;
        int[] n = fuzz(f, b, r, b.length, skipAll, skipShift, null);
        errors += n[0];
        read += n[1];
      }
    }
    assertTrue(errors > 100 && read > 20, errors + " errors, " + read + " read");
  }

  /**
   * Byte ranges of the first IFD's content fields (photometric interpretation 262, resolutions 282/283,
   * resolution unit 296, and any tag segloss does not check): the 12-byte entries and the values they
   * point to.
   */
  static List<int[]> contentRanges(byte[] t) {
    ByteBuffer b = ByteBuffer.wrap(t).order(t[0] == 'I' ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
    int ifd = b.getInt(4);
    int n = b.getShort(ifd) & 0xffff;
    java.util.Set<Integer> structural = java.util.Set.of(256, 257, 258, 259, 273, 277, 278, 279, 284, 339);
    int[] size = {0, 1, 1, 2, 4, 8, 1, 1, 2, 4, 8, 4, 8};
    List<int[]> out = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      int e = ifd + 2 + 12 * k;
      int tag = b.getShort(e) & 0xffff;
      if (structural.contains(tag)) continue;
      out.add(new int[] {e, e + 12});
      int type = b.getShort(e + 2);
      long bytes = (long) b.getInt(e + 4) * (type > 0 && type < size.length ? size[type] : 1);
      if (bytes > 4) out.add(new int[] {b.getInt(e + 8), (int) (b.getInt(e + 8) + bytes)});
    }
    return out;
  }
}
