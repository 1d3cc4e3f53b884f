package dev.segloss.cli;

import dev.segloss.core.InvalidInputException;
import picocli.CommandLine.Option;

/**
 * The {@code --ignore-value V} option shared by every command that reads labels (a picocli
 * {@code @Mixin}): labels equal to V (e.g. 255, the usual void label) count in no loss, metric or pixel
 * count. One definition, so that every command checks it the same way.
 */
public final class IgnoreValueOption {
  @Option(names = "--ignore-value", paramLabel = "V",
      description = "Labels equal to V (raw pixel values for mask images) count nowhere, e.g. 255.")
  Double value;

  /**
   * The ignore value, or NaN when none was given (the library's "no ignore value").
   *
   * @throws InvalidInputException when V is NaN or infinite
   */
  public double orNaN() {
    if (value == null) return Double.NaN;
    if (!Double.isFinite(value)) throw new InvalidInputException("--ignore-value: expected a finite number, got " + value);
    return value;
  }

  /** True when the option was given. */
  public boolean given() {
    return value != null;
  }
}
