package dev.segloss.tensorflow;

import dev.segloss.core.loss.GeneralizedDiceLoss;
import dev.segloss.core.loss.GeneralizedDiceLoss.Weighting;
import dev.segloss.core.loss.LossParams;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.family.TNumber;

/**
 * Generalized Dice loss in TensorFlow Java, the core's {@code gdice} (Sudre et al. 2017), over the two
 * classes background (1 − y, 1 − p) and foreground (y, p), per image n:
 *
 * <pre>
 *   L_n = 1 − (2·&Sigma;_c w_c·&Sigma;p_c·y_c + smooth_nr) / (&Sigma;_c w_c·&Sigma;(p_c + y_c) + smooth_dr)
 *   vol_c = &Sigma;y_c,   w_c = 1/vol_c² (square) | 1/vol_c (simple) | 1 (uniform)
 * </pre>
 *
 * The smoothing is added unweighted (MONAI's way); an absent class takes the other class's weight (both
 * 1 when both are absent). The class weights depend on the labels only, so they carry no gradient.
 * Defaults as the core: {@code weighting=square}, {@code smooth_nr = smooth_dr = 1e-5} (MONAI's). Input
 * shapes, reductions and weights: see {@link TfSegLoss}.
 */
public final class TfGeneralizedDiceLoss extends TfRegionLoss {
  private final Weighting weighting;
  private final double smoothNr;
  private final double smoothDr;

  TfGeneralizedDiceLoss(LossParams p, Config c) {
    super(p, c);
    weighting = p.enumValue("weighting", Weighting.class);
    smoothNr = p.number("smooth_nr");
    smoothDr = p.number("smooth_dr");
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  <T extends TNumber> Operand<TFloat64> groupLoss(Counts<T> c) {
    Ops tf = c.tf();
    Operand<TFloat64> volF = c.y();
    Operand<TFloat64> volB = tf.math.sub(c.w(), c.y());
    Operand<TBool> hasF = tf.math.greater(volF, tf.constant(0.0));
    Operand<TBool> hasB = tf.math.greater(volB, tf.constant(0.0));
    Operand<TFloat64> wF0 = classWeight(tf, tf.select(hasF, volF, tf.constant(1.0)));
    Operand<TFloat64> wB0 = classWeight(tf, tf.select(hasB, volB, tf.constant(1.0)));
    // an absent class takes the other's weight; both absent: both 1
    Operand<TFloat64> wF = tf.select(hasF, wF0, tf.select(hasB, wB0, tf.constant(1.0)));
    Operand<TFloat64> wB = tf.select(hasB, wB0, tf.select(hasF, wF0, tf.constant(1.0)));
    Operand<TFloat64> interB = tf.math.add(tf.math.sub(tf.math.sub(c.w(), c.p()), c.y()), c.py()); // Σ(1 − p)(1 − y)
    Operand<TFloat64> sumF = tf.math.add(c.p(), c.y());
    Operand<TFloat64> sumB = tf.math.sub(tf.math.mul(tf.constant(2.0), c.w()), sumF);
    Operand<TFloat64> num = tf.math.add(tf.math.mul(tf.constant(2.0),
        tf.math.add(tf.math.mul(wF, c.py()), tf.math.mul(wB, interB))), tf.constant(smoothNr));
    Operand<TFloat64> den = tf.math.add(tf.math.add(tf.math.mul(wF, sumF), tf.math.mul(wB, sumB)), tf.constant(smoothDr));
    return tf.math.sub(tf.constant(1.0), tf.math.div(num, den));
  }

  private Operand<TFloat64> classWeight(Ops tf, Operand<TFloat64> vol) {
    switch (weighting) {
      case SQUARE:
        return tf.math.reciprocal(tf.math.square(vol));
      case SIMPLE:
        return tf.math.reciprocal(vol);
      default:
        return tf.onesLike(vol); // volumes depend on the labels only: off the gradient path
    }
  }

  /** Builds a {@link TfGeneralizedDiceLoss}; parameters as the core's {@link GeneralizedDiceLoss.Builder}. */
  public static final class Builder extends TfSingleLoss.Builder<Builder, TfGeneralizedDiceLoss> {
    Builder() {
      super(GeneralizedDiceLoss.TYPE);
    }

    public Builder weighting(Weighting v) {
      return set("weighting", v);
    }

    public Builder smoothNr(double v) {
      return set("smooth_nr", v);
    }

    public Builder smoothDr(double v) {
      return set("smooth_dr", v);
    }

    public Builder batch(boolean v) {
      return set("batch", v);
    }
  }
}
