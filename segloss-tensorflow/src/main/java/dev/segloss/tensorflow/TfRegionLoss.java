package dev.segloss.tensorflow;

import dev.segloss.core.loss.Reduction;
import dev.segloss.core.loss.LossParams;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.family.TNumber;

/**
 * Base of the losses that are a function of soft counts per image (Dice, Jaccard, Tversky, generalized
 * Dice, log-cosh Dice, MCC), as the core's {@code RegionLoss}: the counts are weighted sums over each
 * image (or over the batch with {@code batch=true}), the loss of each image is computed from them in
 * float64, and the image values are weighted by the per-image weights and reduced (see
 * {@link TfSegLoss}).
 */
public abstract class TfRegionLoss extends TfSingleLoss {
  TfRegionLoss(LossParams params, Config config) {
    super(params, config);
  }

  /** The loss of each group (image, or the pooled batch) from its counts: [N] or [1], float64. */
  abstract <T extends TNumber> Operand<TFloat64> groupLoss(Counts<T> c);

  @Override
  boolean pooled() {
    return params.type().param("batch") != null && params.bool("batch");
  }

  @Override
  <T extends TNumber> Operand<T> value(Batch<T> b) {
    boolean pooled = pooled();
    return reduceGroups(b, groupLoss(new Counts<>(b, pooled)), pooled, config.reduction);
  }

  /**
   * Reduces per-group values L [G] as the core's RegionLoss: per-image weights w_n weight the image values
   * (a pooled value has weight 1, the image weights having entered its counts).
   */
  static <T extends TNumber> Operand<T> reduceGroups(Batch<T> b, Operand<TFloat64> loss, boolean pooled, Reduction r) {
    Ops tf = b.tf;
    Operand<TFloat64> iw = pooled ? null : b.imageWeights64();
    Operand<TFloat64> wl = iw == null ? loss : tf.math.mul(loss, iw);
    Operand<TFloat64> out;
    switch (r) {
      case NONE:
        out = wl;
        break;
      case SUM:
        out = TfOps.sumAll(tf, wl);
        break;
      case MEAN:
        out = TfOps.meanAll(tf, wl);
        break;
      case WEIGHTED_MEAN:
        out = iw == null ? TfOps.meanAll(tf, wl)
            : tf.math.divNoNan(TfOps.sumAll(tf, wl), TfOps.sumAll(tf, tf.math.mul(iw, tf.fill(b.batchShape(), tf.constant(1.0)))));
        break;
      default:
        throw new AssertionError(r);
    }
    return TfOps.cast(tf, out, b.type);
  }

  // float64 helpers for the count formulas

  static Operand<TFloat64> k(Ops tf, double v) {
    return tf.constant(v);
  }
}
