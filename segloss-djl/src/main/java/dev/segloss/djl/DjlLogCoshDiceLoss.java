package dev.segloss.djl;

import ai.djl.ndarray.NDArray;
import dev.segloss.core.loss.AbstractSegLoss;

/**
 * {@code logcosh_dice(...)} (the parameters and defaults of {@code dice}) in DJL, the core's
 * {@code LogCoshDiceLoss} (Jadon 2020): log(cosh(D)) of each image's (or the pooled batch's) Dice loss D,
 * then reduced. Computed as |D| + log(1 + e<sup>−2|D|</sup>) − log 2, stable for any D.
 */
public final class DjlLogCoshDiceLoss extends DjlRegionLoss {
  private final DjlDiceLoss.Options o;

  DjlLogCoshDiceLoss(AbstractSegLoss core, DjlLossOptions options) {
    super(core, options);
    this.o = new DjlDiceLoss.Options(params());
  }

  @Override
  int neededCounts() {
    return o.needed();
  }

  @Override
  boolean pooled() {
    return o.batch;
  }

  @Override
  NDArray regionValues(Counts c) {
    NDArray a = DjlDiceLoss.dice(c, o).abs();
    return a.add(a.mul(-2).exp().add(1).log()).sub(Math.log(2));
  }
}
