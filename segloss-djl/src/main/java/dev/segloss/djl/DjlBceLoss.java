package dev.segloss.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import dev.segloss.core.loss.BceLoss;

/**
 * {@code bce(w_pos=1, w_neg=1, eps=1e-7, label_smoothing=0)} in DJL, the core's {@link BceLoss}:
 *
 * <pre>
 *   l = −w_pos·t·log p − w_neg·(1 − t)·log(1 − p),   t = y(1 − s) + s/2
 * </pre>
 *
 * On probabilities p is clipped to [eps, 1 − eps] with both bounds rounded to float32 (Keras, TF); the
 * clip's gradient is zero outside the bounds, as {@code torch.clamp}'s and the core's. On logits z the
 * log-sum-exp form {@code l = (w_neg + (w_pos − w_neg)·t)·softplus(z) − w_pos·t·z} (which equals
 * {@code w_pos·t·softplus(−z) + w_neg·(1 − t)·softplus(z)}; PyTorch's {@code BCEWithLogits} uses the same
 * rearrangement), whose autograd gradient is the fused {@code w_neg(1 − t)σ(z) − w_pos·t(1 − σ(z))}.
 * Unlike DJL's own {@code SigmoidBinaryCrossEntropyLoss(fromSigmoid=true)}, which returns the negative
 * BCE on probabilities, this is the BCE itself. Defaults from the core (the seed's formula, Keras'
 * epsilon and label-smoothing convention).
 */
public final class DjlBceLoss extends DjlPixelLoss {
  private final BceLoss.Params p;

  DjlBceLoss(BceLoss core, DjlLossOptions options) {
    super(core, options);
    this.p = core.params();
  }

  @Override
  NDArray pixelLosses(DjlBatch b) {
    return bce(b.x, smooth(b.y, p.labelSmoothing()), b.logits, p.wPos(), p.wNeg(), p.lo(), p.hi());
  }

  /** Labels smoothed toward 0.5: y(1 − s) + s/2 (Keras); y itself when s = 0. */
  static NDArray smooth(NDArray y, double s) {
    return s == 0 ? y : y.mul(1 - s).add(0.5 * s);
  }

  /** The per-pixel weighted BCE of predictions x against targets t (shared with combined and topk). */
  static NDArray bce(NDArray x, NDArray t, boolean logits, double wPos, double wNeg, float lo, float hi) {
    if (logits) {
      NDArray sp = Activation.softPlus(x);
      NDArray a = wPos == wNeg ? sp : sp.mul(t.mul(wPos - wNeg).add(wNeg));
      if (wPos == wNeg && wPos != 1) a = a.mul(wPos);
      NDArray tz = t.mul(x);
      return a.sub(wPos == 1 ? tz : tz.mul(wPos));
    }
    NDArray p = x.clip(lo, hi);
    NDArray pos = p.log().mul(t);
    NDArray neg = p.neg().add(1).log().mul(t.neg().add(1));
    if (wPos != 1) pos = pos.mul(wPos);
    if (wNeg != 1) neg = neg.mul(wNeg);
    return pos.add(neg).neg();
  }
}
