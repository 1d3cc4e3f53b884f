package dev.segloss.core.loss;


/** A single loss of a named family. Holds the parameters; equality, hashing and printing come from them. */
public abstract class AbstractSegLoss implements SegLoss {
  protected final LossParams params;
  protected final Reduction reduction;

  protected AbstractSegLoss(LossParams params) {
    this.params = params;
    this.reduction = params.reduction();
  }

  /** The family (name and parameter schema). */
  public final LossType type() {
    return params.type();
  }

  /** The parameter values. */
  public final LossParams params() {
    return params;
  }

  @Override
  public final Reduction reduction() {
    return reduction;
  }

  @Override
  public boolean equals(Object o) {
    return o != null && o.getClass() == getClass() && ((AbstractSegLoss) o).params.equals(params);
  }

  @Override
  public int hashCode() {
    return params.hashCode();
  }

  @Override
  public String toSpec() {
    return params.toSpec();
  }

  @Override
  public String toString() {
    return params.toSpec();
  }
}
