package dev.segloss.data.nifti;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segloss.core.InvalidInputException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9, items 3 and 4: a corrupt NIfTI file is an error naming it, never other voxels. Gzipped files
 * are read to the end of the stream (CRC-32 and ISIZE of every member checked, nothing after the last
 * member); vox_offset is a whole number, at least 352 in a single file; the data file has exactly the
 * length the header implies.
 */
class NiftiStrictTest {
  @TempDir Path dir;

  /** A uint8 label volume of 16x16x8 with two blobs: 1-bit flips in it change the mask visibly. */
  static double[] labels() {
    double[] v = new double[16 * 16 * 8];
    for (int z = 0; z < 8; z++) {
      for (int y = 0; y < 16; y++) {
        for (int x = 0; x < 16; x++) {
          boolean a = (x - 5) * (x - 5) + (y - 6) * (y - 6) + (z - 3) * (z - 3) < 12;
          boolean b = (x - 11) * (x - 11) + (y - 10) * (y - 10) < 6 && z > 2;
          v[(z * 16 + y) * 16 + x] = a ? 17 : b ? 53 : 0;
        }
      }
    }
    return v;
  }

  private Path labelFile(String name) throws IOException {
    return new NiftiTestWriter().dims(16, 16, 8).datatype(NiftiHeader.DT_UINT8).write(dir.resolve(name), labels());
  }

  private static String error(org.junit.jupiter.api.function.Executable e, Path file) {
    InvalidInputException x = assertThrows(InvalidInputException.class, e);
    String m = x.getMessage();
    assertTrue(m.contains(file.getFileName().toString()), "names the file: " + m);
    assertFalse(m.contains("\n"), "one line: " + m);
    return m;
  }

  private static float[] expected() {
    double[] d = labels();
    float[] f = new float[d.length];
    for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
    return f;
  }

  /** The reproducer: vox_offset 349..351 in a .nii was read shifted (17,293 instead of 23,489 voxels). */
  @Test
  void singleFileVoxOffsetBelow352IsRefused() throws IOException {
    Path f = labelFile("v.nii");
    assertArrayEquals(expected(), NiftiReader.read(f, 0).data(), "the unmutated file");
    byte[] good = Files.readAllBytes(f);
    for (int off = 349; off <= 351; off++) {
      byte[] b = good.clone();
      ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putFloat(108, off);
      Path g = dir.resolve("v" + off + ".nii");
      Files.write(g, b);
      assertEquals("NIfTI file " + g + ": has vox_offset " + off + ", expected at least 352 for a single-file NIfTI (the 348-byte header"
          + " and 4 extension bytes come first)", error(() -> NiftiReader.read(g, 0), g));
      // the same with the data really starting there (3..1 bytes cut out): still refused
      byte[] cut = new byte[b.length - (352 - off)];
      System.arraycopy(b, 0, cut, 0, off);
      System.arraycopy(b, 352, cut, off, b.length - 352);
      Files.write(g, cut);
      assertTrue(error(() -> NiftiReader.readHeader(g), g).contains("expected at least 352"));
    }
  }

  @Test
  void nonIntegralVoxOffsetIsRefused() throws IOException {
    for (float off : new float[] {352.5f, 400.25f, Float.NaN, -1f}) {
      NiftiTestWriter w = new NiftiTestWriter().dims(16, 16, 8).datatype(NiftiHeader.DT_UINT8);
      Path f = w.write(dir.resolve("o.nii"), labels());
      byte[] b = Files.readAllBytes(f);
      ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putFloat(108, off);
      Files.write(f, b);
      assertTrue(error(() -> NiftiReader.read(f, 0), f).contains("has an invalid vox_offset " + off + " (expected a whole"), "" + off);
    }
    // a pair's .img may start anywhere, but at a whole byte
    NiftiTestWriter pw = new NiftiTestWriter().dims(2, 2, 2);
    pw.pair = true;
    Path hdr = pw.write(dir.resolve("p.hdr"), new double[8]);
    byte[] h = Files.readAllBytes(hdr);
    ByteBuffer.wrap(h).order(ByteOrder.LITTLE_ENDIAN).putFloat(108, 0.5f);
    Files.write(hdr, h);
    assertTrue(error(() -> NiftiReader.read(hdr, 0), hdr).contains("invalid vox_offset 0.5"));
  }

  @Test
  void dataFileMustHaveExactlyTheLengthTheHeaderImplies() throws IOException {
    Path f = labelFile("len.nii");
    byte[] b = Files.readAllBytes(f);
    assertEquals(352 + 2048, b.length);
    Files.write(f, Arrays.copyOf(b, b.length + 3));
    assertEquals("NIfTI file " + f + ": 3 unexpected byte(s) after the voxel data: vox_offset 352 and 1 volume(s) of 16x16x8 uint8, sform"
        + " account for 2400 bytes, the file has 2403 (the header's dimensions or data type do not match the file)",
        error(() -> NiftiReader.read(f, 0), f));
    Files.write(f, Arrays.copyOf(b, b.length - 1));
    assertTrue(error(() -> NiftiReader.read(f, 0), f).contains("ends early: vox_offset 352 and 1 volume(s) of 16x16x8 uint8"));
    // gzipped: the decompressed length counts
    Path g = dir.resolve("len.nii.gz");
    Files.write(g, gzip(Arrays.copyOf(b, b.length + 5)));
    assertTrue(error(() -> NiftiReader.read(g, 0), g).contains("5 unexpected byte(s) after the voxel data"));
    // a wrong dim (one slice fewer) is caught by the length, not read as a smaller volume
    byte[] d = b.clone();
    ByteBuffer.wrap(d).order(ByteOrder.LITTLE_ENDIAN).putShort(46, (short) 7);
    Files.write(f, d);
    assertTrue(error(() -> NiftiReader.read(f, 0), f).contains("256 unexpected byte(s) after the voxel data"));
  }

  static byte[] gzip(byte[]... members) throws IOException {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    for (byte[] m : members) {
      ByteArrayOutputStream one = new ByteArrayOutputStream();
      try (GZIPOutputStream z = new GZIPOutputStream(one)) {
        z.write(m);
      }
      o.write(one.toByteArray());
    }
    return o.toByteArray();
  }

  /**
   * The reproducer: 52 of 80 one-bit flips inside the deflate data of a .nii.gz were accepted
   * with a different mask. Every one of 80 flips spread over the deflate data must now be an error (or,
   * should a flip not change what inflates, the very same voxels).
   */
  @Test
  void oneBitFlipsInTheDeflateDataAreErrors() throws IOException {
    byte[] nii = Files.readAllBytes(labelFile("src.nii"));
    byte[] gz = gzip(nii);
    float[] want = expected();
    int dataStart = 10;
    int dataEnd = gz.length - 8;
    int errors = 0;
    for (int k = 0; k < 80; k++) {
      byte[] b = gz.clone();
      int at = dataStart + (int) ((long) k * (dataEnd - dataStart) / 80);
      b[at] ^= (byte) (1 << (k % 8));
      Path f = dir.resolve("flip" + k + ".nii.gz");
      Files.write(f, b);
      try {
        assertArrayEquals(want, NiftiReader.read(f, 0).data(), "flip " + k + " at byte " + at + " gave other voxels");
      } catch (InvalidInputException e) {
        assertTrue(e.getMessage().startsWith("NIfTI file " + f + ": "), e.getMessage());
        errors++;
      }
    }
    assertTrue(errors >= 79, errors + " of 80 flips detected");
  }

  @Test
  void gzipTrailerMembersAndTrailingData() throws IOException {
    byte[] nii = Files.readAllBytes(labelFile("t.nii"));
    byte[] gz = gzip(nii);
    Path f = dir.resolve("t.nii.gz");
    // CRC-32 and ISIZE in the trailer
    byte[] crc = gz.clone();
    crc[gz.length - 8] ^= 1;
    Files.write(f, crc);
    assertTrue(error(() -> NiftiReader.read(f, 0), f).contains("gzip CRC-32 mismatch in member 1"));
    byte[] size = gz.clone();
    size[gz.length - 4] ^= 1;
    Files.write(f, size);
    assertTrue(error(() -> NiftiReader.read(f, 0), f).contains("gzip length mismatch in member 1"));
    // truncated inside the data and inside the trailer
    Files.write(f, Arrays.copyOf(gz, gz.length / 2));
    assertTrue(error(() -> NiftiReader.read(f, 0), f).contains("truncated gzip file"));
    Files.write(f, Arrays.copyOf(gz, gz.length - 3));
    assertTrue(error(() -> NiftiReader.read(f, 0), f).contains("truncated gzip file: it ends inside the trailer"));
    // concatenated members are one stream, as gzip -d reads them
    byte[] two = gzip(Arrays.copyOf(nii, 1000), Arrays.copyOfRange(nii, 1000, nii.length));
    Files.write(f, two);
    assertArrayEquals(expected(), NiftiReader.read(f, 0).data());
    // anything else after the last member is an error (gzip -d: "trailing garbage ignored"; GZIPInputStream: silence)
    Files.write(f, cat(gz, new byte[] {1, 2, 3}));
    assertTrue(error(() -> NiftiReader.read(f, 0), f).contains("3 byte(s) of trailing data after the end of the gzip stream, at byte offset "
        + gz.length));
    Files.write(f, cat(gz, new byte[8]));
    assertTrue(error(() -> NiftiReader.read(f, 0), f).contains("8 byte(s) of trailing data"));
    Files.write(f, cat(gz, new byte[] {0x1f}));
    assertTrue(error(() -> NiftiReader.read(f, 0), f).contains("1 byte(s) of trailing data"));
    // a second member whose header is broken
    byte[] bad = cat(gz, gzip(new byte[10]));
    bad[gz.length + 2] = 7;
    Files.write(f, bad);
    assertTrue(error(() -> NiftiReader.read(f, 0), f).contains("unsupported gzip compression method 7 in member 2"));
  }

  @Test
  void gzippedPairsAreCheckedToo() throws IOException {
    NiftiTestWriter pw = new NiftiTestWriter().dims(16, 16, 8).datatype(NiftiHeader.DT_UINT8);
    pw.pair = true;
    pw.gzip = true;
    Path hdr = pw.write(dir.resolve("p.hdr.gz"), labels());
    Path img = dir.resolve("p.img.gz");
    assertTrue(Files.exists(img));
    assertArrayEquals(expected(), NiftiReader.read(hdr, 0).data());
    byte[] h = Files.readAllBytes(hdr);
    h[h.length - 8] ^= 4; // the header file's CRC
    Files.write(hdr, h);
    assertTrue(error(() -> NiftiReader.readHeader(hdr), hdr).contains("gzip CRC-32 mismatch"));
    h[h.length - 8] ^= 4;
    Files.write(hdr, h);
    byte[] i = Files.readAllBytes(img);
    i[i.length / 2] ^= 0x10;
    Files.write(img, i);
    assertTrue(error(() -> NiftiReader.read(hdr, 0), img).contains("corrupt gzip data"));
  }

  static byte[] cat(byte[] a, byte[] b) {
    byte[] c = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }
}
