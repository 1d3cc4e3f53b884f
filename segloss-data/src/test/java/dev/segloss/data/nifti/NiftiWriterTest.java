package dev.segloss.data.nifti;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The NIfTI-1 writer: written on the grid of a crafted header, read back with {@link NiftiReader}. */
class NiftiWriterTest {
  @TempDir Path dir;

  static final int NX = 5;
  static final int NY = 4;
  static final int NZ = 3;

  /**
   * A big-endian int16 4-D source with scaling, a qform (180 degrees about z, qfac -1: every axis
   * flipped) and a different-code sform (x mirrored only), mm + seconds units.
   */
  NiftiHeader source() throws IOException {
    double[] v = new double[NX * NY * NZ * 2];
    Path p = new NiftiTestWriter().dims(NX, NY, NZ, 2).datatype(NiftiHeader.DT_INT16).order(ByteOrder.BIG_ENDIAN).scale(2, 5)
        .spacing(2f, 1.5f, 3f).qform(1, new float[] {0, 0, 1}, new float[] {40, 30, -5}, -1f)
        .sform(2, new float[][] {{-2, 0, 0, 40}, {0, 1.5f, 0, -30}, {0, 0, 3, -5}}).units(2 | 8)
        .write(dir.resolve("src.nii.gz"), v);
    return NiftiReader.readHeader(p);
  }

  @ParameterizedTest
  @CsvSource({"uint8, out.nii.gz", "uint8, out.nii", "float32, out.nii.gz", "float32, out.nii"})
  void roundTripKeepsTheGridAndTheVoxels(String type, String name) throws IOException {
    NiftiHeader src = source();
    int dt = type.equals("uint8") ? NiftiHeader.DT_UINT8 : NiftiHeader.DT_FLOAT32;
    float[] v = new float[NX * NY * NZ];
    Random r = new Random(4);
    for (int i = 0; i < v.length; i++) v[i] = dt == NiftiHeader.DT_UINT8 ? r.nextInt(2) * (i % 7 == 0 ? 255 : 1) : (float) r.nextGaussian() * 1e3f;
    Path out = dir.resolve(name);
    NiftiWriter.onGridOf(src).datatype(dt).intent(NiftiWriter.INTENT_LABEL).displayRange(0, 1).description("test volume").write(out, v);

    NiftiVolume back = NiftiReader.read(out, 0);
    NiftiHeader h = back.header();
    assertEquals(3, h.rank());
    assertArrayEquals(new int[] {NX, NY, NZ}, h.spatialDims());
    assertEquals(1, h.frames());
    assertEquals(dt, h.datatype());
    assertEquals(8 * NiftiHeader.bytesPerVoxel(dt), h.bitpix);
    assertEquals("n+1", h.magic());
    assertEquals(352f, h.voxOffset);
    assertEquals(1f, h.sclSlope());
    assertEquals(0f, h.sclInter());
    assertEquals(ByteOrder.LITTLE_ENDIAN, h.byteOrder());
    // the grid, field by field: qfac and voxel sizes, both transforms with their codes, spatial units
    for (int i = 0; i <= 3; i++) assertEquals(src.pixdim[i], h.pixdim[i], "pixdim[" + i + "]");
    assertEquals(1, h.qformCode());
    assertEquals(2, h.sformCode());
    assertArrayEquals(src.quatern, h.quatern);
    assertArrayEquals(src.qoffset, h.qoffset);
    for (int row = 0; row < 3; row++) assertArrayEquals(src.srow[row], h.srow[row]);
    assertEquals(2, h.xyztUnits()); // mm; the time unit goes with the time axis
    assertArrayEquals(src.affine(), h.affine());
    assertEquals(src.describe().replace("x2 int16", " " + type), h.describe());
    // voxel for voxel, in the same order
    assertArrayEquals(v, back.data());

    byte[] raw = Files.readAllBytes(out);
    boolean gz = name.endsWith(".gz");
    assertEquals(gz, (raw[0] & 0xff) == 0x1f && (raw[1] & 0xff) == 0x8b, "gzip iff .gz");
    byte[] plain = gz ? gunzip(raw) : raw;
    assertEquals(352 + v.length * NiftiHeader.bytesPerVoxel(dt), plain.length);
    ByteBuffer b = ByteBuffer.wrap(plain).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(NiftiWriter.INTENT_LABEL, b.getShort(68));
    assertEquals(1f, b.getFloat(124)); // cal_max
    assertEquals(0f, b.getFloat(128)); // cal_min
    assertEquals("test volume", new String(plain, 148, 11, StandardCharsets.US_ASCII));
    assertEquals(0, plain[148 + 11]);
    assertEquals(0, b.getInt(348)); // no extensions
    // written atomically: nothing but the files themselves in the folder
    try (Stream<Path> s = Files.list(dir)) {
      assertEquals(Set.of("src.nii.gz", name), s.map(p -> p.getFileName().toString()).collect(Collectors.toSet()));
    }
  }

  @Test
  void refusesValuesTheTypeCannotHoldAndWrongSizes() throws IOException {
    NiftiHeader src = source();
    NiftiWriter u8 = NiftiWriter.onGridOf(src).datatype(NiftiHeader.DT_UINT8);
    float[] v = new float[NX * NY * NZ];
    v[3] = 0.5f;
    assertThrows(IllegalArgumentException.class, () -> u8.write(dir.resolve("a.nii"), v));
    v[3] = 256;
    assertThrows(IllegalArgumentException.class, () -> u8.write(dir.resolve("a.nii"), v));
    v[3] = Float.NaN;
    assertThrows(IllegalArgumentException.class, () -> u8.write(dir.resolve("a.nii"), v));
    assertThrows(IllegalArgumentException.class, () -> u8.write(dir.resolve("a.nii"), new float[7]));
    assertThrows(IllegalArgumentException.class, () -> NiftiWriter.onGridOf(src).datatype(NiftiHeader.DT_INT16));
    assertTrue(Files.notExists(dir.resolve("a.nii")));
  }

  @Test
  void aGridWithoutOrientationStaysWithoutOne() throws IOException {
    Path p = new NiftiTestWriter().dims(NX, NY, NZ).spacing(0.5f, 0.7f, 2f).sform(0, new float[3][4]).write(dir.resolve("plain.nii"),
        new double[NX * NY * NZ]);
    NiftiHeader src = NiftiReader.readHeader(p);
    assertEquals("pixdim", src.affineSource());
    Path out = dir.resolve("o.nii.gz");
    NiftiWriter.onGridOf(src).write(out, new float[NX * NY * NZ]);
    NiftiHeader h = NiftiReader.readHeader(out);
    assertEquals("pixdim", h.affineSource());
    assertArrayEquals(src.affine(), h.affine());
    assertEquals(NiftiHeader.DT_FLOAT32, h.datatype());
  }

  static byte[] gunzip(byte[] gz) throws IOException {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
      return in.readAllBytes();
    }
  }
}
