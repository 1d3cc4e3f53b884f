package dev.segloss.core.loss;

/**
 * The setters of the Dice options ({@link DiceLoss.Params}: {@code smooth_nr}, {@code smooth_dr},
 * {@code batch}, {@code squared}, {@code log}, {@code soft}), shared by the builders of the losses that
 * take them ({@code dice}, {@code logcosh_dice}); parameters as in the spec language, camelCase.
 */
public abstract class DiceOptionsBuilder<B extends DiceOptionsBuilder<B, L>, L extends SegLoss> extends LossBuilder<B, L> {
  protected DiceOptionsBuilder(LossType type) {
    super(type);
  }

  public B smoothNr(double v) {
    return set(DiceLoss.SMOOTH_NR, v);
  }

  public B smoothDr(double v) {
    return set(DiceLoss.SMOOTH_DR, v);
  }

  public B batch(boolean v) {
    return set(DiceLoss.BATCH, v);
  }

  public B squared(boolean v) {
    return set(DiceLoss.SQUARED, v);
  }

  public B log(boolean v) {
    return set(DiceLoss.LOG, v);
  }

  public B soft(boolean v) {
    return set(DiceLoss.SOFT, v);
  }
}
