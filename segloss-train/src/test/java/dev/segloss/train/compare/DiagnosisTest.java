package dev.segloss.train.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segloss.train.EpochStats;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;

/** The diagnosis rules on synthetic histories and predictions: rising, flat, noisy, diverged, collapsed. */
class DiagnosisTest {
  static final Diagnosis.Predictions FINE = new Diagnosis.Predictions(100_000, 1_000, 1_100, 0.2);

  /** A training loss that fell early and stays flat: learned, not improving at the end. */
  static final IntToDoubleFunction LEARNED = i -> 0.3 + 0.7 * Math.exp(-i);

  /**
   * A history of {@code e} epochs with validation Dice {@code dice(i)}, validation loss {@code loss(i)} (i
   * 0-based) and a training loss that was learned early ({@link #LEARNED}).
   */
  static List<EpochStats> history(int e, IntToDoubleFunction dice, IntToDoubleFunction loss) {
    return history(e, dice, loss, LEARNED);
  }

  static List<EpochStats> history(int e, IntToDoubleFunction dice, IntToDoubleFunction loss, IntToDoubleFunction train) {
    List<EpochStats> h = new ArrayList<>();
    for (int i = 0; i < e; i++) h.add(new EpochStats(i + 1, 1e-3, train.applyAsDouble(i), loss.applyAsDouble(i), dice.applyAsDouble(i), 1, 0));
    return h;
  }

  /** Saturating curve a·(1 − exp(−i/τ)) plus seeded noise of standard deviation {@code sd}. */
  static IntToDoubleFunction saturating(double a, double tau, double sd, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] noise = new double[1000];
    for (int i = 0; i < noise.length; i++) noise[i] = sd * r.nextGaussian();
    return i -> a * (1 - Math.exp(-i / tau)) + noise[i];
  }

  @Test
  void aCurveStillRisingAtTheEndIsUnderTrained() {
    // 10 epochs of a curve with τ = 40: Dice still climbs steadily; the loss falls in step
    List<EpochStats> h = history(10, saturating(0.8, 40, 0.002, 1), i -> 0.5 - 0.01 * i);
    Diagnosis d = Diagnosis.of("completed", "ok", h, FINE);
    assertEquals(Diagnosis.Kind.UNDER_TRAINED, d.kind());
    assertTrue(d.stillImproving());
    assertTrue(d.reason().startsWith("validation Dice still rising at the end: best 0.160"), d.reason());
    assertTrue(d.reason().contains("at epoch 10 of 10") && d.reason().contains("over epochs 6-10"), d.reason());
    assertTrue(d.reason().endsWith("; validation loss still falling at the end: best 0.41 at epoch 10 of 10, -0.04 over epochs 6-10"
        + " (no scatter around the line)"), d.reason());
  }

  /**
   * The 40-update hippocampus run (Dice loss, patches, measured): validation curves that are only noise, a
   * training loss that fell by 6 % — barely learned, under-trained.
   */
  @Test
  void aRunThatBarelyLearnedIsUnderTrained() {
    double[] train = {0.968, 0.966, 0.948, 0.935, 0.943, 0.937, 0.934, 0.914, 0.910, 0.919};
    double[] valLoss = {0.961, 0.910, 0.975, 0.977, 0.971, 0.976, 0.985, 0.981, 0.975, 0.971};
    double[] valDice = {0.058, 0.112, 0.026, 0.024, 0.032, 0.004, 0.008, 0.020, 0.031, 0.037};
    List<EpochStats> h = history(10, i -> valDice[i], i -> valLoss[i], i -> train[i]);
    Diagnosis d = Diagnosis.of("completed", "ok", h, FINE);
    assertEquals(Diagnosis.Kind.UNDER_TRAINED, d.kind(), d.reason());
    assertEquals("barely learned: the training loss fell by 6 % (0.968 at epoch 1, 0.91 at best), less than 20 %", d.reason());
    // the same curves after the training loss fell by half: learned; its fall at the end is no criterion
    double[] halved = train.clone();
    for (int i = 1; i < halved.length; i++) halved[i] = train[i] - 0.5;
    Diagnosis e = Diagnosis.of("completed", "ok", history(10, i -> valDice[i], i -> valLoss[i], i -> halved[i]), FINE);
    assertEquals(Diagnosis.Kind.CONVERGED, e.kind(), e.reason());
  }

  /**
   * The default synthetic comparison's Dice run (seed 1, 12 epochs of 35 steps, measured): the validation
   * Dice still creeps up by 0.02 over the last five epochs (0.005 per epoch, a sixth of its mean rate of
   * 0.033 per epoch) at 1.9 standard errors — levelling off: converged. (Its training loss still falls while
   * the learning rate anneals.)
   */
  @Test
  void theSyntheticDefaultDiceRunHasConverged() {
    double[] train = {0.9377, 0.8917, 0.8093, 0.7006, 0.6652, 0.6366, 0.6084, 0.5900, 0.5813, 0.5440, 0.5393, 0.5402};
    double[] valLoss = {0.9418, 0.8984, 0.8488, 0.7250, 0.6755, 0.6546, 0.7004, 0.6312, 0.6073, 0.6065, 0.6080, 0.6061};
    double[] valDice = {0.0613, 0.1261, 0.1680, 0.3127, 0.3406, 0.3591, 0.3144, 0.3884, 0.4031, 0.4010, 0.4206, 0.4064};
    Diagnosis d = Diagnosis.of("completed", "ok", history(12, i -> valDice[i], i -> valLoss[i], i -> train[i]), FINE);
    assertEquals(Diagnosis.Kind.CONVERGED, d.kind(), d.reason());
    assertEquals("validation curves levelled off (best validation Dice 0.421 at epoch 11 of 12)", d.reason());
    Diagnosis.Trend t = Diagnosis.trend(valDice, 7, 11);
    assertEquals(0.0214, t.gain(), 5e-4);
    assertTrue(t.t() < Diagnosis.T_IMPROVING, "t = " + t.t());
  }

  @Test
  void aCurveThatLevelledOffHasConverged() {
    // τ = 8 over 105 epochs: flat for the last two thirds, with noise as large as a small validation set's
    List<EpochStats> h = history(105, saturating(0.7, 8, 0.05, 2), i -> 0.2 + 0.3 * Math.exp(-i / 8.0));
    Diagnosis d = Diagnosis.of("completed", "ok", h, FINE);
    assertEquals(Diagnosis.Kind.CONVERGED, d.kind(), d.reason());
    assertFalse(d.stillImproving());
    assertTrue(d.reason().startsWith("validation curves levelled off (best validation Dice "), d.reason());
  }

  @Test
  void noiseAloneIsNotImprovement() {
    // a flat curve whose best epoch happens to be the last one: the trend is within its noise
    SplittableRandom r = new SplittableRandom(3);
    double[] y = new double[30];
    for (int i = 0; i < y.length; i++) y[i] = 0.6 + 0.05 * r.nextGaussian();
    y[29] = 0.8;
    List<EpochStats> h = history(30, i -> y[i], i -> 0.3);
    assertNull(Diagnosis.improvingTrend(y, true));
    assertEquals(Diagnosis.Kind.CONVERGED, Diagnosis.of("completed", "ok", h, FINE).kind());
  }

  @Test
  void aTinyButSteadyGainIsNotEnough() {
    // Dice rising by 0.0005 per epoch without noise: significant but below the 0.01 that counts
    double[] y = new double[20];
    for (int i = 0; i < y.length; i++) y[i] = 0.5 + 0.0005 * i;
    Diagnosis.Trend t = Diagnosis.trend(y, 14, 19);
    assertEquals(0.0005, t.slope(), 1e-12);
    assertEquals(0.0025, t.gain(), 1e-12);
    assertEquals(Double.POSITIVE_INFINITY, t.t());
    assertNull(Diagnosis.improvingTrend(y, true));
    // the same for a loss: falling at its mean rate to the end does count
    double[] loss = new double[20];
    for (int i = 0; i < loss.length; i++) loss[i] = 0.5 - 0.0005 * i;
    assertTrue(Diagnosis.improvingTrend(loss, false) != null);
    // ... but not when it had fallen by 1 first (the last epochs' rate is 1 % of the mean rate)
    loss[0] = 1.5;
    assertNull(Diagnosis.improvingTrend(loss, false));
  }

  @Test
  void theBestEpochMustLieInTheLastFifth() {
    // rising over the window but best earlier: a dip and recovery is not "still improving"
    double[] y = new double[20];
    for (int i = 0; i < y.length; i++) y[i] = i < 10 ? 0.8 : 0.4 + 0.02 * (i - 10);
    assertNull(Diagnosis.improvingTrend(y, true));
  }

  @Test
  void leastSquaresTrendMatchesTheTextbookFormula() {
    // y = 1, 3, 2, 5, 4 at x = 0..4: slope = Sxy/Sxx = 8/10, residual SS = 3.6, se = sqrt(3.6/3/10)
    Diagnosis.Trend t = Diagnosis.trend(new double[] {1, 3, 2, 5, 4}, 0, 4);
    assertEquals(0.8, t.slope(), 1e-12);
    assertEquals(Math.sqrt(3.6 / 3 / 10), t.standardError(), 1e-12);
    assertEquals(3.2, t.gain(), 1e-12);
    // NaN epochs (an empty validation Dice) are skipped; fewer than three points: no trend
    Diagnosis.Trend u = Diagnosis.trend(new double[] {1, Double.NaN, 2, Double.NaN, 3}, 0, 4);
    assertEquals(0.5, u.slope(), 1e-12);
    assertNull(Diagnosis.trend(new double[] {1, Double.NaN, 2}, 0, 2));
  }

  @Test
  void aRunTooShortToJudgeIsUnderTrained() {
    Diagnosis d = Diagnosis.of("completed", "ok", history(3, i -> 0.5, i -> 0.3), FINE);
    assertEquals(Diagnosis.Kind.UNDER_TRAINED, d.kind());
    assertEquals("only 3 epochs: too few to see the validation curves level off (at least 5 are needed)", d.reason());
    assertEquals(Diagnosis.Kind.CONVERGED, Diagnosis.of("completed", "ok", history(5, i -> 0.5, i -> 0.3), FINE).kind());
  }

  @Test
  void divergedIsTheTrainersVerdict() {
    Diagnosis d = Diagnosis.of("diverged", "loss became NaN at epoch 3, batch 2", history(2, i -> 0.1 * i, i -> 1), null);
    assertEquals(Diagnosis.Kind.DIVERGED, d.kind());
    assertEquals("loss became NaN at epoch 3, batch 2", d.reason());
    assertEquals("diverged", d.kind().key());
  }

  @Test
  void collapsedPredictions() {
    List<EpochStats> flat = history(30, i -> 0.5, i -> 0.3);
    // all background: 5 pixels predicted against 1000 true (< 1 %)
    Diagnosis bg = Diagnosis.of("completed", "ok", flat, new Diagnosis.Predictions(100_000, 1_000, 5, 0.1));
    assertEquals(Diagnosis.Kind.COLLAPSED, bg.kind());
    assertEquals("predicts (almost) only background: 5 test pixels foreground at the threshold against 1000 true", bg.reason());
    assertEquals("under-trained", Diagnosis.Kind.UNDER_TRAINED.label());
    assertEquals("under_trained", Diagnosis.Kind.UNDER_TRAINED.key());
    // 10 pixels against 1000 is exactly 1 %: not collapsed
    assertEquals(Diagnosis.Kind.CONVERGED, Diagnosis.of("completed", "ok", flat, new Diagnosis.Predictions(100_000, 1_000, 10, 0.1)).kind());
    // all foreground
    Diagnosis fg = Diagnosis.of("completed", "ok", flat, new Diagnosis.Predictions(100_000, 1_000, 96_000, 0.1));
    assertEquals(Diagnosis.Kind.COLLAPSED, fg.kind());
    assertEquals("predicts (almost) only foreground: 96.0 % of the test pixels against 1.0 % true", fg.reason());
    // constant probabilities, whatever side of the threshold
    Diagnosis c = Diagnosis.of("completed", "ok", flat, new Diagnosis.Predictions(100_000, 1_000, 50_000, 2e-4));
    assertEquals(Diagnosis.Kind.COLLAPSED, c.kind());
    assertTrue(c.reason().startsWith("constant predictions"), c.reason());
    // a collapsed run whose curves still improve says both
    Diagnosis both = Diagnosis.of("completed", "ok", history(10, saturating(0.8, 40, 0.002, 1), i -> 0.5 - 0.01 * i),
        new Diagnosis.Predictions(100_000, 1_000, 0, 0.1));
    assertEquals(Diagnosis.Kind.COLLAPSED, both.kind());
    assertTrue(both.stillImproving());
    assertTrue(both.reason().contains("; validation Dice still rising at the end"), both.reason());
  }

  @Test
  void predictionCountsFromProbabilities() {
    float[][] probs = {{0.1f, 0.6f, 0.5f, 0.4f}, {0.9f, 0f, 0f, 0f}};
    float[][] masks = {{0, 1, 1, 0}, {1, 0, 0, 0}};
    Diagnosis.Predictions p = Diagnosis.Predictions.of(probs, masks, 0.5);
    assertEquals(8, p.pixels());
    assertEquals(3, p.truth());
    assertEquals(3, p.predicted()); // p ≥ t: 0.6, 0.5, 0.9
    double mean = 2.5 / 8, ss = 0;
    for (float[] a : probs) for (float v : a) ss += (v - mean) * (v - mean);
    assertEquals(Math.sqrt(ss / 7), p.probabilityStd(), 1e-7);
  }
}
