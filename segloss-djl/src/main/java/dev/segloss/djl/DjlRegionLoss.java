package dev.segloss.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.segloss.core.loss.AbstractSegLoss;

/**
 * Base of the losses that are functions of soft counts (Dice, Jaccard, Tversky, generalized Dice,
 * log-cosh Dice, MCC), as the core's {@code RegionLoss}: per-pixel weights enter the counts
 * (TP = &Sigma;w·p·y, ...), ignored pixels are left out, each image gives a value L<sub>n</sub> (or the
 * pooled batch one value with {@code batch=true}, per-image weights then scaling each image's pixels),
 * and per-image weights w<sub>n</sub> weight those values: {@code mean} = &Sigma;w<sub>n</sub>L<sub>n</sub>/N,
 * {@code weighted_mean} = &Sigma;w<sub>n</sub>L<sub>n</sub>/&Sigma;w<sub>n</sub>, {@code sum} =
 * &Sigma;w<sub>n</sub>L<sub>n</sub>, {@code none} = the vector w<sub>n</sub>·L<sub>n</sub>.
 */
public abstract class DjlRegionLoss extends DjlSegLoss {
  protected DjlRegionLoss(AbstractSegLoss core, DjlLossOptions options) {
    super(core, options);
  }

  /** Bit mask of the {@link dev.segloss.core.loss.SoftCounts} this loss reads. */
  abstract int neededCounts();

  /** True when the counts are pooled over the batch ({@code batch=true}). */
  abstract boolean pooled();

  /** The loss of each group's counts, [G] float64. */
  abstract NDArray regionValues(Counts c);

  @Override
  public NDArray compute(DjlBatch b) {
    boolean pooled = pooled();
    NDArray values = regionValues(Counts.of(b, neededCounts(), pooled));
    NDArray gw = pooled || b.imageWeights == null ? null : DjlBatch.f64(b.imageWeights);
    NDArray wl = gw == null ? values : values.mul(gw);
    long groups = pooled ? 1 : b.n;
    switch (reduction()) {
      case SUM:
        return wl.sum();
      case MEAN:
        return wl.sum().div((double) groups);
      case WEIGHTED_MEAN:
        return gw == null ? wl.sum().div((double) groups) : DjlBatch.safeDiv(wl.sum(), gw.sum());
      case NONE:
        return wl;
      default:
        throw new AssertionError(reduction());
    }
  }
}
