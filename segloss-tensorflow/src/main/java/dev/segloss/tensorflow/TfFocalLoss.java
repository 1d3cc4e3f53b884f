package dev.segloss.tensorflow;

import dev.segloss.core.loss.FocalLoss;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.family.TNumber;

/**
 * Binary focal loss in TensorFlow Java, the core's {@code focal} (Lin et al. 2017) with Keras 3
 * {@code BinaryFocalCrossentropy} semantics, per pixel:
 *
 * <pre>
 *   t = y(1 − s) + s/2,   p_t = t·p + (1 − t)(1 − p),   α_t = t·α + (1 − t)(1 − α) (only when alpha is given)
 *   l = α_t·(1 − p_t)^γ·bce(t, p)
 * </pre>
 *
 * The BCE term is {@link TfBceLoss}'s (clipped on probabilities, stable softplus form on logits); the
 * focal factor uses the unclipped p (p = sigmoid(z) on logits), as Keras and the core do. Where
 * 1 − p_t = 0 the factor's derivative is taken as 0 (it is infinite for γ &lt; 1), as in the core.
 * Defaults as the core: γ = 2, alpha none, eps 1e-7, label_smoothing 0; Keras'
 * {@code apply_class_balancing=True} is {@code alpha=0.25}. Input shapes, reductions and weights: see
 * {@link TfSegLoss}.
 */
public final class TfFocalLoss extends TfPixelLoss {
  private final FocalLoss.Params p;

  TfFocalLoss(FocalLoss core, Config c) {
    super(core, c);
    this.p = core.params();
  }

  @Override
  <T extends TNumber> Operand<T> pixels(Batch<T> b) {
    Ops tf = b.tf;
    Operand<T> t = TfBceLoss.smoothed(b, p.labelSmoothing());
    Operand<T> bce = TfBceLoss.shared(b, 1, 1, p.lo(), p.hi(), p.labelSmoothing());
    Operand<T> prob = b.p();
    // 1 − p_t = t + p − 2·t·p
    Operand<T> q = tf.math.sub(tf.math.add(t, prob), TfOps.scale(tf, 2, tf.math.mul(t, prob)));
    Operand<T> factor = focalFactor(tf, q, p.gamma());
    Operand<T> l = factor == null ? bce : tf.math.mul(factor, bce);
    if (p.balanced()) {
      // α_t = (1 − α) + t·(2α − 1)
      Operand<T> at = TfOps.plus(tf, TfOps.scale(tf, 2 * p.alpha() - 1, t), 1 - p.alpha());
      l = tf.math.mul(at, l);
    }
    return l;
  }

  /** q^γ for q in [0,1] with a zero derivative at q = 0; null for γ = 0 (factor 1). */
  static <T extends TNumber> Operand<T> focalFactor(Ops tf, Operand<T> q, double gamma) {
    if (gamma == 0) return null;
    if (gamma == 1) return q;
    if (gamma == 2) return tf.math.square(q);
    Operand<TBool> pos = tf.math.greater(q, TfOps.constant(tf, 0, q.type()));
    Operand<T> safe = tf.select(pos, q, TfOps.constant(tf, 1, q.type()));
    return tf.select(pos, tf.math.pow(safe, TfOps.constant(tf, gamma, q.type())), TfOps.constant(tf, 0, q.type()));
  }
}
