package dev.segloss.core.loss;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;

/**
 * A named loss family as the spec language sees it: its parameters (every family also takes
 * {@code reduction}) and how to build an instance from parameter values.
 */
public final class LossType {
  /** The {@code reduction} parameter every loss takes; default {@code mean}. */
  public static final Param REDUCTION =
      Param.word("reduction", Reduction.MEAN, Reduction.class,
          "how pixel or image values become the loss (default mean: the seed's reduce_mean)");

  private final String name;
  private final String summary;
  private final List<Param> params;
  private final Function<LossParams, ? extends SegLoss> factory;

  public LossType(String name, String summary, List<Param> params, Function<LossParams, ? extends SegLoss> factory) {
    this.name = name;
    this.summary = summary;
    List<Param> all = new ArrayList<>(params);
    all.add(REDUCTION);
    this.params = Collections.unmodifiableList(all);
    this.factory = factory;
  }

  public String name() {
    return name;
  }

  public String summary() {
    return summary;
  }

  /** The parameters in canonical order, {@code reduction} last. */
  public List<Param> params() {
    return params;
  }

  public Param param(String paramName) {
    for (Param p : params) if (p.name().equals(paramName)) return p;
    return null;
  }

  /** Names of the parameters, comma-separated, for error messages. */
  public String paramNames() {
    return String.join(", ", params.stream().map(Param::name).toList());
  }

  /** All defaults. */
  public LossParams defaults() {
    return LossParams.defaults(this);
  }

  public SegLoss create(LossParams values) {
    if (values.type() != this) throw new IllegalArgumentException("parameters of " + values.type().name() + " given to " + name);
    return factory.apply(values);
  }

  @Override
  public String toString() {
    return name;
  }
}
