package dev.segloss.tensorflow;

import dev.segloss.core.InvalidInputException;
import dev.segloss.core.loss.Reduction;
import dev.segloss.core.loss.SegLoss;
import dev.segloss.core.loss.WeightedSumLoss;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TNumber;

/**
 * A weighted sum of losses {@code c1·L1 + c2·L2 + ...} in TensorFlow Java, the core's
 * {@link WeightedSumLoss} (what a spec such as {@code 0.3*bce(w_neg=0.11) + 0.7*dice} builds). All terms
 * share the inputs, the reduction, {@code fromLogits}, the ignore value and the input checks; the inputs
 * are validated once and shared work (probabilities, soft counts, per-pixel BCE) is built once for all
 * terms.
 */
public final class TfWeightedSumLoss extends TfSegLoss {
  /** One term: a coefficient and a loss. */
  public static final class Term {
    private final double coefficient;
    private final TfSegLoss loss;

    Term(double coefficient, TfSegLoss loss) {
      this.coefficient = coefficient;
      this.loss = loss;
    }

    public double coefficient() {
      return coefficient;
    }

    public TfSegLoss loss() {
      return loss;
    }
  }

  private final List<Term> terms;

  TfWeightedSumLoss(List<Term> terms, Config c) {
    super(c);
    if (terms.isEmpty()) throw new InvalidInputException("loss spec: a weighted sum needs at least one term");
    List<Term> aligned = new ArrayList<>();
    for (Term t : terms) aligned.add(new Term(t.coefficient, t.loss.with(c.name(null))));
    this.terms = List.copyOf(aligned);
    if (c.reduction == Reduction.NONE) {
      boolean anyPooled = false;
      boolean anyPerImage = false;
      for (Term t : this.terms) {
        if (t.loss.pooled()) anyPooled = true;
        else anyPerImage = true;
      }
      if (anyPooled && anyPerImage) {
        throw new InvalidInputException("loss spec: with reduction=none the terms give one value per image and one per batch"
            + " (is one of them batch=true or per_image=false?) in " + toCore().toSpec());
      }
    }
  }

  /** The terms (each configured like this sum). */
  public List<Term> terms() {
    return terms;
  }

  @Override
  <T extends TNumber> Operand<T> value(Batch<T> b) {
    Ops tf = b.tf;
    List<Operand<T>> parts = new ArrayList<>();
    for (Term t : terms) parts.add(TfOps.scale(tf, t.coefficient, t.loss.value(b)));
    return TfOps.add(tf, parts);
  }

  @Override
  boolean pooled() {
    for (Term t : terms) if (!t.loss.pooled()) return false;
    return true;
  }

  @Override
  public boolean needsDistanceMaps() {
    for (Term t : terms) if (t.loss.needsDistanceMaps()) return true;
    return false;
  }

  @Override
  TfSegLoss with(Config c) {
    return new TfWeightedSumLoss(terms, c);
  }

  @Override
  public SegLoss toCore() {
    List<WeightedSumLoss.Term> core = new ArrayList<>();
    for (Term t : terms) core.add(new WeightedSumLoss.Term(t.coefficient, t.loss.toCore()));
    return new WeightedSumLoss(core);
  }
}
