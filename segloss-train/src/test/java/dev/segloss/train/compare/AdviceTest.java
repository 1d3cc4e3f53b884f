package dev.segloss.train.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The recommendation text in each case: under-trained, collapsed, unusable, and a clear winner. */
class AdviceTest {
  static final int N = 40;

  static final Diagnosis CONVERGED = new Diagnosis(Diagnosis.Kind.CONVERGED, "validation curves levelled off", false);
  static final Diagnosis UNDER = new Diagnosis(Diagnosis.Kind.UNDER_TRAINED, "validation Dice still rising at the end: best 0.31 at epoch 10 of 10", true);
  static final Diagnosis COLLAPSED = new Diagnosis(Diagnosis.Kind.COLLAPSED,
      "predicts (almost) only background: 3 test pixels foreground at the threshold against 9912 true", false);

  /** A loss whose 3 seeds have per-image Dice around {@code level}, precision/recall {@code pr}, and the given diagnosis. */
  static LossOutcome loss(int index, String spec, double level, double pr, Diagnosis d) {
    List<RunOutcome> runs = new ArrayList<>();
    int[] idx = new int[N];
    for (int i = 0; i < N; i++) idx[i] = i;
    for (long s = 1; s <= 3; s++) {
      double[] dice = RankingTest.dice(level, index * 10 + s);
      double[] p = new double[N];
      Arrays.fill(p, pr);
      runs.add(RankingTest.run(index, s, 0, dice, idx, d, p));
    }
    return Ranking.aggregate(index, spec, List.of(spec), "x" + index, runs, N);
  }

  static Advice.Context ctx(long updates, int trainImages) {
    return new Advice.Context(30, updates, 0.35, trainImages, 0.5, 1);
  }

  @Test
  void underTrainedLeadersGiveNoWinnerAndAskForMoreUpdates() {
    List<LossOutcome> ranked = Ranking.rank(List.of(loss(0, "bce", 0.1, 0.5, CONVERGED), loss(1, "dice", 0.30, 0.5, UNDER),
        loss(2, "combined(dice_weight=0.5, w_pos=auto)", 0.3003, 0.5, UNDER)));
    Advice a = Advice.of(ranked, ctx(40, 28));
    assertFalse(a.winner());
    String lead = ranked.get(0).spec(), second = ranked.get(1).spec();
    assertEquals("within noise", ranked.get(1).verdict());
    assertEquals("No winner: " + lead + " and " + second + " are under-trained (validation Dice or loss still improving at the end of 40 updates)."
        + " To get an answer, train longer: --updates 420 (10.5× the 40 updates here; about 2 min 27 s per run at the measured 0.35 s per update);"
        + " or add training data (28 training images per run here).", a.text());
    // the same sentence leads the warnings; each non-converged loss follows with its first run's reason
    assertEquals(a.text(), a.warnings().get(0));
    assertTrue(a.warnings().contains("dice: under-trained in 3 of 3 runs (seed 1: validation Dice still rising at the end: best 0.31 at epoch 10 of 10)"),
        a.warnings().toString());
    assertEquals(3, a.warnings().size());
  }

  @Test
  void updatesSuggestedAreFourTimesAndAtLeastTheDefault() {
    assertEquals(420, Advice.suggestedUpdates(40));
    assertEquals(420, Advice.suggestedUpdates(105));
    assertEquals(1700, Advice.suggestedUpdates(420)); // 1680 rounded up to two significant digits
    assertEquals(4000, Advice.suggestedUpdates(1000));
  }

  @Test
  void aCollapsedLeaderGiveNoWinner() {
    List<LossOutcome> ranked = Ranking.rank(List.of(loss(0, "bce", 0.05, 0.01, COLLAPSED), loss(1, "focal", 0.02, 0.5, CONVERGED)));
    Advice a = Advice.of(ranked, ctx(420, 280));
    assertFalse(a.winner());
    assertEquals("No winner: bce collapsed (seed 1: predicts (almost) only background: 3 test pixels foreground at the threshold against 9912 true);"
        + " the best, bce, is not usable at threshold 0.5: precision 0.01 at recall 0.01. To get an answer, train longer: --updates 1700"
        + " (4× the 420 updates here; about 9 min 55 s per run at the measured 0.35 s per update).", a.text());
  }

  @Test
  void anOverSegmentingBestIsNotUsable() {
    // precision 0.07 at recall 0.98: the first hippocampus run
    LossOutcome best = loss(0, "combined(dice_weight=0.5, w_pos=auto)", 0.15, 0.07, CONVERGED);
    double[] rec = new double[N];
    Arrays.fill(rec, 0.98);
    // recall differs from precision: rebuild the runs with recall 0.98
    List<RunOutcome> runs = new ArrayList<>();
    for (RunOutcome r : best.runs()) {
      var per = new java.util.LinkedHashMap<>(r.perImage());
      per.put("recall", rec);
      var macro = new java.util.LinkedHashMap<>(r.macro());
      macro.put("recall", 0.98);
      runs.add(new RunOutcome(r.index(), r.lossIndex(), r.seed(), r.fold(), r.dir(), r.resolvedLoss(), r.status(), r.message(), r.epochs(), r.updates(),
          r.bestEpoch(), r.bestValDice(), r.seconds(), macro, per, r.testIndex(), r.ap(), 0.62, 0.93, r.pooledBestF1(), r.pr(), r.predictions(),
          r.diagnosis(), r.history(), null));
    }
    best = Ranking.aggregate(0, best.spec(), best.resolved(), best.slug(), runs, N);
    List<LossOutcome> ranked = Ranking.rank(List.of(best, loss(1, "bce", 0.05, 0.5, CONVERGED)));
    Advice a = Advice.of(ranked, ctx(48, 28));
    assertFalse(a.winner());
    assertEquals("No winner: the best, combined(dice_weight=0.5, w_pos=auto), is not usable at threshold 0.5: precision 0.07 at recall 0.98."
        + " To get an answer, train longer: --updates 420 (8.8× the 48 updates here; about 2 min 27 s per run at the measured 0.35 s per update);"
        + " or add training data (28 training images per run here); or check the threshold: combined(dice_weight=0.5, w_pos=auto) reaches Dice"
        + " 0.620 at t = 0.93 on the test images (--threshold 0.93; chosen on the test images, so optimistic).", a.text());
  }

  @Test
  void convergedUsableLeadersGetTodaysRecommendation() {
    List<LossOutcome> ranked = Ranking.rank(List.of(loss(0, "bce", 0.2, 0.4, UNDER), loss(1, "dice", 0.6, 0.6, CONVERGED)));
    Advice a = Advice.of(ranked, ctx(420, 280));
    assertTrue(a.winner());
    assertTrue(a.text().startsWith("Use dice (test Dice 0."), a.text());
    assertTrue(a.text().contains("every other loss is significantly worse on the test images (paired Wilcoxon, Holm-adjusted p < 0.05)."), a.text());
    // an under-trained loser does not stop the recommendation but is a warning
    assertEquals(1, a.warnings().size());
    assertTrue(a.warnings().get(0).startsWith("bce: under-trained in 3 of 3 runs"), a.warnings().toString());
  }
}
