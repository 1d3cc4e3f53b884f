package dev.segloss.core;

/**
 * Bad input from the caller: the message is one line that names the argument (or file) and says what
 * was expected. The CLI prints only the message and exits with code 2.
 */
public class InvalidInputException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public InvalidInputException(String message) {
    super(message);
  }

  public InvalidInputException(String message, Throwable cause) {
    super(message, cause);
  }

  // The wording of issue 2's value checks, shared by losses, metrics and class-weight counts.

  /** A label that is neither in [0,1] nor the ignore value ({@code ignoreValue} NaN: there is none). */
  public static InvalidInputException badLabel(String name, float value, long index, float ignoreValue) {
    return new InvalidInputException(name + ": " + value + " at flat index " + index + " is not a label in [0,1]"
        + (Float.isNaN(ignoreValue) ? " (use --ignore-value for a void label)" : " nor the ignore value " + ignoreValue));
  }

  /** A prediction that is NaN or infinite. */
  public static InvalidInputException nonFinitePrediction(String name, float value, long index) {
    return new InvalidInputException(name + ": " + value + " at flat index " + index + "; predictions must be finite");
  }

  /** A probability outside [0,1]: perhaps logits given as probabilities. */
  public static InvalidInputException notAProbability(String name, float value, long index) {
    return new InvalidInputException(name + ": " + value + " at flat index " + index
        + " is not a probability in [0,1]; if these are logits, say so (--logits / fromLogits(true))");
  }
}
