package dev.segloss.core.loss;

/**
 * A loss for binary segmentation: value and exact gradient in one call. Implementations are immutable
 * and thread-safe; equal parameters make equal losses, and {@link #toSpec()} parses back to an equal
 * loss.
 */
public interface SegLoss {
  /** Computes the value and, when {@code withGradient}, the gradient with respect to y_pred as given. */
  LossResult compute(LossInput input, boolean withGradient);

  /** The value alone. */
  default LossResult value(LossInput input) {
    return compute(input, false);
  }

  /** Value and gradient. */
  default LossResult valueAndGradient(LossInput input) {
    return compute(input, true);
  }

  /** How values are reduced (every term of a weighted sum shares it). */
  Reduction reduction();

  /** The canonical spec, e.g. {@code bce(w_neg=0.2)}; parsing it gives an equal loss. */
  String toSpec();
}
