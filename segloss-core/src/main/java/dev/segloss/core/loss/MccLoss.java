package dev.segloss.core.loss;

import static dev.segloss.core.loss.SoftCounts.P;
import static dev.segloss.core.loss.SoftCounts.PY;
import static dev.segloss.core.loss.SoftCounts.W;
import static dev.segloss.core.loss.SoftCounts.Y;

import java.util.Arrays;
import java.util.List;

/**
 * Matthews correlation coefficient loss (Abhishek &amp; Hamarneh 2021, "Matthews correlation coefficient
 * loss for deep convolutional networks: application to skin lesion segmentation"), per image n:
 *
 * <pre>
 *   TP = &Sigma;p·y + s,  FP = &Sigma;p·(1 − y) + s,  FN = &Sigma;(1 − p)·y + s,  TN = &Sigma;(1 − p)·(1 − y) + s
 *   MCC = (TP·TN − FP·FN) / √((TP + FP)(TP + FN)(TN + FP)(TN + FN))
 *   L_n = 1 − MCC
 * </pre>
 *
 * with s = {@code smooth}, then reduced over the images. A zero denominator (possible only with
 * {@code smooth=0}, e.g. an image without foreground) gives MCC = 0, i.e. loss 1, with a zero gradient.
 * {@code batch=true} pools the counts over the whole batch. Per-pixel weights enter every count.
 *
 * <ul>
 *   <li>Default {@code smooth = 1e-7} (the seed's smoothing; the paper adds none).
 *   <li>Unlike Dice, MCC also rewards true negatives, so it stays informative on images where the
 *       foreground is small.
 * </ul>
 *
 * Range: [0, 2]. A perfect prediction on hard labels gives 0 up to the smoothing (about s/min(&Sigma;y,
 * &Sigma;(1 − y))) when the image (or the pooled batch) holds both classes. With one class absent the MCC is
 * undefined: with s &gt; 0 a perfect prediction then scores MCC ≈ 1/2 (loss ≈ 1/2), with s = 0 the
 * denominator is 0 (loss 1) — use {@code batch=true} or combine with another loss when many images have
 * no foreground. Input: y_true in [0,1], y_pred
 * probabilities or logits, shape [N, ...].
 */
public final class MccLoss extends RegionLoss {
  public static final LossType TYPE = new LossType("mcc", "1 - soft Matthews correlation coefficient (Abhishek & Hamarneh 2021)",
      List.of(
          Param.number("smooth", 1e-7, 0, Double.POSITIVE_INFINITY, "added to each of TP, FP, FN, TN"),
          Param.bool("batch", false, "pool the counts over the whole batch")),
      MccLoss::new);

  private final double smooth;
  private final boolean batch;

  private MccLoss(LossParams p) {
    super(p);
    smooth = p.number("smooth");
    batch = p.bool("batch");
  }

  public static Builder builder() {
    return new Builder();
  }

  public static MccLoss create() {
    return builder().build();
  }

  @Override
  protected int neededCounts() {
    return SoftCounts.BASIC | SoftCounts.NEED_W;
  }

  @Override
  protected boolean pooled() {
    return batch;
  }

  @Override
  protected double regionValue(double[] c, double[] d) {
    return mcc(c, d, smooth);
  }

  /** 1 − MCC of one set of counts and its derivatives with respect to them. */
  static double mcc(double[] c, double[] d, double smooth) {
    Arrays.fill(d, 0);
    double s = smooth;
    double tp = c[PY] + s;
    double fp = c[P] - c[PY] + s;
    double fn = c[Y] - c[PY] + s;
    // (W − Y) − (P − PY): exactly 0 on a single-class image (W − W − P + P could leave a rounding residue)
    double tn = (c[W] - c[Y]) - (c[P] - c[PY]) + s;
    double a = tp + fp; // Σp + 2s
    double b = tp + fn; // Σy + 2s
    double cc = tn + fp; // W − Σy + 2s
    double dd = tn + fn; // W − Σp + 2s
    double prod = a * b * cc * dd;
    if (!(prod > 0)) return 1.0;
    double den = Math.sqrt(prod);
    double num = tp * tn - fp * fn;
    double mcc = num / den;
    // dMCC = dnum/den − MCC/2·d(log prod); then L = 1 − MCC
    double half = 0.5 * mcc;
    d[PY] = -(tp + tn + fp + fn) / den;
    d[P] = -(-b / den - half * (1 / a - 1 / dd));
    d[Y] = -(-a / den - half * (1 / b - 1 / cc));
    d[W] = -(tp / den - half * (1 / cc + 1 / dd));
    return 1 - mcc;
  }

  /** Builds an {@link MccLoss}; parameters as in the spec language, camelCase. */
  public static final class Builder extends LossBuilder<Builder, MccLoss> {
    Builder() {
      super(TYPE);
    }

    public Builder smooth(double v) {
      return set("smooth", v);
    }

    public Builder batch(boolean v) {
      return set("batch", v);
    }
  }
}
