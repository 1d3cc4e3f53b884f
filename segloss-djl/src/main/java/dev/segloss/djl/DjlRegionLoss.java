package dev.segloss.djl;

import ai.djl.ndarray.NDArray;
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
    return reduceGroups(values, pooled ? null : b.imageWeights, reduction());
  }
}
