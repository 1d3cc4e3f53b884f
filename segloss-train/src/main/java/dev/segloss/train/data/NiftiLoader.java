package dev.segloss.train.data;

final class NiftiLoader {
  static final double DEFAULT_EMPTY_RATIO = 0.25;
  static final int DEFAULT_GAP = 1;
  static final double DEFAULT_AFFINE_TOL = 1e-3;

  static SegDataset load(DataSpec.Nifti spec, LoadOptions o) {
    throw new UnsupportedOperationException();
  }
}
