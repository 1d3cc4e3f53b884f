package dev.segloss.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.segloss.core.loss.SoftCounts;

/**
 * The weighted soft counts of {@link SoftCounts} as float64 NDArrays of shape [G] (one per image, or
 * one for the pooled batch), differentiable with respect to the predictions. Per-pixel sums run in
 * float32 on the engine (PyTorch's cascaded summation); everything after them runs in float64.
 * Only the requested counts are computed; the others are null.
 */
final class Counts {
  /**
   * Bit for {@link #min} = &Sigma;w·min(p, y), the soft intersection (&Sigma;p + &Sigma;y − &Sigma;|p − y|)/2
   * summed per pixel. Equal to the core's formula, but its gradient does not cancel two large terms in
   * float32 (p + y − |p − y| has derivative 1 − sign(p − y), computed from counts it is the difference
   * of two count derivatives that can be 10<sup>7</sup> apart from the result).
   */
  static final int NEED_MIN = 1 << 20;

  /**
   * Bit for {@link #fp} = &Sigma;w·p·(1 − y) summed directly rather than as P − PY: its per-pixel
   * derivative w·(1 − y) is exactly 0 on foreground pixels, so losses whose count derivatives are huge
   * (MCC with TN or FN near 0) do not cancel them in float32.
   */
  static final int NEED_FP = 1 << 21;

  NDArray py;
  /** &Sigma;w·p·(1 − y). */
  NDArray fp;
  /** &Sigma;w·min(p, y). */
  NDArray min;
  NDArray p;
  NDArray y;
  NDArray pp;
  NDArray yy;
  NDArray abs;
  NDArray w;

  /** Counts per image, pooled over the batch when {@code pooled} (per-image weights scale each image). */
  static Counts of(DjlBatch b, int needed, boolean pooled) {
    NDArray prob = b.probabilities();
    NDArray wt = b.countWeights();
    NDArray pw = wt == null ? prob : prob.mul(wt);
    NDArray yw = wt == null ? b.y : b.y.mul(wt);
    Counts c = new Counts();
    if (has(needed, SoftCounts.PY)) c.py = sum(pw.mul(b.y));
    if (has(needed, SoftCounts.P)) c.p = sum(pw);
    if (has(needed, SoftCounts.Y)) c.y = sum(yw);
    if (has(needed, SoftCounts.PP)) c.pp = sum(pw.mul(prob));
    if (has(needed, SoftCounts.YY)) c.yy = sum(yw.mul(b.y));
    if ((needed & NEED_FP) != 0) c.fp = sum(pw.mul(b.y.neg().add(1)));
    if ((needed & NEED_MIN) != 0) {
      NDArray mn = prob.minimum(b.y);
      c.min = sum(wt == null ? mn : mn.mul(wt));
    }
    if (has(needed, SoftCounts.ABS)) {
      NDArray d = prob.sub(b.y).abs();
      c.abs = sum(wt == null ? d : d.mul(wt));
    }
    if (has(needed, SoftCounts.W)) {
      c.w = wt == null ? b.y.getManager().full(new ai.djl.ndarray.types.Shape(b.n), (float) b.m) : sum(wt);
    }
    if (pooled) c.pool(b.imageWeights);
    return c;
  }

  private static boolean has(int needed, int index) {
    return (needed & (1 << index)) != 0;
  }

  private static NDArray sum(NDArray a) {
    return Ops.f64(a.sum(new int[] {1}));
  }

  private void pool(NDArray imageWeights) {
    NDArray iw = imageWeights == null ? null : Ops.f64(imageWeights);
    py = pool(py, iw);
    min = pool(min, iw);
    fp = pool(fp, iw);
    p = pool(p, iw);
    y = pool(y, iw);
    pp = pool(pp, iw);
    yy = pool(yy, iw);
    abs = pool(abs, iw);
    w = pool(w, iw);
  }

  private static NDArray pool(NDArray a, NDArray iw) {
    if (a == null) return null;
    return (iw == null ? a : a.mul(iw)).sum(new int[] {0}, true);
  }
}
