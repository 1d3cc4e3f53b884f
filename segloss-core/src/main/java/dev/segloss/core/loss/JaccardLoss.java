package dev.segloss.core.loss;

import static dev.segloss.core.loss.SoftCounts.P;
import static dev.segloss.core.loss.SoftCounts.Y;

import java.util.Arrays;
import java.util.List;

/**
 * Soft Jaccard (IoU) loss, per image n:
 *
 * <pre>
 *   L_n = 1 − (I + smooth_nr) / (&Sigma;p + &Sigma;y − I + smooth_dr)
 *   I   = &Sigma;p·y                       (soft=true: (&Sigma;p + &Sigma;y − &Sigma;|p − y|) / 2)
 * </pre>
 *
 * then reduced over the images (default: the mean). {@code log=true} gives −log(score) instead of
 * 1 − score (infinite where the score is 0, so keep {@code smooth_nr > 0} with it); {@code batch=true} sums over the whole batch first and gives one value. Per-pixel weights
 * enter every sum (&Sigma;w·p·y, ...).
 *
 * <ul>
 *   <li>The soft Jaccard as a training loss: Rahman &amp; Wang 2016 ("Optimizing intersection-over-union in
 *       deep neural networks for image segmentation"); {@code soft=true} is the Jaccard semimetric of Wang
 *       et al. 2023 ("Jaccard metric losses"), equal to &Sigma;p·y on hard labels and reaching 0 at p = y on
 *       soft labels too.
 *   <li>Defaults {@code smooth_nr = smooth_dr = 1e-7}: the seed's Dice smoothing, as the issue fixes it.
 *   <li>Peer: MONAI {@code DiceLoss(jaccard=True, sigmoid=True)} computes
 *       1 − (2I + 1e-5)/(2(&Sigma;p + &Sigma;y − I) + 1e-5), which is {@code jaccard(smooth_nr=5e-6,
 *       smooth_dr=5e-6)} on logits (numerator and denominator halved).
 * </ul>
 *
 * Range: [0, 1] when {@code smooth_nr ≤ smooth_dr} ([0, ∞) with {@code log}); 0 for a perfect prediction on
 * hard labels when {@code smooth_nr = smooth_dr} (with {@code soft=true} on soft labels too).
 * Input: y_true in [0,1], y_pred probabilities or logits, shape [N, ...].
 */
public final class JaccardLoss extends RegionLoss {
  public static final LossType TYPE = new LossType("jaccard", "soft Jaccard (IoU) loss",
      List.of(
          Param.number("smooth_nr", 1e-7, 0, Double.POSITIVE_INFINITY, "added to the numerator"),
          Param.number("smooth_dr", 1e-7, 0, Double.POSITIVE_INFINITY, "added to the denominator"),
          Param.bool("batch", false, "pool the sums over the whole batch"),
          Param.bool("log", false, "-log(score) instead of 1 - score"),
          Param.bool("soft", false, "intersection (sum p + sum y - sum |p-y|)/2 for soft labels")),
      JaccardLoss::new);

  private final double smoothNr;
  private final double smoothDr;
  private final boolean batch;
  private final boolean log;
  private final boolean soft;

  private JaccardLoss(LossParams p) {
    super(p);
    smoothNr = p.number("smooth_nr");
    smoothDr = p.number("smooth_dr");
    batch = p.bool("batch");
    log = p.bool("log");
    soft = p.bool("soft");
  }

  public static Builder builder() {
    return new Builder();
  }

  public static JaccardLoss create() {
    return builder().build();
  }

  @Override
  protected int neededCounts() {
    return soft ? SoftCounts.BASIC | SoftCounts.NEED_ABS : SoftCounts.BASIC;
  }

  @Override
  protected boolean pooled() {
    return batch;
  }

  @Override
  protected double regionValue(double[] c, double[] d) {
    return jaccard(c, d, smoothNr, smoothDr, log, soft);
  }

  /** The Jaccard loss of one set of counts and its derivatives with respect to them. */
  static double jaccard(double[] c, double[] d, double smoothNr, double smoothDr, boolean log, boolean soft) {
    double inter = SoftCounts.intersection(c, soft);
    double num = inter + smoothNr;
    double den = c[P] + c[Y] - inter + smoothDr;
    double score = num / den;
    double dScore = log ? -1.0 / score : -1.0;
    double dInter = dScore * (1 / den + score / den); // the union shrinks as the intersection grows
    double dSum = dScore * (-score / den); // d/dΣp and d/dΣy through the union
    Arrays.fill(d, 0);
    d[P] = dSum;
    d[Y] = dSum;
    SoftCounts.addIntersectionDerivative(d, dInter, soft);
    return log ? -Math.log(score) : 1 - score;
  }

  /** Builds a {@link JaccardLoss}; parameters as in the spec language, camelCase. */
  public static final class Builder extends LossBuilder<Builder, JaccardLoss> {
    Builder() {
      super(TYPE);
    }

    public Builder smoothNr(double v) {
      return set("smooth_nr", v);
    }

    public Builder smoothDr(double v) {
      return set("smooth_dr", v);
    }

    public Builder batch(boolean v) {
      return set("batch", v);
    }

    public Builder log(boolean v) {
      return set("log", v);
    }

    public Builder soft(boolean v) {
      return set("soft", v);
    }
  }
}
