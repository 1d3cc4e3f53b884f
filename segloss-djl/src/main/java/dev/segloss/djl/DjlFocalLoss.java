package dev.segloss.djl;

import ai.djl.ndarray.NDArray;
import dev.segloss.core.loss.FocalLoss;

/**
 * {@code focal(gamma=2, alpha=none, eps=1e-7, label_smoothing=0)} in DJL, the core's {@code FocalLoss}
 * (Lin et al. 2017, Keras 3 {@code BinaryFocalCrossentropy} semantics), per pixel:
 *
 * <pre>
 *   t = y(1 − s) + s/2,   p_t = t·p + (1 − t)(1 − p),   α_t = t·α + (1 − t)(1 − α) (only with alpha)
 *   l = α_t·(1 − p_t)^γ·bce(t, p)
 * </pre>
 *
 * The BCE term is {@link DjlBceLoss}'s (clipped on probabilities, log-sum-exp on logits); the focal factor
 * uses the unclipped p (σ(z) on logits), as Keras does. Where 1 − p_t = 0 and γ &lt; 1 the factor's
 * derivative is taken as 0, as in the core. Reduced like every pixel loss.
 */
public final class DjlFocalLoss extends DjlPixelLoss {
  private final FocalLoss.Params p;

  DjlFocalLoss(FocalLoss core, DjlLossOptions options) {
    super(core, options);
    this.p = core.params();
  }

  @Override
  NDArray pixelLosses(DjlBatch b) {
    NDArray t = DjlBceLoss.smooth(b.y, p.labelSmoothing());
    NDArray bce = DjlBceLoss.bce(b.x, t, b.logits, 1, 1, p.lo(), p.hi());
    // 1 − p_t = t(1 − p) + (1 − t)p = t + p·(1 − 2t); (1 − 2t) is a label constant
    NDArray q = b.probabilities().mul(t.mul(-2).add(1)).add(t);
    double gamma = p.gamma();
    double alpha = p.alpha();
    NDArray l = gamma == 0 ? bce : Ops.safePow(q, gamma).mul(bce);
    if (p.balanced()) l = l.mul(t.mul(2 * alpha - 1).add(1 - alpha)); // tα + (1 − t)(1 − α)
    return l;
  }
}
