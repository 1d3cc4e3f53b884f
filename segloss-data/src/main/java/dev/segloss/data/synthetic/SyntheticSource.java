package dev.segloss.data.synthetic;

import dev.segloss.data.DataSource;
import dev.segloss.data.DataSpec;
import dev.segloss.data.Datasets;
import dev.segloss.data.LoadOptions;
import dev.segloss.data.MemoryCheck;
import dev.segloss.data.Sample;
import dev.segloss.data.SegDataset;
import dev.segloss.data.transform.Geometry;
import java.util.ArrayList;
import java.util.List;

/** The {@link DataSource} of {@code --data synthetic[:...]} (registered in {@code META-INF/services}). */
public final class SyntheticSource implements DataSource {
  @Override
  public Class<? extends DataSpec> specType() {
    return DataSpec.Synthetic.class;
  }

  @Override
  public SegDataset load(DataSpec spec, LoadOptions options) {
    return load((DataSpec.Synthetic) spec, options);
  }

  /**
   * The synthetic data set: {@link SyntheticGenerator} images, split at random by {@link
   * LoadOptions#seed()} (stratified on empty masks, {@link dev.segloss.data.Splits#random}).
   */
  public static SegDataset load(DataSpec.Synthetic spec, LoadOptions options) {
    int side = Geometry.roundUp(spec.size(), options.sizeMultiple());
    // images + masks, plus the generator's per-image scratch on each thread
    long bytes = MemoryCheck.pairBytes(spec.n(), side, side) + MemoryCheck.pairBytes(options.threads(), side, side) * 4;
    MemoryCheck.require(bytes, spec.n() + " synthetic images of " + side + "x" + side + " (image + mask, float32)", options);
    List<Sample> all = new SyntheticGenerator(spec).generate(options.threads());
    if (side != spec.size()) {
      List<Sample> padded = new ArrayList<>(all.size());
      for (Sample s : all) padded.add(Datasets.padTo(s, side, side));
      all = padded;
    }
    return Datasets.split(spec.canonical(), side, side, all, options, new ArrayList<>(), List.of());
  }
}
