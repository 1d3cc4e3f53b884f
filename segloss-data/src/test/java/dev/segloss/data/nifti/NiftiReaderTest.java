package dev.segloss.data.nifti;

import static dev.segloss.data.Messages.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segloss.core.InvalidInputException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NiftiReaderTest {
  @TempDir Path dir;

  static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
  static final ByteOrder BE = ByteOrder.BIG_ENDIAN;

  /** (datatype, byte order, file name, values written, expected values read). */
  static Stream<Arguments> roundTrips() {
    double[] small = {0, 1, 2, 127, 200, 255, 3, 4, 5, 6, 7, 8};
    double[] signed = {-32768, -1, 0, 1, 32767, 1000, -1000, 7, 8, 9, 10, 11};
    double[] big = {-2147483648.0, -5, 0, 5, 16777216, 2147483647.0, 1, 2, 3, 4, 5, 6};
    double[] floats = {-1.5, 0, 0.25, 3.14159, 1e-3, -2e5, 1, 2, 3, 4, 5, 6};
    return Stream.of(
        Arguments.of(NiftiHeader.DT_UINT8, LE, "u8.nii", small, small),
        Arguments.of(NiftiHeader.DT_UINT8, BE, "u8be.nii.gz", small, small),
        Arguments.of(NiftiHeader.DT_INT8, LE, "i8.nii", new double[] {-128, -1, 0, 1, 127, 5, 6, 7, 8, 9, 10, 11},
            new double[] {-128, -1, 0, 1, 127, 5, 6, 7, 8, 9, 10, 11}),
        Arguments.of(NiftiHeader.DT_INT16, LE, "i16.nii.gz", signed, signed),
        Arguments.of(NiftiHeader.DT_INT16, BE, "i16be.nii", signed, signed),
        Arguments.of(NiftiHeader.DT_UINT16, BE, "u16.nii", new double[] {0, 65535, 40000, 1, 2, 3, 4, 5, 6, 7, 8, 9},
            new double[] {0, 65535, 40000, 1, 2, 3, 4, 5, 6, 7, 8, 9}),
        Arguments.of(NiftiHeader.DT_INT32, LE, "i32.nii", big, big),
        Arguments.of(NiftiHeader.DT_INT32, BE, "i32be.nii.gz", big, big),
        Arguments.of(NiftiHeader.DT_UINT32, LE, "u32.nii", new double[] {4294967295.0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10},
            new double[] {4294967295.0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}),
        Arguments.of(NiftiHeader.DT_INT64, BE, "i64.nii", big, big),
        Arguments.of(NiftiHeader.DT_FLOAT32, LE, "f32.nii.gz", floats, floats),
        Arguments.of(NiftiHeader.DT_FLOAT32, BE, "f32be.nii", floats, floats),
        Arguments.of(NiftiHeader.DT_FLOAT64, BE, "f64.nii.gz", floats, floats),
        Arguments.of(NiftiHeader.DT_RGB24, LE, "rgb.nii", new double[] {0xFF0000, 0x00FF00, 0x0000FF, 0xFFFFFF, 0, 0, 0, 0, 0, 0, 0, 0},
            new double[] {0.299 * 255, 0.587 * 255, 0.114 * 255, 255, 0, 0, 0, 0, 0, 0, 0, 0}));
  }

  @ParameterizedTest
  @MethodSource("roundTrips")
  void readsEveryDatatypeAndByteOrder(int datatype, ByteOrder order, String name, double[] values, double[] expected)
      throws Exception {
    Path p = new NiftiTestWriter().dims(2, 3, 2).datatype(datatype).order(order).write(dir.resolve(name), values);
    NiftiVolume v = NiftiReader.read(p, 0);
    assertEquals(order, v.header().byteOrder());
    assertEquals(2, v.nx());
    assertEquals(3, v.ny());
    assertEquals(2, v.nz());
    for (int i = 0; i < expected.length; i++) {
      assertEquals((float) expected[i], v.data()[i], Math.abs(expected[i]) * 1e-6 + 1e-3, name + " voxel " + i);
    }
    // voxel order: i fastest
    assertEquals(v.data()[1 + 2 * (2 + 3 * 1)], v.get(1, 2, 1));
  }

  @Test
  void appliesSlopeAndInterceptUnlessSlopeIsZero() throws Exception {
    double[] raw = {0, 1, 2, 3, -4, 100};
    Path p = new NiftiTestWriter().dims(6, 1, 1).datatype(NiftiHeader.DT_INT16).scale(0.5f, -3f).write(dir.resolve("s.nii"), raw);
    assertArrayEquals(new float[] {-3, -2.5f, -2, -1.5f, -5, 47}, NiftiReader.read(p, 0).data());
    Path q = new NiftiTestWriter().dims(6, 1, 1).datatype(NiftiHeader.DT_INT16).scale(0f, 5f).write(dir.resolve("z.nii"), raw);
    assertArrayEquals(new float[] {0, 1, 2, 3, -4, 100}, NiftiReader.read(q, 0).data());
  }

  @Test
  void headerImagePairsAndExtensionsAndFrames() throws Exception {
    double[] vals = new double[2 * 2 * 2 * 3];
    for (int i = 0; i < vals.length; i++) vals[i] = i * 10;
    NiftiTestWriter w = new NiftiTestWriter().dims(2, 2, 2, 3).datatype(NiftiHeader.DT_INT16);
    w.pair = true;
    Path hdr = w.write(dir.resolve("pair.hdr"), vals);
    assertTrue(Files.exists(dir.resolve("pair.img")));
    NiftiVolume f2 = NiftiReader.read(hdr, 2);
    assertEquals(3, f2.header().frames());
    assertEquals(160f, f2.data()[0]);
    assertEquals(230f, f2.data()[7]);

    NiftiTestWriter e = new NiftiTestWriter().dims(2, 2, 2).datatype(NiftiHeader.DT_UINT8);
    e.extensionBytes = 48;
    Path ext = e.write(dir.resolve("ext.nii.gz"), new double[] {9, 8, 7, 6, 5, 4, 3, 2});
    assertArrayEquals(new float[] {9, 8, 7, 6, 5, 4, 3, 2}, NiftiReader.read(ext, 0).data());
  }

  @Test
  void affineFromSformThenQformThenPixdim() throws Exception {
    NiftiTestWriter w = new NiftiTestWriter().dims(2, 2, 2);
    w.sformCode = 2;
    w.srow = new float[][] {{-2, 0, 0, 90}, {0, 2, 0, -126}, {0, 0, 2, -72}};
    w.qformCode = 1; // ignored: the sform wins
    w.quatern = new float[] {0, 0, (float) Math.sqrt(0.5)};
    NiftiHeader s = NiftiReader.readHeader(w.write(dir.resolve("s.nii"), new double[8]));
    assertEquals("sform", s.affineSource());
    assertArrayEquals(new double[] {-2, 0, 0, 90}, s.affine()[0], 0);
    assertArrayEquals(new double[] {0, 0, 2, -72}, s.affine()[2], 0);

    // qform: 90 degrees about z (b = c = 0, d = sin 45), voxel sizes 2, 3, 4, qfac -1, offset (1, 2, 3)
    w.sformCode = 0;
    w.pixdim = new float[] {-1, 2, 3, 4, 1, 1, 1, 1};
    w.qoffset = new float[] {1, 2, 3};
    NiftiHeader q = NiftiReader.readHeader(w.write(dir.resolve("q.nii"), new double[8]));
    assertEquals("qform", q.affineSource());
    double[][] a = q.affine();
    double[][] expected = {{0, -3, 0, 1}, {2, 0, 0, 2}, {0, 0, -4, 3}};
    for (int r = 0; r < 3; r++) assertArrayEquals(expected[r], a[r], 1e-6, "row " + r);

    w.qformCode = 0;
    NiftiHeader m = NiftiReader.readHeader(w.write(dir.resolve("m.nii"), new double[8]));
    assertEquals("pixdim", m.affineSource());
    assertArrayEquals(new double[] {0, 3, 0, 0}, m.affine()[1], 0);
  }

  /** (what is wrong, how to make the file, expected message fragment). */
  @Test
  void badFilesGiveOneLineErrorsNamingTheFile() throws Exception {
    Path missing = dir.resolve("nope.nii.gz");
    assertMessage(() -> NiftiReader.read(missing, 0), "nope.nii.gz: not found");

    Path trunc = new NiftiTestWriter().dims(4, 4, 4).write(dir.resolve("trunc.nii"), new double[64]);
    byte[] all = Files.readAllBytes(trunc);
    Files.write(trunc, java.util.Arrays.copyOf(all, all.length - 10));
    assertMessage(() -> NiftiReader.read(trunc, 0), "trunc.nii: ends early");

    NiftiTestWriter two = new NiftiTestWriter();
    two.sizeofHdr = 540;
    Path n2 = two.write(dir.resolve("n2.nii"), new double[120]);
    assertMessage(() -> NiftiReader.read(n2, 0), "NIfTI-2");

    Path junk = dir.resolve("junk.nii");
    Files.write(junk, new byte[400]);
    assertMessage(() -> NiftiReader.read(junk, 0), "junk.nii: is not a NIfTI-1 file");

    Path cplx = new NiftiTestWriter().dims(2, 2, 2).datatype(NiftiHeader.DT_COMPLEX64).write(dir.resolve("c.nii"), new double[8]);
    assertMessage(() -> NiftiReader.read(cplx, 0), "complex64, which is not supported");

    NiftiTestWriter nomagic = new NiftiTestWriter().dims(2, 2, 2);
    nomagic.magic = "xyz";
    Path nm = nomagic.write(dir.resolve("nm.nii"), new double[8]);
    assertMessage(() -> NiftiReader.read(nm, 0), "no NIfTI-1 magic");

    Path gz = new NiftiTestWriter().dims(8, 8, 8).write(dir.resolve("bad.nii.gz"), new double[512]);
    byte[] g = Files.readAllBytes(gz);
    for (int i = 20; i < g.length - 8; i += 3) g[i] ^= 0x5A;
    Files.write(gz, g);
    assertThrows(InvalidInputException.class, () -> NiftiReader.read(gz, 0));

    NiftiTestWriter pw = new NiftiTestWriter().dims(2, 2, 2);
    pw.pair = true;
    Path hdr = pw.write(dir.resolve("lonely.hdr"), new double[8]);
    Files.delete(dir.resolve("lonely.img"));
    assertMessage(() -> NiftiReader.read(hdr, 0), "lonely.img(.gz) is missing");

    Path frames = new NiftiTestWriter().dims(2, 2, 2, 2).write(dir.resolve("f.nii"), new double[16]);
    assertMessage(() -> NiftiReader.read(frames, 2), "has 2 volume(s); volume 2 does not exist");
  }
}
