package dev.segloss.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * A loaded data set: normalised 2-D images with binary masks, all of one size, split into training,
 * validation and test parts. Immutable; made by {@link Datasets#load}.
 */
public final class SegDataset {
  private final String spec;
  private final int height;
  private final int width;
  private final List<Sample> train;
  private final List<Sample> val;
  private final List<Sample> test;
  private final List<String> warnings;
  private final List<String> skipped;
  private final Pool pool;

  SegDataset(String spec, int height, int width, List<Sample> train, List<Sample> val, List<Sample> test,
      List<String> warnings, List<String> skipped, Pool pool) {
    this.pool = pool;
    this.spec = spec;
    this.height = height;
    this.width = width;
    this.train = List.copyOf(train);
    this.val = List.copyOf(val);
    this.test = List.copyOf(test);
    this.warnings = List.copyOf(warnings);
    this.skipped = List.copyOf(skipped);
    for (List<Sample> part : List.of(this.train, this.val, this.test)) {
      for (Sample s : part) {
        if (s.height() != height || s.width() != width) {
          throw new IllegalStateException(s.name() + " is " + s.height() + "x" + s.width() + ", not " + height + "x" + width);
        }
      }
    }
  }

  /** Builds a dataset from parts and adds the empty-mask warnings; its images are independent ({@link Pool#ofImages}). */
  public static SegDataset of(String spec, int height, int width, List<Sample> train, List<Sample> val, List<Sample> test,
      List<String> warnings, List<String> skipped, LoadOptions options) {
    return of(spec, height, width, train, val, test, warnings, skipped, options, null);
  }

  /**
   * Builds a dataset from parts and adds the empty-mask warnings; {@code pool} holds every kept image with
   * its grouping for cross-validation (null: the parts' images, each its own group).
   */
  public static SegDataset of(String spec, int height, int width, List<Sample> train, List<Sample> val, List<Sample> test,
      List<String> warnings, List<String> skipped, LoadOptions options, Pool pool) {
    List<String> w = new ArrayList<>(warnings);
    boolean anyForeground = false;
    for (List<Sample> part : List.of(train, val, test)) for (Sample s : part) anyForeground |= !s.isEmpty();
    String policy = "Dice is undefined when both truth and prediction are empty; the empty-mask policy '"
        + options.emptyPolicy() + "' applies";
    boolean anyBackground = false;
    for (List<Sample> part : List.of(train, val, test)) {
      for (Sample s : part) anyBackground |= s.foregroundPixels() < (long) s.height() * s.width();
    }
    if (!anyBackground && anyForeground) {
      w.add("every pixel of every mask is foreground: the model can only learn to predict foreground; check --mask-threshold (a mask"
          + " pixel is foreground when its raw value is above it, " + Options.fmt(options.maskThreshold()) + " here; e.g. 127 for 0/255"
          + " masks with a non-black background, or a 16-bit mask's background value)");
    }
    if (!anyForeground) {
      w.add("every mask is empty (no foreground pixel at all): the model can only learn to predict background; " + policy);
    } else {
      String[] names = {"training", "validation", "test"};
      List<List<Sample>> parts = List.of(train, val, test);
      for (int i = 0; i < 3; i++) {
        List<Sample> part = parts.get(i);
        if (part.isEmpty()) continue;
        boolean allEmpty = part.stream().allMatch(Sample::isEmpty);
        if (allEmpty) w.add("every mask of the " + names[i] + " split (" + part.size() + " images) is empty; " + policy);
      }
    }
    return new SegDataset(spec, height, width, train, val, test, w, skipped, pool);
  }

  /**
   * Every image the loader kept, grouped for cross-validation ({@link Folds}): for 2-D images the three
   * parts' images, each its own group; for a volume every kept slice (also those the single split left out
   * to keep neighbouring slices of its parts apart), in slabs.
   */
  public Pool pool() {
    return pool != null ? pool : Pool.ofImages(all());
  }

  /** The canonical {@code --data} value this was loaded from. */
  public String spec() {
    return spec;
  }

  /** Common image height. */
  public int height() {
    return height;
  }

  /** Common image width. */
  public int width() {
    return width;
  }

  public List<Sample> train() {
    return train;
  }

  public List<Sample> val() {
    return val;
  }

  public List<Sample> test() {
    return test;
  }

  public List<Sample> split(Split s) {
    switch (s) {
      case TRAIN:
        return train;
      case VAL:
        return val;
      default:
        return test;
    }
  }

  /** All samples: training, then validation, then test. */
  public List<Sample> all() {
    List<Sample> all = new ArrayList<>(train.size() + val.size() + test.size());
    all.addAll(train);
    all.addAll(val);
    all.addAll(test);
    return Collections.unmodifiableList(all);
  }

  /** Warnings for the user (empty masks, resized images, ...), one line each. */
  public List<String> warnings() {
    return warnings;
  }

  /** Files that could not be read and were skipped ({@link LoadOptions#skipBad()}), with the reason. */
  public List<String> skipped() {
    return skipped;
  }

  /** Foreground pixels over all pixels of a part, pooled (NaN for an empty part). */
  public double foregroundFraction(Split s) {
    long fg = 0;
    long px = 0;
    for (Sample x : split(s)) {
      fg += x.foregroundPixels();
      px += (long) x.height() * x.width();
    }
    return px == 0 ? Double.NaN : fg / (double) px;
  }

  /** Bytes held by the images and masks. */
  public long bytes() {
    return MemoryCheck.pairBytes(train.size() + val.size() + test.size(), height, width);
  }

  /** Three lines: images, empty masks and foreground share per part. */
  public String summary() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%s: %dx%d", spec, height, width));
    for (Split s : Split.values()) {
      List<Sample> p = split(s);
      long empty = p.stream().filter(Sample::isEmpty).count();
      sb.append(String.format(Locale.ROOT, "%n  %-5s %6d images, %5.1f%% empty, foreground %.3f%%", s.label(), p.size(),
          p.isEmpty() ? 0.0 : 100.0 * empty / p.size(), 100 * foregroundFraction(s)));
    }
    return sb.toString();
  }

  @Override
  public String toString() {
    return "SegDataset[" + spec + ", " + height + "x" + width + ", train=" + train.size() + ", val=" + val.size() + ", test="
        + test.size() + "]";
  }
}
