package dev.segloss.djl;

/**
 * How a DJL segloss loss reads its inputs: whether the predictions are logits, the label value to
 * ignore, and whether to check the values of every batch.
 *
 * <ul>
 *   <li>{@code fromLogits} (default false): predictions are probabilities in [0,1]; with true they are
 *       real-valued logits and the losses use their stable logit forms (the core's {@code fromLogits}).
 *   <li>{@code ignoreValue} (default none, NaN): pixels whose label equals it contribute to no loss and
 *       receive a zero gradient (the core's {@code ignoreValue}, e.g. 255 as in Pascal VOC masks).
 *   <li>{@code checkValues} (default false): check every batch for NaN/Inf predictions or weights,
 *       probabilities outside [0,1], labels outside [0,1] that are not the ignore value, and negative
 *       weights, with the core's one-line messages. It costs a device-to-host synchronisation per batch,
 *       so it is off by default, as in DJL's built-in losses; shapes are always checked.
 * </ul>
 * Immutable.
 */
public final class DjlLossOptions {
  private static final DjlLossOptions PROBABILITIES = new DjlLossOptions(false, Float.NaN, false);
  private static final DjlLossOptions LOGITS = new DjlLossOptions(true, Float.NaN, false);

  private final boolean fromLogits;
  private final float ignoreValue;
  private final boolean checkValues;

  private DjlLossOptions(boolean fromLogits, float ignoreValue, boolean checkValues) {
    this.fromLogits = fromLogits;
    this.ignoreValue = ignoreValue;
    this.checkValues = checkValues;
  }

  /** Predictions are probabilities; nothing ignored; no value checks. */
  public static DjlLossOptions probabilities() {
    return PROBABILITIES;
  }

  /** Predictions are logits; nothing ignored; no value checks. */
  public static DjlLossOptions logits() {
    return LOGITS;
  }

  /** {@link #logits()} when {@code fromLogits}, else {@link #probabilities()}. */
  public static DjlLossOptions of(boolean fromLogits) {
    return fromLogits ? LOGITS : PROBABILITIES;
  }

  /** A copy that ignores pixels whose label equals {@code v} (NaN for none). */
  public DjlLossOptions withIgnoreValue(double v) {
    return new DjlLossOptions(fromLogits, (float) v, checkValues);
  }

  /** A copy that checks (or not) the values of every batch. */
  public DjlLossOptions withValueChecks(boolean check) {
    return new DjlLossOptions(fromLogits, ignoreValue, check);
  }

  public boolean fromLogits() {
    return fromLogits;
  }

  /** The ignore value, NaN when none. */
  public float ignoreValue() {
    return ignoreValue;
  }

  public boolean hasIgnore() {
    return !Float.isNaN(ignoreValue);
  }

  public boolean checkValues() {
    return checkValues;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof DjlLossOptions)) return false;
    DjlLossOptions x = (DjlLossOptions) o;
    return x.fromLogits == fromLogits && Float.compare(x.ignoreValue, ignoreValue) == 0 && x.checkValues == checkValues;
  }

  @Override
  public int hashCode() {
    return (Boolean.hashCode(fromLogits) * 31 + Float.hashCode(ignoreValue)) * 31 + Boolean.hashCode(checkValues);
  }

  @Override
  public String toString() {
    return (fromLogits ? "logits" : "probabilities") + (hasIgnore() ? ", ignore " + ignoreValue : "")
        + (checkValues ? ", checked" : "");
  }
}
