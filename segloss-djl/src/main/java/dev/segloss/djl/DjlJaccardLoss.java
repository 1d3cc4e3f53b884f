package dev.segloss.djl;

import ai.djl.ndarray.NDArray;
import dev.segloss.core.loss.AbstractSegLoss;
import dev.segloss.core.loss.SoftCounts;

/**
 * {@code jaccard(smooth_nr=1e-7, smooth_dr=1e-7, batch=false, log=false, soft=false)} in DJL, the core's
 * {@code JaccardLoss}, per image (or pooled batch):
 *
 * <pre>
 *   L = 1 − (I + smooth_nr) / (&Sigma;p + &Sigma;y − I + smooth_dr)     (log=true: −log of the score)
 *   I = &Sigma;p·y      (soft=true: &Sigma;min(p, y) = (&Sigma;p + &Sigma;y − &Sigma;|p − y|)/2, Wang et al. 2023)
 * </pre>
 *
 * (Rahman &amp; Wang 2016), then reduced over images as {@link DjlRegionLoss} says.
 */
public final class DjlJaccardLoss extends DjlRegionLoss {
  private final double smoothNr;
  private final double smoothDr;
  private final boolean batch;
  private final boolean log;
  private final boolean soft;

  DjlJaccardLoss(AbstractSegLoss core, DjlLossOptions options) {
    super(core, options);
    smoothNr = params().number("smooth_nr");
    smoothDr = params().number("smooth_dr");
    batch = params().bool("batch");
    log = params().bool("log");
    soft = params().bool("soft");
  }

  @Override
  int neededCounts() {
    return soft ? SoftCounts.NEED_P | SoftCounts.NEED_Y | Counts.NEED_MIN : SoftCounts.BASIC;
  }

  @Override
  boolean pooled() {
    return batch;
  }

  @Override
  NDArray regionValues(Counts c) {
    NDArray inter = soft ? c.min : c.py;
    NDArray score = inter.add(smoothNr).div(c.p.add(c.y).sub(inter).add(smoothDr));
    return log ? score.log().neg() : score.neg().add(1);
  }
}
