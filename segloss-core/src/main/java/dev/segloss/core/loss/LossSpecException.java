package dev.segloss.core.loss;

import dev.segloss.core.InvalidInputException;

/** A loss spec that cannot be parsed or names an unknown loss, parameter or value. One-line message. */
public class LossSpecException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  public LossSpecException(String message) {
    super(message);
  }
}
