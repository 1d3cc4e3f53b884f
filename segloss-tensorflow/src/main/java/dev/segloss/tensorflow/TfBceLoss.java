package dev.segloss.tensorflow;

import dev.segloss.core.loss.BceLoss;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TNumber;

/**
 * Weighted binary cross-entropy in TensorFlow Java, the core's {@code bce} (the seed's first loss):
 *
 * <pre>
 *   l = −w_pos·t·log p − w_neg·(1 − t)·log(1 − p),   t = y(1 − s) + s/2 (label smoothing s)
 * </pre>
 *
 * <ul>
 *   <li>On probabilities, p is clipped to [eps, 1 − eps] with the bounds rounded to float32, as Keras and
 *       TF do ({@code minimum(maximum(p, eps), 1 − eps)}: the gradient is zero outside the bounds, as in
 *       the core).
 *   <li>On logits z, {@code w_pos·t·softplus(−z) + w_neg·(1 − t)·softplus(z)} computed in the stable form of
 *       TF's {@code sigmoid_cross_entropy_with_logits}, {@code (a + b)·max(z, 0) − a·z + (a + b)·log(1 + e^−|z|)}
 *       with a = w_pos·t, b = w_neg·(1 − t); its autodiff gradient is
 *       {@code w_neg·(1 − t)·σ(z) − w_pos·t·(1 − σ(z))}, at z = 0 too.
 * </ul>
 *
 * Parameters and defaults are the core's: {@code w_pos=1, w_neg=1, eps=1e-7, label_smoothing=0,
 * reduction=mean}; with the defaults it equals TF's {@code BinaryCrossentropy} (Keras'
 * {@code binary_crossentropy}). Input shapes, reductions and weights: see {@link TfSegLoss}.
 */
public final class TfBceLoss extends TfPixelLoss {
  private final BceLoss.Params p;

  TfBceLoss(BceLoss core, Config c) {
    super(core, c);
    this.p = core.params();
  }

  @Override
  <T extends TNumber> Operand<T> pixels(Batch<T> b) {
    return shared(b, p.wPos(), p.wNeg(), p.lo(), p.hi(), p.labelSmoothing());
  }

  /** {@link #bce} built once per batch and parameter set (a weighted sum's terms share it). */
  static <T extends TNumber> Operand<T> shared(Batch<T> b, double wPos, double wNeg, double lo, double hi, double smoothing) {
    return b.shared("bce:" + wPos + ":" + wNeg + ":" + lo + ":" + hi + ":" + smoothing, () -> bce(b, wPos, wNeg, lo, hi, smoothing));
  }

  /** The per-pixel weighted BCE [N, M]; shared by {@code bce}, {@code combined}, {@code focal} and {@code topk}. */
  static <T extends TNumber> Operand<T> bce(Batch<T> b, double wPos, double wNeg, double lo, double hi, double smoothing) {
    Ops tf = b.tf;
    Class<T> type = b.type;
    Operand<T> t = smoothed(b, smoothing);
    Operand<T> pos = TfOps.scale(tf, wPos, t); // w_pos·t
    if (b.logits) {
      // a·softplus(−z) + b·softplus(z) = (a + b)·max(z, 0) − a·z + (a + b)·log(1 + e^−|z|), a = w_pos·t,
      // b = w_neg·(1 − t): TF's sigmoid_cross_entropy_with_logits form, exact for hard labels (no
      // cancellation where the prediction is confidently right) and one exp and one log1p per pixel.
      // max(z, 0) is written (z + |z|)/2 so that autodiff's derivative at z = 0 is 1/2 and the sum's
      // derivative there is the true σ(0)·(a + b) − a (relu would give 0 there, abs' sign 0 too).
      Operand<T> x = b.x;
      Operand<T> ax = b.shared("|x|", () -> tf.math.abs(x));
      Operand<T> q = b.shared("log1p(exp(-|x|))", () -> tf.math.log1p(tf.math.exp(tf.math.neg(ax))));
      Operand<T> relu = b.shared("relu(x)", () -> TfOps.scale(tf, 0.5, tf.math.add(x, ax)));
      // a + b = w_neg + (w_pos − w_neg)·t; the scalar w_pos when the weights are equal
      Operand<T> ab = wPos == wNeg ? null : TfOps.plus(tf, TfOps.scale(tf, wPos - wNeg, t), wNeg);
      Operand<T> lin = tf.math.sub(ab == null ? TfOps.scale(tf, wPos, relu) : tf.math.mul(ab, relu), tf.math.mul(pos, x));
      return tf.math.add(lin, ab == null ? TfOps.scale(tf, wPos, q) : tf.math.mul(ab, q));
    }
    Operand<T> neg = TfOps.scale(tf, wNeg, TfOps.sub(tf, 1, t)); // w_neg·(1 − t)
    Operand<T> p = tf.math.minimum(tf.math.maximum(b.x, TfOps.constant(tf, lo, type)), TfOps.constant(tf, hi, type));
    Operand<T> logP = tf.math.log(p);
    Operand<T> log1mP = tf.math.log1p(tf.math.neg(p));
    return tf.math.neg(tf.math.add(tf.math.mul(pos, logP), tf.math.mul(neg, log1mP)));
  }

  /** Labels with Keras' label smoothing toward 0.5: y(1 − s) + s/2. */
  static <T extends TNumber> Operand<T> smoothed(Batch<T> b, double s) {
    if (s == 0) return b.y;
    Ops tf = b.tf;
    return b.shared("smooth:" + s, () -> TfOps.plus(tf, TfOps.scale(tf, 1 - s, b.y), 0.5 * s));
  }
}
