package dev.segloss.train.data;

import java.util.ArrayList;
import java.util.List;

/**
 * Entry point of the data layer: {@code Datasets.load("synthetic", LoadOptions.defaults())}.
 *
 * <p>Returns a {@link SegDataset}: normalised float images with 0/1 masks, all of one size (heights and
 * widths padded up to a multiple of {@link LoadOptions#sizeMultiple()}), split into train/val/test;
 * {@link SegDataset#loader} gives a {@link BatchLoader} that prepares {@code [B,1,H,W]} batches on a
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

  /** Loads a parsed {@code --data} value. */
  public static SegDataset load(DataSpec spec, LoadOptions options) {
    if (spec instanceof DataSpec.Synthetic) return synthetic((DataSpec.Synthetic) spec, options);
    if (spec instanceof DataSpec.Nifti) return NiftiLoader.load((DataSpec.Nifti) spec, options);
    return FolderLoader.load((DataSpec.Folder) spec, options);
  }

  /**
   * The synthetic data set: {@link SyntheticGenerator} images, split at random by {@link
   * LoadOptions#seed()} (stratified on empty masks, {@link Splits#random}).
   */
  static SegDataset synthetic(DataSpec.Synthetic spec, LoadOptions options) {
    int side = Geometry.roundUp(spec.size(), options.sizeMultiple());
    // images + masks, plus the generator's per-image scratch on each thread
    long bytes = MemoryCheck.pairBytes(spec.n(), side, side) + MemoryCheck.pairBytes(options.threads(), side, side) * 4;
    MemoryCheck.require(bytes, spec.n() + " synthetic images of " + side + "x" + side + " (image + mask, float32)", options);
    List<Sample> all = new SyntheticGenerator(spec).generate(options.threads());
    if (side != spec.size()) {
      List<Sample> padded = new ArrayList<>(all.size());
      for (Sample s : all) padded.add(padTo(s, side, side));
      all = padded;
    }
    return split(spec.canonical(), side, side, all, options, new ArrayList<>(), List.of());
  }

  /** Splits at random (stratified on empty masks) and builds the data set. */
  static SegDataset split(String canonical, int h, int w, List<Sample> all, LoadOptions options, List<String> warnings,
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
  static Sample padTo(Sample s, int H, int W) {
    if (s.height() == H && s.width() == W) return s;
    float min = Float.POSITIVE_INFINITY;
    for (float v : s.image()) min = Math.min(min, v);
    return new Sample(s.name(), H, W, Geometry.cropOrPad(s.image(), s.height(), s.width(), H, W, min),
        Geometry.cropOrPad(s.mask(), s.height(), s.width(), H, W, 0f), s.slice());
  }
}
