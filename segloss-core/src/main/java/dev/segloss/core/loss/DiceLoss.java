package dev.segloss.core.loss;

import static dev.segloss.core.loss.SoftCounts.P;
import static dev.segloss.core.loss.SoftCounts.PP;
import static dev.segloss.core.loss.SoftCounts.Y;
import static dev.segloss.core.loss.SoftCounts.YY;

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
public final class DiceLoss extends RegionLoss {
  public static final LossType TYPE = new LossType("dice", "soft Dice loss (the seed's second loss)",
      diceParams(), DiceLoss::new);

  /** The parameters of {@code dice}, shared by {@code logcosh_dice}. */
  static List<Param> diceParams() {
    return List.of(
        Param.number("smooth_nr", 1e-7, 0, Double.POSITIVE_INFINITY, "added to the numerator (seed: 1e-7)"),
        Param.number("smooth_dr", 1e-7, 0, Double.POSITIVE_INFINITY, "added to the denominator (seed: 1e-7)"),
        Param.bool("batch", false, "pool the sums over the whole batch"),
        Param.bool("squared", false, "squared terms in the denominator (V-Net)"),
        Param.bool("log", false, "-log(score) instead of 1 - score"),
        Param.bool("soft", false, "intersection (sum p + sum y - sum |p-y|)/2 for soft labels"));
  }

  private final Options o;

  private DiceLoss(LossParams p) {
    super(p);
    this.o = new Options(p);
  }

  public static Builder builder() {
    return new Builder();
  }

  public static DiceLoss create() {
    return builder().build();
  }

  @Override
  protected int neededCounts() {
    return o.needed();
  }

  @Override
  protected boolean pooled() {
    return o.batch;
  }

  @Override
  protected double regionValue(double[] c, double[] d) {
    return dice(c, d, o);
  }

  /** The Dice options, shared with {@code logcosh_dice}. */
  static final class Options {
    final double smoothNr;
    final double smoothDr;
    final boolean batch;
    final boolean squared;
    final boolean log;
    final boolean soft;

    Options(LossParams p) {
      smoothNr = p.number("smooth_nr");
      smoothDr = p.number("smooth_dr");
      batch = p.bool("batch");
      squared = p.bool("squared");
      log = p.bool("log");
      soft = p.bool("soft");
    }

    /**
     * The L1 soft intersection applies with the linear denominator. With squared=true the matching
     * (L2) soft intersection (&Sigma;p&sup2; + &Sigma;y&sup2; − &Sigma;(p − y)&sup2;)/2 is exactly &Sigma;p·y, as in
     * MONAI's soft_label with squared_pred; using the L1 form there would let the score exceed 1.
     */
    boolean softL1() {
      return soft && !squared;
    }

    int needed() {
      int n = SoftCounts.BASIC;
      if (squared) n |= SoftCounts.NEED_PP | SoftCounts.NEED_YY;
      if (softL1()) n |= SoftCounts.NEED_ABS;
      return n;
    }
  }

  /** The Dice loss of one set of counts and its derivatives with respect to them. */
  static double dice(double[] c, double[] d, Options o) {
    double inter = SoftCounts.intersection(c, o.softL1());
    double den = (o.squared ? c[PP] + c[YY] : c[P] + c[Y]) + o.smoothDr;
    double score = (2 * inter + o.smoothNr) / den;
    double dScore = o.log ? -1.0 / score : -1.0; // dL/dscore
    double dInter = dScore * 2 / den;
    double dDen = -dScore * score / den;
    java.util.Arrays.fill(d, 0);
    SoftCounts.addIntersectionDerivative(d, dInter, o.softL1());
    if (o.squared) {
      d[PP] += dDen;
      d[YY] += dDen;
    } else {
      d[P] += dDen;
      d[Y] += dDen;
    }
    return o.log ? -Math.log(score) : 1 - score;
  }

  /** Builds a {@link DiceLoss}. */
  public static final class Builder extends DiceOptionsBuilder<Builder, DiceLoss> {
    Builder() {
      super(TYPE);
    }
  }
}
