package dev.segloss.core.loss;

/** Scalar helpers in double shared by the losses. */
public final class Functions {
  private Functions() {}

  /** The logistic function, stable for any x. */
  public static double sigmoid(double x) {
    if (x >= 0) return 1.0 / (1.0 + Math.exp(-x));
    double e = Math.exp(x);
    return e / (1.0 + e);
  }

  /** log(1 + e^x), stable for any x. */
  public static double softplus(double x) {
    return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
  }

  /** The float32 clip bounds [eps, 1 − eps] as Keras and TF compute them in float32. */
  public static float lowerClip(double eps) {
    return (float) eps;
  }

  public static float upperClip(double eps) {
    return 1f - (float) eps;
  }

  /** log(p / (1 − p)). */
  public static double logit(double p) {
    return Math.log(p) - Math.log1p(-p);
  }

  /** Label smoothing toward 0.5: y(1 − s) + s/2 (Keras convention). */
  public static double smooth(double y, double s) {
    return s == 0 ? y : y * (1 - s) + 0.5 * s;
  }
}
