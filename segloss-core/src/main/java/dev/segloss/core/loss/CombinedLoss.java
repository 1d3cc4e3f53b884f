package dev.segloss.core.loss;

import java.util.List;

/**
 * The seed's third loss, weighted BCE plus soft Dice:
 *
 * <pre>
 *   L = (1 − dice_weight)·bce(w_pos, w_neg) + dice_weight·dice()
 * </pre>
 *
 * with the seed's defaults for both terms (clip eps 1e-7, Dice smooth 1e-7, Dice per image then mean).
 * The seed's example uses {@code dice_weight = 0.7} and suggests 0.3–0.7; default 0.5. Both terms share
 * the reduction.
 */
public final class CombinedLoss extends AbstractSegLoss {
  public static final LossType TYPE = new LossType("combined", "(1 - dice_weight)*bce + dice_weight*dice (the seed's third loss)",
      List.of(
          Param.number("dice_weight", 0.5, 0, 1, "weight of the Dice term (seed example: 0.7)"),
          Param.number("w_pos", 1, 0, Double.POSITIVE_INFINITY, "BCE weight of foreground pixels"),
          Param.number("w_neg", 1, 0, Double.POSITIVE_INFINITY, "BCE weight of background pixels")),
      CombinedLoss::new);

  private final WeightedSumLoss sum;

  private CombinedLoss(LossParams p) {
    super(p);
    double dw = p.number("dice_weight");
    BceLoss bce = BceLoss.builder().wPos(p.number("w_pos")).wNeg(p.number("w_neg")).reduction(reduction).build();
    DiceLoss dice = DiceLoss.builder().reduction(reduction).build();
    this.sum = WeightedSumLoss.of(1 - dw, bce, dw, dice);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The two terms as a weighted sum (what engines build). */
  public WeightedSumLoss asWeightedSum() {
    return sum;
  }

  @Override
  public LossResult compute(LossInput in, boolean withGradient) {
    return sum.compute(in, withGradient);
  }

  /** Builds a {@link CombinedLoss}. */
  public static final class Builder extends LossBuilder<Builder, CombinedLoss> {
    Builder() {
      super(TYPE);
    }

    public Builder diceWeight(double v) {
      return set("dice_weight", v);
    }

    public Builder wPos(double v) {
      return set("w_pos", v);
    }

    public Builder wNeg(double v) {
      return set("w_neg", v);
    }
  }
}
