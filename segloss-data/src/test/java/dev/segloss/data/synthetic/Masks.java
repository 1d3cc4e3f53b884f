package dev.segloss.data.synthetic;

import java.util.ArrayList;
import java.util.List;

/** Test helpers: connected components (4-connectivity) of 0/1 masks and their shape statistics. */
final class Masks {
  private Masks() {}

  /** Pixel lists of the 4-connected foreground components. */
  static List<int[]> components(float[] mask, int h, int w) {
    int[] label = new int[mask.length];
    List<int[]> out = new ArrayList<>();
    int[] stack = new int[mask.length];
    for (int p = 0; p < mask.length; p++) {
      if (mask[p] < 0.5f || label[p] != 0) continue;
      int id = out.size() + 1;
      int top = 0;
      stack[top++] = p;
      label[p] = id;
      List<Integer> pix = new ArrayList<>();
      while (top > 0) {
        int q = stack[--top];
        pix.add(q);
        int y = q / w;
        int x = q % w;
        int[] nb = {y > 0 ? q - w : -1, y < h - 1 ? q + w : -1, x > 0 ? q - 1 : -1, x < w - 1 ? q + 1 : -1};
        for (int r : nb) {
          if (r >= 0 && mask[r] >= 0.5f && label[r] == 0) {
            label[r] = id;
            stack[top++] = r;
          }
        }
      }
      out.add(pix.stream().mapToInt(Integer::intValue).toArray());
    }
    return out;
  }

  /** Ratio of the larger to the smaller eigenvalue of the pixel coordinates' covariance (elongation^2). */
  static double elongation(int[] pixels, int w) {
    double mx = 0;
    double my = 0;
    for (int p : pixels) {
      mx += p % w;
      my += p / w;
    }
    mx /= pixels.length;
    my /= pixels.length;
    double sxx = 1.0 / 12;
    double syy = 1.0 / 12;
    double sxy = 0;
    for (int p : pixels) {
      double dx = p % w - mx;
      double dy = p / w - my;
      sxx += dx * dx / pixels.length;
      syy += dy * dy / pixels.length;
      sxy += dx * dy / pixels.length;
    }
    double tr = sxx + syy;
    double det = sxx * syy - sxy * sxy;
    double disc = Math.sqrt(Math.max(0, tr * tr / 4 - det));
    return (tr / 2 + disc) / (tr / 2 - disc);
  }
}
