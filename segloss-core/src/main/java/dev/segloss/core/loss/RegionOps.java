package dev.segloss.core.loss;

/**
 * What a region loss's formula is written against: the weighted soft counts of each group (an image, or
 * the whole batch with {@code batch=true}) and the elementwise arithmetic on them. A formula, e.g.
 * {@link DiceLoss#formula}, is written once with these operations; each engine implements them for its own
 * value type {@code V}:
 *
 * <ul>
 *   <li>segloss-core: a double per group with its derivatives with respect to the counts (forward-mode,
 *       each operation applies its analytic derivative), from which {@link RegionLoss} forms the exact
 *       per-pixel gradient;
 *   <li>segloss-djl: a float64 {@code NDArray} [G] differentiated by PyTorch's autograd;
 *   <li>segloss-tensorflow: an {@code Operand<TFloat64>} [G] differentiated by {@code Graph.addGradients}.
 * </ul>
 *
 * Keras 3 writes its losses on {@code keras.ops} for every backend in the same way. With w the pixel
 * weights (1 when absent; 0 on ignored pixels), p the probabilities and y the labels, summed over the
 * group's pixels:
 *
 * <pre>
 *   py = &Sigma;w·p·y   p = &Sigma;w·p   y = &Sigma;w·y   pp = &Sigma;w·p&sup2;   yy = &Sigma;w·y&sup2;   w = &Sigma;w
 *   softIntersection = &Sigma;w·min(p, y) = (p + y − &Sigma;w·|p − y|)/2
 *   falsePositives = &Sigma;w·p(1 − y),  falseNegatives = &Sigma;w·(1 − p)y,  trueNegatives = &Sigma;w·(1 − p)(1 − y)
 * </pre>
 *
 * The derived counts have defaults from the basic ones; an engine overrides them where its arithmetic
 * needs another way to the same number (e.g. summing &Sigma;w·p(1 − y) directly in float32, so that a
 * huge derivative with respect to it does not cancel against the one of &Sigma;w·p). Counts that depend
 * on the labels and weights only ({@code y}, {@code yy}, {@code w}) carry no gradient.
 *
 * <p>A formula must not branch on values (it cannot: {@code V} is opaque); {@link #where} selects
 * elementwise, and both of its branches must be finite wherever they are computed (so that no 0·∞
 * appears in a derivative).
 *
 * @param <V> the engine's value type: one number per group
 */
public interface RegionOps<V> {
  /** &Sigma;w·p·y, the soft true positives. */
  V py();

  /** &Sigma;w·p. */
  V p();

  /** &Sigma;w·y. */
  V y();

  /** &Sigma;w·p&sup2;. */
  V pp();

  /** &Sigma;w·y&sup2;. */
  V yy();

  /** &Sigma;w, the number of counted pixels when unweighted. */
  V w();

  /**
   * The L1 soft intersection &Sigma;w·min(p, y) = (&Sigma;w·p + &Sigma;w·y − &Sigma;w·|p − y|)/2 (Wang et al.
   * 2023, MONAI's {@code soft_label}); equal to &Sigma;w·p·y on hard labels. Its derivative with respect to
   * p<sub>i</sub> is w<sub>i</sub> where p<sub>i</sub> &lt; y<sub>i</sub>, 0 where p<sub>i</sub> &gt;
   * y<sub>i</sub> (½ at equality): engines must keep it that way rather than adding the derivatives of the
   * three sums, which cancel in float32 when the loss's derivative is large (−log of a tiny score).
   */
  V softIntersection();

  /** &Sigma;w·p·(1 − y), the soft false positives. */
  default V falsePositives() {
    return sub(p(), py());
  }

  /** &Sigma;w·(1 − p)·y, the soft false negatives. */
  default V falseNegatives() {
    return sub(y(), py());
  }

  /** &Sigma;w·(1 − p)·(1 − y), the soft true negatives: (&Sigma;w − &Sigma;w·y) − FP. */
  default V trueNegatives() {
    return sub(sub(w(), y()), falsePositives());
  }

  /** A constant (broadcast over the groups). */
  V constant(double c);

  V add(V a, V b);

  V sub(V a, V b);

  V mul(V a, V b);

  V div(V a, V b);

  V neg(V a);

  /** The natural logarithm. */
  V log(V a);

  V sqrt(V a);

  /** log(cosh(a)), computed stably for any a (derivative tanh a). */
  V logCosh(V a);

  /**
   * max(a, 0)<sup>e</sup> for e &gt; 0, with derivative 0 where a &le; 0 (also for e &lt; 1, where the true
   * derivative at 0 is infinite).
   */
  V powPositivePart(V a, double e);

  /** Elementwise {@code test > 0 ? ifPositive : otherwise} (NaN tests take {@code otherwise}); the derivative follows the branch taken. */
  V where(V test, V ifPositive, V otherwise);

  default V add(V a, double c) {
    return add(a, constant(c));
  }

  default V mul(double c, V a) {
    return mul(constant(c), a);
  }

  /** c − a. */
  default V sub(double c, V a) {
    return sub(constant(c), a);
  }

  /** c / a. */
  default V div(double c, V a) {
    return div(constant(c), a);
  }
}
