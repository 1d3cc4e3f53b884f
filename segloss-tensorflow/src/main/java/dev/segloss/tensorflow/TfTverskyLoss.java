package dev.segloss.tensorflow;

import dev.segloss.core.loss.TverskyLoss;
import dev.segloss.core.loss.LossParams;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.family.TNumber;

/**
 * (Focal) Tversky loss in TensorFlow Java, the core's {@code tversky} (Salehi et al. 2017; focal exponent
 * of Abraham &amp; Khan 2019), per image n:
 *
 * <pre>
 *   TI  = (TP + smooth_nr) / (TP + α·FP + β·FN + smooth_dr),   TP = &Sigma;p·y, FP = &Sigma;p(1 − y), FN = &Sigma;(1 − p)y
 *   L_n = (1 − TI)^γ
 * </pre>
 *
 * <b>α weights false positives, β false negatives</b> (Salehi's convention; Keras had them swapped until its
 * fix). {@code soft=true} takes TP = (&Sigma;p + &Sigma;y − &Sigma;|p − y|)/2. Defaults as the core:
 * α = β = 0.5, γ = 1 (= Dice), smoothing 1e-7. For γ ≠ 1 the base 1 − TI is clamped at 0 with a zero
 * gradient there, as in the core. Input shapes, reductions and weights: see {@link TfSegLoss}.
 */
public final class TfTverskyLoss extends TfRegionLoss {
  private final double alpha;
  private final double beta;
  private final double gamma;
  private final double smoothNr;
  private final double smoothDr;
  private final boolean soft;

  TfTverskyLoss(LossParams p, Config c) {
    super(p, c);
    alpha = p.number("alpha");
    beta = p.number("beta");
    gamma = p.number("gamma");
    smoothNr = p.number("smooth_nr");
    smoothDr = p.number("smooth_dr");
    soft = p.bool("soft");
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  <T extends TNumber> Operand<TFloat64> groupLoss(Counts<T> c) {
    Ops tf = c.tf();
    Operand<TFloat64> tp = soft ? tf.math.mul(tf.constant(0.5), tf.math.sub(tf.math.add(c.p(), c.y()), c.abs())) : c.py();
    // α·FP + β·FN with FP = P − TP, FN = Y − TP
    Operand<TFloat64> mistakes = tf.math.add(tf.math.mul(tf.constant(alpha), tf.math.sub(c.p(), tp)),
        tf.math.mul(tf.constant(beta), tf.math.sub(c.y(), tp)));
    Operand<TFloat64> den = tf.math.add(tf.math.add(tp, mistakes), tf.constant(smoothDr));
    // 1 − TI from the mistakes directly, as the core: no cancellation near TI = 1
    Operand<TFloat64> base = tf.math.div(tf.math.add(mistakes, tf.constant(smoothDr - smoothNr)), den);
    if (gamma == 1) return base;
    return safePow(tf, base, gamma);
  }

  /** max(0, x)^γ with a zero gradient where x &le; 0 (no NaN from pow at 0). */
  static Operand<TFloat64> safePow(Ops tf, Operand<TFloat64> x, double gamma) {
    Operand<TBool> pos = tf.math.greater(x, tf.constant(0.0));
    Operand<TFloat64> safe = tf.select(pos, x, tf.constant(1.0));
    return tf.select(pos, tf.math.pow(safe, tf.constant(gamma)), tf.constant(0.0));
  }

  /** Builds a {@link TfTverskyLoss}; parameters as the core's {@link TverskyLoss.Builder}. */
  public static final class Builder extends TfSingleLoss.Builder<Builder, TfTverskyLoss> {
    Builder() {
      super(TverskyLoss.TYPE);
    }

    /** Weight of false positives. */
    public Builder alpha(double v) {
      return set("alpha", v);
    }

    /** Weight of false negatives. */
    public Builder beta(double v) {
      return set("beta", v);
    }

    public Builder gamma(double v) {
      return set("gamma", v);
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

    public Builder soft(boolean v) {
      return set("soft", v);
    }
  }
}
