package dev.segloss.data.folder;

import dev.segloss.data.DataSource;
import dev.segloss.data.DataSpec;
import dev.segloss.data.LoadOptions;
import dev.segloss.data.SegDataset;

/** The {@link DataSource} of {@code --data DIR} / {@code folder:...} (registered in {@code META-INF/services}). */
public final class FolderSource implements DataSource {
  @Override
  public Class<? extends DataSpec> specType() {
    return DataSpec.Folder.class;
  }

  @Override
  public SegDataset load(DataSpec spec, LoadOptions options) {
    return FolderLoader.load((DataSpec.Folder) spec, options);
  }
}
