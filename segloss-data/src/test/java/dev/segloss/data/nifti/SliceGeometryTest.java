package dev.segloss.data.nifti;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.segloss.data.DataSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
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
   * (sform, axis) -> the voxel axes of slices, rows and columns and their flips, and the voxel of slice s,
   * row r, column c written out by hand. Anatomical views: rows top = anterior (axial) or superior,
   * columns towards +x (axial, coronal) or +y (sagittal); i/j/k: storage order, columns never flip.
   */
  @ParameterizedTest
  @CsvSource({
    // RAS identity: axial = k, rows along j (anterior = +j: flipped), columns along i (+x: kept)
    "ras, axial, 2, 1, 0, true, false",
    "ras, coronal, 1, 2, 0, true, false",
    "ras, sagittal, 0, 2, 1, true, false",
    // LPS-like: x and y mirrored; axial rows along j now point posterior: not flipped; columns flipped
    "lps, axial, 2, 1, 0, false, true",
    "lps, coronal, 1, 2, 0, true, true",
    // every axis mirrored: coronal and sagittal rows along k point inferior: not flipped
    "lpi, coronal, 1, 2, 0, false, true",
    "lpi, sagittal, 0, 2, 1, false, true",
    // j and k swapped (a coronally acquired volume): axial = j, coronal = k
    "swapped, axial, 1, 2, 0, true, false",
    "swapped, coronal, 2, 1, 0, true, false",
    "swapped, sagittal, 0, 1, 2, true, false",
    // sagittally acquired: i = A->P, j = S->I, k = R->L; axial rows along i (not flipped), columns along k (flipped)
    "sag, axial, 1, 0, 2, false, true",
    "sag, coronal, 0, 1, 2, false, true",
    "sag, sagittal, 2, 1, 0, false, true",
    // voxel axes asked for directly: storage order
    "ras, i, 0, 2, 1, true, false",
    "ras, k, 2, 1, 0, true, false",
    "lps, k, 2, 1, 0, false, false",
  })
  void slicePixelsMapToTheExpectedVoxels(String orient, String axisName, int expectedAxis, int rowAxis, int colAxis, boolean flip,
      boolean flipCols) throws IOException {
    NiftiHeader h = NiftiReader.readHeader(new NiftiTestWriter().dims(NX, NY, NZ).sform(sform(orient)).write(dir.resolve("v.nii"),
        new double[NX * NY * NZ]));
    SliceGeometry g = SliceGeometry.of(h, DataSpec.Axis.valueOf(axisName.toUpperCase(java.util.Locale.ROOT)));
    assertEquals(expectedAxis, g.axis());
    assertEquals(rowAxis, g.rowAxis());
    assertEquals(colAxis, g.colAxis());
    int[] n = {NX, NY, NZ};
    assertEquals(n[expectedAxis], g.slices());
    assertEquals(n[rowAxis], g.rows());
    assertEquals(n[colAxis], g.cols());
    assertEquals(flip, g.flipRows());
    assertEquals(flipCols, g.flipCols());
    Set<Integer> seen = new HashSet<>();
    for (int s = 0; s < g.slices(); s++) {
      for (int r = 0; r < g.rows(); r++) {
        for (int c = 0; c < g.cols(); c++) {
          int[] ijk = new int[3];
          ijk[expectedAxis] = s;
          ijk[rowAxis] = flip ? g.rows() - 1 - r : r;
          ijk[colAxis] = flipCols ? g.cols() - 1 - c : c;
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

  static float[][] sform(String orient) {
    return switch (orient) {
      case "ras" -> new float[][] {{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}};
      case "lps" -> new float[][] {{-1, 0, 0, 0}, {0, -1, 0, 0}, {0, 0, 1, 0}};
      case "lpi" -> new float[][] {{-1, 0, 0, 0}, {0, -1, 0, 0}, {0, 0, -1, 0}};
      case "sag" -> new float[][] {{0, 0, -1, 0}, {-1, 0, 0, 0}, {0, -1, 0, 0}};
      default -> new float[][] {{1, 0, 0, 0}, {0, 0, 1, 0}, {0, 1, 0, 0}};
    };
  }

  /**
   * The same head stored in four voxel orders gives the same anatomical slices: a world grid of 4×5×6
   * points (x, y, z) holding 100x + 10y + z, stored RAS, LPS, with j and k swapped, and sagittally
   * acquired (i = A→P, j = S→I, k = R→L), each with the affine that puts its voxels on those points.
   */
  @ParameterizedTest
  @CsvSource({"axial", "coronal", "sagittal"})
  void theSameAnatomyGivesTheSameSlicesInAnyVoxelOrder(String view) throws IOException {
    int wx = 4;
    int wy = 5;
    int wz = 6;
    // per storage: dims and the world point (x, y, z) of voxel (i, j, k)
    record Storage(String name, int[] dims, float[][] sform, java.util.function.Function<int[], int[]> world) {}
    List<Storage> storages = List.of(
        new Storage("ras", new int[] {wx, wy, wz}, new float[][] {{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}},
            v -> new int[] {v[0], v[1], v[2]}),
        new Storage("lps", new int[] {wx, wy, wz}, new float[][] {{-1, 0, 0, wx - 1}, {0, -1, 0, wy - 1}, {0, 0, 1, 0}},
            v -> new int[] {wx - 1 - v[0], wy - 1 - v[1], v[2]}),
        new Storage("swapped", new int[] {wx, wz, wy}, new float[][] {{1, 0, 0, 0}, {0, 0, 1, 0}, {0, 1, 0, 0}},
            v -> new int[] {v[0], v[2], v[1]}),
        new Storage("sag", new int[] {wy, wz, wx}, new float[][] {{0, 0, -1, wx - 1}, {-1, 0, 0, wy - 1}, {0, -1, 0, wz - 1}},
            v -> new int[] {wx - 1 - v[2], wy - 1 - v[0], wz - 1 - v[1]}));
    Set<String> reference = null;
    for (Storage st : storages) {
      int[] d = st.dims();
      double[] data = new double[d[0] * d[1] * d[2]];
      for (int k = 0; k < d[2]; k++) {
        for (int j = 0; j < d[1]; j++) {
          for (int i = 0; i < d[0]; i++) {
            int[] w = st.world().apply(new int[] {i, j, k});
            data[i + d[0] * (j + d[1] * k)] = 100 * w[0] + 10 * w[1] + w[2];
          }
        }
      }
      Path f = dir.resolve(st.name() + ".nii");
      NiftiHeader h = NiftiReader.readHeader(new NiftiTestWriter().dims(d[0], d[1], d[2]).sform(st.sform()).write(f, data));
      float[] vol = NiftiReader.read(f, 0).data();
      SliceGeometry g = SliceGeometry.of(h, DataSpec.Axis.valueOf(view.toUpperCase(java.util.Locale.ROOT)));
      Set<String> slices = new HashSet<>();
      for (int s = 0; s < g.slices(); s++) slices.add(g.rows() + "x" + g.cols() + java.util.Arrays.toString(g.slice(vol, s)));
      if (reference == null) reference = slices;
      else assertEquals(reference, slices, st.name() + " " + view);
    }
  }
}
