package dev.segloss.core.distance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class DistanceTransformTest {
  /** Brute force: minimum over all feature pixels. */
  static double[] brute(boolean[] f, int[] shape, double[] sp) {
    int n = f.length;
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      double best = Double.POSITIVE_INFINITY;
      int[] ci = coords(i, shape);
      for (int j = 0; j < n; j++) {
        if (!f[j]) continue;
        int[] cj = coords(j, shape);
        double s = 0;
        for (int a = 0; a < shape.length; a++) {
          double d = (ci[a] - cj[a]) * (sp == null ? 1 : sp[a]);
          s += d * d;
        }
        best = Math.min(best, Math.sqrt(s));
      }
      out[i] = best;
    }
    return out;
  }

  static int[] coords(int i, int[] shape) {
    int[] c = new int[shape.length];
    for (int a = shape.length - 1; a >= 0; a--) {
      c[a] = i % shape[a];
      i /= shape[a];
    }
    return c;
  }

  @Test
  void matchesBruteForceIn1d2d3dWithSpacing() {
    Random r = new Random(3);
    int[][] shapes = {{17}, {9, 13}, {5, 6, 7}, {1, 8}};
    for (int[] shape : shapes) {
      for (int trial = 0; trial < 5; trial++) {
        int n = 1;
        for (int d : shape) n *= d;
        boolean[] f = new boolean[n];
        for (int i = 0; i < n; i++) f[i] = r.nextDouble() < 0.1 * (trial + 1) / 2;
        double[] sp = new double[shape.length];
        for (int a = 0; a < sp.length; a++) sp[a] = 0.5 + r.nextDouble();
        assertArrayEquals(brute(f, shape, null), DistanceTransform.distanceToFeatures(f, shape, null), 1e-9);
        assertArrayEquals(brute(f, shape, sp), DistanceTransform.distanceToFeatures(f, shape, sp), 1e-9);
      }
    }
  }

  @Test
  void noFeatureGivesInfinity() {
    double[] d = DistanceTransform.distanceToFeatures(new boolean[6], new int[] {2, 3}, null);
    for (double v : d) assertEquals(Double.POSITIVE_INFINITY, v);
  }
}
