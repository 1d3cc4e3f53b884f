package dev.segloss.tensorflow;

import dev.segloss.core.loss.AbstractSegLoss;
import dev.segloss.core.loss.LossType;

/**
 * A TF loss of one named family, built from the core loss of the same parameters (names, defaults, ranges
 * and validation are the core's: one source of truth), which {@link #toCore()} returns. Build one from a
 * core loss, e.g. with the core's typed builders: {@code TfLosses.of(TverskyLoss.builder().alpha(0.3).build(), true)}.
 */
public abstract class TfSingleLoss extends TfSegLoss {
  private final AbstractSegLoss core;

  TfSingleLoss(AbstractSegLoss core, Config config) {
    super(config);
    if (core.reduction() != config.reduction) {
      throw new IllegalArgumentException("reduction " + core.reduction() + " in the core loss but " + config.reduction + " in the config");
    }
    this.core = core;
  }

  /** The family (name and parameter schema), shared with the core. */
  public final LossType type() {
    return core.type();
  }

  @Override
  public AbstractSegLoss toCore() {
    return core;
  }

  @Override
  TfSegLoss with(Config c) {
    return TfLosses.create(core.reduction() == c.reduction ? core : core.withReduction(c.reduction), c);
  }

  @Override
  boolean pooled() {
    return false;
  }
}
