package dev.segloss.train.compare;

import dev.segloss.data.Sample;
import dev.segloss.train.ImageSet;
import dev.segloss.train.ModelFiles;
import dev.segloss.train.TrainConfig;
import dev.segloss.train.TrainingRun;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The data of the report's overlay pictures, computed by the comparison (the report only draws them): the
 * same test images for each of the {@value #LOSSES} leading losses side by side (issue 12), chosen by {@link
 * OverlayChoice} — the best loss's best, median and worst image, then the images where the leading losses
 * disagree most. Each loss is shown by its representative seed, the seed whose mean test Dice is closest to
 * the loss's, with that seed's prediction of the image from the run that tested it (with folds, the
 * fold's model).
 */
public final class OverlayData {
  /** At most this many leading losses are shown. */
  public static final int LOSSES = 3;

  private OverlayData() {}

  /**
   * One test image, shown for every leading loss.
   *
   * @param name the image's name
   * @param why why it was chosen ({@link OverlayChoice.Pick#why()})
   * @param image the image (normalised intensities, row-major)
   * @param mask its true mask
   * @param height rows
   * @param width columns
   * @param threshold the threshold of the metrics
   * @param cells one per leading loss, best first
   */
  public record Row(String name, String why, float[] image, float[] mask, int height, int width, double threshold, List<Cell> cells) {}

  /**
   * One leading loss's prediction of a row's image.
   *
   * @param loss the loss spec
   * @param seed its representative seed
   * @param dice the Dice of this prediction (NaN where undefined)
   * @param probability the predicted probabilities, or null when the seed's run for the image produced no
   *     model
   */
  public record Cell(String loss, long seed, double dice, float[] probability) {}

  /** Computes the rows for the ranking (loads the runs' models from {@code root}, each once). */
  static List<Row> compute(List<LossOutcome> ranking, ComparePlan plan, Path root) {
    int n = plan.testImages().size();
    List<LossOutcome> leading = new ArrayList<>();
    List<Long> seeds = new ArrayList<>();
    List<double[]> dice = new ArrayList<>();
    List<RunOutcome[]> tested = new ArrayList<>();
    for (LossOutcome o : ranking) {
      if (leading.size() >= LOSSES || o.rank() == 0) break;
      long seed = representative(o);
      if (seed < 0) continue;
      // the seed's per-image Dice over the comparison's test images, and which run tested each
      double[] d = new double[n];
      RunOutcome[] by = new RunOutcome[n];
      Arrays.fill(d, Double.NaN);
      for (RunOutcome r : o.runs()) {
        if (r.seed() != seed || !r.evaluated()) continue;
        for (int k = 0; k < r.testIndex().length; k++) {
          d[r.testIndex()[k]] = r.dice()[k];
          by[r.testIndex()[k]] = r;
        }
      }
      leading.add(o);
      seeds.add(seed);
      dice.add(d);
      tested.add(by);
    }
    if (leading.isEmpty()) return List.of();
    boolean[] foreground = new boolean[n];
    for (int j = 0; j < n; j++) foreground[j] = hasForeground(plan.testMasks().get(j));
    List<OverlayChoice.Pick> picks = OverlayChoice.choose(leading.stream().map(LossOutcome::spec).toList(), dice.toArray(double[][]::new),
        foreground);
    Map<String, Sample> images = plan.images();

    // predictions: per leading loss, per run, the picked images it tested, in one pass of its model
    List<Map<Integer, float[]>> probs = new ArrayList<>();
    for (int l = 0; l < leading.size(); l++) {
      Map<Integer, List<Integer>> byRun = new LinkedHashMap<>(); // run index -> picked images it tested
      Map<Integer, RunOutcome> runs = new LinkedHashMap<>();
      for (OverlayChoice.Pick p : picks) {
        RunOutcome run = tested.get(l)[p.index()];
        if (run == null) continue;
        runs.put(run.index(), run);
        byRun.computeIfAbsent(run.index(), k -> new ArrayList<>()).add(p.index());
      }
      Map<Integer, float[]> out = new LinkedHashMap<>();
      for (Map.Entry<Integer, List<Integer>> e : byRun.entrySet()) {
        Path model = root.resolve(runs.get(e.getKey()).dir()).resolve(ModelFiles.MODEL);
        TrainConfig tc = TrainingRun.readConfig(model.getParent());
        List<Sample> samples = e.getValue().stream().map(j -> images.get(plan.testImages().get(j))).toList();
        float[][] p = RunExecutor.probabilities(model, ImageSet.of(samples), tc);
        for (int q = 0; q < p.length; q++) out.put(e.getValue().get(q), p[q]);
      }
      probs.add(out);
    }

    List<Row> rows = new ArrayList<>();
    for (OverlayChoice.Pick p : picks) {
      Sample s = images.get(plan.testImages().get(p.index()));
      List<Cell> cells = new ArrayList<>();
      for (int l = 0; l < leading.size(); l++) {
        cells.add(new Cell(leading.get(l).spec(), seeds.get(l), dice.get(l)[p.index()], probs.get(l).get(p.index())));
      }
      rows.add(new Row(s.name(), p.why(), s.image(), s.mask(), s.height(), s.width(), plan.config().threshold(), cells));
    }
    return rows;
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
