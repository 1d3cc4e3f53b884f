package dev.segloss.djl;

import ai.djl.ndarray.NDArray;
import dev.segloss.core.kernel.KernelSelector;
import dev.segloss.core.loss.AbstractSegLoss;

/**
 * Base of the per-pixel losses ({@code bce}, {@code focal}): a subclass gives the loss of every pixel
 * [N, M]; this class applies the weights, the ignored pixels and the core's reduction (see
 * {@link dev.segloss.core.loss.Reduction}): with w the weights (pixel weights, or image weights
 * broadcast; 0 on ignored pixels), {@code mean} = &Sigma;w·l / n (n counted pixels), {@code weighted_mean}
 * = &Sigma;w·l / &Sigma;w, {@code sum} = &Sigma;w·l, {@code none} = &Sigma;<sub>image</sub> w·l /
 * n<sub>image</sub> per image. A zero denominator gives 0.
 *
 * <p>Where {@link DjlLossOptions.CoreKernels} says so (by default: the core's Vector API kernels are
 * loaded, CPU, no pixel weights, no ignore value, a reduced loss), value and gradient come from the core
 * on host copies and reach autograd through the surrogate {@code value + sum(x·g) − stopGradient(sum(x·g))}.
 */
public abstract class DjlPixelLoss extends DjlSegLoss {
  protected DjlPixelLoss(AbstractSegLoss core, DjlLossOptions options) {
    super(core, options);
  }

  /** The loss of every pixel, [N, M], before weights (ignored pixels may hold anything finite). */
  abstract NDArray pixelLosses(DjlBatch b);

  @Override
  public NDArray compute(DjlBatch b) {
    return useCoreKernels(b) ? coreSurrogate(b, false) : reduce(b, pixelLosses(b));
  }

  /** True when this evaluation goes through the core's kernels (see {@link DjlLossOptions.CoreKernels}). */
  boolean useCoreKernels(DjlBatch b) {
    return useCore(KernelSelector.vector() != null && !b.x.getDevice().isGpu() && !b.hasPixelWeights() && b.counted == null);
  }

  /** Weights and reduces per-pixel values [N, M] as the core's {@code PixelLoss} does. */
  NDArray reduce(DjlBatch b, NDArray l) {
    NDArray w = b.pixelLossWeights();
    return Reductions.reduce(reduction(), w == null ? l : l.mul(w), b.counted, b.m, w);
  }
}
