package dev.segloss.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.segloss.core.loss.Reduction;
import dev.segloss.core.loss.TopKLoss;

/**
 * {@code topk(k=10, w_pos=1, w_neg=1)} in DJL, the core's {@link TopKLoss} (nnU-Net's TopK loss): per
 * image, the weighted BCE v_i = w_i·bce_i of every counted pixel (BCE with its default clip eps), and the
 * k_n = max(1, ⌊n·k/100⌋) largest of them (n counted pixels). Reductions over the selected pixels:
 * {@code mean} = &Sigma;_S v / &Sigma;k_n, {@code weighted_mean} = &Sigma;_S v / &Sigma;_S w, {@code sum} =
 * &Sigma;_S v, {@code none} = &Sigma;_{S_n} v / k_n per image.
 *
 * <p>The selection runs on a detached copy ({@code topK} indices), the values are gathered from the
 * differentiable v, so the gradient flows to the selected pixels only (the selection is piecewise
 * constant). Ties at the selection boundary take the lower flat index, as the core and TensorFlow do,
 * so the gradient goes to the same pixels on every engine (PyTorch's own topk is not stable, hence
 * {@code Ops.untieByPosition}); the core's first tie rule — the larger weight among equal weighted
 * losses — is not reproduced (equal w·l with unequal w), the value is the same either way.
 */
public final class DjlTopKLoss extends DjlSegLoss {
  private final TopKLoss topk;
  private final double wPos;
  private final double wNeg;
  private final float lo;
  private final float hi;

  DjlTopKLoss(TopKLoss core, DjlLossOptions options) {
    super(core, options);
    topk = core;
    TopKLoss.Params p = core.params();
    wPos = p.wPos();
    wNeg = p.wNeg();
    lo = p.lo(); // bce's default clip bound
    hi = p.hi();
  }

  @Override
  public NDArray compute(DjlBatch b) {
    NDArray l = DjlBceLoss.bce(b.x, b.y, b.logits, wPos, wNeg, lo, hi);
    NDArray w = b.pixelLossWeights();
    NDArray v = w == null ? l : l.mul(w);
    int[] counted = b.countedPerImageOnHost();
    int[] kept = new int[b.n];
    int kmax = 0;
    long totalKept = 0;
    for (int i = 0; i < b.n; i++) {
      kept[i] = topk.selected(counted[i]);
      kmax = Math.max(kmax, kept[i]);
      totalKept += kept[i];
    }
    if (kmax == 0) return v.sum().mul(0); // nothing counted: 0, with a (zero) gradient
    // v ≥ 0; ignored pixels get −1 so that they are never selected before a counted one
    NDArray keys = selectionKeys(b, w, v);
    if (b.counted != null) keys = keys.add(1).mul(b.counted).sub(1);
    boolean ragged = kmax * (long) b.n != totalKept; // images keep different numbers of pixels
    // sorted only when needed: the first k_n of each row are then its k_n largest
    // equal losses are taken in pixel order, as in the core and TensorFlow (see Ops.untieByPosition); the
    // core's first tie rule, the larger weight, is not reproduced (equal w·l with unequal w is rare)
    NDArray idx = Ops.untieByPosition(keys).topK(kmax, 1, true, ragged).get(1);
    NDArray sel = v.gather(idx, 1);
    NDArray mask = null;
    if (ragged) {
      float[] mk = new float[b.n * kmax];
      for (int i = 0; i < b.n; i++) for (int r = 0; r < kept[i]; r++) mk[i * kmax + r] = 1f;
      mask = b.y.getManager().create(mk, new Shape(b.n, kmax));
      sel = sel.mul(mask);
    }
    NDArray ws = null;
    if (reduction() == Reduction.WEIGHTED_MEAN && w != null) {
      ws = w.gather(idx, 1);
      if (mask != null) ws = ws.mul(mask);
    }
    float[] keptPerImage = new float[b.n];
    for (int i = 0; i < b.n; i++) keptPerImage[i] = kept[i];
    return Reductions.reduce(reduction(), sel, b.y.getManager().create(keptPerImage, new Shape(b.n)), 0, ws);
  }

  /**
   * The losses the selection ranks (detached). On logits they are computed in the core's symmetric form
   * w_pos·y·softplus(−z) + w_neg·(1 − y)·softplus(z): a foreground pixel with logit z and a background pixel
   * with −z then have exactly equal losses, as in the core and in TensorFlow, so that ties (a flat
   * prediction) are broken by position on every engine; {@link DjlBceLoss#bce}'s cheaper form, used for
   * the values, rounds the two differently. On probabilities v itself is already symmetric.
   */
  private NDArray selectionKeys(DjlBatch b, NDArray w, NDArray v) {
    if (!b.logits) return v.stopGradient();
    NDArray z = b.x.stopGradient();
    NDArray pos = ai.djl.nn.Activation.softPlus(z.neg()).mul(b.y);
    NDArray neg = ai.djl.nn.Activation.softPlus(z).mul(b.y.neg().add(1));
    NDArray l = (wPos == 1 ? pos : pos.mul(wPos)).add(wNeg == 1 ? neg : neg.mul(wNeg));
    return w == null ? l : l.mul(w);
  }
}
