package dev.segloss.core.engine;

import dev.segloss.core.loss.LossInput;
import dev.segloss.core.loss.LossResult;
import dev.segloss.core.loss.SegLoss;

/**
 * An engine that computes a segloss loss on core inputs: the core itself ({@link CoreLossEngine}), DJL
 * (segloss-djl), TensorFlow (segloss-tensorflow), or your own. Engines are plug-ins found with {@link
 * java.util.ServiceLoader} ({@link LossEngines}): an implementation has a public no-argument constructor and
 * is listed, one fully qualified class name per line, in {@code META-INF/services/dev.segloss.core.engine.LossEngine}
 * of its own module — the way DJL finds its {@code EngineProvider}s. Putting a module on the class path is
 * all it takes; {@code segloss loss --engine NAME} then offers it.
 *
 * <p>Contract: the same values and gradient as the core (to the engine's float32 accuracy; the conformance
 * table of the tests checks it), the gradient with respect to {@code y_pred} as given (probabilities or
 * logits) — of the sum of the per-image values with reduction {@code none} — and {@link
 * dev.segloss.core.InvalidInputException} with a one-line message for bad input. An engine reads
 * {@code fromLogits}, the weights and the ignore value from the {@link LossInput}; it may ignore its
 * {@code threads}.
 */
public interface LossEngine {
  /** The name users type after {@code --engine}: lower case, unique. */
  String name();

  /** One line for {@code --help} and error messages; the name by default. */
  default String description() {
    return name();
  }

  /**
   * Computes {@code loss} on {@code input}.
   *
   * @param withGradient also return the gradient of the reduced loss (of the sum of the per-image values
   *     with reduction {@code none})
   */
  LossResult compute(SegLoss loss, LossInput input, boolean withGradient);
}
