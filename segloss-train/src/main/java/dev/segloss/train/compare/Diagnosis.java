package dev.segloss.train.compare;

import dev.segloss.train.EpochStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a run's learning curves and test predictions say about its training, so that a ranking of models
 * that have not learned is not mistaken for an answer. One of four kinds, checked in this order:
 *
 * <ol>
 *   <li><b>diverged</b>: the trainer stopped on a non-finite loss.
 *   <li><b>collapsed</b>: the test predictions carry no segmentation — (almost) all background (fewer
 *       foreground pixels at the threshold than {@value #COLLAPSE_FOREGROUND_RATIO} of the true ones),
 *       (almost) all foreground (at least {@value #COLLAPSE_ALL_FOREGROUND} of the pixels while the truth
 *       covers less than half), or constant probabilities (standard deviation below {@value
 *       #CONSTANT_STD} over the test pixels).
 *   <li><b>under_trained</b>: the run has not finished learning. Either a validation curve — the Dice
 *       or the loss — is still improving at the end by more than its noise: its best epoch lies in the last
 *       fifth of the epochs ({@value #TAIL}), and over the last {@value #WINDOW} of the epochs (at least
 *       {@value #MIN_WINDOW}) the least-squares line through it moves in the good direction by more than
 *       {@value #T_IMPROVING} standard errors of its slope (the noise: the curve's scatter around that line)
 *       and at a relevant rate: the fitted slope is at least {@value #MIN_RATE} of the curve's mean rate of
 *       progress over the run (from the first epoch to its best value, per epoch of the run) — a curve
 *       levelling off climbs far slower at its end than on average — and, for the Dice, the line gains at
 *       least {@value #MIN_DICE_GAIN} over the window (the fitted slope times the window's span). Or the run has barely started: its training loss (a mean over every batch of the epoch, the
 *       least noisy curve) fell by less than {@value #MIN_LEARNED} of its first epoch's value — every segloss
 *       loss is bounded below by 0, and a network that learned the task lowers its loss by far more (Dice
 *       on the hippocampus: 0.97 → 0.35; after only 40 updates 0.97 → 0.91). The training loss's trend is
 *       not used: it keeps falling while a cosine schedule anneals the learning rate, long after the
 *       validation curves have levelled off. A run of fewer than {@value #MIN_WINDOW} epochs counts as
 *       under-trained too: its curves are too short to show that they levelled off.
 *   <li><b>converged</b>: none of the above.
 * </ol>
 *
 * A collapsed run whose curves are still improving says so in its reason ({@link #stillImproving()}):
 * more updates may cure it.
 *
 * @param kind the verdict
 * @param reason one sentence with the numbers behind it
 * @param stillImproving whether a validation curve is still improving at the end (true for every
 *     under-trained run)
 */
public record Diagnosis(Kind kind, String reason, boolean stillImproving) {
  /** The four kinds; {@link #key()} is what results.json holds. */
  public enum Kind {
    CONVERGED,
    UNDER_TRAINED,
    COLLAPSED,
    DIVERGED;

    /** {@code converged}, {@code under_trained}, {@code collapsed}, {@code diverged}. */
    public String key() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** For tables: {@code under-trained}. */
    public String label() {
      return key().replace('_', '-');
    }
  }

  /** Share of the epochs at the end in which the best epoch must lie for "still improving". */
  public static final double TAIL = 0.2;
  /** Share of the epochs at the end over which the trend is fitted. */
  public static final double WINDOW = 0.3;
  /** Fewest epochs in the trend window. */
  public static final int MIN_WINDOW = 5;
  /** Slope over its standard error beyond which a trend is more than noise. */
  public static final double T_IMPROVING = 2.0;
  /** Smallest fitted validation-Dice gain over the window that counts. */
  public static final double MIN_DICE_GAIN = 0.01;
  /** Smallest fitted slope over the window, as a share of the curve's mean rate of progress over the run, that counts. */
  public static final double MIN_RATE = 0.5;
  /** A training loss that fell by less than this share of its first epoch's value has barely started to learn. */
  public static final double MIN_LEARNED = 0.2;
  /** Predicted foreground below this share of the true foreground: all background. */
  public static final double COLLAPSE_FOREGROUND_RATIO = 0.01;
  /** Predicted foreground share of all test pixels from which a prediction is all foreground. */
  public static final double COLLAPSE_ALL_FOREGROUND = 0.95;
  /** Standard deviation of the test probabilities below which they are constant. */
  public static final double CONSTANT_STD = 1e-3;

  /**
   * Pixel counts of a run's test predictions at the threshold.
   *
   * @param pixels test pixels
   * @param truth true foreground pixels
   * @param predicted predicted foreground pixels
   * @param probabilityStd standard deviation of the probabilities over the test pixels
   */
  public record Predictions(long pixels, long truth, long predicted, double probabilityStd) {
    /** Counts of probabilities against masks at {@code threshold} (foreground where p ≥ t, truth where m ≥ 0.5). */
    public static Predictions of(float[][] probs, float[][] masks, double threshold) {
      long px = 0, t = 0, p = 0;
      double sum = 0, sq = 0;
      for (int k = 0; k < probs.length; k++) {
        float[] pr = probs[k], m = masks[k];
        double s = 0, q = 0;
        for (int i = 0; i < pr.length; i++) {
          if (m[i] >= 0.5f) t++;
          if (pr[i] >= threshold) p++;
          s += pr[i];
          q += (double) pr[i] * pr[i];
        }
        px += pr.length;
        sum += s;
        sq += q;
      }
      double mean = px == 0 ? 0 : sum / px;
      double var = px < 2 ? 0 : Math.max(0, (sq - px * mean * mean) / (px - 1));
      return new Predictions(px, t, p, Math.sqrt(var));
    }
  }

  /** The least-squares trend of the tail of a curve. */
  record Trend(int from, int to, double slope, double standardError, double gain) {
    /** Slope over its standard error (infinite for an exact line with a non-zero slope). */
    double t() {
      // an exact line leaves only rounding noise in the residuals
      if (standardError > 1e-9 * Math.abs(slope)) return slope / standardError;
      return slope == 0 ? 0 : Math.copySign(Double.POSITIVE_INFINITY, slope);
    }
  }

  /** Diagnoses one run. {@code status} is the trainer's (completed, early_stopped, diverged). */
  public static Diagnosis of(String status, String message, List<EpochStats> history, Predictions p) {
    if ("diverged".equals(status)) return new Diagnosis(Kind.DIVERGED, message, false);
    List<String> improving = improving(history);
    boolean still = !improving.isEmpty();
    if (p != null && p.pixels() > 0) {
      String collapse = collapse(p);
      if (collapse != null) {
        return new Diagnosis(Kind.COLLAPSED, collapse + (still ? "; " + String.join("; ", improving) : ""), still);
      }
    }
    if (still) return new Diagnosis(Kind.UNDER_TRAINED, String.join("; ", improving), true);
    int e = history.size();
    double[] dice = series(history, Curve.VAL_DICE);
    int best = argBest(dice, true);
    return new Diagnosis(Kind.CONVERGED, best < 0 ? "no validation Dice to judge; nothing still improving"
        : String.format(Locale.ROOT, "validation curves levelled off (best validation Dice %.3f at epoch %d of %d)", dice[best], best + 1, e),
        false);
  }

  /** Why the predictions are collapsed, or null. */
  static String collapse(Predictions p) {
    if (p.probabilityStd() < CONSTANT_STD) {
      return String.format(Locale.ROOT, "constant predictions: the test probabilities vary by a standard deviation of %.2g", p.probabilityStd());
    }
    if (p.truth() > 0 && p.predicted() < COLLAPSE_FOREGROUND_RATIO * p.truth()) {
      return String.format(Locale.ROOT, "predicts (almost) only background: %d test pixels foreground at the threshold against %d true",
          p.predicted(), p.truth());
    }
    if (p.predicted() >= COLLAPSE_ALL_FOREGROUND * p.pixels() && p.truth() < 0.5 * p.pixels()) {
      return String.format(Locale.ROOT, "predicts (almost) only foreground: %.1f %% of the test pixels against %.1f %% true",
          100.0 * p.predicted() / p.pixels(), 100.0 * p.truth() / p.pixels());
    }
    return null;
  }

  /** Sentences for each validation curve still improving at the end; empty when none is. */
  static List<String> improving(List<EpochStats> history) {
    List<String> out = new ArrayList<>();
    int e = history.size();
    if (e < MIN_WINDOW) {
      out.add(String.format(Locale.ROOT, "only %d epoch%s: too few to see the validation curves level off (at least %d are needed)", e,
          e == 1 ? "" : "s", MIN_WINDOW));
      return out;
    }
    double[] dice = series(history, Curve.VAL_DICE);
    Trend td = improvingTrend(dice, true);
    if (td != null) {
      int best = argBest(dice, true);
      out.add(String.format(Locale.ROOT,
          "validation Dice still rising at the end: best %.3f at epoch %d of %d, +%.3f over epochs %d-%d (%s)",
          dice[best], best + 1, e, td.gain(), td.from() + 1, td.to() + 1, errors(td.t())));
    }
    double[] loss = series(history, Curve.VAL_LOSS);
    Trend tl = improvingTrend(loss, false);
    if (tl != null) {
      int best = argBest(loss, false);
      out.add(String.format(Locale.ROOT, "validation loss still falling at the end: best %s at epoch %d of %d, %s over epochs %d-%d (%s)", sig(loss[best]),
          best + 1, e, sig(tl.gain()), tl.from() + 1, tl.to() + 1, errors(-tl.t())));
    }
    double[] train = series(history, Curve.TRAIN_LOSS);
    int first = firstFinite(train), best = argBest(train, false);
    if (first >= 0 && train[first] > 0 && (train[first] - train[best]) < MIN_LEARNED * train[first]) {
      out.add(String.format(Locale.ROOT, "barely learned: the training loss fell by %.0f %% (%s at epoch %d, %s at best), less than %.0f %%",
          100 * (train[first] - train[best]) / train[first], sig(train[first]), first + 1, sig(train[best]), 100 * MIN_LEARNED));
    }
    return out;
  }

  /** The curves of a history that the rules read. */
  enum Curve {
    VAL_DICE("validation Dice"),
    VAL_LOSS("validation loss"),
    TRAIN_LOSS("training loss");

    final String label;

    Curve(String label) {
      this.label = label;
    }
  }

  /** The trend of the curve's window when it shows the curve still improving by the rules above; else null. */
  static Trend improvingTrend(double[] y, boolean higherIsBetter) {
    int e = y.length;
    int best = argBest(y, higherIsBetter);
    if (best < 0) return null;
    int tail = Math.max(1, (int) Math.ceil(TAIL * e));
    if (best < e - tail) return null;
    int w = Math.min(e, Math.max(MIN_WINDOW, (int) Math.ceil(WINDOW * e)));
    Trend t = trend(y, e - w, e - 1);
    if (t == null) return null;
    double sign = higherIsBetter ? 1 : -1;
    if (!(sign * t.t() > T_IMPROVING)) return null;
    double gain = sign * t.gain();
    if (higherIsBetter && gain < MIN_DICE_GAIN) return null;
    int first = firstFinite(y);
    double meanRate = sign * (y[best] - y[first]) / Math.max(1, e - 1 - first);
    return meanRate > 0 && sign * t.slope() >= MIN_RATE * meanRate ? t : null;
  }

  /** Least-squares line through the finite points of {@code y[from..to]}; null with fewer than 3. */
  static Trend trend(double[] y, int from, int to) {
    double sx = 0, sy = 0;
    int n = 0;
    for (int i = from; i <= to; i++) {
      if (Double.isFinite(y[i])) {
        sx += i;
        sy += y[i];
        n++;
      }
    }
    if (n < 3) return null;
    double mx = sx / n, my = sy / n, sxx = 0, sxy = 0;
    for (int i = from; i <= to; i++) {
      if (Double.isFinite(y[i])) {
        sxx += (i - mx) * (i - mx);
        sxy += (i - mx) * (y[i] - my);
      }
    }
    double slope = sxy / sxx;
    double rss = 0;
    for (int i = from; i <= to; i++) {
      if (Double.isFinite(y[i])) {
        double r = y[i] - (my + slope * (i - mx));
        rss += r * r;
      }
    }
    double se = Math.sqrt(rss / (n - 2) / sxx);
    return new Trend(from, to, slope, se, slope * (to - from));
  }

  static double[] series(List<EpochStats> history, Curve c) {
    double[] v = new double[history.size()];
    for (int i = 0; i < v.length; i++) {
      EpochStats s = history.get(i);
      v[i] = c == Curve.VAL_DICE ? s.valDice() : c == Curve.VAL_LOSS ? s.valLoss() : s.trainLoss();
    }
    return v;
  }

  /** Index of the best finite value (the first on ties), or -1. */
  static int argBest(double[] y, boolean higherIsBetter) {
    int best = -1;
    for (int i = 0; i < y.length; i++) {
      if (!Double.isFinite(y[i])) continue;
      if (best < 0 || (higherIsBetter ? y[i] > y[best] : y[i] < y[best])) best = i;
    }
    return best;
  }

  /** "3.1 standard errors" (of the slope), or "no scatter" for an exact line. */
  static String errors(double t) {
    return Double.isInfinite(t) ? "no scatter around the line" : String.format(Locale.ROOT, "%.1f standard errors", t);
  }

  /** Three significant digits, without trailing zeros. */
  static String sig(double v) {
    if (!Double.isFinite(v)) return Double.toString(v);
    return new java.math.BigDecimal(v).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString();
  }

  private static int firstFinite(double[] y) {
    for (int i = 0; i < y.length; i++) if (Double.isFinite(y[i])) return i;
    return -1;
  }
}
