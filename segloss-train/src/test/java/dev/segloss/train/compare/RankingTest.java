package dev.segloss.train.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Ranking, paired tests, Holm adjustment, verdicts and the recommendation, on hand-made per-image Dice. */
class RankingTest {
  static final int IMAGES = 40;

  /** A run whose per-image Dice is {@code dice}; other metrics follow it. */
  static SeedRun run(long seed, double[] dice) {
    Map<String, Double> macro = new LinkedHashMap<>();
    Map<String, double[]> per = new LinkedHashMap<>();
    for (String k : List.of("dice", "iou", "precision", "recall", "hd95")) {
      per.put(k, dice.clone());
      macro.put(k, CompareJob.nanMean(dice));
    }
    double[] pr = new double[CompareJob.RECALL_GRID.length];
    Arrays.fill(pr, 0.5);
    return new SeedRun(seed, "completed", "ok", 5, 5, 0.5, 1, macro, per, dice.clone(), 0.4, CompareJob.nanMean(dice) + 0.01, 0.5, 0.45, pr,
        List.of());
  }

  static SeedRun failed(long seed) {
    Map<String, Double> macro = new LinkedHashMap<>();
    Map<String, double[]> per = new LinkedHashMap<>();
    double[] nan = new double[IMAGES];
    Arrays.fill(nan, Double.NaN);
    for (String k : List.of("dice", "iou", "precision", "recall", "hd95")) {
      per.put(k, nan);
      macro.put(k, Double.NaN);
    }
    double[] pr = new double[CompareJob.RECALL_GRID.length];
    Arrays.fill(pr, Double.NaN);
    return new SeedRun(seed, "diverged", "loss became NaN", 1, 0, Double.NaN, 1, macro, per, nan, Double.NaN, Double.NaN, Double.NaN,
        Double.NaN, pr, List.of());
  }

  /** Per-image Dice: a base level, plus a per-image effect shared by all losses, plus small noise. */
  static double[] dice(double level, long seed) {
    SplittableRandom shared = new SplittableRandom(99), r = new SplittableRandom(seed);
    double[] d = new double[IMAGES];
    for (int i = 0; i < IMAGES; i++) d[i] = Math.min(1, Math.max(0, level + 0.2 * (shared.nextDouble() - 0.5) + 0.01 * r.nextGaussian()));
    return d;
  }

  static LossOutcome outcome(int index, String spec, double level) {
    List<SeedRun> runs = new ArrayList<>();
    for (long s = 1; s <= 3; s++) runs.add(run(s, dice(level, index * 10 + s)));
    return CompareJob.aggregate(index, spec, spec, "x" + index, runs, IMAGES);
  }

  @Test
  void clearWinnerNoiseTwinAndClearLoser() {
    List<LossOutcome> ranked = CompareJob.rank(List.of(
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
    String rec = CompareJob.recommend(ranked);
    assertTrue(rec.startsWith(String.format(java.util.Locale.ROOT, "Use %s (test Dice %.3f ± %.3f over 3 seeds)", ranked.get(0).spec(), ranked.get(0).dice(), ranked.get(0).metrics().get("dice").std())), rec);
    assertTrue(rec.contains("; " + ranked.get(1).spec() + " is within noise of it"), rec);
    assertEquals(rec, CompareJob.recommend(ranked, 12));
    // a test split without foreground cannot rank losses: no recommendation, and it says why
    String none = CompareJob.recommend(ranked, 0);
    assertTrue(none.startsWith("No recommendation: no test image has foreground"), none);
    assertFalse(none.contains("Use "), none);
  }

  @Test
  void failedLossesAreListedLastAndNamed() {
    List<SeedRun> runs = List.of(failed(1), failed(2));
    LossOutcome dead = CompareJob.aggregate(2, "bce(w_pos=1000)", "bce(w_pos=1000)", "x", runs, IMAGES);
    List<LossOutcome> ranked = CompareJob.rank(List.of(dead, outcome(0, "dice", 0.7), outcome(1, "bce", 0.3)));
    assertEquals("failed", ranked.get(2).verdict());
    assertEquals(0, ranked.get(2).rank());
    String rec = CompareJob.recommend(ranked);
    assertTrue(rec.startsWith("Use dice (test Dice"), rec);
    assertTrue(rec.contains("every other loss is significantly worse"), rec);
    assertTrue(rec.endsWith("1 loss failed (see the report)."), rec);
    assertTrue(CompareJob.recommend(CompareJob.rank(List.of(dead))).startsWith("No loss produced a usable model"));
  }

  @Test
  void statAndSlugs() {
    Stat s = Stat.of(1, 2, 3, Double.NaN);
    assertEquals(2, s.mean(), 0);
    assertEquals(1, s.std(), 1e-15);
    assertEquals(3, s.n());
    assertTrue(Double.isNaN(Stat.of(5).std()));
    assertTrue(Double.isNaN(Stat.of().mean()));
    assertEquals(List.of("1-bce_w_pos_auto", "2-0.5_bce_0.5_dice"), CompareJob.slugs(List.of("bce(w_pos=auto)", "0.5*bce + 0.5*dice")));
  }
}
