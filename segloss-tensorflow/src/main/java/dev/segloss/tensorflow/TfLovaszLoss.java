package dev.segloss.tensorflow;

import dev.segloss.core.InvalidInputException;
import dev.segloss.core.loss.LovaszHingeLoss;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gather;
import org.tensorflow.op.core.ReduceSum;
import org.tensorflow.op.math.Cumsum;
import org.tensorflow.op.nn.TopK;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TNumber;

/**
 * Lovász hinge loss in TensorFlow Java, the core's {@code lovasz} (Berman, Rannen Triki &amp; Blaschko
 * 2018): for each image (or the whole batch with {@code per_image=false}), with s_i = +1 where y ≥ 0.5 and
 * −1 elsewhere and logits z_i,
 *
 * <pre>
 *   e_i = 1 − z_i·s_i,  sorted decreasingly e_(1) ≥ e_(2) ≥ ...
 *   J_r = 1 − (G − P_r)/(G + N_r)   (G positives, P_r/N_r positives/negatives among the first r)
 *   L   = &Sigma;_r relu(e_(r))·(J_r − J_(r−1)),   J_0 = 0
 * </pre>
 *
 * <p>TF has no gradient for {@code TopKV2}, and none is registered here: the permutation comes from
 * sorting a {@code stopGradient} copy of the errors, and the errors themselves are gathered with it, so
 * autodiff differentiates through the gather (the permutation is piecewise constant, exactly as in the
 * core's analytic gradient). The Jaccard steps J_r − J_(r−1) depend on the labels only and are computed in
 * float64 (cumulative counts over up to N·M pixels).
 *
 * <p>On probabilities the logits are logit(clip(p, eps, 1 − eps)). Ignored pixels are sorted last and
 * count in no J_r (as if left out); an image without counted pixels gives 0. As in the core, per-pixel
 * weights are rejected (the hinge ranks errors, it is no sum over pixels) and so are per-image weights
 * with {@code per_image=false}. Defaults as the core: {@code per_image=true, eps=1e-7}.
 */
public final class TfLovaszLoss extends TfSingleLoss {
  private final LovaszHingeLoss.Params params;

  TfLovaszLoss(LovaszHingeLoss core, Config c) {
    super(core, c);
    this.params = core.params();
  }

  @Override
  boolean pooled() {
    return !params.perImage();
  }

  @Override
  <T extends TNumber> Operand<T> value(Batch<T> b) {
    if (b.userPixelWeights) {
      throw new InvalidInputException("sampleWeights: lovasz takes no per-pixel weights (the Lovász hinge ranks the errors,"
          + " it is not a sum over pixels); give one weight per image, shape [N]");
    }
    if (!params.perImage() && b.imageWeights != null) {
      throw new InvalidInputException("sampleWeights: lovasz(per_image=false) computes one hinge over the whole batch,"
          + " so per-image weights have nothing to weight; use per_image=true or drop the weights");
    }
    Ops tf = b.tf;
    Class<T> type = b.type;
    Operand<T> z;
    if (b.logits) {
      z = b.x;
    } else {
      Operand<T> p = tf.math.minimum(tf.math.maximum(b.x, TfOps.constant(tf, params.lo(), type)), TfOps.constant(tf, params.hi(), type));
      z = tf.math.sub(tf.math.log(p), tf.math.log1p(tf.math.neg(p)));
    }
    Operand<TBool> positive = tf.math.greaterEqual(b.y, TfOps.constant(tf, 0.5, type));
    Operand<T> sign = tf.select(positive, TfOps.constant(tf, 1, type), TfOps.constant(tf, -1, type));
    Operand<T> err = TfOps.sub(tf, 1, tf.math.mul(z, sign));
    Operand<TFloat64> pos = tf.dtypes.cast(positive, TFloat64.class);
    Operand<TFloat64> neg = TfOps.sub(tf, 1, pos);
    Operand<T> key = tf.stopGradient(err);
    if (b.mask != null) {
      Operand<TFloat64> m = TfOps.cast(tf, b.mask, TFloat64.class);
      pos = tf.math.mul(pos, m);
      neg = tf.math.mul(neg, m);
      key = tf.select(tf.math.greater(b.mask, TfOps.constant(tf, 0, type)), key,
          TfOps.constant(tf, Double.NEGATIVE_INFINITY, type));
    }
    if (!params.perImage()) {
      Operand<TInt32> flat = tf.constant(new int[] {1, -1});
      err = tf.reshape(err, flat);
      key = tf.reshape(key, flat);
      pos = tf.reshape(pos, flat);
      neg = tf.reshape(neg, flat);
    }
    Operand<TInt32> length = rowLength(tf, err);
    Operand<TInt32> order = tf.nn.topK(key, length, new TopK.Options[0]).indices();
    Operand<T> errSorted = gatherRows(tf, err, order);
    Operand<TFloat64> posSorted = gatherRows(tf, pos, order);
    Operand<TFloat64> negSorted = gatherRows(tf, neg, order);
    Operand<TFloat64> g = tf.reduceSum(pos, tf.constant(1), ReduceSum.keepDims(true));
    Operand<TFloat64> jac = jaccard(tf, g, tf.math.cumsum(posSorted, tf.constant(1)), tf.math.cumsum(negSorted, tf.constant(1)));
    Operand<TFloat64> jacPrev = jaccard(tf, g, tf.math.cumsum(posSorted, tf.constant(1), Cumsum.exclusive(true)),
        tf.math.cumsum(negSorted, tf.constant(1), Cumsum.exclusive(true)));
    Operand<TFloat64> steps = tf.math.sub(jac, jacPrev);
    Operand<TFloat64> hinge = tf.math.mul(TfOps.cast(tf, tf.nn.relu(errSorted), TFloat64.class), steps);
    Operand<TFloat64> loss = tf.reduceSum(hinge, tf.constant(1));
    return TfReductions.groups(b, loss, !params.perImage(), config.reduction);
  }

  /** J = 1 − (G − P)/(G + N), 0 where G + N = 0 (no counted pixel yet). */
  private static Operand<TFloat64> jaccard(Ops tf, Operand<TFloat64> g, Operand<TFloat64> p, Operand<TFloat64> n) {
    Operand<TFloat64> den = tf.math.add(g, n);
    Operand<TBool> ok = tf.math.greater(den, tf.constant(0.0));
    Operand<TFloat64> j = TfOps.sub(tf, 1, tf.math.div(tf.math.sub(g, p), tf.select(ok, den, tf.constant(1.0))));
    return tf.select(ok, j, tf.constant(0.0));
  }

  /** The length of the rows of a [G, L] tensor (static when known). */
  static Operand<TInt32> rowLength(Ops tf, Operand<?> v) {
    long len = v.shape().numDimensions() == 2 ? v.shape().get(1) : -1;
    if (len >= 0) return tf.constant((int) len);
    return tf.reshape(tf.slice(tf.shape(v), tf.constant(new int[] {1}), tf.constant(new int[] {1})), tf.constant(new int[0]));
  }

  /** out[g, r] = v[g, order[g, r]]: differentiable with respect to v. */
  static <U extends TNumber> Operand<U> gatherRows(Ops tf, Operand<U> v, Operand<TInt32> order) {
    return tf.gather(v, order, tf.constant(1), Gather.batchDims(1L));
  }
}
