package dev.segloss.data.nifti;

import dev.segloss.data.DataSource;
import dev.segloss.data.DataSpec;
import dev.segloss.data.LoadOptions;
import dev.segloss.data.SegDataset;

/** The {@link DataSource} of {@code --data nifti:...} (registered in {@code META-INF/services}). */
public final class NiftiSource implements DataSource {
  @Override
  public Class<? extends DataSpec> specType() {
    return DataSpec.Nifti.class;
  }

  @Override
  public SegDataset load(DataSpec spec, LoadOptions options) {
    return NiftiLoader.load((DataSpec.Nifti) spec, options);
  }
}
