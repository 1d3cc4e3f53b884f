package dev.segloss.djl;

import ai.djl.ndarray.NDArray;
import dev.segloss.core.loss.Reduction;

/**
 * The one place where segloss-djl applies a {@link Reduction}, as the core does: values come per group
 * (an image, or the pooled batch), already multiplied by their weights, with what {@code mean} and
 * {@code none} divide by (counts) and what {@code weighted_mean} divides by (weights):
 *
 * <pre>
 *   mean = &Sigma;wl / &Sigma;counts   weighted_mean = &Sigma;wl / &Sigma;weights   sum = &Sigma;wl   none = per group &Sigma;wl / counts
 * </pre>
 *
 * with 0 for a zero denominator. Pixel losses: wl the weighted pixel values [N, M], counts the counted
 * pixels; top-k: the selected pixels; region losses: one value per group, count 1, weights the image
 * weights.
 */
final class Reductions {
  private Reductions() {}

  /**
   * @param wl weighted values, [G] (one per group) or [G, K] (K per group, e.g. pixels)
   * @param counts [G] or [G, K] (1 per counted element), or null: every group counts {@code countEach}
   * @param weights [G] or [G, K], or null: the weights are the counts
   */
  static NDArray reduce(Reduction r, NDArray wl, NDArray counts, double countEach, NDArray weights) {
    long groups = wl.getShape().get(0);
    switch (r) {
      case SUM:
        return wl.sum();
      case WEIGHTED_MEAN:
        if (weights != null) return Ops.safeDiv(wl.sum(), weights.sum());
        return mean(wl, counts, countEach * groups); // the weights are the counts
      case MEAN:
        return mean(wl, counts, countEach * groups);
      case NONE: {
        NDArray rows = wl.getShape().dimension() == 1 ? wl : wl.sum(new int[] {1});
        if (counts == null) return countEach == 1 ? rows : rows.div(countEach);
        return Ops.safeDiv(rows, counts.getShape().dimension() == 1 ? counts : counts.sum(new int[] {1}));
      }
      default:
        throw new AssertionError(r);
    }
  }

  private static NDArray mean(NDArray wl, NDArray counts, double total) {
    return counts == null ? wl.sum().div(total) : Ops.safeDiv(wl.sum(), counts.sum());
  }

  /** One value L per group [G] with optional group weights w [G]: the region losses' reduction of w·L. */
  static NDArray groups(NDArray values, NDArray groupWeights, Reduction r) {
    NDArray gw = groupWeights == null ? null : Ops.f64(groupWeights);
    NDArray v = Ops.f64(values);
    return reduce(r, gw == null ? v : v.mul(gw), null, 1, gw);
  }
}
