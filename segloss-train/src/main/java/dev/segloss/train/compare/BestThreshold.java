package dev.segloss.train.compare;

import dev.segloss.core.InvalidInputException;
import dev.segloss.core.metrics.EmptyPolicy;

/**
 * The threshold that maximises the mean per-image Dice — the table's Dice, with the same empty policy —
 * over the grid t = 0.01, 0.02, …, 0.99 (foreground where p ≥ t). Ties go to the threshold closest to
 * 0.5. It is chosen on the images it is evaluated on, so it is optimistic: it shows how much a loss's
 * Dice depends on calibration, not a result to report.
 */
public final class BestThreshold {
  /** Grid step. */
  public static final double STEP = 0.01;

  private BestThreshold() {}

  /** @return {threshold, mean Dice there} (NaN, NaN when every image's Dice is undefined at every t) */
  public static double[] of(float[][] probs, float[][] masks, EmptyPolicy policy) {
    if (probs.length != masks.length) throw new InvalidInputException("best threshold: " + probs.length + " predictions for " + masks.length + " masks");
    int steps = (int) Math.round(1 / STEP) - 1;
    // per image: histogram of foreground and background probabilities over the grid cells, so that
    // counts at every threshold follow by suffix sums
    double bestT = Double.NaN, best = Double.NaN;
    long[][] pos = new long[probs.length][steps + 2], neg = new long[probs.length][steps + 2];
    long[] truth = new long[probs.length];
    for (int k = 0; k < probs.length; k++) {
      float[] p = probs[k], m = masks[k];
      for (int i = 0; i < p.length; i++) {
        // cell c holds p in [c·STEP, (c+1)·STEP): p ≥ t_j = j·STEP exactly when c ≥ j
        int c = (int) Math.min(steps + 1, Math.max(0, Math.floor(p[i] / STEP + 1e-9)));
        if (m[i] >= 0.5f) {
          pos[k][c]++;
          truth[k]++;
        } else {
          neg[k][c]++;
        }
      }
      for (int c = steps; c >= 0; c--) {
        pos[k][c] += pos[k][c + 1];
        neg[k][c] += neg[k][c + 1];
      }
    }
    for (int j = 1; j <= steps; j++) {
      double t = j * STEP, sum = 0;
      int n = 0;
      for (int k = 0; k < probs.length; k++) {
        long tp = pos[k][j], fp = neg[k][j], fn = truth[k] - tp;
        double d = tp + fp + fn == 0 ? policy.value() : 2.0 * tp / (2.0 * tp + fp + fn);
        if (policy == EmptyPolicy.NAN_IF_TRUTH_EMPTY && truth[k] == 0) d = Double.NaN;
        if (!Double.isNaN(d)) {
          sum += d;
          n++;
        }
      }
      if (n == 0) continue;
      double mean = sum / n;
      if (Double.isNaN(best) || mean > best + 1e-12 || (Math.abs(mean - best) <= 1e-12 && Math.abs(t - 0.5) < Math.abs(bestT - 0.5))) {
        best = mean;
        bestT = t;
      }
    }
    return new double[] {bestT, best};
  }
}
