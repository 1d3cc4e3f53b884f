package dev.segloss.djl;

import ai.djl.ndarray.NDArray;
import dev.segloss.core.loss.RegionLoss;

/**
 * Any region loss of the core (Dice, Jaccard, Tversky, generalized Dice, log-cosh Dice, MCC, or one of
 * your own) in DJL: the core loss's own {@link RegionLoss#formula} evaluated on the batch's soft counts as
 * NDArrays ({@link NdRegionOps}), differentiated by autograd. Per-pixel weights enter the counts
 * (TP = &Sigma;w·p·y, ...), ignored pixels are left out, each image gives a value L<sub>n</sub> (or the
 * pooled batch one value with {@code batch=true}, per-image weights then scaling each image's pixels), and
 * per-image weights w<sub>n</sub> weight those values in the reduction, as in the core.
 */
public final class DjlRegionLoss extends DjlSegLoss {
  private final RegionLoss<?> region;

  DjlRegionLoss(RegionLoss<?> core, DjlLossOptions options) {
    super(core, options);
    this.region = core;
  }

  @Override
  public NDArray compute(DjlBatch b) {
    boolean pooled = region.pooled();
    NDArray values = region.formula(new NdRegionOps(b, pooled));
    return Reductions.groups(values, pooled ? null : b.imageWeights, reduction());
  }
}
