package dev.segloss.tensorflow;

/**
 * Turns TF run-time errors of the input checks into the one-line messages of the core's style. A failed
 * {@code AssertThat} reads {@code assertion failed: [predictions: ...] [min, max =] [-0.5] [1.2]} followed by
 * the graph node; this keeps the first line, without the prefix and the brackets.
 */
public final class TfErrors {
  private TfErrors() {}

  /** The first line of a TF error message, cleaned of the assertion prefix and brackets. */
  public static String oneLine(Throwable e) {
    String m = String.valueOf(e.getMessage());
    int nl = m.indexOf('\n');
    if (nl >= 0) m = m.substring(0, nl);
    m = m.strip();
    if (m.startsWith("assertion failed:")) {
      m = m.substring("assertion failed:".length()).strip().replace("] [", " ").replace("[", "").replace("]", "");
    }
    return m;
  }
}
