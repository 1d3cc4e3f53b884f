package dev.segloss.core.loss;

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
public final class JaccardLoss extends RegionLoss<JaccardLoss.Params> {
  static final Param SMOOTH_NR = Param.number("smooth_nr", 1e-7, 0, Double.POSITIVE_INFINITY, "added to the numerator");
  static final Param SMOOTH_DR = Param.number("smooth_dr", 1e-7, 0, Double.POSITIVE_INFINITY, "added to the denominator");
  static final Param BATCH = Param.bool("batch", false, "pool the sums over the whole batch");
  static final Param LOG = Param.bool("log", false, "-log(score) instead of 1 - score");
  static final Param SOFT = Param.bool("soft", false, "intersection (sum p + sum y - sum |p-y|)/2 for soft labels");

  /** The parameters of {@code jaccard}. */
  public record Params(double smoothNr, double smoothDr, boolean batch, boolean log, boolean soft) implements RegionLoss.Batched {
    static Params of(LossParams v) {
      return new Params(v.number(SMOOTH_NR), v.number(SMOOTH_DR), v.bool(BATCH), v.bool(LOG), v.bool(SOFT));
    }
  }

  public static final LossType TYPE = new LossType("jaccard", "soft Jaccard (IoU) loss",
      List.of(SMOOTH_NR, SMOOTH_DR, BATCH, LOG, SOFT), JaccardLoss::new);


  private JaccardLoss(LossParams v) {
    super(v, Params.of(v));
  }

  public static Builder builder() {
    return new Builder();
  }

  public static JaccardLoss create() {
    return builder().build();
  }



  /** 1 − (I + smooth_nr)/(&Sigma;p + &Sigma;y − I + smooth_dr), or −log of the score. */
  @Override
  public <V> V formula(RegionOps<V> o) {
    Params p = params();
    V inter = p.soft() ? o.softIntersection() : o.py();
    V num = o.add(inter, p.smoothNr());
    V den = o.add(o.sub(o.add(o.p(), o.y()), inter), p.smoothDr());
    V score = o.div(num, den);
    return p.log() ? o.neg(o.log(score)) : o.sub(1, score);
  }

  /** Builds a {@link JaccardLoss}; parameters as in the spec language, camelCase. */
  public static final class Builder extends LossBuilder<Builder, JaccardLoss> {
    Builder() {
      super(TYPE);
    }

    public Builder smoothNr(double v) {
      return set(SMOOTH_NR, v);
    }

    public Builder smoothDr(double v) {
      return set(SMOOTH_DR, v);
    }

    public Builder batch(boolean v) {
      return set(BATCH, v);
    }

    public Builder log(boolean v) {
      return set(LOG, v);
    }

    public Builder soft(boolean v) {
      return set(SOFT, v);
    }
  }
}
