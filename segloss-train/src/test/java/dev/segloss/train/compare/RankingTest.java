package dev.segloss.train.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segloss.train.EpochStats;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Ranking, paired tests, Holm adjustment, verdicts and aggregation over seeds and folds, on hand-made per-image Dice. */
class RankingTest {
  static final int IMAGES = 40;

  /** A converged run whose per-image Dice over all IMAGES test images is {@code dice}; other metrics follow it. */
  static RunOutcome run(int lossIndex, long seed, double[] dice) {
    int[] idx = new int[dice.length];
    for (int i = 0; i < idx.length; i++) idx[i] = i;
    return run(lossIndex, seed, 0, dice, idx, new Diagnosis(Diagnosis.Kind.CONVERGED, "flat", false), dice);
  }

  /** A run testing the images {@code testIndex} with Dice {@code dice}, precision and recall {@code pr}. */
  static RunOutcome run(int lossIndex, long seed, int fold, double[] dice, int[] testIndex, Diagnosis d, double[] precisionRecall) {
    Map<String, Double> macro = new LinkedHashMap<>();
    Map<String, double[]> per = new LinkedHashMap<>();
    for (String k : List.of("dice", "iou", "precision", "recall", "hd95")) {
      double[] v = k.equals("precision") || k.equals("recall") ? precisionRecall.clone() : dice.clone();
      per.put(k, v);
      macro.put(k, RunExecutor.nanMean(v));
    }
    double[] pr = new double[RunExecutor.RECALL_GRID.length];
    Arrays.fill(pr, 0.5);
    List<EpochStats> hist = List.of(new EpochStats(1, 1e-3, 0.5, 0.5, 0.5, 1, 0));
    return new RunOutcome(0, lossIndex, seed, fold, "runs/x/seed-" + seed, "spec", "completed", "ok", 5, 100, 5, 0.5, 1, macro, per, testIndex,
        0.4, RunExecutor.nanMean(dice) + 0.01, 0.5, 0.45, pr, new Diagnosis.Predictions(100, 10, 10, 0.2), d, hist, null);
  }

  static RunOutcome failed(int lossIndex, long seed) {
    Map<String, Double> macro = new LinkedHashMap<>();
    Map<String, double[]> per = new LinkedHashMap<>();
    double[] nan = new double[IMAGES];
    Arrays.fill(nan, Double.NaN);
    for (String k : List.of("dice", "iou", "precision", "recall", "hd95")) {
      per.put(k, nan);
      macro.put(k, Double.NaN);
    }
    double[] pr = new double[RunExecutor.RECALL_GRID.length];
    Arrays.fill(pr, Double.NaN);
    int[] idx = new int[IMAGES];
    for (int i = 0; i < IMAGES; i++) idx[i] = i;
    return new RunOutcome(0, lossIndex, seed, 0, "x", "spec", "diverged", "loss became NaN", 1, 4, 0, Double.NaN, 1, macro, per, idx, Double.NaN,
        Double.NaN, Double.NaN, Double.NaN, pr, null, new Diagnosis(Diagnosis.Kind.DIVERGED, "loss became NaN", false), List.of(), null);
  }

  /** Per-image Dice: a base level, plus a per-image effect shared by all losses, plus small noise. */
  static double[] dice(double level, long seed) {
    SplittableRandom shared = new SplittableRandom(99), r = new SplittableRandom(seed);
    double[] d = new double[IMAGES];
    for (int i = 0; i < IMAGES; i++) d[i] = Math.min(1, Math.max(0, level + 0.2 * (shared.nextDouble() - 0.5) + 0.01 * r.nextGaussian()));
    return d;
  }

  static LossOutcome outcome(int index, String spec, double level) {
    List<RunOutcome> runs = new ArrayList<>();
    for (long s = 1; s <= 3; s++) runs.add(run(index, s, dice(level, index * 10 + s)));
    return Ranking.aggregate(index, spec, List.of(spec), "x" + index, runs, IMAGES);
  }

  @Test
  void clearWinnerNoiseTwinAndClearLoser() {
    List<LossOutcome> ranked = Ranking.rank(List.of(
        outcome(0, "bce", 0.40), outcome(1, "dice", 0.70), outcome(2, "dice(smooth_nr=1e-5)", 0.7005), outcome(3, "lovasz", 0.55)));
    // the twins (0.70 and 0.7005 under per-image noise of 0.01) take the first two places in either order
    assertEquals(java.util.Set.of("dice", "dice(smooth_nr=1e-5)"), java.util.Set.of(ranked.get(0).spec(), ranked.get(1).spec()));
    assertEquals(List.of("lovasz", "bce"), List.of(ranked.get(2).spec(), ranked.get(3).spec()));
    assertTrue(ranked.get(0).dice() >= ranked.get(1).dice());
    assertEquals(List.of(1, 2, 3, 4), ranked.stream().map(LossOutcome::rank).toList());
    assertEquals(List.of("best", "within noise", "worse", "worse"), ranked.stream().map(LossOutcome::verdict).toList());
    assertNull(ranked.get(0).test());
    // Holm: the adjusted p is at least the raw p, and the smallest raw p is multiplied by the number of tests
    for (LossOutcome o : ranked.subList(1, 4)) assertTrue(o.pHolm() >= o.test().p());
    double minRaw = ranked.subList(1, 4).stream().mapToDouble(o -> o.test().p()).min().orElseThrow();
    double minHolm = ranked.subList(1, 4).stream().mapToDouble(LossOutcome::pHolm).min().orElseThrow();
    assertEquals(Math.min(1, 3 * minRaw), minHolm, 1e-15);
    // every image differs in the same direction for a clear loser: the smallest exact-free p with n = 40
    assertEquals(40, ranked.get(3).test().n());
    assertTrue(ranked.get(3).test().p() < 1e-6);
    // mean ± std over the three seeds
    assertEquals(3, ranked.get(0).metrics().get("dice").n());
    assertTrue(ranked.get(0).metrics().get("dice").std() > 0);
    Advice a = Advice.of(ranked, Advice.Context.of(-1));
    assertTrue(a.winner());
    String rec = a.text();
    assertTrue(rec.startsWith(String.format(java.util.Locale.ROOT, "Use %s (test Dice %.3f ± %.3f over 3 seeds)", ranked.get(0).spec(),
        ranked.get(0).dice(), ranked.get(0).metrics().get("dice").std())), rec);
    assertTrue(rec.contains("; " + ranked.get(1).spec() + " is within noise of it"), rec);
    assertEquals(rec, Advice.of(ranked, Advice.Context.of(12)).text());
    assertTrue(a.warnings().isEmpty(), a.warnings().toString());
    // a test split without foreground cannot rank losses: no recommendation, and it says why
    Advice none = Advice.of(ranked, Advice.Context.of(0));
    assertTrue(none.text().startsWith("No recommendation: no test image has foreground"), none.text());
    assertFalse(none.text().contains("Use "), none.text());
    assertFalse(none.winner());
    assertEquals(none.text(), none.warnings().get(0));
  }

  @Test
  void failedLossesAreListedLastAndNamed() {
    List<RunOutcome> runs = List.of(failed(2, 1), failed(2, 2));
    LossOutcome dead = Ranking.aggregate(2, "bce(w_pos=1000)", List.of("bce(w_pos=1000)"), "x", runs, IMAGES);
    assertEquals(Diagnosis.Kind.DIVERGED, dead.diagnosis());
    List<LossOutcome> ranked = Ranking.rank(List.of(dead, outcome(0, "dice", 0.7), outcome(1, "bce", 0.3)));
    assertEquals("failed", ranked.get(2).verdict());
    assertEquals(0, ranked.get(2).rank());
    Advice a = Advice.of(ranked, Advice.Context.of(-1));
    assertTrue(a.text().startsWith("Use dice (test Dice"), a.text());
    assertTrue(a.text().contains("every other loss is significantly worse"), a.text());
    assertTrue(a.text().endsWith("1 loss failed (see the report)."), a.text());
    // the diverged loss is named in the warnings
    assertEquals(List.of("bce(w_pos=1000): diverged in 2 of 2 runs (seed 1: loss became NaN)"), a.warnings());
    assertTrue(Advice.of(Ranking.rank(List.of(dead)), Advice.Context.of(-1)).text().startsWith("No loss produced a usable model"));
  }

  @Test
  void aSingleLossIsNotSaidToBeatTheOthers() {
    Advice a = Advice.of(Ranking.rank(List.of(outcome(0, "dice", 0.7))), Advice.Context.of(-1));
    assertTrue(a.text().startsWith("Use dice (test Dice"), a.text());
    assertTrue(a.text().endsWith("it is the only loss with a model, so nothing was compared."), a.text());
  }

  /**
   * Folds: each run tests a fifth of the images; the per-image Dice of the paired test comes from the run
   * that tested the image (averaged over seeds), every image once; metrics are mean ± std over all runs.
   */
  @Test
  void foldsPairEveryImageOnceAndAverageOverRuns() {
    int k = 5, per = IMAGES / k;
    List<RunOutcome> runs = new ArrayList<>();
    for (long s = 1; s <= 2; s++) {
      for (int f = 0; f < k; f++) {
        int[] idx = new int[per];
        double[] d = new double[per];
        for (int i = 0; i < per; i++) {
          idx[i] = f + k * i; // interleaved, as folds of slabs need not be contiguous
          d[i] = idx[i] / 100.0 + s / 1000.0;
        }
        runs.add(run(0, s, f + 1, d, idx, new Diagnosis(Diagnosis.Kind.CONVERGED, "flat", false), d));
      }
    }
    LossOutcome o = Ranking.aggregate(0, "dice", List.of("a", "b", "c", "d", "e"), "x", runs, IMAGES);
    for (int j = 0; j < IMAGES; j++) assertEquals(j / 100.0 + 0.0015, o.pairedDice()[j], 1e-12, "image " + j);
    assertEquals(10, o.metrics().get("dice").n());
    double mean = runs.stream().mapToDouble(r -> r.macro().get("dice")).average().orElseThrow();
    assertEquals(mean, o.dice(), 1e-12);
    assertEquals("a | b | c | d | e", o.resolvedText());
  }

  /** With few test images no comparison can reach α after Holm: no tests, verdicts "not tested", and the advice says why. */
  @Test
  void tooFewTestImagesGiveNoVerdicts() {
    // 5 images, 3 comparisons: smallest p = 2/32 = 0.0625 ≥ 0.05 even before Holm
    List<LossOutcome> four = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      double[] d = {0.9 - 0.1 * i, 0.8 - 0.1 * i, 0.7 - 0.1 * i, 0.85 - 0.1 * i, 0.75 - 0.1 * i};
      four.add(Ranking.aggregate(i, "loss" + i, List.of("loss" + i), "x" + i, List.of(run(i, 1, d)), 5));
    }
    List<LossOutcome> ranked = Ranking.rank(four);
    assertEquals(List.of("best", "not tested", "not tested", "not tested"), ranked.stream().map(LossOutcome::verdict).toList());
    assertTrue(ranked.stream().allMatch(o -> o.test() == null));
    Power p = Ranking.powerOf(ranked);
    assertEquals(5, p.images());
    assertEquals(3, p.comparisons());
    assertEquals(2.0 / 32, p.smallestP(), 1e-15);
    assertEquals(3 * 2.0 / 32, p.smallestAdjusted(), 1e-15);
    assertFalse(p.enough());
    Advice a = Advice.of(ranked, Advice.Context.of(-1));
    assertFalse(a.winner());
    assertTrue(a.text().startsWith("loss0 has the best mean test Dice, 0.800, but this is not a recommendation: With 5 paired test images the smallest"
        + " attainable two-sided Wilcoxon p is 2/2^5 = 0.0625 (0.188 after Holm's adjustment over 3 comparisons), so no loss can be shown to differ"
        + " from the best at p < 0.05 whatever the results: no verdicts are given."), a.text());
    assertTrue(a.text().endsWith("Test more images: --folds 5 tests every image once."), a.text());
    // 7 images and the same 3 comparisons can (3 · 2/128 = 0.047), 6 cannot (3 · 2/64 = 0.094)
    assertTrue(Power.of(7, 3, 0.05).enough());
    assertFalse(Power.of(6, 3, 0.05).enough());
  }

  @Test
  void statAndSlugs() {
    Stat s = Stat.of(1, 2, 3, Double.NaN);
    assertEquals(2, s.mean(), 0);
    assertEquals(1, s.std(), 1e-15);
    assertEquals(3, s.n());
    assertTrue(Double.isNaN(Stat.of(5).std()));
    assertTrue(Double.isNaN(Stat.of().mean()));
    assertEquals(List.of("1-bce_w_pos_auto", "2-0.5_bce_0.5_dice"), ComparePlan.slugs(List.of("bce(w_pos=auto)", "0.5*bce + 0.5*dice")));
  }
}
