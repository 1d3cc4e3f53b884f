package dev.segloss.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import dev.segloss.core.loss.AbstractSegLoss;
import dev.segloss.core.loss.SoftCounts;

/**
 * {@code gdice(weighting=square, smooth_nr=1e-5, smooth_dr=1e-5, batch=false)} in DJL, the core's
 * {@code GeneralizedDiceLoss} (Sudre et al. 2017) over background (1 − y, 1 − p) and foreground (y, p):
 *
 * <pre>
 *   L = 1 − (2·&Sigma;_c w_c·&Sigma;p_c·y_c + smooth_nr) / (&Sigma;_c w_c·&Sigma;(p_c + y_c) + smooth_dr)
 *   vol_c = &Sigma;y_c,   w_c = 1/vol_c&sup2; (square) | 1/vol_c (simple) | 1 (uniform)
 * </pre>
 *
 * the smoothing added unweighted (MONAI's way); an absent class takes the other class's weight, both
 * weights are 1 when both are absent. The class weights depend on the labels only (constants here).
 */
public final class DjlGeneralizedDiceLoss extends DjlRegionLoss {
  private final String weighting;
  private final double smoothNr;
  private final double smoothDr;
  private final boolean batch;

  DjlGeneralizedDiceLoss(AbstractSegLoss core, DjlLossOptions options) {
    super(core, options);
    weighting = params().word("weighting");
    smoothNr = params().number("smooth_nr");
    smoothDr = params().number("smooth_dr");
    batch = params().bool("batch");
  }

  @Override
  int neededCounts() {
    return SoftCounts.BASIC | SoftCounts.NEED_W;
  }

  @Override
  boolean pooled() {
    return batch;
  }

  private NDArray weight(NDArray volume) {
    switch (weighting) {
      case "square": return volume.square().pow(-1);
      case "simple": return volume.pow(-1);
      case "uniform": return volume.onesLike();
      default: throw new IllegalArgumentException("gdice: unknown weighting " + weighting);
    }
  }

  @Override
  NDArray regionValues(Counts c) {
    NDArray volF = c.y.stopGradient();
    NDArray volB = c.w.sub(volF).stopGradient();
    NDArray hasF = volF.gt(0);
    NDArray hasB = volB.gt(0);
    NDArray one = volF.onesLike();
    NDArray rawF = weight(NDArrays.where(hasF, volF, one));
    NDArray rawB = weight(NDArrays.where(hasB, volB, one));
    NDArray wF = NDArrays.where(hasF, rawF, NDArrays.where(hasB, rawB, one));
    NDArray wB = NDArrays.where(hasB, rawB, NDArrays.where(hasF, rawF, one));
    NDArray interB = c.w.sub(c.p).sub(c.y).add(c.py); // Σ(1 − p)(1 − y)
    NDArray sumF = c.p.add(c.y);
    NDArray sumB = c.w.mul(2).sub(c.p).sub(c.y);
    NDArray num = wF.mul(c.py).add(wB.mul(interB)).mul(2).add(smoothNr);
    NDArray den = wF.mul(sumF).add(wB.mul(sumB)).add(smoothDr);
    return num.div(den).neg().add(1);
  }
}
