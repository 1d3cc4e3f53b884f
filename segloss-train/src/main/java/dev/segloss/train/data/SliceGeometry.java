package dev.segloss.train.data;

/**
 * How a 3-D voxel grid is cut into 2-D slices: the voxel axis sliced along, and where each slice pixel
 * (row, column) lives in the volume. One definition shared by the NIfTI loader (training slices) and
 * {@code segloss predict} (which writes its predictions back into the volume's voxel order).
 *
 * <ul>
 *   <li>The slicing axis: {@code axial}, {@code coronal} and {@code sagittal} pick the voxel axis whose
 *       world direction (the header's voxel-to-world matrix, {@link NiftiHeader#affine()}) is closest to
 *       superior, anterior and right (RAS+); {@code i, j, k} pick a voxel axis directly.
 *   <li>A slice's columns run along the lower remaining voxel axis, its rows along the higher one; rows
 *       are flipped when that axis points towards superior (anterior, for axial slices), so that
 *       superior (anterior) is at the top, as viewers show slices. Columns are never flipped.
 * </ul>
 *
 * Voxel index of slice {@code s}, row {@code r}, column {@code c}: {@code s·stride(axis) + r'·stride(rowAxis)
 * + c·stride(colAxis)} with {@code r' = rows-1-r} when rows are flipped, strides {1, nx, nx·ny} (NIfTI
 * order, i fastest).
 */
public final class SliceGeometry {
  private final int axis;
  private final int colAxis;
  private final int rowAxis;
  private final int slices;
  private final int rows;
  private final int cols;
  private final boolean flipRows;
  private final int sliceStride;
  private final int rowStride;
  private final int colStride;

  private SliceGeometry(int[] n, int axis, boolean flipRows) {
    this.axis = axis;
    this.colAxis = axis == 0 ? 1 : 0;
    this.rowAxis = axis == 2 ? 1 : 2;
    int[] stride = {1, n[0], n[0] * n[1]};
    this.slices = n[axis];
    this.rows = n[rowAxis];
    this.cols = n[colAxis];
    this.flipRows = flipRows;
    this.sliceStride = stride[axis];
    this.rowStride = stride[rowAxis];
    this.colStride = stride[colAxis];
  }

  /** The slicing of the grid of {@code header} along {@code axis}. */
  public static SliceGeometry of(NiftiHeader header, DataSpec.Axis axis) {
    double[][] aff = header.affine();
    int a = NiftiLoader.axisIndex(axis, aff);
    int rowAxis = a == 2 ? 1 : 2;
    return new SliceGeometry(header.spatialDims(), a, NiftiLoader.rowsPointUp(aff, rowAxis, a));
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

  /** Voxel index of column 0 of row {@code r} of slice {@code s}. */
  public int rowBase(int s, int r) {
    int vr = flipRows ? rows - 1 - r : r;
    return s * sliceStride + vr * rowStride;
  }

  /** Voxel index step from one column to the next. */
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
