package dev.segloss.train.compare;

import dev.segloss.train.ImageSet;
import dev.segloss.train.TrainConfig;
import dev.segloss.train.TrainingRun;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The data of the report's overlay pictures, computed by the comparison (the report only draws them): for
 * each of the {@value #LOSSES} leading losses, the best, median and worst test image (with foreground and a
 * defined Dice) of its representative seed — the seed whose mean test Dice is closest to the loss's — with
 * that seed's prediction (from the run that tested the image: with folds, the fold's model).
 */
public final class OverlayData {
  /** At most this many leading losses get overlay pictures. */
  public static final int LOSSES = 3;

  private OverlayData() {}

  /**
   * One picture.
   *
   * @param caption e.g. {@code best: synthetic-0042, dice 0.912}
   * @param image the image (normalised intensities, row-major)
   * @param mask its true mask
   * @param probability the predicted probabilities
   * @param height rows
   * @param width columns
   * @param threshold the threshold of the metrics
   */
  public record Picture(String caption, float[] image, float[] mask, float[] probability, int height, int width, double threshold) {}

  /**
   * The pictures of one loss.
   *
   * @param loss the spec
   * @param seed the representative seed
   * @param pictures best, median and worst
   */
  public record Set(String loss, long seed, List<Picture> pictures) {}

  /** Computes the pictures for the ranking (loads the runs' models from {@code root}). */
  static List<Set> compute(List<LossOutcome> ranking, ComparePlan plan, Path root) {
    List<Set> out = new ArrayList<>();
    Map<String, dev.segloss.data.Sample> images = plan.images();
    double threshold = plan.config().threshold();
    for (LossOutcome o : ranking) {
      if (out.size() >= LOSSES || o.rank() == 0) break;
      long seed = representative(o);
      if (seed < 0) continue;
      // the seed's per-image Dice over the comparison's test images, and which run tested each
      int n = plan.testImages().size();
      double[] dice = new double[n];
      RunOutcome[] by = new RunOutcome[n];
      int[] pos = new int[n];
      java.util.Arrays.fill(dice, Double.NaN);
      for (RunOutcome r : o.runs()) {
        if (r.seed() != seed || !r.evaluated()) continue;
        for (int k = 0; k < r.testIndex().length; k++) {
          dice[r.testIndex()[k]] = r.dice()[k];
          by[r.testIndex()[k]] = r;
          pos[r.testIndex()[k]] = k;
        }
      }
      List<Integer> idx = new ArrayList<>();
      for (int j = 0; j < n; j++) if (!Double.isNaN(dice[j]) && hasForeground(plan.testMasks().get(j))) idx.add(j);
      if (idx.isEmpty()) continue;
      idx.sort((a, b) -> Double.compare(dice[b], dice[a]));
      int[] pick = {idx.get(0), idx.get(idx.size() / 2), idx.get(idx.size() - 1)};
      String[] label = {"best", "median", "worst"};
      List<Picture> pics = new ArrayList<>();
      for (int q = 0; q < 3; q++) {
        int j = pick[q];
        var s = images.get(plan.testImages().get(j));
        RunOutcome run = by[j];
        Path model = root.resolve(run.dir()).resolve(dev.segloss.train.ModelFiles.MODEL);
        TrainConfig tc = TrainingRun.readConfig(model.getParent());
        float[] prob = RunExecutor.probabilities(model, ImageSet.of(List.of(s)), tc)[0];
        pics.add(new Picture(String.format(Locale.ROOT, "%s: %s, dice %.3f", label[q], s.name(), dice[j]), s.image(), s.mask(), prob, s.height(),
            s.width(), threshold));
      }
      out.add(new Set(o.spec(), seed, pics));
    }
    return out;
  }

  /** The seed whose mean test Dice (over its runs) is closest to the loss's mean; -1 when none was evaluated. */
  static long representative(LossOutcome o) {
    long best = -1;
    double gap = Double.POSITIVE_INFINITY;
    for (long seed : o.runs().stream().map(RunOutcome::seed).distinct().toList()) {
      double m = Stat.of(o.runs().stream().filter(r -> r.seed() == seed && r.evaluated()).mapToDouble(r -> r.macro().get("dice")).toArray()).mean();
      if (Double.isNaN(m)) continue;
      double g = Math.abs(m - o.dice());
      if (g < gap) {
        gap = g;
        best = seed;
      }
    }
    return best;
  }

  private static boolean hasForeground(float[] m) {
    for (float v : m) if (v >= 0.5f) return true;
    return false;
  }
}
