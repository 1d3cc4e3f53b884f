package dev.segloss.core.kernel;

/**
 * Fast loops for the common case (no pixel weights, no ignored pixels) over a flat range
 * {@code [from, to)}. The scalar reference for each is the per-pixel formula in the loss's own class;
 * an implementation must agree with it to float32 accuracy (tested). Sums are accumulated in float
 * lanes over short blocks and in double across blocks.
 */
public interface Kernels {
  /** Implementation name, e.g. {@code vector-256}. */
  String name();

  /**
   * Weighted BCE: returns &Sigma;l and, when {@code grad != null}, writes {@code grad[i] = scale·dl/dx}.
   * On probabilities p is clipped to [lo, hi] (zero gradient outside); on logits the stable softplus form.
   * Labels are smoothed as {@code y(1 − s) + s/2}. May decline parameters it does not handle (e.g. a clip
   * bound below the smallest normal float) by returning NaN before writing anything; the caller then runs
   * its scalar loop.
   */
  double bce(float[] y, float[] x, int from, int to, boolean logits, float wPos, float wNeg,
      float lo, float hi, float smoothing, float[] grad, float scale);

  /**
   * Binary focal loss (Keras 3 {@code BinaryFocalCrossentropy}), same contract:
   * {@code l = α_t·(1 − p_t)^γ·BCE(t, p)} with t the smoothed label, {@code p_t = t·p + (1 − t)(1 − p)} on
   * the unclipped probability (σ(x) on logits), {@code α_t = t·α + (1 − t)(1 − α)}, or 1 when
   * {@code alpha} is NaN; the BCE term clips p to [lo, hi] (its derivative is zero outside) on
   * probabilities and is the softplus form on logits.
   */
  double focal(float[] y, float[] x, int from, int to, boolean logits, float gamma, float alpha,
      float lo, float hi, float smoothing, float[] grad, float scale);

  /**
   * Adds the soft counts selected by the {@code needed} bit mask (see {@code SoftCounts}) to {@code out};
   * on logits p = sigmoid(x). When {@code pOut != null} the probabilities are stored there.
   */
  void softCounts(float[] y, float[] x, int from, int to, boolean logits, int needed, double[] out, float[] pOut);

  /**
   * Writes {@code grad[i] = cPY·y + cP + 2·cPP·p + cABS·sign(p − y)}: {@link #regionGradientByLabel} with
   * c1 = cPY + cP, c0 = cP and cMIN = 0.
   */
  default void regionGradient(float[] y, float[] x, int from, int to, boolean logits,
      float cPY, float cP, float cPP, float cABS, float[] grad) {
    regionGradientByLabel(y, x, from, to, logits, cPY + cP, cP, cPP, cABS, 0f, grad);
  }

  /**
   * Writes {@code grad[i] = c1·y + c0·(1 − y) + 2·cPP·p + cABS·sign(p − y) + cMIN·[p < y]} ({@code [p < y]}
   * = 1, 0, or ½ at p = y: the derivative of min(p, y)) with p = x, or, when {@code logits}, p = σ(x) and
   * the whole times σ'(x) = σ(x)(1 − σ(x)), both computed from x (so that σ' keeps its digits where σ is
   * close to 1). {@code x} may be the same array as {@code grad}. With cABS = cMIN = 0 no sign is computed.
   *
   * <p>The label's part is given by its values at y = 1 and y = 0, which the caller sums in double: written
   * as cPY·y + cP, two float32 coefficients that nearly cancel (MCC on an image with one class, where the
   * derivatives with respect to Σp and Σp·y are about ±1/√smooth) would leave only their rounding error.
   */
  void regionGradientByLabel(float[] y, float[] x, int from, int to, boolean logits,
      float c1, float c0, float cPP, float cABS, float cMIN, float[] grad);
}
