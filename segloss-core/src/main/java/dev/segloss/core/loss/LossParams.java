package dev.segloss.core.loss;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/** Immutable, validated parameter values of one loss family, in the family's canonical order. */
public final class LossParams {
  private final LossType type;
  private final LinkedHashMap<String, Object> values;

  private LossParams(LossType type, LinkedHashMap<String, Object> values) {
    this.type = type;
    this.values = values;
  }

  static LossParams defaults(LossType type) {
    LinkedHashMap<String, Object> v = new LinkedHashMap<>();
    for (Param p : type.params()) v.put(p.name(), p.defaultValue());
    return new LossParams(type, v);
  }

  public LossType type() {
    return type;
  }

  /** A copy with one value changed; the value is checked against the parameter's kind and range. */
  public LossParams with(String name, Object value) {
    Param p = type.param(name);
    if (p == null) {
      throw new LossSpecException("unknown parameter '" + name + "' for " + type.name() + "; known: " + type.paramNames());
    }
    if (value instanceof Enum<?>) value = ((Enum<?>) value).name().toLowerCase(Locale.ROOT);
    if (value instanceof Number && !(value instanceof Double)) value = ((Number) value).doubleValue();
    LinkedHashMap<String, Object> v = new LinkedHashMap<>(values);
    v.put(name, p.check(type.name(), value));
    return new LossParams(type, v);
  }

  public Object get(String name) {
    if (!values.containsKey(name)) throw new IllegalArgumentException("no parameter " + name + " in " + type.name());
    return values.get(name);
  }

  public double number(String name) {
    return (Double) get(name);
  }

  /** An optional number: NaN when absent ({@code none}). */
  public double optionalNumber(String name) {
    Object v = get(name);
    return v == null ? Double.NaN : (Double) v;
  }

  public boolean bool(String name) {
    return (Boolean) get(name);
  }

  public String word(String name) {
    return (String) get(name);
  }

  public <E extends Enum<E>> E enumValue(String name, Class<E> type) {
    return Enum.valueOf(type, word(name).toUpperCase(Locale.ROOT));
  }

  /** The value of a number parameter of this family (typed key: a mistyped name does not compile). */
  public double number(Param p) {
    return number(p.name());
  }

  /** The value of an optional number parameter: NaN when absent ({@code none}). */
  public double optionalNumber(Param p) {
    return optionalNumber(p.name());
  }

  public boolean bool(Param p) {
    return bool(p.name());
  }

  public <E extends Enum<E>> E enumValue(Param p, Class<E> type) {
    return enumValue(p.name(), type);
  }

  public Reduction reduction() {
    return enumValue("reduction", Reduction.class);
  }

  /** All values, canonical order. */
  public Map<String, Object> asMap() {
    return java.util.Collections.unmodifiableMap(values);
  }

  /**
   * The canonical spec: the family name, then the parameters that differ from their defaults in
   * canonical order, e.g. {@code bce(w_neg=0.2)}; a loss with all defaults prints as its bare name.
   */
  public String toSpec() {
    StringBuilder sb = new StringBuilder(type.name());
    boolean first = true;
    for (Param p : type.params()) {
      Object v = values.get(p.name());
      if (Objects.equals(v, p.defaultValue())) continue;
      sb.append(first ? "(" : ", ").append(p.name()).append('=').append(Param.format(v));
      first = false;
    }
    if (!first) sb.append(')');
    return sb.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LossParams && ((LossParams) o).type == type && ((LossParams) o).values.equals(values);
  }

  @Override
  public int hashCode() {
    return type.name().hashCode() * 31 + values.hashCode();
  }

  @Override
  public String toString() {
    return toSpec();
  }
}
