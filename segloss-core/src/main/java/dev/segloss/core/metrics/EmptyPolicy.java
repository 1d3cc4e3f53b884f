package dev.segloss.core.metrics;

import dev.segloss.core.InvalidInputException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What a metric is when it is 0/0, above all when truth and prediction are both empty (an image with
 * no foreground, correctly predicted as such):
 *
 * <ul>
 *   <li>{@link #NAN} (default): NaN; dice and iou are NaN exactly when truth and prediction are both
 *       empty, and NaN values are left out of the macro mean (nnU-Net's evaluation does this). An empty
 *       truth with a non-empty prediction gives dice 0, as the formula says.
 *   <li>{@link #NAN_IF_TRUTH_EMPTY}: NaN whenever the truth is empty, whatever the prediction, for the
 *       foreground metrics dice, iou, precision, recall, f_beta and mcc (MONAI's {@code DiceMetric}
 *       default {@code ignore_empty=True}); other 0/0 are NaN too.
 *   <li>{@link #ONE}: 1 (the perfect score of an empty, correctly predicted image; MONAI's
 *       {@code ignore_empty=False}).
 *   <li>{@link #ZERO}: 0.
 * </ul>
 *
 * The same value is used for every other 0/0 of the count metrics (like scikit-learn's
 * {@code zero_division}): precision when nothing is predicted, recall when the truth is empty,
 * specificity when the truth is all foreground, and mcc when its denominator vanishes on a perfect
 * single-class prediction (mcc with a vanishing denominator and any error is 0, scikit-learn's
 * convention). Distances with an empty side are NaN under every policy.
 */
public enum EmptyPolicy {
  NAN,
  NAN_IF_TRUTH_EMPTY,
  ONE,
  ZERO;

  /** The value of a 0/0. */
  public double value() {
    switch (this) {
      case ONE:
        return 1.0;
      case ZERO:
        return 0.0;
      default:
        return Double.NaN;
    }
  }

  /** The lower-case word used on the command line. */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a word (case-insensitive); the error lists the valid words. */
  public static EmptyPolicy parse(String word) {
    for (EmptyPolicy p : values()) if (p.word().equalsIgnoreCase(word)) return p;
    throw new InvalidInputException("empty: unknown policy '" + word + "'; expected one of "
        + Arrays.stream(values()).map(EmptyPolicy::word).collect(Collectors.joining(", ")));
  }
}
