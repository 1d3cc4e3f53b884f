package dev.segloss.cli;

import dev.segloss.core.loss.LossInput;
import dev.segloss.core.loss.LossResult;

/**
 * A backend that computes a loss spec for {@code segloss loss --engine NAME}. Engines are discovered with
 * {@link java.util.ServiceLoader}: an implementation has a public no-argument constructor and is listed,
 * one fully qualified class name per line, in {@code META-INF/services/dev.segloss.cli.LossEngine} of
 * the segloss-cli module (the module that depends on every engine; an implementation for DJL or
 * TensorFlow therefore lives in segloss-cli, e.g. in package {@code dev.segloss.cli.engine}). The built-in
 * engine is {@link CoreLossEngine} ({@code core}).
 *
 * <p>Contract: the same values and gradient as the core library (to the engine's float32 accuracy), the
 * gradient with respect to {@code y_pred} as given (probabilities or logits), and {@link
 * dev.segloss.core.InvalidInputException} for bad input, with a one-line message.
 */
public interface LossEngine {
  /** The name users type after {@code --engine}, lower case, unique. */
  String name();

  /**
   * Computes the loss described by {@code spec} (the loss-spec language of {@link
   * dev.segloss.core.spec.LossSpec#parse}) on {@code input}.
   *
   * @param withGradient also return the gradient of the reduced loss (of the sum of the per-image values
   *     with reduction {@code none})
   */
  LossResult compute(String spec, LossInput input, boolean withGradient);

  /** One line for {@code --help} and error messages; the name by default. */
  default String description() {
    return name();
  }
}
