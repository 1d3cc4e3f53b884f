package dev.segloss.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.segloss.core.Tensor;
import dev.segloss.core.kernel.KernelSelector;
import dev.segloss.core.loss.AbstractSegLoss;
import dev.segloss.core.loss.LossInput;
import dev.segloss.core.loss.LossResult;
import dev.segloss.core.loss.Reduction;

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
    return useCoreKernels(b) ? coreKernels(b) : reduce(b, pixelLosses(b));
  }

  /** True when this evaluation goes through the core's kernels (see {@link DjlLossOptions.CoreKernels}). */
  boolean useCoreKernels(DjlBatch b) {
    if (reduction() == Reduction.NONE) return false;
    switch (options().coreKernels()) {
      case NEVER:
        return false;
      case ALWAYS:
        return true;
      default:
        return KernelSelector.vector() != null && !b.x.getDevice().isGpu() && !b.hasPixelWeights() && b.counted == null;
    }
  }

  /**
   * The core computes value and gradient g on host copies; autograd sees value + s − stopGradient(s)
   * with s = &Sigma;x·g (g constant), whose value is the core's and whose derivative is exactly g.
   */
  private NDArray coreKernels(DjlBatch b) {
    LossInput.Builder in = LossInput.builder(Tensor.of(b.rawY.toFloatArray(), b.n, b.m), Tensor.of(b.x.toFloatArray(), b.n, b.m))
        .fromLogits(b.logits).ignoreValue(options().ignoreValue()).threads(threads(b.n)).unchecked();
    if (b.rawWeights != null) {
      float[] w = b.rawWeights.toFloatArray();
      in.weights(b.imageWeights != null ? Tensor.of(w, b.n) : Tensor.of(w, b.n, b.m));
    }
    LossResult r = coreLoss().compute(in.build(), true);
    NDArray g = b.x.getManager().create(r.gradient(), new Shape(b.n, b.m));
    NDArray s = b.x.mul(g).sum();
    return Ops.f64(s.sub(s.stopGradient())).add(r.value());
  }

  /** The core's threads: as many as PyTorch's intra-op pool ({@code ai.djl.pytorch.num_threads}), at most one per image. */
  private static int threads(int images) {
    int t = Integer.getInteger("ai.djl.pytorch.num_threads", Runtime.getRuntime().availableProcessors());
    return Math.max(1, Math.min(images, t));
  }

  /** Weights and reduces per-pixel values [N, M] as the core's {@code PixelLoss} does. */
  NDArray reduce(DjlBatch b, NDArray l) {
    NDArray w = b.pixelLossWeights();
    NDArray wl = w == null ? l : l.mul(w);
    switch (reduction()) {
      case SUM:
        return wl.sum();
      case MEAN:
        return b.counted == null ? wl.sum().div((double) b.n * b.m) : Ops.safeDiv(wl.sum(), b.counted.sum());
      case WEIGHTED_MEAN:
        return w == null ? wl.sum().div((double) b.n * b.m) : Ops.safeDiv(wl.sum(), w.sum());
      case NONE:
        return b.counted == null ? wl.sum(new int[] {1}).div((double) b.m)
            : Ops.safeDiv(wl.sum(new int[] {1}), b.countedPerImage());
      default:
        throw new AssertionError(reduction());
    }
  }
}
