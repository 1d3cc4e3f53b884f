package dev.segloss.data.nifti;

/**
 * One 3-D volume of a NIfTI file as float32 in the file's voxel order (i fastest, then j, then k), with
 * scl_slope/scl_inter applied.
 */
public final class NiftiVolume {
  private final NiftiHeader header;
  private final float[] data;

  NiftiVolume(NiftiHeader header, float[] data) {
    this.header = header;
    this.data = data;
  }

  public NiftiHeader header() {
    return header;
  }

  public int nx() {
    return header.dim(1);
  }

  public int ny() {
    return header.dim(2);
  }

  public int nz() {
    return header.dim(3);
  }

  /** The voxels, index {@code i + nx * (j + ny * k)}; shared, not copied. */
  public float[] data() {
    return data;
  }

  public float get(int i, int j, int k) {
    return data[i + nx() * (j + ny() * k)];
  }
}
