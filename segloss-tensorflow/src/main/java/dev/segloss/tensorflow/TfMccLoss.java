package dev.segloss.tensorflow;

import dev.segloss.core.loss.MccLoss;
import dev.segloss.core.loss.LossParams;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.family.TNumber;

/**
 * Matthews correlation coefficient loss in TensorFlow Java, the core's {@code mcc} (Abhishek &amp;
 * Hamarneh 2021), per image n:
 *
 * <pre>
 *   TP = &Sigma;p·y + s, FP = &Sigma;p(1 − y) + s, FN = &Sigma;(1 − p)y + s, TN = &Sigma;(1 − p)(1 − y) + s
 *   L_n = 1 − (TP·TN − FP·FN) / √((TP + FP)(TP + FN)(TN + FP)(TN + FN))
 * </pre>
 *
 * A zero denominator gives MCC 0 (loss 1) with a zero gradient (the square root only ever sees a
 * positive argument, so autodiff produces no NaN). The four counts are summed directly (not derived from
 * &Sigma;p·y, &Sigma;p, &Sigma;y, &Sigma;w as in the core, which works in double): on a nearly full or
 * empty image FP or TN is tiny, MCC's derivatives with respect to them are huge, and in float32 the
 * derived form would leave rounding noise of their size in the gradient. Defaults as the core: {@code smooth=1e-7},
 * {@code batch=false}. Input shapes, reductions and weights: see {@link TfSegLoss}.
 */
public final class TfMccLoss extends TfRegionLoss {
  private final double smooth;

  TfMccLoss(LossParams p, Config c) {
    super(p, c);
    smooth = p.number("smooth");
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  <T extends TNumber> Operand<TFloat64> groupLoss(Counts<T> c) {
    Ops tf = c.tf();
    Operand<TFloat64> s = tf.constant(smooth);
    Operand<TFloat64> tp = tf.math.add(c.py(), s);
    Operand<TFloat64> fp = tf.math.add(c.fp(), s);
    Operand<TFloat64> fn = tf.math.add(c.fn(), s);
    Operand<TFloat64> tn = tf.math.add(c.tn(), s);
    Operand<TFloat64> prod = tf.math.mul(tf.math.mul(tf.math.add(tp, fp), tf.math.add(tp, fn)),
        tf.math.mul(tf.math.add(tn, fp), tf.math.add(tn, fn)));
    Operand<TBool> ok = tf.math.greater(prod, tf.constant(0.0));
    Operand<TFloat64> den = tf.math.sqrt(tf.select(ok, prod, tf.constant(1.0)));
    Operand<TFloat64> mcc = tf.math.div(tf.math.sub(tf.math.mul(tp, tn), tf.math.mul(fp, fn)), den);
    return tf.select(ok, tf.math.sub(tf.constant(1.0), mcc), tf.constant(1.0));
  }

  /** Builds a {@link TfMccLoss}; parameters as the core's {@link MccLoss.Builder}. */
  public static final class Builder extends TfSingleLoss.Builder<Builder, TfMccLoss> {
    Builder() {
      super(MccLoss.TYPE);
    }

    public Builder smooth(double v) {
      return set("smooth", v);
    }

    public Builder batch(boolean v) {
      return set("batch", v);
    }
  }
}
