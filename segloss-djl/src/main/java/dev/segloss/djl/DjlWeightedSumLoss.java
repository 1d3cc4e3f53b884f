package dev.segloss.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.evaluator.Evaluator;
import ai.djl.training.loss.AbstractCompositeLoss;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import dev.segloss.core.InvalidInputException;
import dev.segloss.core.loss.Reduction;
import dev.segloss.core.loss.SegLoss;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A weighted sum {@code c1·L1 + c2·L2 + ...} of segloss losses in DJL (a spec with several terms, or
 * {@code combined}), as the core's {@code WeightedSumLoss}: value and gradient are the weighted sums of
 * the terms', all terms share one reduction.
 *
 * <p>It is a DJL {@link AbstractCompositeLoss} whose components are the terms (unscaled, each named by
 * its canonical spec). The inputs are checked and flattened once per evaluation and shared by the
 * terms, so {@code sigmoid(x)} is computed once. The accumulators follow DJL's composite convention:
 * every component accumulates its own (unscaled) value and this loss reports
 * &Sigma;c<sub>i</sub>·accumulator<sub>i</sub>, which is the mean of the weighted sums. To see the terms
 * in the training logs too, add {@link #termEvaluators()} to the training configuration's evaluators:
 * they read the components' accumulators (no extra computation).
 */
public final class DjlWeightedSumLoss extends AbstractCompositeLoss implements BatchLoss {
  private final SegLoss core;
  private final DjlLossOptions options;
  private final double[] coefficients;
  private final List<BatchLoss> terms;

  DjlWeightedSumLoss(String name, SegLoss core, DjlLossOptions options, double[] coefficients, List<Loss> terms) {
    super(name);
    if (coefficients.length != terms.size() || terms.isEmpty()) throw new IllegalArgumentException("one coefficient per term");
    this.core = core;
    this.options = options;
    this.coefficients = coefficients.clone();
    this.components = Collections.unmodifiableList(new ArrayList<>(terms));
    List<BatchLoss> t = new ArrayList<>();
    for (Loss l : terms) t.add((BatchLoss) l);
    this.terms = t;
  }

  /** The core loss this one computes. */
  public SegLoss coreLoss() {
    return core;
  }

  public DjlLossOptions options() {
    return options;
  }

  public Reduction reduction() {
    return core.reduction();
  }

  /** The coefficient of term i. */
  public double coefficient(int i) {
    return coefficients[i];
  }

  @Override
  protected Pair<NDList, NDList> inputForComponent(int componentIndex, NDList labels, NDList predictions) {
    return new Pair<>(labels, predictions);
  }

  @Override
  public NDArray evaluate(NDList labels, NDList predictions) {
    return Ops.cast(compute(DjlBatch.of(labels, predictions, options)), DataType.FLOAT32);
  }

  @Override
  public NDArray compute(DjlBatch b) {
    NDArray sum = null;
    for (int i = 0; i < terms.size(); i++) {
      NDArray v = Ops.f64(terms.get(i).compute(b));
      if (coefficients[i] != 1) v = v.mul(coefficients[i]);
      if (sum != null && !sum.getShape().equals(v.getShape())) {
        throw new InvalidInputException("loss spec: with reduction=none the terms give " + sum.getShape().size()
            + " and " + v.getShape().size() + " values (is one of them batch=true or per_image=false?)");
      }
      sum = sum == null ? v : sum.add(v);
    }
    return sum;
  }

  @Override
  public void accumulate(String[] keys, DjlBatch b) {
    for (BatchLoss t : terms) t.accumulate(keys, b);
  }

  @Override
  public void updateAccumulators(String[] keys, NDList labels, NDList predictions) {
    accumulate(keys, DjlBatch.of(labels, predictions, options));
  }

  @Override
  public float getAccumulator(String key) {
    double s = 0;
    for (int i = 0; i < components.size(); i++) s += coefficients[i] * components.get(i).getAccumulator(key);
    return (float) s;
  }

  /**
   * One evaluator per term, named {@code loss_} + the term's spec (made unique; the prefix keeps a term
   * {@code dice} apart from a Dice metric named {@code dice}), reporting that term's accumulated
   * value (unscaled). They do no work of their own: add them to the training configuration next to this
   * loss ({@code config.addEvaluators(loss.termEvaluators())}) so that the progress bar and the logs show
   * each term beside the total.
   */
  public List<Evaluator> termEvaluators() {
    List<Evaluator> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    names.add(getName());
    for (Loss c : components) {
      String base = "loss_" + c.getName();
      String name = base;
      for (int k = 2; !names.add(name); k++) name = base + "#" + k;
      out.add(new TermView(name, c));
    }
    return out;
  }

  @Override
  public String toString() {
    return "DjlWeightedSumLoss[" + getName() + ", " + options + "]";
  }

  /** Reads a component's accumulator under another name; updates come from the composite. */
  private static final class TermView extends Evaluator {
    private final Loss component;

    TermView(String name, Loss component) {
      super(name);
      this.component = component;
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
      return component.evaluate(labels, predictions);
    }

    @Override
    public void addAccumulator(String key) {
      // the composite loss adds the component's accumulators
    }

    @Override
    public void updateAccumulator(String key, NDList labels, NDList predictions) {
      // the composite loss updates the component
    }

    @Override
    public void updateAccumulators(String[] keys, NDList labels, NDList predictions) {
      // the composite loss updates the component
    }

    @Override
    public void resetAccumulator(String key) {
      // the composite loss resets the component
    }

    @Override
    public float getAccumulator(String key) {
      return component.getAccumulator(key);
    }
  }
}
