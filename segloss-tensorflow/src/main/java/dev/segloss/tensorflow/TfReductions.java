package dev.segloss.tensorflow;

import dev.segloss.core.loss.Reduction;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.family.TNumber;

/**
 * The one place where segloss-tensorflow applies a {@link Reduction}, as the core does: per-group float64
 * sums S [G] (a group is an image, or the pooled batch) with what {@code mean} and {@code none} divide by
 * (counts C) and what {@code weighted_mean} divides by (weights W):
 *
 * <pre>
 *   mean = &Sigma;S / &Sigma;C    weighted_mean = &Sigma;S / &Sigma;W    sum = &Sigma;S    none = S / C per group
 * </pre>
 *
 * with 0 for a zero denominator ({@code divNoNan}). Pixel losses: S the weighted sum over an image's
 * pixels, C its counted pixels, W its weight sum; top-k: the same over the selected pixels; region losses
 * (one value per group): S = w·L, C = 1, W = w.
 */
final class TfReductions {
  private TfReductions() {}

  /**
   * @param counts [G], or null: 1 per group
   * @param weights [G], or null: the counts
   * @return a scalar, or [G] with {@code none}, in the predictions' type
   */
  static <T extends TNumber> Operand<T> reduce(Batch<T> b, Reduction r, Operand<TFloat64> sums, Operand<TFloat64> counts,
      Operand<TFloat64> weights) {
    Ops tf = b.tf;
    Operand<TFloat64> out;
    switch (r) {
      case SUM:
        out = TfOps.sumAll(tf, sums);
        break;
      case WEIGHTED_MEAN:
        // without weights, the weights are the counts
        out = weights != null ? tf.math.divNoNan(TfOps.sumAll(tf, sums), TfOps.sumAll(tf, weights)) : mean(tf, sums, counts);
        break;
      case MEAN:
        out = mean(tf, sums, counts);
        break;
      case NONE:
        out = counts == null ? sums : tf.math.divNoNan(sums, counts);
        break;
      default:
        throw new AssertionError(r);
    }
    return TfOps.cast(tf, out, b.type);
  }

  private static Operand<TFloat64> mean(Ops tf, Operand<TFloat64> sums, Operand<TFloat64> counts) {
    return counts == null ? TfOps.meanAll(tf, sums) : tf.math.divNoNan(TfOps.sumAll(tf, sums), TfOps.sumAll(tf, counts));
  }

  /**
   * One value L per group [G] (an image, or [1] for the pooled batch): per-image weights w weight the image
   * values; a pooled value has weight 1 (the image weights entered its counts).
   */
  static <T extends TNumber> Operand<T> groups(Batch<T> b, Operand<TFloat64> loss, boolean pooled, Reduction r) {
    Ops tf = b.tf;
    Operand<TFloat64> iw = pooled ? null : b.imageWeights64();
    Operand<TFloat64> wl = iw == null ? loss : tf.math.mul(loss, iw);
    // per-image weights may be a scalar: as weights they count once per image
    Operand<TFloat64> w = iw == null ? null : tf.math.mul(iw, tf.fill(b.batchShape(), tf.constant(1.0)));
    return reduce(b, r, wl, null, w);
  }
}
