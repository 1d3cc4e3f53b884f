package dev.segloss.tensorflow;

import dev.segloss.core.loss.DiceLoss;
import dev.segloss.core.loss.LossParams;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.family.TNumber;

/**
 * Soft Dice loss in TensorFlow Java, the core's {@code dice} (the seed's second loss), per image n:
 *
 * <pre>
 *   L_n = 1 − (2·I + smooth_nr) / (D + smooth_dr)
 *   I = &Sigma;p·y             (soft=true: (&Sigma;p + &Sigma;y − &Sigma;|p − y|) / 2, Wang et al. 2023;
 *                           with squared=true the L2 form, which equals &Sigma;p·y)
 *   D = &Sigma;p + &Sigma;y       (squared=true: &Sigma;p² + &Sigma;y², V-Net, Milletari et al. 2016)
 * </pre>
 *
 * then the mean over the batch (the seed's {@code 1 − reduce_mean(dice)}); {@code log=true} gives
 * −log(score); {@code batch=true} pools the sums over the batch. Defaults as the core:
 * {@code smooth_nr = smooth_dr = 1e-7} (the seed's {@code smooth}), all flags false. On logits, p =
 * sigmoid(z). Input shapes, reductions and weights: see {@link TfSegLoss}.
 */
public final class TfDiceLoss extends TfRegionLoss {
  private final Opts o;

  TfDiceLoss(LossParams p, Config c) {
    super(p, c);
    this.o = new Opts(p);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Dice with the defaults. */
  public static TfDiceLoss create(boolean fromLogits) {
    return builder().fromLogits(fromLogits).build();
  }

  @Override
  <T extends TNumber> Operand<TFloat64> groupLoss(Counts<T> c) {
    return dice(c, o);
  }

  /** The Dice options (shared with {@code logcosh_dice}). */
  static final class Opts {
    final double smoothNr;
    final double smoothDr;
    final boolean squared;
    final boolean log;
    final boolean soft;

    Opts(LossParams p) {
      smoothNr = p.number("smooth_nr");
      smoothDr = p.number("smooth_dr");
      squared = p.bool("squared");
      log = p.bool("log");
      soft = p.bool("soft");
    }
  }

  /** The Dice score of each group. */
  static <T extends TNumber> Operand<TFloat64> score(Counts<T> c, Opts o) {
    Ops tf = c.tf();
    // the L1 soft intersection goes with the linear denominator; with squared=true the matching L2 one
    // (ΣP² + ΣY² − Σ(p − y)²)/2 is exactly Σp·y (the core's softL1, MONAI's soft_label + squared_pred)
    Operand<TFloat64> inter = o.soft && !o.squared
        ? tf.math.mul(tf.constant(0.5), tf.math.sub(tf.math.add(c.p(), c.y()), c.abs()))
        : c.py();
    Operand<TFloat64> den = o.squared ? tf.math.add(c.pp(), c.yy()) : tf.math.add(c.p(), c.y());
    return tf.math.div(tf.math.add(tf.math.mul(tf.constant(2.0), inter), tf.constant(o.smoothNr)),
        tf.math.add(den, tf.constant(o.smoothDr)));
  }

  /** The Dice loss of each group: 1 − score, or −log(score). */
  static <T extends TNumber> Operand<TFloat64> dice(Counts<T> c, Opts o) {
    Ops tf = c.tf();
    Operand<TFloat64> s = score(c, o);
    return o.log ? tf.math.neg(tf.math.log(s)) : tf.math.sub(tf.constant(1.0), s);
  }

  /** Builds a {@link TfDiceLoss}; parameters as the core's {@link DiceLoss.Builder}. */
  public static final class Builder extends TfSingleLoss.Builder<Builder, TfDiceLoss> {
    Builder() {
      super(DiceLoss.TYPE);
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
