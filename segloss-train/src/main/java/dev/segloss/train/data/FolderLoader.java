package dev.segloss.train.data;

final class FolderLoader {
  static SegDataset load(DataSpec.Folder spec, LoadOptions o) {
    throw new UnsupportedOperationException();
  }
}
