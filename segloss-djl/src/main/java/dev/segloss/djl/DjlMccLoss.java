package dev.segloss.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import dev.segloss.core.loss.AbstractSegLoss;
import dev.segloss.core.loss.SoftCounts;

/**
 * {@code mcc(smooth=1e-7, batch=false)} in DJL, the core's {@code MccLoss} (Abhishek &amp; Hamarneh
 * 2021): 1 − the soft Matthews correlation coefficient of each image (or the pooled batch),
 *
 * <pre>
 *   TP = &Sigma;p·y + s,  FP = &Sigma;p(1 − y) + s,  FN = &Sigma;(1 − p)y + s,  TN = &Sigma;(1 − p)(1 − y) + s
 *   MCC = (TP·TN − FP·FN) / √((TP + FP)(TP + FN)(TN + FP)(TN + FN))
 * </pre>
 *
 * A zero denominator gives MCC 0 (loss 1) with a zero gradient, as in the core. FP is summed directly
 * and TN = &Sigma;w(1 − y) − FP, FN = &Sigma;y − TP, so that the per-pixel gradient never subtracts the huge
 * derivatives that TN or FN near 0 produce (images with one class), and a full or empty mask with
 * {@code smooth=0} gives an exactly zero denominator.
 */
public final class DjlMccLoss extends DjlRegionLoss {
  private final double smooth;
  private final boolean batch;

  DjlMccLoss(AbstractSegLoss core, DjlLossOptions options) {
    super(core, options);
    smooth = params().number("smooth");
    batch = params().bool("batch");
  }

  @Override
  int neededCounts() {
    return SoftCounts.NEED_PY | SoftCounts.NEED_Y | SoftCounts.NEED_W | Counts.NEED_FP;
  }

  @Override
  boolean pooled() {
    return batch;
  }

  @Override
  NDArray regionValues(Counts c) {
    NDArray tp = c.py.add(smooth);
    NDArray fp = c.fp.add(smooth);
    NDArray fn = c.y.sub(c.py).add(smooth);
    NDArray tn = c.w.sub(c.y).sub(c.fp).add(smooth);
    NDArray prod = tp.add(fp).mul(tp.add(fn)).mul(tn.add(fp)).mul(tn.add(fn));
    NDArray defined = prod.gt(0);
    NDArray safe = NDArrays.where(defined, prod, prod.onesLike());
    NDArray mcc = tp.mul(tn).sub(fp.mul(fn)).div(safe.sqrt());
    return NDArrays.where(defined, mcc, mcc.zerosLike()).neg().add(1);
  }
}
