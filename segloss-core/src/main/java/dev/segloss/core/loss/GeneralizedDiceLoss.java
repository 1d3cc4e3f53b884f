package dev.segloss.core.loss;

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
public final class GeneralizedDiceLoss extends RegionLoss<GeneralizedDiceLoss.Params> {
  /** How the class weights follow from the class volumes. */
  public enum Weighting {
    /** w_c = 1/vol_c² (Sudre 2017). */
    SQUARE,
    /** w_c = 1/vol_c. */
    SIMPLE,
    /** w_c = 1: the Dice loss of both classes pooled. */
    UNIFORM;

    /** The weight of a class of volume v &gt; 0. */
    <V> V weight(RegionOps<V> o, V v) {
      switch (this) {
        case SQUARE: return o.div(1, o.mul(v, v));
        case SIMPLE: return o.div(1, v);
        default: return o.constant(1);
      }
    }

    public String word() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  static final Param WEIGHTING = Param.word("weighting", Weighting.SQUARE, Weighting.class, "class weights 1/vol^2 | 1/vol | 1");
  static final Param SMOOTH_NR = Param.number("smooth_nr", 1e-5, 0, Double.POSITIVE_INFINITY, "added to the numerator (MONAI: 1e-5)");
  static final Param SMOOTH_DR = Param.number("smooth_dr", 1e-5, 0, Double.POSITIVE_INFINITY, "added to the denominator (MONAI: 1e-5)");
  static final Param BATCH = Param.bool("batch", false, "pool the sums and volumes over the whole batch");

  /** The parameters of {@code gdice}. */
  public record Params(Weighting weighting, double smoothNr, double smoothDr, boolean batch) implements RegionLoss.Batched {
    static Params of(LossParams v) {
      return new Params(v.enumValue(WEIGHTING, Weighting.class), v.number(SMOOTH_NR), v.number(SMOOTH_DR), v.bool(BATCH));
    }
  }

  public static final LossType TYPE = new LossType("gdice", "generalized Dice loss over background and foreground (Sudre 2017)",
      List.of(WEIGHTING, SMOOTH_NR, SMOOTH_DR, BATCH), GeneralizedDiceLoss::new);


  private GeneralizedDiceLoss(LossParams v) {
    super(v, Params.of(v));
  }

  public static Builder builder() {
    return new Builder();
  }

  public static GeneralizedDiceLoss create() {
    return builder().build();
  }


  public Weighting weighting() {
    return params().weighting();
  }


  /**
   * 1 − (2·(w_F·&Sigma;p·y + w_B·&Sigma;(1 − p)(1 − y)) + smooth_nr) / (w_F·&Sigma;(p + y) + w_B·&Sigma;(2 − p − y) + smooth_dr)
   * with the class weights of the volumes vol_F = &Sigma;y, vol_B = &Sigma;w − &Sigma;y; an absent class takes the
   * other's weight, both 1 when both are absent.
   */
  @Override
  public <V> V formula(RegionOps<V> o) {
    Params p = params();
    V a = o.py();
    V sumP = o.p();
    V volF = o.y();
    V w = o.w();
    V volB = o.sub(w, volF);
    // the weight of each class from a volume that is never 0 (the other branch of where() is computed too)
    V one = o.constant(1);
    V rawF = p.weighting().weight(o, o.where(volF, volF, one));
    V rawB = p.weighting().weight(o, o.where(volB, volB, one));
    V wF = o.where(volF, rawF, o.where(volB, rawB, one));
    V wB = o.where(volB, rawB, o.where(volF, rawF, one));
    V interB = o.add(o.sub(o.sub(w, sumP), volF), a); // Σ(1 − p)(1 − y)
    V sumF = o.add(sumP, volF); // Σ(p + y)
    V sumB = o.sub(o.sub(o.mul(2, w), sumP), volF); // Σ((1 − p) + (1 − y))
    V num = o.add(o.mul(2, o.add(o.mul(wF, a), o.mul(wB, interB))), p.smoothNr());
    V den = o.add(o.add(o.mul(wF, sumF), o.mul(wB, sumB)), p.smoothDr());
    return o.sub(1, o.div(num, den));
  }

  /** Builds a {@link GeneralizedDiceLoss}; parameters as in the spec language, camelCase. */
  public static final class Builder extends LossBuilder<Builder, GeneralizedDiceLoss> {
    Builder() {
      super(TYPE);
    }

    public Builder weighting(Weighting v) {
      return set(WEIGHTING, v);
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
  }
}
