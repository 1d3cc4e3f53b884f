package dev.segloss.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/** NDArray helpers that keep autograd intact (the DJL/PyTorch pitfalls are documented here). */
final class Ops {
  private Ops() {}

  /**
   * A differentiable change of dtype. DJL's {@code NDArray.toType} is not differentiable in the PyTorch
   * engine (the result does not require grad, so the graph is cut); {@code torch.cumprod} with a
   * {@code dtype} over an axis of length 1 is the identity with a cast, and autograd carries the
   * gradient through it (casting it back).
   */
  static NDArray cast(NDArray a, DataType type) {
    if (a.getDataType() == type) return a;
    Shape s = a.getShape();
    return a.reshape(s.size(), 1).cumProd(1, type).reshape(s);
  }

  /** Float64, differentiably. */
  static NDArray f64(NDArray a) {
    return cast(a, DataType.FLOAT64);
  }

  /** num / den elementwise, 0 where den is 0 (den &ge; 0; where den is 0, num is 0 too). */
  static NDArray safeDiv(NDArray num, NDArray den) {
    return num.div(den.add(den.eq(0).toType(den.getDataType(), false)));
  }
  /**
   * base<sup>γ</sup> for base &ge; 0 with a finite gradient everywhere: 0 where base is 0, also for
   * γ &lt; 1 where the true derivative is infinite (the core's convention). Two {@code where}s, so that
   * the masked branch never produces an infinite derivative that 0·∞ would turn into NaN.
   */
  static NDArray safePow(NDArray base, double gamma) {
    if (gamma == 1) return base;
    if (gamma == 0) return base.onesLike();
    // DJL's pow(Number) runs PyTorch's general tensor-tensor pow (about 13× a multiplication on CPU);
    // small integer exponents are products
    if (gamma == 2) return base.square();
    if (gamma == 3) return base.square().mul(base);
    if (gamma == 4) return base.square().square();
    if (gamma > 1) return base.pow(gamma);
    NDArray positive = base.gt(0);
    NDArray safe = NDArrays.where(positive, base, base.onesLike());
    return NDArrays.where(positive, safe.pow(gamma), base.zerosLike());
  }

  /** The array as float32, as a constant (DJL's {@code toType}: no gradient flows through it). */
  static NDArray f32(NDArray a) {
    return a.getDataType() == DataType.FLOAT32 ? a : a.toType(DataType.FLOAT32, false);
  }

  /**
   * Sort keys for a descending sort or top-k of each row of {@code keys} [G, M] (float32, detached) in
   * which equal keys rank in position order, lower first — the order of the core and of TensorFlow's
   * TopKV2; PyTorch's sort and topk are not stable. Returns float64 keys k·(1 − 2^-25·j/M) − 2^-1000·j/M
   * for the key k at position j: the factor moves a key by less than half a float32 ulp, so distinct keys
   * keep their order and equal non-zero keys come apart by position; the tiny offset separates zeros (and
   * is far below the ulp of the smallest float32). Among equal negative keys the order is reversed, which
   * the callers do not rely on (they give negative keys to pixels that are never selected).
   */
  static NDArray untieByPosition(NDArray keys) {
    long len = keys.getShape().get(1);
    NDArray position = keys.getManager().arange(0, (int) len, 1, DataType.FLOAT64).div((double) len);
    NDArray factor = position.mul(-Math.scalb(1.0, -25)).add(1);
    return keys.toType(DataType.FLOAT64, false).mul(factor).sub(position.mul(Math.scalb(1.0, -1000)));
  }
}
