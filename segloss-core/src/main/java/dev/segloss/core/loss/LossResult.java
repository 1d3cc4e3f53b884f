package dev.segloss.core.loss;

import java.util.Arrays;

/**
 * The value of a loss (one number, or one per image with {@link Reduction#NONE}) and, when asked for,
 * its gradient with respect to {@code y_pred} as given (probabilities or logits), float32, same shape.
 * With {@code NONE} the gradient is that of the sum of the per-image values.
 */
public final class LossResult {
  private final double[] values;
  private final float[] gradient;

  public LossResult(double[] values, float[] gradient) {
    this.values = values;
    this.gradient = gradient;
  }

  /** The reduced value; with reduction {@code none} over several images, use {@link #values()}. */
  public double value() {
    if (values.length != 1) {
      throw new IllegalStateException("reduction=none gave " + values.length + " values (one per image); use values()");
    }
    return values[0];
  }

  /** All values: one for a reduced loss, one per image for {@code none}. */
  public double[] values() {
    return values.clone();
  }

  /** Sum of the values (the quantity the gradient differentiates). */
  public double total() {
    double s = 0;
    for (double v : values) s += v;
    return s;
  }

  /** The gradient (shared array), or null when it was not asked for. */
  public float[] gradient() {
    return gradient;
  }

  @Override
  public String toString() {
    return values.length == 1 ? Double.toString(values[0]) : Arrays.toString(values);
  }
}
