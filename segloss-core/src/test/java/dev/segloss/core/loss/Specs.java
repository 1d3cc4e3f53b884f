package dev.segloss.core.loss;

import dev.segloss.core.spec.LossSpec;
import dev.segloss.core.testkit.TestInput;
import java.util.ArrayList;
import java.util.List;

/** Test helpers for specs. */
final class Specs {
  private Specs() {}

  /** The same loss with another reduction (every term of a weighted sum). */
  static SegLoss withReduction(SegLoss l, Reduction r) {
    if (l instanceof AbstractSegLoss) {
      AbstractSegLoss a = (AbstractSegLoss) l;
      return a.type().create(a.paramValues().with("reduction", r));
    }
    if (l instanceof WeightedSumLoss) {
      List<WeightedSumLoss.Term> terms = new ArrayList<>();
      for (WeightedSumLoss.Term t : ((WeightedSumLoss) l).terms()) {
        terms.add(new WeightedSumLoss.Term(t.coefficient(), withReduction(t.loss(), r)));
      }
      return new WeightedSumLoss(terms);
    }
    throw new IllegalArgumentException(l.toString());
  }

  static SegLoss parse(String spec, Reduction r) {
    return withReduction(LossSpec.parse(spec), r);
  }

  /** True when the spec (or one of its terms) is a Lovász hinge. */
  static boolean isLovasz(String spec) {
    return spec.contains("lovasz");
  }

  /** True when the loss cannot take this input's weights (Lovász: pixel weights; pooled Lovász: image weights). */
  static boolean rejects(String spec, TestInput in) {
    if (!isLovasz(spec)) return false;
    return in.pixelWeights() || (spec.contains("per_image=false") && in.imageWeights());
  }
}
