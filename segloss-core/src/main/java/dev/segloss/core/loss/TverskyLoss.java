package dev.segloss.core.loss;

import java.util.List;

/**
 * Tversky loss (Salehi et al. 2017, "Tversky loss function for image segmentation using 3D fully
 * convolutional deep networks") with the focal exponent of Abraham &amp; Khan 2019 ("A novel focal
 * Tversky loss function with improved attention U-Net for lesion segmentation"), per image n:
 *
 * <pre>
 *   TP = &Sigma;p·y,  FP = &Sigma;p·(1 − y),  FN = &Sigma;(1 − p)·y
 *   TI = (TP + smooth_nr) / (TP + α·FP + β·FN + smooth_dr)
 *   L_n = (1 − TI)^γ
 * </pre>
 *
 * then reduced over the images (default: the mean). <b>α weights false positives, β false negatives</b>
 * (Salehi's convention, MONAI's and Keras' since its fix; β &gt; α favours recall). α = β = 0.5 is the
 * Dice loss, α = β = 1 the Jaccard loss (up to smoothing). {@code soft=true} takes TP =
 * (&Sigma;p + &Sigma;y − &Sigma;|p − y|)/2 and FP = &Sigma;p − TP, FN = &Sigma;y − TP (MONAI's
 * {@code soft_label}; equal to the above on hard labels). {@code batch=true} pools the counts over the
 * batch. Per-pixel weights enter every sum.
 *
 * <ul>
 *   <li>Defaults α = β = 0.5, γ = 1 (plain Tversky = Dice), smoothing 1e-7 (the seed's).
 *   <li>γ: Abraham &amp; Khan write the exponent as 1/γ with their γ in [1, 3]; their recommended γ = 4/3 is
 *       {@code gamma=0.75} here. For γ &lt; 1 the gradient grows without bound as TI → 1; at TI = 1 it is
 *       taken as 0. When {@code smooth_nr > smooth_dr} the index can exceed 1: for γ ≠ 1 the base 1 − TI is
 *       then clamped at 0 (loss 0, zero gradient); γ = 1 keeps the plain 1 − TI.
 *   <li>Peers: MONAI {@code TverskyLoss(sigmoid=True)} = {@code tversky(smooth_nr=1e-5, smooth_dr=1e-5)} on
 *       logits; Keras 3 {@code Tversky(alpha, beta)} = {@code tversky(alpha, beta, smooth_nr=0,
 *       smooth_dr=1e-7, batch=true)} (Keras before its fix used α on false negatives: swap them).
 * </ul>
 *
 * Range: [0, 1] when {@code smooth_nr ≤ smooth_dr}; 0 for a perfect prediction on hard labels when
 * {@code smooth_nr = smooth_dr}. Input: y_true in [0,1], y_pred probabilities or logits, shape [N, ...].
 */
public final class TverskyLoss extends RegionLoss<TverskyLoss.Params> {
  static final Param ALPHA = Param.number("alpha", 0.5, 0, Double.POSITIVE_INFINITY, "weight of false positives (Salehi 2017)");
  static final Param BETA = Param.number("beta", 0.5, 0, Double.POSITIVE_INFINITY, "weight of false negatives (Salehi 2017)");
  static final Param GAMMA = Param.positive("gamma", 1, Double.POSITIVE_INFINITY, "focal exponent: loss (1 - TI)^gamma (Abraham & Khan 2019)");
  static final Param SMOOTH_NR = Param.number("smooth_nr", 1e-7, 0, Double.POSITIVE_INFINITY, "added to the numerator");
  static final Param SMOOTH_DR = Param.number("smooth_dr", 1e-7, 0, Double.POSITIVE_INFINITY, "added to the denominator");
  static final Param BATCH = Param.bool("batch", false, "pool the sums over the whole batch");
  static final Param SOFT = Param.bool("soft", false, "TP = (sum p + sum y - sum |p-y|)/2 for soft labels");

  /** The parameters of {@code tversky}: α weights false positives, β false negatives. */
  public record Params(double alpha, double beta, double gamma, double smoothNr, double smoothDr, boolean batch, boolean soft) implements RegionLoss.Batched {
    static Params of(LossParams v) {
      return new Params(v.number(ALPHA), v.number(BETA), v.number(GAMMA), v.number(SMOOTH_NR), v.number(SMOOTH_DR),
          v.bool(BATCH), v.bool(SOFT));
    }
  }

  public static final LossType TYPE = new LossType("tversky", "Tversky loss (alpha: false positives, beta: false negatives), focal with gamma",
      List.of(ALPHA, BETA, GAMMA, SMOOTH_NR, SMOOTH_DR, BATCH, SOFT), TverskyLoss::new);


  private TverskyLoss(LossParams v) {
    super(v, Params.of(v));
  }

  public static Builder builder() {
    return new Builder();
  }

  public static TverskyLoss create() {
    return builder().build();
  }


  public double alpha() {
    return params().alpha();
  }

  public double beta() {
    return params().beta();
  }


  /**
   * (1 − TI)<sup>γ</sup>, with 1 − TI = (α·FP + β·FN + smooth_dr − smooth_nr)/(TP + α·FP + β·FN + smooth_dr)
   * formed from the mistakes directly: no cancellation near TI = 1, where (1 − TI)<sup>γ</sup> with small γ
   * is steep. For γ &ne; 1 the base is clamped at 0 (zero gradient there).
   */
  @Override
  public <V> V formula(RegionOps<V> o) {
    Params p = params();
    V tp = p.soft() ? o.softIntersection() : o.py();
    V mistakes = o.add(o.mul(p.alpha(), o.sub(o.p(), tp)), o.mul(p.beta(), o.sub(o.y(), tp))); // α·FP + β·FN
    V den = o.add(o.add(tp, mistakes), p.smoothDr());
    V oneMinusTi = o.div(o.add(mistakes, p.smoothDr() - p.smoothNr()), den);
    return p.gamma() == 1 ? oneMinusTi : o.powPositivePart(oneMinusTi, p.gamma());
  }

  /** Builds a {@link TverskyLoss}; parameters as in the spec language, camelCase. */
  public static final class Builder extends LossBuilder<Builder, TverskyLoss> {
    Builder() {
      super(TYPE);
    }

    /** Weight of false positives. */
    public Builder alpha(double v) {
      return set(ALPHA, v);
    }

    /** Weight of false negatives. */
    public Builder beta(double v) {
      return set(BETA, v);
    }

    public Builder gamma(double v) {
      return set(GAMMA, v);
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

    public Builder soft(boolean v) {
      return set(SOFT, v);
    }
  }
}
