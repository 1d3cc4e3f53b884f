package dev.segloss.core.kernel;

/**
 * The per-pixel formulas of the {@link Kernels} contract in double precision, written from the formulas
 * (BCE: the seed and Keras/TF conventions, see {@code BceLoss}; focal: Keras 3
 * {@code BinaryFocalCrossentropy}), each returning the value, the derivative with respect to x and the
 * <em>magnitude</em> of that derivative's terms (the sum of their absolute values), which bounds the
 * rounding error a float32 evaluation can make when the terms cancel.
 */
final class KernelReference {
  private KernelReference() {}

  /** Value, derivative dl/dx and the size of the derivative's terms. */
  static final class Pixel {
    double value;
    double grad;
    double gradScale;
  }

  static double sigmoid(double x) {
    return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
  }

  static double softplus(double x) {
    return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
  }

  static double smooth(double y, double s) {
    return y * (1 - s) + 0.5 * s;
  }

  static Pixel bce(double y, double x, boolean logits, double wPos, double wNeg, float lo, float hi, double s) {
    Pixel r = new Pixel();
    double t = smooth(y, s);
    double a = wPos * t;
    double b = wNeg * (1 - t);
    if (logits) {
      double sig = sigmoid(x);
      double q = sigmoid(-x);
      r.value = a * softplus(-x) + b * softplus(x);
      r.grad = b * sig - a * q;
      r.gradScale = Math.abs(b * sig) + Math.abs(a * q);
      return r;
    }
    double p = Math.min(Math.max(x, lo), hi);
    boolean inside = p == x;
    r.value = -a * Math.log(p) - b * Math.log(1 - p);
    r.grad = inside ? -a / p + b / (1 - p) : 0;
    r.gradScale = inside ? a / p + b / (1 - p) : 0;
    return r;
  }

  /** Binary focal loss (Keras 3): α_t·f^γ·BCE(t, p), f = 1 − p_t on the unclipped probability. */
  static Pixel focal(double y, double x, boolean logits, double gamma, double alpha, float lo, float hi, double s) {
    Pixel r = new Pixel();
    double t = smooth(y, s);
    double at = Double.isNaN(alpha) ? 1 : t * alpha + (1 - t) * (1 - alpha);
    double p, q, bce, dBce, dBceScale, df;
    if (logits) {
      p = sigmoid(x);
      q = sigmoid(-x);
      bce = t * softplus(-x) + (1 - t) * softplus(x);
      dBce = (1 - t) * p - t * q;
      dBceScale = (1 - t) * p + t * q;
      df = (1 - 2 * t) * p * q;
    } else {
      p = x;
      q = 1 - x;
      double pc = Math.min(Math.max(x, lo), hi);
      boolean inside = pc == x;
      bce = -t * Math.log(pc) - (1 - t) * Math.log(1 - pc);
      dBce = inside ? (pc - t) / (pc * (1 - pc)) : 0;
      dBceScale = inside ? (pc + t) / (pc * (1 - pc)) : 0;
      df = 1 - 2 * t;
    }
    double f = t * q + (1 - t) * p;
    double fg = Math.pow(f, gamma);
    double dFactor = gamma == 0 ? 0 : gamma * Math.pow(f, gamma - 1);
    if (!Double.isFinite(dFactor)) dFactor = 0; // f = 0 with γ < 1: infinite, taken as 0 (FocalLoss's convention)
    double term1 = dFactor * df * bce;
    r.value = at * fg * bce;
    r.grad = at * (term1 + fg * dBce);
    r.gradScale = Math.abs(at) * (Math.abs(term1) + fg * dBceScale);
    return r;
  }
}
