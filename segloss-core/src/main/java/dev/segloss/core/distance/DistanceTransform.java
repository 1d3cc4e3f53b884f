package dev.segloss.core.distance;

import dev.segloss.core.InvalidInputException;

/**
 * Exact Euclidean distance transform of a binary image of any rank (1-D, 2-D, 3-D...), with per-axis
 * spacing, by the separable lower-envelope-of-parabolas algorithm of Felzenszwalb &amp; Huttenlocher
 * ("Distance Transforms of Sampled Functions", Theory of Computing 8, 2012): one linear pass per axis
 * over squared distances, so the result is exact, not a chamfer approximation.
 */
public final class DistanceTransform {
  private DistanceTransform() {}

  /**
   * For every pixel, the Euclidean distance to the nearest pixel where {@code features} is true (0 on
   * feature pixels); {@code +inf} everywhere when there is no feature pixel.
   *
   * @param features row-major image, length = product of {@code shape}
   * @param shape the image's axis lengths
   * @param spacing physical size of a pixel along each axis (null for all 1)
   */
  public static double[] distanceToFeatures(boolean[] features, int[] shape, double[] spacing) {
    double[] sq = squaredDistanceToFeatures(features, shape, spacing);
    for (int i = 0; i < sq.length; i++) sq[i] = Math.sqrt(sq[i]);
    return sq;
  }

  /** As {@link #distanceToFeatures} but squared (no square root taken). */
  public static double[] squaredDistanceToFeatures(boolean[] features, int[] shape, double[] spacing) {
    int n = 1;
    for (int d : shape) n *= d;
    if (features.length != n) {
      throw new InvalidInputException("mask: " + features.length + " values do not fit shape " + java.util.Arrays.toString(shape));
    }
    if (spacing != null && spacing.length != shape.length) {
      throw new InvalidInputException("spacing: expected " + shape.length + " values (one per image axis), got " + spacing.length);
    }
    double[] f = new double[n];
    for (int i = 0; i < n; i++) f[i] = features[i] ? 0.0 : Double.POSITIVE_INFINITY;
    int maxLen = 1;
    for (int d : shape) maxLen = Math.max(maxLen, d);
    double[] line = new double[maxLen];
    double[] out = new double[maxLen];
    int[] v = new int[maxLen];
    double[] z = new double[maxLen + 1];
    int stride = 1;
    for (int axis = shape.length - 1; axis >= 0; axis--) {
      int len = shape[axis];
      double s = spacing == null ? 1.0 : spacing[axis];
      if (!(s > 0) || !Double.isFinite(s)) throw new InvalidInputException("spacing: expected positive finite values, got " + s);
      double s2 = s * s;
      int outer = n / (len * stride);
      for (int o = 0; o < outer; o++) {
        for (int inner = 0; inner < stride; inner++) {
          int base = o * len * stride + inner;
          for (int k = 0; k < len; k++) line[k] = f[base + k * stride];
          transform1d(line, len, s2, out, v, z);
          for (int k = 0; k < len; k++) f[base + k * stride] = out[k];
        }
      }
      stride *= len;
    }
    return f;
  }

  /** Squared-distance transform of one line: out[q] = min_p (f[p] + s2·(q − p)²). */
  private static void transform1d(double[] f, int len, double s2, double[] out, int[] v, double[] z) {
    int k = -1;
    for (int q = 0; q < len; q++) {
      if (f[q] == Double.POSITIVE_INFINITY) continue;
      if (k < 0) {
        k = 0;
        v[0] = q;
        z[0] = Double.NEGATIVE_INFINITY;
        z[1] = Double.POSITIVE_INFINITY;
        continue;
      }
      double sIntersect;
      while (true) {
        int p = v[k];
        sIntersect = ((f[q] + s2 * q * (double) q) - (f[p] + s2 * p * (double) p)) / (2.0 * s2 * (q - p));
        if (sIntersect <= z[k]) {
          k--;
          if (k < 0) break;
        } else {
          break;
        }
      }
      k++;
      v[k] = q;
      z[k] = k == 0 ? Double.NEGATIVE_INFINITY : sIntersect;
      z[k + 1] = Double.POSITIVE_INFINITY;
    }
    if (k < 0) {
      for (int q = 0; q < len; q++) out[q] = Double.POSITIVE_INFINITY;
      return;
    }
    int j = 0;
    for (int q = 0; q < len; q++) {
      while (z[j + 1] < q) j++;
      double d = q - v[j];
      out[q] = s2 * d * d + f[v[j]];
    }
  }
}
