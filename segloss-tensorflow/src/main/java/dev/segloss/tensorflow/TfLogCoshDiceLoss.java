package dev.segloss.tensorflow;

import dev.segloss.core.loss.LogCoshDiceLoss;
import dev.segloss.core.loss.LossParams;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.family.TNumber;

/**
 * Log-cosh Dice loss in TensorFlow Java, the core's {@code logcosh_dice} (Jadon 2020): per image
 * {@code log(cosh(D_n))} with D_n the {@link TfDiceLoss} of the image under the same parameters (same names
 * and defaults as {@code dice}), then reduced. Computed stably as |D| + softplus(−2|D|) − log 2, whose
 * autodiff derivative is tanh(D). Input shapes, reductions and weights: see {@link TfSegLoss}.
 */
public final class TfLogCoshDiceLoss extends TfRegionLoss {
  private final TfDiceLoss.Opts o;

  TfLogCoshDiceLoss(LossParams p, Config c) {
    super(p, c);
    o = new TfDiceLoss.Opts(p);
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  <T extends TNumber> Operand<TFloat64> groupLoss(Counts<T> c) {
    Ops tf = c.tf();
    Operand<TFloat64> a = tf.math.abs(TfDiceLoss.dice(c, o));
    return tf.math.sub(tf.math.add(a, tf.math.softplus(tf.math.mul(tf.constant(-2.0), a))), tf.constant(Math.log(2)));
  }

  /** Builds a {@link TfLogCoshDiceLoss}; the parameters of {@code dice}. */
  public static final class Builder extends TfSingleLoss.Builder<Builder, TfLogCoshDiceLoss> {
    Builder() {
      super(LogCoshDiceLoss.TYPE);
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

    public Builder squared(boolean v) {
      return set("squared", v);
    }

    public Builder log(boolean v) {
      return set("log", v);
    }

    public Builder soft(boolean v) {
      return set("soft", v);
    }
  }
}
