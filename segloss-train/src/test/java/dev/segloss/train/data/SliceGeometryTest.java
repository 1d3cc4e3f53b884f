package dev.segloss.train.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which voxel each slice pixel is, for anatomical axes under different orientations. */
class SliceGeometryTest {
  @TempDir Path dir;

  static final int NX = 5;
  static final int NY = 6;
  static final int NZ = 7;

  /**
   * (sform, axis) -> the voxel axis sliced, and the voxel of slice s, row r, column c written out by hand:
   * rows run along the higher remaining axis, top = superior (anterior for axial), columns never flip.
   */
  @ParameterizedTest
  @CsvSource({
    // RAS identity: axial = k, rows along j (anterior = +j: flipped), columns along i
    "ras, axial, 2, true",
    "ras, coronal, 1, true",
    "ras, sagittal, 0, true",
    // LPS-like: x and y mirrored; axial rows along j now point posterior: not flipped
    "lps, axial, 2, false",
    "lps, coronal, 1, true",
    // every axis mirrored: coronal and sagittal rows along k point inferior: not flipped
    "lpi, coronal, 1, false",
    "lpi, sagittal, 0, false",
    // j and k swapped (a coronally acquired volume): axial = j, coronal = k
    "swapped, axial, 1, true",
    "swapped, coronal, 2, true",
    "swapped, sagittal, 0, true",
    "ras, i, 0, true",
    "ras, k, 2, true",
  })
  void slicePixelsMapToTheExpectedVoxels(String orient, String axisName, int expectedAxis, boolean flip) throws IOException {
    float[][] sform = switch (orient) {
      case "ras" -> new float[][] {{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}};
      case "lps" -> new float[][] {{-1, 0, 0, 0}, {0, -1, 0, 0}, {0, 0, 1, 0}};
      case "lpi" -> new float[][] {{-1, 0, 0, 0}, {0, -1, 0, 0}, {0, 0, -1, 0}};
      default -> new float[][] {{1, 0, 0, 0}, {0, 0, 1, 0}, {0, 1, 0, 0}};
    };
    NiftiHeader h = NiftiReader.readHeader(new NiftiTestWriter().dims(NX, NY, NZ).sform(sform).write(dir.resolve("v.nii"), new double[NX * NY * NZ]));
    SliceGeometry g = SliceGeometry.of(h, DataSpec.Axis.valueOf(axisName.toUpperCase(java.util.Locale.ROOT)));
    assertEquals(expectedAxis, g.axis());
    int[] n = {NX, NY, NZ};
    int colAxis = expectedAxis == 0 ? 1 : 0;
    int rowAxis = expectedAxis == 2 ? 1 : 2;
    assertEquals(n[expectedAxis], g.slices());
    assertEquals(n[rowAxis], g.rows());
    assertEquals(n[colAxis], g.cols());
    assertEquals(flip, g.flipRows());
    Set<Integer> seen = new HashSet<>();
    for (int s = 0; s < g.slices(); s++) {
      for (int r = 0; r < g.rows(); r++) {
        for (int c = 0; c < g.cols(); c++) {
          int[] ijk = new int[3];
          ijk[expectedAxis] = s;
          ijk[rowAxis] = flip ? g.rows() - 1 - r : r;
          ijk[colAxis] = c;
          int voxel = ijk[0] + NX * (ijk[1] + NY * ijk[2]);
          assertEquals(voxel, g.voxel(s, r, c));
          seen.add(voxel);
        }
      }
    }
    assertEquals(NX * NY * NZ, seen.size()); // a bijection
    // slice and put are inverse
    float[] vol = new float[NX * NY * NZ];
    for (int i = 0; i < vol.length; i++) vol[i] = i;
    float[] back = new float[vol.length];
    for (int s = 0; s < g.slices(); s++) {
      float[] img = g.slice(vol, s);
      assertEquals(g.voxel(s, 0, 0), (int) img[0]);
      assertEquals(g.voxel(s, g.rows() - 1, g.cols() - 1), (int) img[img.length - 1]);
      g.put(img, s, back);
    }
    assertArrayEquals(vol, back);
  }
}
