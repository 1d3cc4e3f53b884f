package dev.segloss.core.loss;


/**
 * The setters of the Dice options ({@link DiceLoss.Options}: {@code smooth_nr}, {@code smooth_dr},
 * {@code batch}, {@code squared}, {@code log}, {@code soft}), shared by the builders of the losses that
 * take them ({@code dice}, {@code logcosh_dice}); parameters as in the spec language, camelCase.
 */
public abstract class DiceOptionsBuilder<B extends DiceOptionsBuilder<B, L>, L extends SegLoss> extends LossBuilder<B, L> {
  protected DiceOptionsBuilder(LossType type) {
    super(type);
  }

  public B smoothNr(double v) {
    return set("smooth_nr", v);
  }

  public B smoothDr(double v) {
    return set("smooth_dr", v);
  }

  public B batch(boolean v) {
    return set("batch", v);
  }

  public B squared(boolean v) {
    return set("squared", v);
  }

  public B log(boolean v) {
    return set("log", v);
  }

  public B soft(boolean v) {
    return set("soft", v);
  }
}
