package dev.segloss.data.nifti;

import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Locale;

/**
 * The fields of a NIfTI-1 header that the loader uses (layout: the NIfTI-1 standard, nifti1.h,
 * https://nifti.nimh.nih.gov/nifti-1). Immutable; read with {@link NiftiReader#readHeader}.
 */
public final class NiftiHeader {
  /** Data type codes of nifti1.h. */
  public static final int DT_UINT8 = 2;
  public static final int DT_INT16 = 4;
  public static final int DT_INT32 = 8;
  public static final int DT_FLOAT32 = 16;
  public static final int DT_COMPLEX64 = 32;
  public static final int DT_FLOAT64 = 64;
  public static final int DT_RGB24 = 128;
  public static final int DT_INT8 = 256;
  public static final int DT_UINT16 = 512;
  public static final int DT_UINT32 = 768;
  public static final int DT_INT64 = 1024;
  public static final int DT_UINT64 = 1280;
  public static final int DT_FLOAT128 = 1536;
  public static final int DT_COMPLEX128 = 1792;
  public static final int DT_COMPLEX256 = 2048;
  public static final int DT_RGBA32 = 2304;

  final ByteOrder order;
  final int[] dim;
  final int datatype;
  final int bitpix;
  final float[] pixdim;
  final float voxOffset;
  final float sclSlope;
  final float sclInter;
  final int qformCode;
  final int sformCode;
  final float[] quatern; // b, c, d
  final float[] qoffset; // x, y, z
  final float[][] srow; // 3 x 4
  final String magic;
  final int xyztUnits;

  NiftiHeader(ByteOrder order, int[] dim, int datatype, int bitpix, float[] pixdim, float voxOffset, float sclSlope,
      float sclInter, int qformCode, int sformCode, float[] quatern, float[] qoffset, float[][] srow, String magic, int xyztUnits) {
    this.order = order;
    this.dim = dim;
    this.datatype = datatype;
    this.bitpix = bitpix;
    this.pixdim = pixdim;
    this.voxOffset = voxOffset;
    this.sclSlope = sclSlope;
    this.sclInter = sclInter;
    this.qformCode = qformCode;
    this.sformCode = sformCode;
    this.quatern = quatern;
    this.qoffset = qoffset;
    this.srow = srow;
    this.magic = magic;
    this.xyztUnits = xyztUnits;
  }

  /** Byte order of the file (detected from sizeof_hdr = 348). */
  public ByteOrder byteOrder() {
    return order;
  }

  /** Number of dimensions, dim[0]. */
  public int rank() {
    return dim[0];
  }

  /** Size along axis 1..7 (1 for axes beyond the rank). */
  public int dim(int axis) {
    return axis <= dim[0] ? dim[axis] : 1;
  }

  /** The three spatial sizes {nx, ny, nz}. */
  public int[] spatialDims() {
    return new int[] {dim(1), dim(2), dim(3)};
  }

  /** Number of 3-D volumes (product of dims 4..7). */
  public long frames() {
    long f = 1;
    for (int a = 4; a <= 7; a++) f *= dim(a);
    return f;
  }

  /** Voxels per 3-D volume. */
  public long voxelsPerFrame() {
    return (long) dim(1) * dim(2) * dim(3);
  }

  public int datatype() {
    return datatype;
  }

  /** Voxel spacings {dx, dy, dz} (pixdim[1..3]). */
  public double[] spacing() {
    return new double[] {pixdim[1], pixdim[2], pixdim[3]};
  }

  public float sclSlope() {
    return sclSlope;
  }

  public float sclInter() {
    return sclInter;
  }

  public int qformCode() {
    return qformCode;
  }

  public int sformCode() {
    return sformCode;
  }

  /** The xyzt_units byte (spatial unit code in bits 0-2, temporal in 3-5; nifti1.h). */
  public int xyztUnits() {
    return xyztUnits;
  }

  /** "n+1" (single file), "ni1" (header/image pair) or "" (ANALYZE 7.5). */
  public String magic() {
    return magic;
  }

  /** True when the scaling fields change the stored values (slope not 0 and not the identity). */
  public boolean scales() {
    return sclSlope != 0 && Float.isFinite(sclSlope) && Float.isFinite(sclInter) && !(sclSlope == 1 && sclInter == 0);
  }

  /** Bytes per voxel of the data type, or -1 for a type the reader does not support. */
  public static int bytesPerVoxel(int datatype) {
    switch (datatype) {
      case DT_UINT8: case DT_INT8: return 1;
      case DT_INT16: case DT_UINT16: return 2;
      case DT_RGB24: return 3;
      case DT_INT32: case DT_UINT32: case DT_FLOAT32: case DT_RGBA32: return 4;
      case DT_FLOAT64: case DT_INT64: case DT_UINT64: return 8;
      default: return -1;
    }
  }

  /** Name of a data type code. */
  public static String datatypeName(int datatype) {
    switch (datatype) {
      case DT_UINT8: return "uint8";
      case DT_INT16: return "int16";
      case DT_INT32: return "int32";
      case DT_FLOAT32: return "float32";
      case DT_COMPLEX64: return "complex64";
      case DT_FLOAT64: return "float64";
      case DT_RGB24: return "rgb24";
      case DT_INT8: return "int8";
      case DT_UINT16: return "uint16";
      case DT_UINT32: return "uint32";
      case DT_INT64: return "int64";
      case DT_UINT64: return "uint64";
      case DT_FLOAT128: return "float128";
      case DT_COMPLEX128: return "complex128";
      case DT_COMPLEX256: return "complex256";
      case DT_RGBA32: return "rgba32";
      case 1: return "binary";
      default: return "code " + datatype;
    }
  }

  /** Where {@link #affine()} comes from: "sform", "qform" or "pixdim" (no orientation). */
  public String affineSource() {
    if (sformCode > 0) return "sform";
    if (qformCode > 0) return "qform";
    return "pixdim";
  }

  /**
   * The voxel-to-world (RAS+, mm) matrix, 3x4: the sform when sform_code &gt; 0, else the qform when
   * qform_code &gt; 0 (quaternion, nifti1.h "method 2"), else the voxel sizes on the diagonal ("method
   * 1", no orientation) — the precedence of nibabel and of ITK's NIfTI reader.
   */
  public double[][] affine() {
    double[][] a = new double[3][4];
    if (sformCode > 0) {
      for (int r = 0; r < 3; r++) for (int c = 0; c < 4; c++) a[r][c] = srow[r][c];
      return a;
    }
    double dx = pixdim[1] > 0 ? pixdim[1] : 1;
    double dy = pixdim[2] > 0 ? pixdim[2] : 1;
    double dz = pixdim[3] > 0 ? pixdim[3] : 1;
    if (qformCode <= 0) {
      a[0][0] = dx;
      a[1][1] = dy;
      a[2][2] = dz;
      return a;
    }
    double b = quatern[0];
    double c = quatern[1];
    double d = quatern[2];
    double aa = 1.0 - (b * b + c * c + d * d);
    if (aa < 1e-7) { // a 180-degree rotation: normalise (b, c, d), a = 0 (nifti1_io.c)
      double n = 1.0 / Math.sqrt(b * b + c * c + d * d);
      b *= n;
      c *= n;
      d *= n;
      aa = 0;
    } else {
      aa = Math.sqrt(aa);
    }
    double qfac = pixdim[0] < 0 ? -1 : 1;
    double[][] r = {
      {aa * aa + b * b - c * c - d * d, 2 * b * c - 2 * aa * d, 2 * b * d + 2 * aa * c},
      {2 * b * c + 2 * aa * d, aa * aa + c * c - b * b - d * d, 2 * c * d - 2 * aa * b},
      {2 * b * d - 2 * aa * c, 2 * c * d + 2 * aa * b, aa * aa + d * d - c * c - b * b}
    };
    double[] s = {dx, dy, dz * qfac};
    for (int row = 0; row < 3; row++) {
      for (int col = 0; col < 3; col++) a[row][col] = r[row][col] * s[col];
      a[row][3] = qoffset[row];
    }
    return a;
  }

  /** "181x217x181 uint8" with the affine's source. */
  public String describe() {
    StringBuilder sb = new StringBuilder();
    for (int i = 1; i <= Math.max(3, dim[0]); i++) {
      if (i > 1) sb.append('x');
      sb.append(dim(i));
    }
    return sb + " " + datatypeName(datatype) + ", " + affineSource();
  }

  static String matrix(double[][] a) {
    StringBuilder sb = new StringBuilder("[");
    for (int r = 0; r < a.length; r++) {
      if (r > 0) sb.append("; ");
      for (int c = 0; c < a[r].length; c++) {
        if (c > 0) sb.append(' ');
        sb.append(String.format(Locale.ROOT, "%.4g", a[r][c]));
      }
    }
    return sb.append(']').toString();
  }

  @Override
  public String toString() {
    return "NiftiHeader[" + describe() + ", pixdim=" + Arrays.toString(pixdim) + "]";
  }
}
