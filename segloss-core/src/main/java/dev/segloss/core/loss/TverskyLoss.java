package dev.segloss.core.loss;

import static dev.segloss.core.loss.SoftCounts.P;
import static dev.segloss.core.loss.SoftCounts.Y;

import java.util.Arrays;
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
public final class TverskyLoss extends RegionLoss {
  public static final LossType TYPE = new LossType("tversky", "Tversky loss (alpha: false positives, beta: false negatives), focal with gamma",
      List.of(
          Param.number("alpha", 0.5, 0, Double.POSITIVE_INFINITY, "weight of false positives (Salehi 2017)"),
          Param.number("beta", 0.5, 0, Double.POSITIVE_INFINITY, "weight of false negatives (Salehi 2017)"),
          Param.positive("gamma", 1, Double.POSITIVE_INFINITY, "focal exponent: loss (1 - TI)^gamma (Abraham & Khan 2019)"),
          Param.number("smooth_nr", 1e-7, 0, Double.POSITIVE_INFINITY, "added to the numerator"),
          Param.number("smooth_dr", 1e-7, 0, Double.POSITIVE_INFINITY, "added to the denominator"),
          Param.bool("batch", false, "pool the sums over the whole batch"),
          Param.bool("soft", false, "TP = (sum p + sum y - sum |p-y|)/2 for soft labels")),
      TverskyLoss::new);

  private final double alpha;
  private final double beta;
  private final double gamma;
  private final double smoothNr;
  private final double smoothDr;
  private final boolean batch;
  private final boolean soft;

  private TverskyLoss(LossParams p) {
    super(p);
    alpha = p.number("alpha");
    beta = p.number("beta");
    gamma = p.number("gamma");
    smoothNr = p.number("smooth_nr");
    smoothDr = p.number("smooth_dr");
    batch = p.bool("batch");
    soft = p.bool("soft");
  }

  public static Builder builder() {
    return new Builder();
  }

  public static TverskyLoss create() {
    return builder().build();
  }

  public double alpha() {
    return alpha;
  }

  public double beta() {
    return beta;
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
    return tversky(c, d, alpha, beta, gamma, smoothNr, smoothDr, soft);
  }

  /** The (focal) Tversky loss of one set of counts and its derivatives with respect to them. */
  static double tversky(double[] c, double[] d, double alpha, double beta, double gamma, double smoothNr,
      double smoothDr, boolean soft) {
    double tp = SoftCounts.intersection(c, soft);
    double mistakes = alpha * (c[P] - tp) + beta * (c[Y] - tp); // α·FP + β·FN
    double den = tp + mistakes + smoothDr;
    double ti = (tp + smoothNr) / den;
    // 1 − TI from the mistakes directly: no cancellation near TI = 1, where (1 − TI)^γ with small γ is steep
    double oneMinus = (mistakes + (smoothDr - smoothNr)) / den;
    double loss;
    double dTi; // dL/dTI
    if (gamma == 1) {
      loss = oneMinus;
      dTi = -1;
    } else {
      double base = Math.max(0, oneMinus);
      loss = Math.pow(base, gamma);
      dTi = base > 0 ? -gamma * Math.pow(base, gamma - 1) : 0;
    }
    double dTp = dTi * (1 - ti * (1 - alpha - beta)) / den;
    double dP = dTi * (-ti * alpha / den);
    double dY = dTi * (-ti * beta / den);
    Arrays.fill(d, 0);
    d[P] = dP;
    d[Y] = dY;
    SoftCounts.addIntersectionDerivative(d, dTp, soft);
    return loss;
  }

  /** Builds a {@link TverskyLoss}; parameters as in the spec language, camelCase. */
  public static final class Builder extends LossBuilder<Builder, TverskyLoss> {
    Builder() {
      super(TYPE);
    }

    /** Weight of false positives. */
    public Builder alpha(double v) {
      return set("alpha", v);
    }

    /** Weight of false negatives. */
    public Builder beta(double v) {
      return set("beta", v);
    }

    public Builder gamma(double v) {
      return set("gamma", v);
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

    public Builder soft(boolean v) {
      return set("soft", v);
    }
  }
}
