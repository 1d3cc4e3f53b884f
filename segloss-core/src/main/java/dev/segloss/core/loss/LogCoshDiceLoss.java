package dev.segloss.core.loss;

/**
 * Log-cosh Dice loss (Jadon 2020, "A survey of loss functions for semantic segmentation"), per image n:
 *
 * <pre>
 *   L_n = log(cosh(D_n))
 * </pre>
 *
 * with D_n the {@link DiceLoss} of image n under the same parameters ({@code smooth_nr}, {@code smooth_dr},
 * {@code batch}, {@code squared}, {@code log}, {@code soft}; same defaults, the seed's 1e-7 smoothing), then
 * reduced over the images. The derivative is tanh(D_n) times that of the Dice loss: log-cosh flattens the
 * gradient near a perfect prediction and is about |D_n| − log 2 far from it.
 *
 * <p>Range: [0, log cosh 1 ≈ 0.4338] when {@code smooth_nr ≤ smooth_dr} and {@code log=false}; 0 exactly
 * where the Dice loss is 0. With {@code log=true} the inner loss −log(score) is infinite where the score
 * is 0, so keep {@code smooth_nr > 0} with it. Input: y_true in [0,1], y_pred probabilities or logits, shape [N, ...].
 */
public final class LogCoshDiceLoss extends RegionLoss<DiceLoss.Params> {
  public static final LossType TYPE = new LossType("logcosh_dice", "log(cosh(Dice loss)) per image (Jadon 2020)",
      DiceLoss.Params.SCHEMA, LogCoshDiceLoss::new);


  private LogCoshDiceLoss(LossParams v) {
    super(v, DiceLoss.Params.of(v));
  }

  public static Builder builder() {
    return new Builder();
  }

  public static LogCoshDiceLoss create() {
    return builder().build();
  }



  /** log cosh of each group's Dice loss (its derivative is tanh of the Dice loss times the Dice loss's). */
  @Override
  public <V> V formula(RegionOps<V> o) {
    return o.logCosh(DiceLoss.dice(o, params()));
  }

  /** Builds a {@link LogCoshDiceLoss}; the parameters of {@code dice}, camelCase. */
  public static final class Builder extends DiceOptionsBuilder<Builder, LogCoshDiceLoss> {
    Builder() {
      super(TYPE);
    }
  }
}
