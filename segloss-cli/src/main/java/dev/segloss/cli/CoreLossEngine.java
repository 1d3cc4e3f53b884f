package dev.segloss.cli;

import dev.segloss.core.spec.LossSpec;
import dev.segloss.core.loss.LossInput;
import dev.segloss.core.loss.LossResult;

/** The built-in engine: the pure-Java losses of segloss-core ({@link LossSpec#parse}). */
public final class CoreLossEngine implements LossEngine {
  @Override
  public String name() {
    return "core";
  }

  @Override
  public LossResult compute(String spec, LossInput input, boolean withGradient) {
    return LossSpec.parse(spec).compute(input, withGradient);
  }

  @Override
  public String description() {
    return "core (pure Java, segloss-core)";
  }
}
