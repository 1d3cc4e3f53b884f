package dev.segloss.core.metrics;

import dev.segloss.core.InvalidInputException;
import dev.segloss.core.distance.DistanceTransform;
import java.util.Arrays;

/**
 * Surface distances between two binary masks of any rank (2D, 3D...), with per-axis spacing, computed
 * from exact Euclidean distance transforms ({@link DistanceTransform}).
 *
 * <p>Definitions follow MedPy's {@code medpy.metric.binary} (the implementation nnU-Net v1 used for
 * HD95), so that values agree with those tools:
 *
 * <ul>
 *   <li>The surface of a mask is its foreground pixels that have a background face neighbour (4-neighbours
 *       in 2D, 6 in 3D), pixels outside the image counting as background: the mask minus its binary
 *       erosion with the connectivity-1 structuring element and border value 0.
 *   <li>d(a, B) is the Euclidean distance (in spacing units) from a surface pixel a of A to the nearest
 *       surface pixel of B. The directed distances of A are d(a, B) for every surface pixel a of A.
 *   <li>{@code hd} = max of all directed distances of both sides (symmetric Hausdorff distance).
 *   <li>{@code hd95} = the 95th percentile of the directed distances of both sides pooled together
 *       (MedPy's {@code hd95}: {@code numpy.percentile(hstack((d_AB, d_BA)), 95)}, with NumPy's default
 *       linear interpolation), rather than the maximum of two directed percentiles.
 *   <li>{@code assd} = the mean of the two directed average surface distances, (mean d_AB + mean d_BA)/2
 *       (MedPy's {@code assd}).
 * </ul>
 *
 * When either mask is empty there is no surface to measure: all three are NaN (MedPy raises an error).
 */
public final class SurfaceDistances {
  private final double hd;
  private final double hd95;
  private final double assd;

  private SurfaceDistances(double hd, double hd95, double assd) {
    this.hd = hd;
    this.hd95 = hd95;
    this.assd = assd;
  }

  /** All NaN: a mask is empty. */
  public static final SurfaceDistances UNDEFINED = new SurfaceDistances(Double.NaN, Double.NaN, Double.NaN);

  public double hd() {
    return hd;
  }

  public double hd95() {
    return hd95;
  }

  public double assd() {
    return assd;
  }

  /**
   * Distances between masks {@code a} and {@code b} (row-major, same {@code shape}).
   *
   * @param spacing physical pixel size per axis of {@code shape}, or null for 1
   */
  public static SurfaceDistances of(boolean[] a, boolean[] b, int[] shape, double[] spacing) {
    int n = 1;
    for (int d : shape) n *= d;
    if (a.length != n || b.length != n) {
      throw new InvalidInputException("masks: " + a.length + " and " + b.length + " values do not both fit shape " + Arrays.toString(shape));
    }
    if (spacing != null && spacing.length != shape.length) {
      throw new InvalidInputException("spacing: expected " + shape.length + " values (one per image axis), got " + spacing.length);
    }
    boolean[] sa = surface(a, shape);
    boolean[] sb = surface(b, shape);
    int na = count(sa);
    int nb = count(sb);
    if (na == 0 || nb == 0) return UNDEFINED;
    double[] toB = DistanceTransform.distanceToFeatures(sb, shape, spacing);
    double[] toA = DistanceTransform.distanceToFeatures(sa, shape, spacing);
    double[] all = new double[na + nb];
    int k = 0;
    double sumAB = 0;
    double sumBA = 0;
    for (int i = 0; i < n; i++) {
      if (sa[i]) {
        all[k++] = toB[i];
        sumAB += toB[i];
      }
    }
    for (int i = 0; i < n; i++) {
      if (sb[i]) {
        all[k++] = toA[i];
        sumBA += toA[i];
      }
    }
    Arrays.sort(all);
    double hd = all[all.length - 1];
    double hd95 = percentile(all, 95);
    double assd = (sumAB / na + sumBA / nb) / 2;
    return new SurfaceDistances(hd, hd95, assd);
  }

  /** The q-th percentile of sorted values with linear interpolation (NumPy's default method). */
  static double percentile(double[] sorted, double q) {
    double pos = q / 100.0 * (sorted.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(lo + 1, sorted.length - 1);
    double frac = pos - lo;
    return sorted[lo] + frac * (sorted[hi] - sorted[lo]);
  }

  /** Foreground pixels with a background (or outside-the-image) face neighbour. */
  static boolean[] surface(boolean[] m, int[] shape) {
    int n = m.length;
    int rank = shape.length;
    int[] strides = new int[rank];
    int s = 1;
    for (int ax = rank - 1; ax >= 0; ax--) {
      strides[ax] = s;
      s *= shape[ax];
    }
    boolean[] out = new boolean[n];
    for (int i = 0; i < n; i++) {
      if (!m[i]) continue;
      boolean edge = false;
      for (int ax = 0; ax < rank && !edge; ax++) {
        int coord = (i / strides[ax]) % shape[ax];
        if (coord == 0 || !m[i - strides[ax]]) edge = true;
        else if (coord == shape[ax] - 1 || !m[i + strides[ax]]) edge = true;
      }
      out[i] = edge;
    }
    return out;
  }

  private static int count(boolean[] v) {
    int c = 0;
    for (boolean b : v) if (b) c++;
    return c;
  }

  @Override
  public String toString() {
    return "hd=" + hd + " hd95=" + hd95 + " assd=" + assd;
  }
}
