package dev.segloss.djl;

import ai.djl.ndarray.NDArray;
import dev.segloss.core.loss.AbstractSegLoss;
import dev.segloss.core.loss.SoftCounts;
import dev.segloss.core.loss.LossParams;

/**
 * {@code dice(smooth_nr=1e-7, smooth_dr=1e-7, batch=false, squared=false, log=false, soft=false)} in DJL,
 * the core's {@code DiceLoss}, per image (or pooled batch):
 *
 * <pre>
 *   L = 1 − (2·I + smooth_nr) / (D + smooth_dr)      (log=true: −log of the score)
 *   I = &Sigma;p·y     (soft=true: (&Sigma;p + &Sigma;y − &Sigma;|p − y|)/2, Wang et al. 2023; with squared=true
 *                   the L2 soft intersection, which is &Sigma;p·y again)
 *   D = &Sigma;p + &Sigma;y (squared=true: &Sigma;p&sup2; + &Sigma;y&sup2;, V-Net, Milletari 2016)
 * </pre>
 *
 * then reduced over images as {@link DjlRegionLoss} says. Defaults are the seed's (smooth 1e-7).
 */
public final class DjlDiceLoss extends DjlRegionLoss {
  private final Options o;

  DjlDiceLoss(AbstractSegLoss core, DjlLossOptions options) {
    super(core, options);
    this.o = new Options(params());
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
    return dice(c, o);
  }

  /** The Dice parameters (shared with {@code logcosh_dice}). */
  static final class Options {
    final double smoothNr;
    final double smoothDr;
    final boolean batch;
    final boolean squared;
    final boolean log;
    final boolean soft;

    Options(LossParams p) {
      smoothNr = p.number("smooth_nr");
      smoothDr = p.number("smooth_dr");
      batch = p.bool("batch");
      squared = p.bool("squared");
      log = p.bool("log");
      soft = p.bool("soft");
    }

    /**
     * The L1 soft intersection &Sigma;min(p, y) applies with the linear denominator only; with
     * squared=true the matching L2 soft intersection (&Sigma;p&sup2; + &Sigma;y&sup2; − &Sigma;(p − y)&sup2;)/2 is
     * exactly &Sigma;p·y (the core's rule, MONAI's soft_label with squared_pred).
     */
    boolean softL1() {
      return soft && !squared;
    }

    int needed() {
      int n = SoftCounts.BASIC;
      if (squared) n |= SoftCounts.NEED_PP | SoftCounts.NEED_YY;
      if (softL1()) n = (n & ~SoftCounts.NEED_PY) | Counts.NEED_MIN;
      return n;
    }
  }

  /** The Dice loss of each group's counts, [G] float64. */
  static NDArray dice(Counts c, Options o) {
    NDArray inter = o.softL1() ? c.min : c.py; // min(p, y) = (p + y − |p − y|)/2 per pixel
    NDArray den = (o.squared ? c.pp.add(c.yy) : c.p.add(c.y)).add(o.smoothDr);
    NDArray score = inter.mul(2).add(o.smoothNr).div(den);
    return o.log ? score.log().neg() : score.neg().add(1);
  }
}
