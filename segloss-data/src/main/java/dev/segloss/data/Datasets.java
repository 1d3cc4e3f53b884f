package dev.segloss.data;

import dev.segloss.data.transform.Geometry;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Entry point of the data layer: {@code Datasets.load("synthetic", LoadOptions.defaults())}.
 *
 * <p>Returns a {@link SegDataset}: normalised float images with 0/1 masks, all of one size (heights and
 * widths padded up to a multiple of {@link LoadOptions#sizeMultiple()}), split into train/val/test;
 * {@code new BatchLoader(data.split(part), config)} (package {@code dev.segloss.data.batch}) prepares {@code [B,1,H,W]} batches on a
 * background thread. Every bad input is an {@link dev.segloss.core.InvalidInputException} with a
 * one-line message naming the option or file; a data set that would not fit in memory is refused before
 * loading, with the estimate ({@link MemoryCheck}).
 */
public final class Datasets {
  private Datasets() {}

  /** Parses and loads a {@code --data} value (see {@link DataSpec}). */
  public static SegDataset load(String spec, LoadOptions options) {
    return load(DataSpec.parse(spec), options);
  }

  /**
   * Loads a parsed {@code --data} value, with the {@link DataSource} registered for its kind
   * (segloss-data registers {@code SyntheticSource}, {@code FolderSource} and {@code NiftiSource}).
   */
  public static SegDataset load(DataSpec spec, LoadOptions options) {
    return source(spec).load(spec, options);
  }

  /** The registered source that loads {@code spec}'s kind. */
  static DataSource source(DataSpec spec) {
    for (DataSource s : Sources.ALL) {
      if (s.specType().isInstance(spec)) return s;
    }
    throw new IllegalStateException("no data source for " + spec.getClass().getSimpleName() + " specs on the class path: "
        + "META-INF/services/" + DataSource.class.getName() + " of segloss-data is missing (a shaded jar must merge service files)");
  }

  /** The sources listed in {@code META-INF/services}, found once, when first needed. */
  private static final class Sources {
    static final List<DataSource> ALL = ServiceLoader.load(DataSource.class, Datasets.class.getClassLoader()).stream()
        .map(ServiceLoader.Provider::get).toList();
  }

  /** Splits at random (stratified on empty masks) and builds the data set. */
  public static SegDataset split(String canonical, int h, int w, List<Sample> all, LoadOptions options, List<String> warnings,
      List<String> skipped) {
    boolean[] empty = new boolean[all.size()];
    for (int i = 0; i < empty.length; i++) empty[i] = all.get(i).isEmpty();
    Split[] parts = Splits.random(empty, options.valFraction(), options.testFraction(), options.seed());
    List<Sample> train = new ArrayList<>();
    List<Sample> val = new ArrayList<>();
    List<Sample> test = new ArrayList<>();
    for (int i = 0; i < parts.length; i++) {
      (parts[i] == Split.TRAIN ? train : parts[i] == Split.VAL ? val : test).add(all.get(i));
    }
    return SegDataset.of(canonical, h, w, train, val, test, warnings, skipped, options);
  }

  /**
   * Centre-pads (or crops) a sample to {@code H x W}; the image is filled with its minimum (after the
   * normalisation's clipping: the darkest value), the mask with background.
   */
  public static Sample padTo(Sample s, int H, int W) {
    if (s.height() == H && s.width() == W) return s;
    float min = Float.POSITIVE_INFINITY;
    for (float v : s.image()) min = Math.min(min, v);
    return new Sample(s.name(), H, W, Geometry.cropOrPad(s.image(), s.height(), s.width(), H, W, min),
        Geometry.cropOrPad(s.mask(), s.height(), s.width(), H, W, 0f), s.slice());
  }
}
