package dev.segloss.core.spec;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One parsed but not yet validated term of a spec: coefficient, loss name and arguments as written,
 * with 1-based columns for error messages. Values are Double, Boolean or String (words such as
 * {@code square}, {@code none} or {@code auto}).
 */
public final class RawTerm {
  private final double coefficient;
  private final String name;
  private final int nameColumn;
  private final LinkedHashMap<String, Object> args;
  private final LinkedHashMap<String, Integer> columns;

  RawTerm(double coefficient, String name, int nameColumn, LinkedHashMap<String, Object> args, LinkedHashMap<String, Integer> columns) {
    this.coefficient = coefficient;
    this.name = name;
    this.nameColumn = nameColumn;
    this.args = args;
    this.columns = columns;
  }

  public double coefficient() {
    return coefficient;
  }

  public String name() {
    return name;
  }

  public int nameColumn() {
    return nameColumn;
  }

  /** Arguments in the order written. */
  public Map<String, Object> args() {
    return java.util.Collections.unmodifiableMap(args);
  }

  /** The column where an argument's name starts (1-based). */
  public int column(String arg) {
    return columns.getOrDefault(arg, nameColumn);
  }

  /** A copy with one argument replaced (or added) — used to resolve {@code auto} values. */
  public RawTerm with(String arg, Object value) {
    LinkedHashMap<String, Object> a = new LinkedHashMap<>(args);
    a.put(arg, value);
    return new RawTerm(coefficient, name, nameColumn, a, columns);
  }

  /** A copy without an argument. */
  public RawTerm without(String arg) {
    LinkedHashMap<String, Object> a = new LinkedHashMap<>(args);
    a.remove(arg);
    return new RawTerm(coefficient, name, nameColumn, a, columns);
  }
}
