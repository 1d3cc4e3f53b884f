package dev.segloss.data.nifti;

import dev.segloss.data.DataSpec;

/**
 * How a 3-D voxel grid is cut into 2-D slices: the voxel axis sliced along, and where each slice pixel
 * (row, column) lives in the volume. One definition shared by the NIfTI loader (training slices) and
 * {@code segloss predict} (which writes its predictions back into the volume's voxel order).
 *
 * <ul>
 *   <li>The slicing axis: {@code axial}, {@code coronal} and {@code sagittal} pick the voxel axis whose
 *       world direction (the header's voxel-to-world matrix, {@link NiftiHeader#affine()}) is closest to
 *       superior, anterior and right (RAS+); {@code i, j, k} pick a voxel axis directly.
 *   <li>For the anatomical views the slice is oriented by anatomy, whatever order the file stores its
 *       voxels in, so that a model sees the same picture of the same head in any file (and predict on
 *       another volume sees what training saw): axial slices have anterior at the top and the
 *       patient's left on the left (columns run towards +x, right), coronal slices superior at the top
 *       and left on the left, sagittal slices superior at the top and posterior on the left (columns run
 *       towards +y, anterior). Of the two remaining voxel axes, the one closer to the rows' world
 *       direction (anterior-posterior for axial, superior-inferior otherwise) carries the rows, the
 *       other the columns, each reversed when it points the other way. A volume stored RAS-like (i
 *       towards right, j anterior, k superior) gives the rows along the higher remaining axis, flipped,
 *       and the columns along the lower one, not flipped.
 *   <li>For {@code i, j, k} (voxel axes asked for directly) the storage order is kept: columns along the
 *       lower remaining voxel axis, rows along the higher one, flipped when that axis points towards
 *       superior (anterior for a slice normal closest to superior); columns are not flipped.
 * </ul>
 *
 * Voxel index of slice {@code s}, row {@code r}, column {@code c}: {@code s·stride(axis) + r'·stride(rowAxis)
 * + c'·stride(colAxis)} with {@code r' = rows-1-r} when rows are flipped and {@code c' = cols-1-c} when
 * columns are, strides {1, nx, nx·ny} (NIfTI order, i fastest).
 */
public final class SliceGeometry {
  private final int axis;
  private final int colAxis;
  private final int rowAxis;
  private final int slices;
  private final int rows;
  private final int cols;
  private final boolean flipRows;
  private final boolean flipCols;
  private final int sliceStride;
  private final int rowStride;
  private final int colStride; // negative when the columns are flipped
  private final int colOffset; // voxel offset of column 0 within a row

  private SliceGeometry(int[] n, int axis, int rowAxis, int colAxis, boolean flipRows, boolean flipCols) {
    this.axis = axis;
    this.colAxis = colAxis;
    this.rowAxis = rowAxis;
    int[] stride = {1, n[0], n[0] * n[1]};
    this.slices = n[axis];
    this.rows = n[rowAxis];
    this.cols = n[colAxis];
    this.flipRows = flipRows;
    this.flipCols = flipCols;
    this.sliceStride = stride[axis];
    this.rowStride = stride[rowAxis];
    this.colStride = flipCols ? -stride[colAxis] : stride[colAxis];
    this.colOffset = flipCols ? (cols - 1) * stride[colAxis] : 0;
  }

  /** The slicing of the grid of {@code header} along {@code axis}. */
  public static SliceGeometry of(NiftiHeader header, DataSpec.Axis axis) {
    double[][] aff = header.affine();
    int a = axisIndex(axis, aff);
    int low = a == 0 ? 1 : 0;
    int high = a == 2 ? 1 : 2;
    switch (axis) {
      case AXIAL:
      case CORONAL:
      case SAGITTAL: {
        int rowWorld = axis == DataSpec.Axis.AXIAL ? 1 : 2; // rows: anterior-posterior, else superior-inferior
        int colWorld = axis == DataSpec.Axis.SAGITTAL ? 1 : 0; // columns: right (x), or anterior (y)
        int rowAxis = cosine(aff, high, rowWorld) >= cosine(aff, low, rowWorld) ? high : low;
        int colAxis = rowAxis == high ? low : high;
        // row 0 is the most anterior (superior) row; column index grows towards +x (+y)
        return new SliceGeometry(header.spatialDims(), a, rowAxis, colAxis, aff[rowWorld][rowAxis] > 0, aff[colWorld][colAxis] < 0);
      }
      default:
        return new SliceGeometry(header.spatialDims(), a, high, low, rowsPointUp(aff, high), false);
    }
  }

  /** The voxel axis (0, 1, 2) to slice along. */
  private static int axisIndex(DataSpec.Axis axis, double[][] aff) {
    int world;
    switch (axis) {
      case I: return 0;
      case J: return 1;
      case K: return 2;
      case SAGITTAL: world = 0; break; // x: left-right
      case CORONAL: world = 1; break; // y: posterior-anterior
      default: world = 2; // z: inferior-superior
    }
    int best = 0;
    double bestCos = -1;
    for (int c = 0; c < 3; c++) {
      double cos = cosine(aff, c, world);
      if (cos > bestCos) {
        bestCos = cos;
        best = c;
      }
    }
    return best;
  }

  /**
   * Whether the rows (voxel axis {@code v}) must be flipped so that the top row is superior (anterior
   * for axial slices): true when that axis points towards superior (anterior).
   */
  private static boolean rowsPointUp(double[][] aff, int v) {
    // the world direction the row axis follows most: for axial slices it is anterior (y), else superior (z)
    int world = Math.abs(aff[2][v]) >= Math.abs(aff[1][v]) && Math.abs(aff[2][v]) >= Math.abs(aff[0][v]) ? 2 : 1;
    return aff[world][v] > 0;
  }

  /** |cos| of the angle between voxel axis {@code v}'s world direction and world axis {@code w}. */
  private static double cosine(double[][] aff, int v, int w) {
    double norm = Math.sqrt(aff[0][v] * aff[0][v] + aff[1][v] * aff[1][v] + aff[2][v] * aff[2][v]);
    return norm == 0 ? 0 : Math.abs(aff[w][v]) / norm;
  }

  /** The voxel axis (0 = i, 1 = j, 2 = k) sliced along. */
  public int axis() {
    return axis;
  }

  /** The voxel axis the rows run along. */
  public int rowAxis() {
    return rowAxis;
  }

  /** The voxel axis the columns run along. */
  public int colAxis() {
    return colAxis;
  }

  /** Number of slices (the size along {@link #axis()}). */
  public int slices() {
    return slices;
  }

  /** Rows per slice. */
  public int rows() {
    return rows;
  }

  /** Columns per slice. */
  public int cols() {
    return cols;
  }

  /** Whether row 0 is the last voxel along {@link #rowAxis()}. */
  public boolean flipRows() {
    return flipRows;
  }

  /** Whether column 0 is the last voxel along {@link #colAxis()}. */
  public boolean flipCols() {
    return flipCols;
  }

  /** Voxel index of column 0 of row {@code r} of slice {@code s}. */
  public int rowBase(int s, int r) {
    int vr = flipRows ? rows - 1 - r : r;
    return s * sliceStride + vr * rowStride + colOffset;
  }

  /** Voxel index step from one column to the next (negative when the columns are flipped). */
  public int colStride() {
    return colStride;
  }

  /** Voxel index of slice {@code s}, row {@code r}, column {@code c}. */
  public int voxel(int s, int r, int c) {
    return rowBase(s, r) + c * colStride;
  }

  /** Slice {@code s} of {@code volume} as a row-major {@code rows x cols} image. */
  public float[] slice(float[] volume, int s) {
    float[] out = new float[rows * cols];
    for (int r = 0; r < rows; r++) {
      int base = rowBase(s, r);
      for (int c = 0; c < cols; c++) out[r * cols + c] = volume[base + c * colStride];
    }
    return out;
  }

  /** Writes the row-major {@code rows x cols} image {@code slice} into slice {@code s} of {@code volume}. */
  public void put(float[] slice, int s, float[] volume) {
    for (int r = 0; r < rows; r++) {
      int base = rowBase(s, r);
      for (int c = 0; c < cols; c++) volume[base + c * colStride] = slice[r * cols + c];
    }
  }
}
