package dev.segloss.core.loss;

import java.util.List;

/**
 * Soft Dice loss, the seed's second loss, per image n:
 *
 * <pre>
 *   L_n = 1 − (2·I + smooth_nr) / (D + smooth_dr)
 *   I = &Sigma;p·y                      (soft=true: (&Sigma;p + &Sigma;y − &Sigma;|p − y|) / 2,
 *                                    or with squared=true (&Sigma;p&sup2; + &Sigma;y&sup2; − &Sigma;(p − y)&sup2;) / 2 = &Sigma;p·y)
 *   D = &Sigma;p + &Sigma;y                (squared=true: &Sigma;p&sup2; + &Sigma;y&sup2;)
 * </pre>
 *
 * then the mean over the batch (the seed: {@code 1 − reduce_mean(dice)}, which is the mean of the L_n).
 * With {@code log=true} the loss is −log(score). With {@code batch=true} the sums run over the whole batch
 * and there is one value.
 *
 * <ul>
 *   <li>{@code smooth_nr = smooth_dr = 1e-7}: the seed's {@code smooth}.
 *   <li>{@code squared}: V-Net (Milletari et al. 2016).
 *   <li>{@code soft}: Wang et al. 2023, "Dice semimetric losses" (MONAI's {@code soft_label}); equal to
 *       &Sigma;p·y on hard labels.
 *   <li>Peers: MONAI {@code DiceLoss(sigmoid=True)} = {@code dice(smooth_nr=1e-5, smooth_dr=1e-5)} on
 *       logits; Keras 3 {@code Dice()} = {@code dice(smooth_nr=0, batch=true)}; segmentation_models_pytorch
 *       binary {@code DiceLoss} = {@code dice(smooth_nr=0, batch=true)} on logits, with two differences:
 *       smp sets the loss of a batch with an empty target to 0 (ours gives 1 − 0/(&Sigma;p + smooth_dr), i.e. 1
 *       whenever anything is predicted), and smp clamps the denominator at eps = 1e-7
 *       ({@code clamp_min(eps)}) where we add smooth_dr (a relative difference of at most
 *       1e-7/(&Sigma;p + &Sigma;y)).
 * </ul>
 * Input: y_true in [0,1], y_pred probabilities or logits, shape [N, ...].
 */
public final class DiceLoss extends RegionLoss<DiceLoss.Params> {
  static final Param SMOOTH_NR = Param.number("smooth_nr", 1e-7, 0, Double.POSITIVE_INFINITY, "added to the numerator (seed: 1e-7)");
  static final Param SMOOTH_DR = Param.number("smooth_dr", 1e-7, 0, Double.POSITIVE_INFINITY, "added to the denominator (seed: 1e-7)");
  static final Param BATCH = Param.bool("batch", false, "pool the sums over the whole batch");
  static final Param SQUARED = Param.bool("squared", false, "squared terms in the denominator (V-Net)");
  static final Param LOG = Param.bool("log", false, "-log(score) instead of 1 - score");
  static final Param SOFT = Param.bool("soft", false, "intersection (sum p + sum y - sum |p-y|)/2 for soft labels");

  /** The parameters of {@code dice}, shared by {@code logcosh_dice}. */
  public record Params(double smoothNr, double smoothDr, boolean batch, boolean squared, boolean log, boolean soft) implements RegionLoss.Batched {
    static final List<Param> SCHEMA = List.of(SMOOTH_NR, SMOOTH_DR, BATCH, SQUARED, LOG, SOFT);

    static Params of(LossParams v) {
      return new Params(v.number(SMOOTH_NR), v.number(SMOOTH_DR), v.bool(BATCH), v.bool(SQUARED), v.bool(LOG), v.bool(SOFT));
    }

    /**
     * The L1 soft intersection applies with the linear denominator. With squared=true the matching
     * (L2) soft intersection (&Sigma;p&sup2; + &Sigma;y&sup2; − &Sigma;(p − y)&sup2;)/2 is exactly &Sigma;p·y, as in
     * MONAI's soft_label with squared_pred; using the L1 form there would let the score exceed 1.
     */
    public boolean softL1() {
      return soft && !squared;
    }
  }

  public static final LossType TYPE = new LossType("dice", "soft Dice loss (the seed's second loss)", Params.SCHEMA, DiceLoss::new);


  private DiceLoss(LossParams v) {
    super(v, Params.of(v));
  }

  public static Builder builder() {
    return new Builder();
  }

  public static DiceLoss create() {
    return builder().build();
  }



  @Override
  public <V> V formula(RegionOps<V> o) {
    return dice(o, params());
  }

  /** The Dice loss of each group's counts: 1 − score, or −log(score). Shared with {@code logcosh_dice}. */
  static <V> V dice(RegionOps<V> o, Params p) {
    V inter = p.softL1() ? o.softIntersection() : o.py();
    V den = o.add(p.squared() ? o.add(o.pp(), o.yy()) : o.add(o.p(), o.y()), p.smoothDr());
    V score = o.div(o.add(o.mul(2, inter), p.smoothNr()), den);
    return p.log() ? o.neg(o.log(score)) : o.sub(1, score);
  }

  /** Builds a {@link DiceLoss}. */
  public static final class Builder extends DiceOptionsBuilder<Builder, DiceLoss> {
    Builder() {
      super(TYPE);
    }
  }
}
