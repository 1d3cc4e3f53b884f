package dev.segloss.core.loss;

import static dev.segloss.core.loss.SoftCounts.P;
import static dev.segloss.core.loss.SoftCounts.PY;
import static dev.segloss.core.loss.SoftCounts.W;
import static dev.segloss.core.loss.SoftCounts.Y;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Generalized Dice loss (Sudre et al. 2017, "Generalised Dice overlap as a deep learning loss function
 * for highly unbalanced segmentations") over the two classes c ∈ {background (1 − y, 1 − p), foreground
 * (y, p)}, per image n:
 *
 * <pre>
 *   L_n = 1 − (2·&Sigma;_c w_c·&Sigma;p_c·y_c + smooth_nr) / (&Sigma;_c w_c·&Sigma;(p_c + y_c) + smooth_dr)
 *   vol_c = &Sigma;y_c,   w_c = 1/vol_c&sup2; (square) | 1/vol_c (simple) | 1 (uniform)
 * </pre>
 *
 * then reduced over the images. The smoothing terms are added unweighted after the weighted sums, as
 * MONAI's {@code GeneralizedDiceLoss} does (Sudre's paper has no smoothing). A class absent from the
 * image (vol_c = 0) would get an infinite weight; it takes the other class's weight instead (MONAI's rule,
 * which replaces infinite weights by the largest finite one), and both weights are 1 when both classes
 * are absent (no counted pixel). With {@code batch=true} the volumes and sums run over the whole batch.
 * Per-pixel weights enter every sum, the volumes included (vol_c = &Sigma;w·y_c); the class weights depend
 * on the labels only, so they carry no gradient with respect to the predictions.
 *
 * <ul>
 *   <li>Defaults: {@code weighting=square} (Sudre 2017, MONAI's default {@code w_type}),
 *       {@code smooth_nr = smooth_dr = 1e-5} (MONAI's defaults); so {@code gdice} on probabilities p is MONAI's
 *       {@code GeneralizedDiceLoss()} given the two-channel prediction (1 − p, p) and target (1 − y, y)
 *       (equivalently {@code softmax=True} on the logits (0, z)).
 *   <li>With {@code square} on large images the class weights are tiny (1/vol&sup2;) and the smoothing
 *       terms can dominate; MONAI has the same behaviour. Consider {@code simple} for large images.
 * </ul>
 *
 * Range: [0, 1] when {@code smooth_nr ≤ smooth_dr}; 0 for a perfect prediction on hard labels when
 * {@code smooth_nr = smooth_dr}. Input: y_true in [0,1], y_pred probabilities or logits, shape [N, ...].
 */
public final class GeneralizedDiceLoss extends RegionLoss {
  /** How the class weights follow from the class volumes. */
  public enum Weighting {
    /** w_c = 1/vol_c² (Sudre 2017). */
    SQUARE,
    /** w_c = 1/vol_c. */
    SIMPLE,
    /** w_c = 1: the Dice loss of both classes pooled. */
    UNIFORM;

    /** The weight of a class of volume v &gt; 0. */
    double weight(double v) {
      switch (this) {
        case SQUARE: return 1 / (v * v);
        case SIMPLE: return 1 / v;
        default: return 1;
      }
    }

    /** d weight / d v. */
    double derivative(double v) {
      switch (this) {
        case SQUARE: return -2 / (v * v * v);
        case SIMPLE: return -1 / (v * v);
        default: return 0;
      }
    }

    public String word() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public static final LossType TYPE = new LossType("gdice", "generalized Dice loss over background and foreground (Sudre 2017)",
      List.of(
          Param.word("weighting", Weighting.SQUARE, Weighting.class, "class weights 1/vol^2 | 1/vol | 1"),
          Param.number("smooth_nr", 1e-5, 0, Double.POSITIVE_INFINITY, "added to the numerator (MONAI: 1e-5)"),
          Param.number("smooth_dr", 1e-5, 0, Double.POSITIVE_INFINITY, "added to the denominator (MONAI: 1e-5)"),
          Param.bool("batch", false, "pool the sums and volumes over the whole batch")),
      GeneralizedDiceLoss::new);

  private final Weighting weighting;
  private final double smoothNr;
  private final double smoothDr;
  private final boolean batch;

  private GeneralizedDiceLoss(LossParams p) {
    super(p);
    weighting = p.enumValue("weighting", Weighting.class);
    smoothNr = p.number("smooth_nr");
    smoothDr = p.number("smooth_dr");
    batch = p.bool("batch");
  }

  public static Builder builder() {
    return new Builder();
  }

  public static GeneralizedDiceLoss create() {
    return builder().build();
  }

  public Weighting weighting() {
    return weighting;
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
    return gdice(c, d, weighting, smoothNr, smoothDr);
  }

  /**
   * The generalized Dice loss of one set of counts and its derivatives with respect to them (those with
   * respect to Y and W include the class weights' dependence on the volumes).
   */
  static double gdice(double[] c, double[] d, Weighting weighting, double smoothNr, double smoothDr) {
    double a = c[PY];
    double p = c[P];
    double y = c[Y];
    double w = c[W];
    double volF = y;
    double volB = w - y;
    // class weights and their derivatives with respect to Y and W
    double wF = 0, wFdY = 0, wFdW = 0, wB = 0, wBdY = 0, wBdW = 0;
    if (volF > 0) {
      wF = weighting.weight(volF);
      wFdY = weighting.derivative(volF);
    }
    if (volB > 0) {
      wB = weighting.weight(volB);
      wBdY = -weighting.derivative(volB);
      wBdW = weighting.derivative(volB);
    }
    if (!(volF > 0) && !(volB > 0)) {
      wF = 1;
      wB = 1;
    } else if (!(volF > 0)) {
      wF = wB;
      wFdY = wBdY;
      wFdW = wBdW;
    } else if (!(volB > 0)) {
      wB = wF;
      wBdY = wFdY;
      wBdW = wFdW;
    }
    double interB = w - p - y + a; // Σ(1 − p)(1 − y)
    double sumF = p + y; // Σ(p + y)
    double sumB = 2 * w - p - y; // Σ((1 − p) + (1 − y))
    double num = 2 * (wF * a + wB * interB) + smoothNr;
    double den = wF * sumF + wB * sumB + smoothDr;
    double score = num / den;
    // L = 1 − num/den
    double dNum = -1 / den;
    double dDen = score / den;
    Arrays.fill(d, 0);
    d[PY] = dNum * 2 * (wF + wB);
    d[P] = dNum * (-2 * wB) + dDen * (wF - wB);
    d[Y] = dNum * 2 * (a * wFdY + interB * wBdY - wB) + dDen * (sumF * wFdY + wF + sumB * wBdY - wB);
    d[W] = dNum * 2 * (a * wFdW + interB * wBdW + wB) + dDen * (sumF * wFdW + sumB * wBdW + 2 * wB);
    return 1 - score;
  }

  /** Builds a {@link GeneralizedDiceLoss}; parameters as in the spec language, camelCase. */
  public static final class Builder extends LossBuilder<Builder, GeneralizedDiceLoss> {
    Builder() {
      super(TYPE);
    }

    public Builder weighting(Weighting v) {
      return set("weighting", v);
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
  }
}
