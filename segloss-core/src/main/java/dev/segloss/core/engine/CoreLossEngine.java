package dev.segloss.core.engine;

import dev.segloss.core.loss.LossInput;
import dev.segloss.core.loss.LossResult;
import dev.segloss.core.loss.SegLoss;

/** The built-in engine {@code core}: the pure-Java losses of segloss-core, the reference of every other engine. */
public final class CoreLossEngine implements LossEngine {
  /** Its name. */
  public static final String NAME = "core";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "core (pure Java, segloss-core)";
  }

  @Override
  public LossResult compute(SegLoss loss, LossInput input, boolean withGradient) {
    return loss.compute(input, withGradient);
  }
}
