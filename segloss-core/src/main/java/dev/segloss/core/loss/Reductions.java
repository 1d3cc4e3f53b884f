package dev.segloss.core.loss;

/**
 * The one place where the core applies a {@link Reduction}. Every loss reduces per-group sums S<sub>g</sub>
 * (a group is an image, or the pooled batch) that come with a count C<sub>g</sub> and a weight
 * W<sub>g</sub>:
 *
 * <pre>
 *   mean          = &Sigma;S / &Sigma;C        weighted_mean = &Sigma;S / &Sigma;W
 *   sum           = &Sigma;S                none          = S<sub>g</sub> / C<sub>g</sub> per group
 * </pre>
 *
 * with 0 for a zero denominator. Pixel losses: S = &Sigma;w·l over the image, C its counted pixels, W its
 * weight sum; top-k: the same over the selected pixels; region losses (one value L<sub>g</sub> per group,
 * group weight w<sub>g</sub>): S = w<sub>g</sub>·L<sub>g</sub>, C = 1, W = w<sub>g</sub>. The scales
 * s<sub>g</sub> = d(reported total)/dS<sub>g</sub> depend on the counts and weights only, so a loss can
 * learn them before it computes any value and scale its gradient in the same pass.
 */
final class Reductions {
  private Reductions() {}

  /** d(reported total)/dS<sub>g</sub> for every group. */
  static double[] scales(Reduction r, double[] counts, double[] weights) {
    int groups = counts.length;
    double[] s = new double[groups];
    double total;
    switch (r) {
      case NONE:
        for (int g = 0; g < groups; g++) s[g] = counts[g] > 0 ? 1.0 / counts[g] : 0;
        return s;
      case SUM:
        total = 1.0;
        break;
      case MEAN:
        total = sum(counts) > 0 ? 1.0 / sum(counts) : 0;
        break;
      case WEIGHTED_MEAN:
        total = sum(weights) > 0 ? 1.0 / sum(weights) : 0;
        break;
      default:
        throw new AssertionError(r);
    }
    java.util.Arrays.fill(s, total);
    return s;
  }

  /** The reported values: one per group with {@code none} (S<sub>g</sub>·s<sub>g</sub>), else &Sigma;S·s. */
  static double[] values(Reduction r, double[] sums, double[] scales) {
    if (r == Reduction.NONE) {
      double[] out = new double[sums.length];
      for (int g = 0; g < sums.length; g++) out[g] = sums[g] * scales[g];
      return out;
    }
    return new double[] {sum(sums) * scales[0]};
  }

  /**
   * A region-style reduction of one value L<sub>g</sub> per group with group weights w<sub>g</sub>
   * (S = w·L, C = 1, W = w); writes d(reported total)/dL<sub>g</sub> = s<sub>g</sub>·w<sub>g</sub> into
   * {@code factor}.
   */
  static double[] groupValues(double[] values, double[] weights, Reduction r, double[] factor) {
    double[] ones = new double[values.length];
    java.util.Arrays.fill(ones, 1.0);
    double[] scales = scales(r, ones, weights);
    double[] sums = new double[values.length];
    for (int g = 0; g < values.length; g++) {
      factor[g] = weights[g] * scales[g];
      sums[g] = weights[g] * values[g];
    }
    return values(r, sums, scales);
  }

  private static double sum(double[] v) {
    double s = 0;
    for (double x : v) s += x;
    return s;
  }
}
