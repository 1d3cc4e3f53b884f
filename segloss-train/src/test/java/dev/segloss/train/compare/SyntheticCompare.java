package dev.segloss.train.compare;

import dev.segloss.train.EpochStats;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * A comparison's result made up without training — deterministic numbers shaped like a real one, aggregated,
 * ranked and advised by the comparison's own code — as large as the default comparison (seven losses with
 * their long specs, three seeds, twelve epochs), so that the report meets the widths and lengths a user's
 * report has. For the report's tests.
 */
public final class SyntheticCompare {
  public static final List<String> LOSSES = CompareConfig.DEFAULT_LOSSES;
  public static final int SEEDS = 3, EPOCHS = 12, TEST = 9, SIZE = 64;

  private SyntheticCompare() {}

  public static CompareResult result(Path out) {
    CompareConfig c = CompareConfig.builder().losses(LOSSES).seeds(SEEDS).out(out).build();
    List<String> names = new ArrayList<>();
    for (int j = 0; j < TEST; j++) names.add(String.format(Locale.ROOT, "synthetic-%04d", 341 + j));
    int[] idx = new int[TEST];
    for (int j = 0; j < TEST; j++) idx[j] = j;
    List<LossOutcome> outcomes = new ArrayList<>();
    for (int i = 0; i < LOSSES.size(); i++) {
      Random rnd = new Random(100 + i);
      double level = 0.62 - 0.06 * i;
      List<RunOutcome> runs = new ArrayList<>();
      for (int s = 1; s <= SEEDS; s++) {
        Map<String, double[]> per = new LinkedHashMap<>();
        Map<String, Double> macro = new LinkedHashMap<>();
        for (String m : List.of("dice", "iou", "precision", "recall", "hd95")) {
          double[] v = new double[TEST];
          for (int j = 0; j < TEST; j++) {
            v[j] = m.equals("hd95") ? 3 + 10 * rnd.nextDouble() : clamp(level + 0.25 * Math.sin(j * (i + 1.3)) + 0.05 * rnd.nextGaussian());
          }
          per.put(m, v);
          macro.put(m, RunExecutor.nanMean(v));
        }
        List<EpochStats> history = new ArrayList<>();
        boolean still = i == 6; // the last loss is still improving at its last epoch
        for (int e = 1; e <= EPOCHS; e++) {
          double t = still ? e / (double) EPOCHS : 1 - Math.exp(-e / 2.5);
          history.add(new EpochStats(e, 3e-3, 0.9 - 0.5 * t + 0.01 * rnd.nextGaussian(), 0.95 - 0.45 * t + 0.02 * rnd.nextGaussian(),
              clamp(level * t + 0.01 * rnd.nextGaussian()), 1.6, 0.01));
        }
        Diagnosis.Predictions p = new Diagnosis.Predictions(TEST * SIZE * SIZE, 1200, 1100 + 40 * i, 0.3);
        runs.add(new RunOutcome((i * SEEDS) + s - 1, i, s, 0, "runs/" + (i + 1) + "-loss/seed-" + s, LOSSES.get(i), "completed",
            "completed " + EPOCHS + " epochs", EPOCHS, 35L * EPOCHS, EPOCHS - 1, level, 19.5, macro, per, idx.clone(), level + 0.1, level + 0.02, 0.45,
            level + 0.03, pr(level + 0.1), p, Diagnosis.of("completed", "completed", history, p), history, null));
      }
      String resolved = LOSSES.get(i).replace("w_pos=auto", "w_pos=8.61");
      outcomes.add(Ranking.aggregate(i, LOSSES.get(i), List.of(resolved), (i + 1) + "-loss", runs, TEST));
    }
    List<LossOutcome> ranked = Ranking.rank(outcomes);
    Advice a = Advice.of(ranked, new Advice.Context(TEST, 420, 0.04, 280, 0.5, 1));
    CompareResult.BudgetInfo b = new CompareResult.BudgetInfo("default", 420, "updates", 8, List.of(new Budget.Length(EPOCHS, 0, 35)), new int[] {0, 0},
        "whole images (64x64)", "single split: 280 train, 60 validation, 60 test", 1, SEEDS, SEEDS * LOSSES.size(), 0.04, 0.003, 400, 410, 0, List.of(), 1);
    CompareResult r = new CompareResult(c, "data: 280 train, 60 val, 60 test image/mask pairs of 64x64 from synthetic:size=64", "synthetic:size=64", b,
        names, ranked, a.text(), a.winner(), Ranking.powerOf(ranked), 410, List.of(), a.warnings(), List.of(), List.of(), RunExecutor.RECALL_GRID,
        Ranking.ALPHA);
    return r.withOverlays(overlays(r));
  }

  /** Rows as {@link OverlayData} chooses them, over made-up pictures: a bright disc, predicted shifted by an amount that grows with the loss's rank. */
  static List<OverlayData.Row> overlays(CompareResult r) {
    List<LossOutcome> leading = r.ranking().subList(0, OverlayData.LOSSES);
    double[][] dice = new double[leading.size()][];
    for (int l = 0; l < leading.size(); l++) dice[l] = leading.get(l).runs().get(0).dice();
    boolean[] fg = new boolean[TEST];
    java.util.Arrays.fill(fg, true);
    List<OverlayData.Row> rows = new ArrayList<>();
    for (OverlayChoice.Pick p : OverlayChoice.choose(leading.stream().map(LossOutcome::spec).toList(), dice, fg)) {
      float[][] pic = picture(p.index(), 0);
      List<OverlayData.Cell> cells = new ArrayList<>();
      for (int l = 0; l < leading.size(); l++) {
        cells.add(new OverlayData.Cell(leading.get(l).spec(), 1, dice[l][p.index()], l == 2 && p.index() == 4 ? null : picture(p.index(), 2 * l + p.index() % 3)[2]));
      }
      rows.add(new OverlayData.Row(r.testImages().get(p.index()), p.why(), pic[0], pic[1], SIZE, SIZE, 0.5, cells));
    }
    return rows;
  }

  /** {image, truth, probability}: a bright disc on a noisy ramp, predicted shifted right by {@code shift} pixels. */
  static float[][] picture(int k, int shift) {
    float[] img = new float[SIZE * SIZE], truth = new float[SIZE * SIZE], prob = new float[SIZE * SIZE];
    Random rnd = new Random(k);
    int cx = 26 + 2 * k, cy = 30, rad = 10 + k % 4;
    for (int y = 0; y < SIZE; y++) {
      for (int x = 0; x < SIZE; x++) {
        int i = y * SIZE + x;
        boolean in = (x - cx) * (x - cx) + (y - cy) * (y - cy) < rad * rad;
        boolean pred = (x - cx - shift) * (x - cx - shift) + (y - cy) * (y - cy) < (rad - 1) * (rad - 1);
        img[i] = (in ? 1.2f : 0f) + (float) (0.3 * rnd.nextGaussian()) + x / 64f;
        truth[i] = in ? 1 : 0;
        prob[i] = pred ? 0.9f : 0.1f;
      }
    }
    return new float[][] {img, truth, prob};
  }

  private static double[] pr(double level) {
    double[] p = new double[RunExecutor.RECALL_GRID.length];
    for (int k = 0; k < p.length; k++) p[k] = clamp(1 - (1 - level) * Math.pow(RunExecutor.RECALL_GRID[k], 3));
    return p;
  }

  private static double clamp(double v) {
    return Math.max(0, Math.min(1, v));
  }
}
