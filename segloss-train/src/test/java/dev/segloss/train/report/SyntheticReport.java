package dev.segloss.train.report;

import dev.segloss.train.EpochStats;
import dev.segloss.train.compare.CompareConfig;
import dev.segloss.train.compare.CompareJob;
import dev.segloss.train.compare.CompareResult;
import dev.segloss.train.compare.LossOutcome;
import dev.segloss.train.compare.SeedRun;
import dev.segloss.train.compare.Stat;
import dev.segloss.train.compare.Wilcoxon;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * A compare result made up without training (deterministic numbers shaped like a real one), as large as
 * the default comparison — seven losses with their long specs, three seeds, twelve epochs — so that the
 * report's layout meets the widths and lengths a user's report has.
 */
final class SyntheticReport {
  static final List<String> LOSSES = List.of("combined(dice_weight=0.5, w_pos=auto)", "dice", "tversky(alpha=0.3, beta=0.7)", "bce(w_pos=auto)",
      "focal", "lovasz", "bce");
  static final int SEEDS = 3, EPOCHS = 12, TEST = 9, SIZE = 64;

  private SyntheticReport() {}

  static CompareResult result(Path out) {
    CompareConfig c = CompareConfig.builder().losses(LOSSES).seeds(SEEDS).epochs(EPOCHS).out(out).build();
    Random rnd = new Random(12);
    List<String> names = new ArrayList<>();
    for (int j = 0; j < TEST; j++) names.add(String.format(Locale.ROOT, "synthetic-%04d", 351 + j));
    List<LossOutcome> ranking = new ArrayList<>();
    for (int i = 0; i < LOSSES.size(); i++) {
      double level = 0.62 - 0.05 * i;
      List<SeedRun> runs = new ArrayList<>();
      for (int s = 1; s <= SEEDS; s++) {
        Map<String, double[]> per = new LinkedHashMap<>();
        Map<String, Double> macro = new LinkedHashMap<>();
        for (String m : List.of("dice", "iou", "precision", "recall", "hd95")) {
          double[] v = new double[TEST];
          for (int j = 0; j < TEST; j++) v[j] = m.equals("hd95") ? 3 + 10 * rnd.nextDouble() : clamp(level + 0.15 * rnd.nextGaussian());
          per.put(m, v);
          macro.put(m, Stat.of(v).mean());
        }
        List<EpochStats> history = new ArrayList<>();
        for (int e = 1; e <= EPOCHS; e++) {
          double t = 1 - Math.exp(-e / 4.0);
          history.add(new EpochStats(e, 3e-3, 0.9 - 0.5 * t + 0.01 * rnd.nextGaussian(), 0.95 - 0.45 * t + 0.02 * rnd.nextGaussian(),
              clamp(level * t + 0.02 * rnd.nextGaussian()), 1.6, 0.01));
        }
        runs.add(new SeedRun(s, "completed", "completed " + EPOCHS + " epochs", EPOCHS, EPOCHS - 1, level, 19.5, macro, per, per.get("dice"),
            level + 0.1, level + 0.02, 0.45, level + 0.03, pr(level + 0.1), history));
      }
      Map<String, Stat> metrics = new LinkedHashMap<>();
      for (String m : List.of("dice", "iou", "precision", "recall", "hd95")) {
        metrics.put(m, Stat.of(runs.stream().mapToDouble(r -> r.macro().get(m)).toArray()));
      }
      double[] valDice = new double[EPOCHS];
      for (int e = 0; e < EPOCHS; e++) {
        final int k = e;
        valDice[e] = Stat.of(runs.stream().mapToDouble(r -> r.history().get(k).valDice()).toArray()).mean();
      }
      boolean best = i == 0;
      Wilcoxon.Result test = best ? null : new Wilcoxon.Result(TEST, 0, 10, 35, 10, -1.5, 0.01 * i, true, -0.05 * i);
      String resolved = LOSSES.get(i).contains("auto") ? LOSSES.get(i).replace("w_pos=auto", "w_pos=8.61") : LOSSES.get(i);
      ranking.add(new LossOutcome(i, LOSSES.get(i), resolved, "loss-" + i, runs, metrics, Stat.of(0.7 - 0.05 * i, 0.71 - 0.05 * i),
          Stat.of(level + 0.02, level + 0.03), Stat.of(0.4, 0.5), runs.get(0).perImage().get("dice"), pr(level + 0.1), valDice, i + 1, test,
          best ? Double.NaN : Math.min(1, 0.03 * i), best ? "best" : i < 3 ? "within noise" : "worse"));
    }
    return new CompareResult(c, "data: 280 train, 60 val, 60 test image/mask pairs of 64x64 from synthetic:size=64", "synthetic:size=64,n=400", names,
        ranking, "Use combined(dice_weight=0.5, w_pos=auto) (test Dice 0.620 ± 0.021 over 3 seeds); dice and tversky(alpha=0.3, beta=0.7) are within noise.",
        600, List.of(), List.of());
  }

  /** Best, median and worst overlays of the first three losses: discs predicted a little off. */
  static List<CompareReport.OverlaySet> overlays(CompareResult r) {
    List<CompareReport.OverlaySet> out = new ArrayList<>();
    int scale = (int) Math.ceil(400.0 / SIZE);
    for (int i = 0; i < 3; i++) {
      LossOutcome o = r.ranking().get(i);
      List<String> captions = new ArrayList<>();
      List<byte[]> pngs = new ArrayList<>();
      String[] label = {"best", "median", "worst"};
      for (int q = 0; q < 3; q++) {
        float[][] p = picture(q + 3 * i);
        pngs.add(Charts.png(Overlays.render(p[0], p[1], p[2], SIZE, SIZE, 0.5, scale)));
        captions.add(String.format(Locale.ROOT, "%s: %s, dice %.3f", label[q], r.testImages().get(q), 0.9 - 0.2 * q));
      }
      out.add(new CompareReport.OverlaySet(o, o.runs().get(0), captions, pngs, SIZE * scale / 2, SIZE * scale / 2));
    }
    return out;
  }

  /** {image, truth, probability}: a bright disc on a noisy background, predicted shifted by {@code k} pixels. */
  static float[][] picture(int k) {
    float[] img = new float[SIZE * SIZE], truth = new float[SIZE * SIZE], prob = new float[SIZE * SIZE];
    Random rnd = new Random(k);
    for (int y = 0; y < SIZE; y++) {
      for (int x = 0; x < SIZE; x++) {
        int i = y * SIZE + x;
        boolean in = (x - 30) * (x - 30) + (y - 32) * (y - 32) < 14 * 14;
        boolean pred = (x - 30 - k) * (x - 30 - k) + (y - 32) * (y - 32) < (12 + k % 3) * (12 + k % 3);
        img[i] = (in ? 1.2f : 0f) + (float) (0.3 * rnd.nextGaussian()) + x / 64f;
        truth[i] = in ? 1 : 0;
        prob[i] = pred ? 0.9f : 0.1f;
      }
    }
    return new float[][] {img, truth, prob};
  }

  static String html(Path out) {
    CompareResult r = result(out);
    return CompareReport.html(r, CompareReport.learningCurves(r), CompareReport.prCurves(r), overlays(r));
  }

  private static double[] pr(double level) {
    double[] p = new double[CompareJob.RECALL_GRID.length];
    for (int k = 0; k < p.length; k++) p[k] = clamp(1 - (1 - level) * Math.pow(CompareJob.RECALL_GRID[k], 3));
    return p;
  }

  private static double clamp(double v) {
    return Math.max(0, Math.min(1, v));
  }
}
