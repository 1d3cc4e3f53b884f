package dev.segloss.train.compare;

import dev.segloss.core.metrics.SurfaceDistances;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Per-volume 3-D metrics of the test slices of {@code nifti:} data: each volume's test slices are put back
 * at their slice positions, and the stack is scored as one 3-D segmentation — Dice from the pooled counts
 * of those slices, and HD95 (MedPy's definition, {@link SurfaceDistances}) in millimetres from the
 * volume's voxel spacing along the slice axis, the rows and the columns. Slices that were not tested lie
 * between them as empty in both truth and prediction, so the ends of each test slab are surface in both
 * (with a single split the test slabs are a few slices thick; with {@code --folds} every kept slice is
 * tested, and each volume is reassembled whole from the folds' models).
 */
public final class VolumeMetrics {
  private VolumeMetrics() {}

  /**
   * Where the comparison's test images lie in their volumes.
   *
   * @param volumes volume names
   * @param spacing per volume, the voxel spacing in mm {along slices, along rows, along columns}
   * @param volumeOf per test image of the comparison, its volume's position in {@code volumes}
   * @param sliceOf per test image, its slice index along the slicing axis
   * @param masks per test image, its true mask (0/1, row-major height × width)
   * @param height slice height
   * @param width slice width
   */
  public record Layout(List<String> volumes, List<double[]> spacing, int[] volumeOf, int[] sliceOf, List<float[]> masks, int height, int width) {}

  /**
   * One volume scored for one seed.
   *
   * @param seed the seed
   * @param volume the volume's name
   * @param slices test slices reassembled
   * @param dice 3-D Dice of those slices (NaN when truth and prediction are both empty)
   * @param hd95 HD95 in mm (NaN when either is empty)
   */
  public record SeedVolume(long seed, String volume, int slices, double dice, double hd95) {}

  /**
   * One volume scored for one loss: mean ± std over seeds.
   *
   * @param volume the volume's name
   * @param slices test slices reassembled
   * @param dice 3-D Dice over seeds
   * @param hd95 HD95 (mm) over seeds
   * @param perSeed each seed's values
   */
  public record LossVolume(String volume, int slices, Stat dice, Stat hd95, List<SeedVolume> perSeed) {}

  /** The per-volume metrics of one loss's runs. */
  public static List<LossVolume> of(List<RunOutcome> runs, Layout layout) {
    List<Long> seeds = runs.stream().map(RunOutcome::seed).distinct().sorted().toList();
    List<LossVolume> out = new ArrayList<>();
    for (int v = 0; v < layout.volumes().size(); v++) {
      List<SeedVolume> per = new ArrayList<>();
      int slices = 0;
      for (long s : seeds) {
        SeedVolume sv = seedVolume(runs.stream().filter(r -> r.seed() == s).toList(), layout, v, s);
        if (sv == null) continue;
        slices = sv.slices();
        per.add(sv);
      }
      if (per.isEmpty()) continue;
      out.add(new LossVolume(layout.volumes().get(v), slices, Stat.of(per.stream().mapToDouble(SeedVolume::dice).toArray()),
          Stat.of(per.stream().mapToDouble(SeedVolume::hd95).toArray()), List.copyOf(per)));
    }
    return out;
  }

  /** Volume {@code v} reassembled from the runs of one seed; null when no run of the seed kept masks for it. */
  static SeedVolume seedVolume(List<RunOutcome> runs, Layout layout, int v, long seed) {
    int h = layout.height(), w = layout.width(), px = h * w;
    // test images of the volume, with the run and position that predicted them
    int lo = Integer.MAX_VALUE, hi = Integer.MIN_VALUE;
    List<int[]> items = new ArrayList<>(); // {global index, run index, position in run}
    for (int r = 0; r < runs.size(); r++) {
      RunOutcome run = runs.get(r);
      if (run.masks() == null) continue;
      for (int k = 0; k < run.testIndex().length; k++) {
        int j = run.testIndex()[k];
        if (layout.volumeOf()[j] != v) continue;
        items.add(new int[] {j, r, k});
        lo = Math.min(lo, layout.sliceOf()[j]);
        hi = Math.max(hi, layout.sliceOf()[j]);
      }
    }
    if (items.isEmpty()) return null;
    int depth = hi - lo + 1;
    boolean[] truth = new boolean[depth * px], pred = new boolean[depth * px];
    long tp = 0, fp = 0, fn = 0;
    for (int[] it : items) {
      float[] m = layout.masks().get(it[0]);
      RunOutcome run = runs.get(it[1]);
      int base = (layout.sliceOf()[it[0]] - lo) * px;
      for (int i = 0; i < px; i++) {
        boolean t = m[i] >= 0.5f, p = run.predicted(it[2], px, i);
        truth[base + i] = t;
        pred[base + i] = p;
        if (t && p) tp++;
        else if (p) fp++;
        else if (t) fn++;
      }
    }
    double dice = tp + fp + fn == 0 ? Double.NaN : 2.0 * tp / (2.0 * tp + fp + fn);
    double hd95 = tp + fn == 0 || tp + fp == 0 ? Double.NaN
        : SurfaceDistances.of(truth, pred, new int[] {depth, h, w}, layout.spacing().get(v)).hd95();
    return new SeedVolume(seed, layout.volumes().get(v), items.size(), dice, hd95);
  }

  /** E.g. "ch2: 3-D Dice 0.71 ± 0.02, HD95 4.1 ± 0.3 mm over 8 test slices". */
  public static String describe(LossVolume v) {
    return String.format(Locale.ROOT, "%s: 3-D Dice %s, HD95 %s mm over %d test slices", v.volume(), pm(v.dice(), 3), pm(v.hd95(), 1), v.slices());
  }

  private static String pm(Stat s, int digits) {
    if (Double.isNaN(s.mean())) return "-";
    String f = "%." + digits + "f";
    return Double.isNaN(s.std()) ? String.format(Locale.ROOT, f, s.mean()) : String.format(Locale.ROOT, f + " ± " + f, s.mean(), s.std());
  }
}
