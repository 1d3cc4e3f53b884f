package dev.segloss.tensorflow;

import dev.segloss.core.loss.JaccardLoss;
import dev.segloss.core.loss.LossParams;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.family.TNumber;

/**
 * Soft Jaccard (IoU) loss in TensorFlow Java, the core's {@code jaccard}, per image n:
 *
 * <pre>
 *   L_n = 1 − (I + smooth_nr) / (&Sigma;p + &Sigma;y − I + smooth_dr)
 *   I   = &Sigma;p·y          (soft=true: (&Sigma;p + &Sigma;y − &Sigma;|p − y|) / 2)
 * </pre>
 *
 * then reduced over the images; {@code log=true} gives −log(score), {@code batch=true} pools the sums over
 * the batch. Defaults as the core ({@code smooth_nr = smooth_dr = 1e-7}); Rahman &amp; Wang 2016, the
 * semimetric {@code soft} variant of Wang et al. 2023. Input shapes, reductions and weights: see
 * {@link TfSegLoss}.
 */
public final class TfJaccardLoss extends TfRegionLoss {
  private final double smoothNr;
  private final double smoothDr;
  private final boolean log;
  private final boolean soft;

  TfJaccardLoss(LossParams p, Config c) {
    super(p, c);
    smoothNr = p.number("smooth_nr");
    smoothDr = p.number("smooth_dr");
    log = p.bool("log");
    soft = p.bool("soft");
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  <T extends TNumber> Operand<TFloat64> groupLoss(Counts<T> c) {
    Ops tf = c.tf();
    Operand<TFloat64> inter = soft ? tf.math.mul(tf.constant(0.5), tf.math.sub(tf.math.add(c.p(), c.y()), c.abs())) : c.py();
    Operand<TFloat64> num = tf.math.add(inter, tf.constant(smoothNr));
    Operand<TFloat64> den = tf.math.add(tf.math.sub(tf.math.add(c.p(), c.y()), inter), tf.constant(smoothDr));
    Operand<TFloat64> score = tf.math.div(num, den);
    return log ? tf.math.neg(tf.math.log(score)) : tf.math.sub(tf.constant(1.0), score);
  }

  /** Builds a {@link TfJaccardLoss}; parameters as the core's {@link JaccardLoss.Builder}. */
  public static final class Builder extends TfSingleLoss.Builder<Builder, TfJaccardLoss> {
    Builder() {
      super(JaccardLoss.TYPE);
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

    public Builder log(boolean v) {
      return set("log", v);
    }

    public Builder soft(boolean v) {
      return set("soft", v);
    }
  }
}
