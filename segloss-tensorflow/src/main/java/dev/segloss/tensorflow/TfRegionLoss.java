package dev.segloss.tensorflow;

import dev.segloss.core.loss.RegionLoss;
import org.tensorflow.Operand;
import org.tensorflow.types.family.TNumber;

/**
 * Any region loss of the core (Dice, Jaccard, Tversky, generalized Dice, log-cosh Dice, MCC, or one of
 * your own) in TensorFlow Java: the core loss's own {@link RegionLoss#formula} evaluated on the batch's
 * soft counts as float64 operands ({@link TfRegionOps}), differentiated by {@code Graph.addGradients}. The
 * counts are weighted sums over each image (or over the batch with {@code batch=true}), the loss of each
 * image is computed from them in float64, and the image values are weighted by the per-image weights and
 * reduced (see {@link TfSegLoss}).
 */
public final class TfRegionLoss extends TfSingleLoss {
  private final RegionLoss<?> region;

  TfRegionLoss(RegionLoss<?> core, Config config) {
    super(core, config);
    this.region = core;
  }

  @Override
  public RegionLoss<?> toCore() {
    return region;
  }

  @Override
  boolean pooled() {
    return region.pooled();
  }

  @Override
  <T extends TNumber> Operand<T> value(Batch<T> b) {
    boolean pooled = pooled();
    return TfReductions.groups(b, region.formula(new TfRegionOps<>(b, pooled)), pooled, config.reduction);
  }
}
