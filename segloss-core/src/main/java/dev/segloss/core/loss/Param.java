package dev.segloss.core.loss;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One parameter of a loss: its snake_case name, kind, default and valid range. Values are stored as
 * {@link Double} (numbers), {@link Boolean}, {@link String} (enum words, lower case) or {@code null}
 * (an optional number that is absent, written {@code none}).
 */
public final class Param {
  /** What values a parameter takes. */
  public enum Kind {
    NUMBER,
    OPTIONAL_NUMBER,
    BOOLEAN,
    WORD
  }

  private final String name;
  private final Kind kind;
  private final Object defaultValue;
  private final double min;
  private final double max;
  private final boolean minOpen;
  private final List<String> words;
  private final String doc;

  private Param(String name, Kind kind, Object def, double min, boolean minOpen, double max, List<String> words, String doc) {
    this.name = name;
    this.kind = kind;
    this.defaultValue = def;
    this.min = min;
    this.minOpen = minOpen;
    this.max = max;
    this.words = words;
    this.doc = doc;
  }

  /** A number in [min, max]. */
  public static Param number(String name, double def, double min, double max, String doc) {
    return new Param(name, Kind.NUMBER, def, min, false, max, List.of(), doc);
  }

  /** A number in (min, max]. */
  public static Param positive(String name, double def, double max, String doc) {
    return new Param(name, Kind.NUMBER, def, 0, true, max, List.of(), doc);
  }

  /** A number in [min, max] or {@code none} (absent, the default). */
  public static Param optionalNumber(String name, double min, double max, String doc) {
    return new Param(name, Kind.OPTIONAL_NUMBER, null, min, false, max, List.of(), doc);
  }

  public static Param bool(String name, boolean def, String doc) {
    return new Param(name, Kind.BOOLEAN, def, 0, false, 0, List.of(), doc);
  }

  /** One of a fixed list of lower-case words. */
  public static Param word(String name, String def, List<String> words, String doc) {
    return new Param(name, Kind.WORD, def, 0, false, 0, List.copyOf(words), doc);
  }

  public static <E extends Enum<E>> Param word(String name, E def, Class<E> type, String doc) {
    return word(name, def.name().toLowerCase(Locale.ROOT),
        Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT)).toList(), doc);
  }

  public String name() {
    return name;
  }

  public Kind kind() {
    return kind;
  }

  public Object defaultValue() {
    return defaultValue;
  }

  public List<String> words() {
    return words;
  }

  public String doc() {
    return doc;
  }

  /** Lower bound of a number (0 for other kinds). */
  public double min() {
    return min;
  }

  /** Upper bound of a number (may be infinite; 0 for other kinds). */
  public double max() {
    return max;
  }

  /** True when the lower bound itself is excluded, as in (0, 1]. */
  public boolean minOpen() {
    return minOpen;
  }

  /** Checks and normalises a value (numbers become Double); throws with a message naming the parameter. */
  public Object check(String loss, Object value) {
    switch (kind) {
      case NUMBER:
      case OPTIONAL_NUMBER: {
        if (value == null) {
          if (kind == Kind.OPTIONAL_NUMBER) return null;
          throw new LossSpecException(loss + ": parameter '" + name + "' needs a number");
        }
        if (!(value instanceof Number)) {
          throw new LossSpecException(loss + ": parameter '" + name + "' needs a number, got " + value);
        }
        double d = ((Number) value).doubleValue();
        boolean ok = Double.isFinite(d) && (minOpen ? d > min : d >= min) && d <= max;
        if (!ok) {
          throw new LossSpecException(loss + ": parameter '" + name + "' must be in " + range() + ", got " + fmt(d));
        }
        return d + 0.0; // -0 becomes 0: one value, one canonical text, one hash
      }
      case BOOLEAN:
        if (!(value instanceof Boolean)) {
          throw new LossSpecException(loss + ": parameter '" + name + "' needs true or false, got " + value);
        }
        return value;
      case WORD: {
        String w = value == null ? "" : value.toString().toLowerCase(Locale.ROOT);
        if (!words.contains(w)) {
          throw new LossSpecException(loss + ": parameter '" + name + "' must be one of " + String.join(", ", words) + ", got " + value);
        }
        return w;
      }
      default:
        throw new AssertionError(kind);
    }
  }

  /** The valid range as text, e.g. {@code (0, 1]} or {@code [0, inf)}. */
  public String range() {
    String hi = max == Double.POSITIVE_INFINITY ? "inf)" : fmt(max) + "]";
    return (minOpen ? "(" : "[") + fmt(min) + ", " + hi;
  }

  /**
   * Canonical text of a value: numbers as the shortest decimal that reads back as the same double
   * (integers without a fraction, exponents as {@code 1e-7} / {@code 2.5e-4} rather than Java's
   * {@code 1.0E-7}), booleans, words, none.
   */
  public static String format(Object value) {
    if (value == null) return "none";
    if (value instanceof Double) return fmt((Double) value);
    return value.toString();
  }

  static String fmt(double d) {
    if (d == Math.rint(d) && Math.abs(d) < 1e15) return Long.toString((long) d);
    String s = Double.toString(d); // digits that read back as d
    int e = s.indexOf('E');
    if (e < 0) return s;
    String mantissa = s.substring(0, e);
    if (mantissa.endsWith(".0")) mantissa = mantissa.substring(0, mantissa.length() - 2);
    return mantissa + "e" + s.substring(e + 1);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Param && ((Param) o).name.equals(name) && ((Param) o).kind == kind
        && Objects.equals(((Param) o).defaultValue, defaultValue);
  }

  @Override
  public int hashCode() {
    return name.hashCode();
  }

  @Override
  public String toString() {
    return name + "=" + format(defaultValue);
  }
}
