package dev.segloss.core.loss;

import dev.segloss.core.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A weighted sum of losses, {@code c1·L1 + c2·L2 + ...}: its value and gradient are the same weighted sums
 * of the terms' values and gradients. Every term must use the same reduction.
 */
public final class WeightedSumLoss implements SegLoss {
  /** One term: a coefficient and a loss. */
  public static final class Term {
    private final double coefficient;
    private final SegLoss loss;

    public Term(double coefficient, SegLoss loss) {
      if (!Double.isFinite(coefficient)) throw new InvalidInputException("loss spec: coefficient must be finite, got " + coefficient);
      this.coefficient = coefficient + 0.0; // -0 is 0 (equal terms hash alike)
      this.loss = Objects.requireNonNull(loss);
    }

    public double coefficient() {
      return coefficient;
    }

    public SegLoss loss() {
      return loss;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Term && ((Term) o).coefficient == coefficient && ((Term) o).loss.equals(loss);
    }

    @Override
    public int hashCode() {
      return Double.hashCode(coefficient) * 31 + loss.hashCode();
    }
  }

  private final List<Term> terms;
  private final Reduction reduction;

  public WeightedSumLoss(List<Term> terms) {
    if (terms.isEmpty()) throw new InvalidInputException("loss spec: a weighted sum needs at least one term");
    this.terms = List.copyOf(terms);
    Reduction r = terms.get(0).loss().reduction();
    for (Term t : terms) {
      if (t.loss().reduction() != r) {
        throw new InvalidInputException("loss spec: all terms of a weighted sum must share one reduction; got "
            + r.word() + " and " + t.loss().reduction().word() + " (in " + t.loss().toSpec() + ")");
      }
    }
    this.reduction = r;
  }

  /** Builds {@code c1·L1 + c2·L2}. */
  public static WeightedSumLoss of(double c1, SegLoss l1, double c2, SegLoss l2) {
    return new WeightedSumLoss(List.of(new Term(c1, l1), new Term(c2, l2)));
  }

  public List<Term> terms() {
    return terms;
  }

  @Override
  public Reduction reduction() {
    return reduction;
  }

  @Override
  public LossResult compute(LossInput in, boolean withGradient) {
    double[] values = null;
    float[] grad = null;
    for (Term t : terms) {
      LossResult r = t.loss().compute(in, withGradient);
      double[] v = r.values();
      if (values == null) {
        values = new double[v.length];
      } else if (values.length != v.length) {
        throw new InvalidInputException("loss spec: with reduction=none the terms give " + values.length + " and "
            + v.length + " values (is one of them batch=true or per_image=false?)");
      }
      for (int j = 0; j < v.length; j++) values[j] += t.coefficient() * v[j];
      if (withGradient) {
        float[] g = r.gradient();
        if (grad == null) {
          grad = new float[g.length];
        }
        float c = (float) t.coefficient();
        for (int j = 0; j < g.length; j++) grad[j] += c * g[j];
      }
    }
    return new LossResult(values, grad);
  }

  /** {@code c1*spec1 + c2*spec2 + ...}; a coefficient of 1 is not printed. */
  @Override
  public String toSpec() {
    List<String> parts = new ArrayList<>();
    for (Term t : terms) {
      parts.add(t.coefficient() == 1.0 ? t.loss().toSpec() : Param.format(t.coefficient()) + "*" + t.loss().toSpec());
    }
    return String.join(" + ", parts);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WeightedSumLoss && ((WeightedSumLoss) o).terms.equals(terms);
  }

  @Override
  public int hashCode() {
    return terms.hashCode();
  }

  @Override
  public String toString() {
    return toSpec();
  }
}
