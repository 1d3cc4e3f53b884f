package dev.segloss.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.segloss.core.Tensor;
import dev.segloss.core.loss.BoundaryLoss;

/**
 * {@code boundary()} in DJL, the core's {@link BoundaryLoss} (Kervadec et al. 2019): per image
 * L_n = &Sigma;w·p·φ / n_image over the counted pixels, reduced like a region loss (per-image weights
 * weight the L_n). φ, the signed Euclidean distance map of the foreground y &ge; 0.5 (negative inside),
 * is computed exactly on the CPU by the core ({@link BoundaryLoss#signedDistanceMap}, over the spatial
 * axes with singleton axes dropped) from the labels, which need no gradient; the loss is then the NDArray
 * expression above, linear in p, so autograd gives w·φ/n_image (times p(1 − p) on logits). Computing φ
 * copies the labels to the host once per evaluation.
 */
public final class DjlBoundaryLoss extends DjlSegLoss {
  DjlBoundaryLoss(BoundaryLoss core, DjlLossOptions options) {
    super(core, options);
  }

  @Override
  public NDArray compute(DjlBatch b) {
    long[] dims = b.shape.getShape();
    int[] shape = new int[dims.length];
    for (int i = 0; i < dims.length; i++) shape[i] = (int) dims[i];
    float[] phi = BoundaryLoss.signedDistanceMap(Tensor.of(b.rawY.toFloatArray(), shape), options().ignoreValue());
    NDArray phiArray = b.y.getManager().create(phi, new Shape(b.n, b.m));
    NDArray w = b.countWeights();
    NDArray weighted = w == null ? phiArray : phiArray.mul(w);
    NDArray sums = b.probabilities().mul(weighted).sum(new int[] {1});
    NDArray values = Ops.safeDiv(sums, b.countedPerImage());
    return Reductions.groups(values, b.imageWeights, reduction());
  }
}
