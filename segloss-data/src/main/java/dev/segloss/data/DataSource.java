package dev.segloss.data;

/**
 * Loads one kind of {@link DataSpec} into a {@link SegDataset}; {@link Datasets#load} picks the source
 * whose {@link #specType()} the spec is.
 *
 * <p>Sources are found with {@link java.util.ServiceLoader} in {@code
 * META-INF/services/dev.segloss.data.DataSource}, so that this package, which defines the data set types
 * every loader produces, does not depend on the loaders ({@code dev.segloss.data.synthetic}, {@code
 * .folder}, {@code .nifti}), which depend on it: the packages form no cycle. segloss-data registers one
 * source per kind of spec; a shaded jar must merge service files (maven-shade-plugin's {@code
 * ServicesResourceTransformer}), or loading fails with a message saying so.
 */
public interface DataSource {
  /** The kind of spec this source loads, e.g. {@code DataSpec.Synthetic.class}. */
  Class<? extends DataSpec> specType();

  /** Loads {@code spec}, an instance of {@link #specType()}. */
  SegDataset load(DataSpec spec, LoadOptions options);
}
