package dev.segloss.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Activation;
import dev.segloss.core.InvalidInputException;
import dev.segloss.core.loss.LovaszHingeLoss;

/**
 * {@code lovasz(per_image=true, eps=1e-7)} in DJL, the core's {@code LovaszHingeLoss} (Berman, Rannen
 * Triki &amp; Blaschko 2018): with labels s = +1 where y &ge; 0.5 and −1 elsewhere, logits z (on
 * probabilities z = logit(clip(p, eps, 1 − eps))), hinge errors e = 1 − z·s sorted in decreasing order,
 *
 * <pre>
 *   J_r = 1 − (G − P_r)/(G + N_r),   L = &Sigma;_r max(e_(r), 0)·(J_r − J_(r−1))
 * </pre>
 *
 * (G positives, P_r/N_r positives/negatives among the first r). The permutation comes from sorting a
 * detached copy of the errors; the sorted errors are gathered from the differentiable ones, so autograd
 * gives dL/dz = −s·(J_r − J_(r−1)) where e &gt; 0 (the Jaccard increments depend on the labels and the
 * order only, and are computed in float64). Ignored pixels are left out (sorted last and masked);
 * {@code per_image=false} computes one hinge over the batch. Per-pixel weights are rejected, as in the
 * core; per-image weights weight the image values in the reduction.
 *
 * <p>Under {@link DjlLossOptions.CoreKernels#AUTO} a reduced loss on the CPU takes value and gradient
 * from the core instead (the surrogate of {@link DjlSegLoss#coreSurrogate}, guarded against infinite logits with no hinge error): the core sorts only the
 * pixels with a positive hinge error, in Java, while the NDArray path above makes about 20 PyTorch calls
 * including a full argsort and float64 cumulative sums. On a U-Net batch [8, 1, 64, 64] that is 0.5 ms
 * against 2.4 ms, i.e. the Lovász hinge drops from ~5 % of a training step to ~1 % (docs/BENCHMARKS.md,
 * "U-Net training"). Reduction {@code none}, GPU tensors and {@code CoreKernels.NEVER} keep the NDArray path.
 */
public final class DjlLovaszLoss extends DjlSegLoss {
  private final LovaszHingeLoss.Params params;

  DjlLovaszLoss(LovaszHingeLoss core, DjlLossOptions options) {
    super(core, options);
    this.params = core.params();
  }

  @Override
  public NDArray compute(DjlBatch b) {
    if (b.hasPixelWeights()) {
      throw new InvalidInputException("weights: lovasz takes no per-pixel weights (the Lovász hinge ranks the errors,"
          + " it is not a sum over pixels); give one weight per image, shape [" + b.n + "]");
    }
    if (!params.perImage() && b.imageWeights != null) {
      throw new InvalidInputException("weights: lovasz(per_image=false) computes one hinge over the whole batch,"
          + " so per-image weights have nothing to weight; use per_image=true or drop the weights");
    }
    if (useCoreKernels(b)) return coreSurrogate(b, true);
    NDArray z = b.x;
    if (!b.logits) {
      NDArray p = b.x.clip(params.lo(), params.hi());
      z = p.log().sub(p.neg().add(1).log());
    }
    NDArray pos = b.rawY.gte(0.5f).toType(DataType.FLOAT32, false);
    if (b.counted != null) pos = pos.mul(b.counted);
    NDArray err = z.mul(pos.mul(2).sub(1)).neg().add(1); // 1 − z·s
    NDArray counted = b.counted;
    if (!params.perImage()) {
      err = err.reshape(1, -1);
      pos = pos.reshape(1, -1);
      if (counted != null) counted = counted.reshape(1, -1);
    }
    // order by the detached errors, ignored pixels last
    NDArray keys = err.stopGradient();
    if (counted != null) {
      NDArray low = keys.min().sub(1);
      keys = NDArrays.where(counted.gt(0), keys, low.broadcast(keys.getShape()));
    }
    // tied errors (a flat background gives identical logits) rank in pixel order, as in the core and in
    // TensorFlow, so that every path picks the same subgradient (see Ops.untieByPosition)
    NDArray order = Ops.untieByPosition(keys).argSort(1, false);
    NDArray sortedErr = err.gather(order, 1);
    NDArray sortedPos = pos.gather(order, 1).toType(DataType.FLOAT64, false);
    NDArray sortedCnt = counted == null ? sortedPos.onesLike() : counted.gather(order, 1).toType(DataType.FLOAT64, false);
    NDArray sortedNeg = sortedCnt.sub(sortedPos);
    NDArray gts = sortedPos.sum(new int[] {1}, true);
    NDArray cp = sortedPos.cumSum(1);
    NDArray cn = sortedNeg.cumSum(1);
    NDArray jac = Ops.safeDiv(gts.sub(cp), gts.add(cn)).neg().add(1);
    long len = jac.getShape().get(1);
    NDArray prev = NDArrays.concat(new NDList(jac.zerosLike().get(new NDIndex(":, :1")), jac.get(new NDIndex(":, :" + (len - 1)))), 1);
    NDArray increments = jac.sub(prev).mul(sortedCnt).toType(DataType.FLOAT32, false);
    NDArray values = Activation.relu(sortedErr).mul(increments).sum(new int[] {1});
    return Reductions.groups(values, params.perImage() ? b.imageWeights : null, reduction());
  }

  /** True when this evaluation takes value and gradient from the core (see {@link DjlLossOptions.CoreKernels}). */
  boolean useCoreKernels(DjlBatch b) {
    return useCore(!b.x.getDevice().isGpu());
  }
}
