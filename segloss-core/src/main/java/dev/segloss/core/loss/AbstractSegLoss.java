package dev.segloss.core.loss;

/**
 * A single loss of a named family. Holds the parameter values as the spec language sees them
 * ({@link #paramValues()}: equality, hashing and printing come from them) and, in each family, the same
 * values as the family's typed, immutable parameter record ({@link #params()}), which is what every engine
 * reads.
 */
public abstract class AbstractSegLoss implements SegLoss {
  private final LossParams values;
  protected final Reduction reduction;

  protected AbstractSegLoss(LossParams values) {
    this.values = values;
    this.reduction = values.reduction();
  }

  /** The family (name and parameter schema). */
  public final LossType type() {
    return values.type();
  }

  /** The parameter values by their spec names, in canonical order (for the spec language and generic tools). */
  public final LossParams paramValues() {
    return values;
  }

  /**
   * The family's typed parameter record (e.g. {@link DiceLoss.Params}), without the reduction; each family
   * narrows the return type.
   */
  public abstract Record params();

  @Override
  public final Reduction reduction() {
    return reduction;
  }

  /** The same loss with another reduction. */
  public AbstractSegLoss withReduction(Reduction r) {
    return r == reduction ? this : (AbstractSegLoss) type().create(values.with(LossType.REDUCTION.name(), r));
  }

  @Override
  public boolean equals(Object o) {
    return o != null && o.getClass() == getClass() && ((AbstractSegLoss) o).values.equals(values);
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }

  @Override
  public String toSpec() {
    return values.toSpec();
  }

  @Override
  public String toString() {
    return values.toSpec();
  }
}
