package dev.segloss.train;

/**
 * Per-image Dice of a thresholded prediction, as the core metrics define it (foreground where the
 * probability is at least the threshold; NaN when truth and prediction are both empty, the {@code nan}
 * policy), used by the trainer to monitor validation Dice every epoch.
 */
final class ValidationDice {
  private ValidationDice() {}

  /** Dice of logits {@code z} (foreground where {@code z >= logit(threshold)}) against 0/1 {@code mask}. */
  static double ofLogits(float[] z, int off, float[] mask, double threshold) {
    double cut = Math.log(threshold / (1 - threshold));
    long tp = 0, p = 0, t = 0;
    for (int i = 0; i < mask.length; i++) {
      boolean pr = z[off + i] >= cut;
      boolean tr = mask[i] >= 0.5f;
      if (pr) p++;
      if (tr) t++;
      if (pr && tr) tp++;
    }
    return p + t == 0 ? Double.NaN : 2.0 * tp / (p + t);
  }
}
