package dev.segloss.data;

import dev.segloss.core.InvalidInputException;
import dev.segloss.data.transform.Intensity;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Parses {@code key=value,key=value} option lists of a {@code --data} value (or of another option's
 * value, such as predict's {@code --input nifti:...}), with one-line errors.
 */
public final class Options {
  private final String option;
  private final String context;
  private final Map<String, String> values = new LinkedHashMap<>();

  private Options(String option, String context) {
    this.option = option;
    this.context = context;
  }

  /**
   * @param context the whole {@code --data} value, quoted in every error
   * @param text the part after the scheme's colon (may be empty)
   * @param allowed the keys this scheme knows
   */
  public static Options parse(String context, String text, List<String> allowed) {
    return parse("--data", context, text, allowed);
  }

  /**
   * @param option the command-line option whose value this is, named in every error (e.g. {@code --input})
   * @param context the option's whole value, quoted in every error
   * @param text the part after the scheme's colon (may be empty)
   * @param allowed the keys this scheme knows
   */
  public static Options parse(String option, String context, String text, List<String> allowed) {
    Options o = new Options(option, context);
    if (text == null || text.isBlank()) return o;
    for (String part : text.split(",", -1)) {
      String p = part.trim();
      if (p.isEmpty()) throw o.error("empty option (two commas in a row or a trailing comma)");
      int eq = p.indexOf('=');
      if (eq <= 0) throw o.error("option '" + p + "' is not of the form key=value");
      String key = p.substring(0, eq).trim().toLowerCase(Locale.ROOT);
      String value = p.substring(eq + 1).trim();
      if (!allowed.contains(key)) {
        throw o.error("unknown option '" + key + "' (expected one of " + String.join(", ", allowed) + ")");
      }
      if (value.isEmpty()) throw o.error("option '" + key + "' has no value");
      if (o.values.put(key, value) != null) throw o.error("option '" + key + "' is given twice");
    }
    return o;
  }

  public InvalidInputException error(String what) {
    return new InvalidInputException(option + " " + context + ": " + what);
  }

  public boolean has(String key) {
    return values.containsKey(key);
  }

  public String string(String key, String def) {
    return values.getOrDefault(key, def);
  }

  public String required(String key) {
    String v = values.get(key);
    if (v == null) throw error("option '" + key + "' is required");
    return v;
  }

  public double number(String key, double def, double min, double max, boolean minOpen) {
    String v = values.get(key);
    if (v == null) return def;
    double d;
    try {
      d = Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw error("option '" + key + "' expects a number, got '" + v + "'");
    }
    boolean low = minOpen ? d <= min : d < min;
    if (Double.isNaN(d) || low || d > max) {
      throw error("option '" + key + "' expects a number in " + (minOpen ? "(" : "[") + fmt(min) + ", " + fmt(max)
          + "], got '" + v + "'");
    }
    return d;
  }

  public int integer(String key, int def, int min, int max) {
    String v = values.get(key);
    if (v == null) return def;
    long d;
    try {
      d = Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw error("option '" + key + "' expects an integer, got '" + v + "'");
    }
    if (d < min || d > max) throw error("option '" + key + "' expects an integer in [" + min + ", " + max + "], got '" + v + "'");
    return (int) d;
  }

  public long longValue(String key, long def) {
    String v = values.get(key);
    if (v == null) return def;
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw error("option '" + key + "' expects an integer, got '" + v + "'");
    }
  }

  /** {@code N} or {@code HxW}; returns {height, width}. */
  public int[] size(String key, int min, int max) {
    String v = values.get(key);
    if (v == null) return null;
    String[] hw = v.toLowerCase(Locale.ROOT).split("x", -1);
    if (hw.length > 2) throw error("option '" + key + "' expects N or HxW, got '" + v + "'");
    int[] out = new int[2];
    try {
      out[0] = Integer.parseInt(hw[0].trim());
      out[1] = hw.length == 2 ? Integer.parseInt(hw[1].trim()) : out[0];
    } catch (NumberFormatException e) {
      throw error("option '" + key + "' expects N or HxW (positive integers), got '" + v + "'");
    }
    for (int d : out) {
      if (d < min || d > max) throw error("option '" + key + "' expects sizes in [" + min + ", " + max + "], got '" + v + "'");
    }
    return out;
  }

  /** The intensity normalisation option {@code key} (zscore, the default; minmax; none). */
  public Intensity.Mode norm(String key) {
    String v = string(key, "zscore").toLowerCase(Locale.ROOT);
    switch (v) {
      case "zscore":
        return Intensity.Mode.ZSCORE;
      case "minmax":
        return Intensity.Mode.MINMAX;
      case "none":
        return Intensity.Mode.NONE;
      default:
        throw error("option '" + key + "' expects zscore, minmax or none, got '" + v + "'");
    }
  }

  public static String fmt(double d) {
    if (d == Math.rint(d) && Math.abs(d) < 1e15) return Long.toString((long) d);
    if (Double.isInfinite(d)) return d > 0 ? "inf" : "-inf";
    return Double.toString(d);
  }
}
