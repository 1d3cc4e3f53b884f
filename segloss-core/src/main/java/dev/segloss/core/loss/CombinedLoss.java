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
  static final Param DICE_WEIGHT = Param.number("dice_weight", 0.5, 0, 1, "weight of the Dice term (seed example: 0.7)");
  static final Param W_POS = Param.number("w_pos", 1, 0, Double.POSITIVE_INFINITY, "BCE weight of foreground pixels");
  static final Param W_NEG = Param.number("w_neg", 1, 0, Double.POSITIVE_INFINITY, "BCE weight of background pixels");

  /** The parameters of {@code combined}. */
  public record Params(double diceWeight, double wPos, double wNeg) {
    static Params of(LossParams v) {
      return new Params(v.number(DICE_WEIGHT), v.number(W_POS), v.number(W_NEG));
    }
  }

  public static final LossType TYPE = new LossType("combined", "(1 - dice_weight)*bce + dice_weight*dice (the seed's third loss)",
      List.of(DICE_WEIGHT, W_POS, W_NEG), CombinedLoss::new);

  private final Params p;
  private final WeightedSumLoss sum;

  private CombinedLoss(LossParams v) {
    super(v);
    p = Params.of(v);
    double dw = p.diceWeight();
    BceLoss bce = BceLoss.builder().wPos(p.wPos()).wNeg(p.wNeg()).reduction(reduction).build();
    DiceLoss dice = DiceLoss.builder().reduction(reduction).build();
    this.sum = WeightedSumLoss.of(1 - dw, bce, dw, dice);
  }

  @Override
  public Params params() {
    return p;
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
      return set(DICE_WEIGHT, v);
    }

    public Builder wPos(double v) {
      return set(W_POS, v);
    }

    public Builder wNeg(double v) {
      return set(W_NEG, v);
    }
  }
}
