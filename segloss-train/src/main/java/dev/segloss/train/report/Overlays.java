package dev.segloss.train.report;

import java.awt.image.BufferedImage;
import java.util.Arrays;

/**
 * Pictures of a prediction over its image: the image in gray (stretched between its 1st and 99th
 * percentile), true positives tinted green, false positives red, false negatives blue (each at 55 %
 * opacity, colour-blind-distinguishable by hue and brightness), and the true outline in white, enlarged
 * by pixel replication.
 */
public final class Overlays {
  private Overlays() {}

  /**
   * @param image {@code h·w} intensities (any range)
   * @param truth {@code h·w}, foreground where ≥ 0.5
   * @param prob {@code h·w} probabilities, foreground where ≥ {@code threshold}
   * @param scale pixel replication factor (≥ 1)
   */
  public static BufferedImage render(float[] image, float[] truth, float[] prob, int h, int w, double threshold, int scale) {
    float[] sorted = image.clone();
    Arrays.sort(sorted);
    float lo = sorted[(int) (0.01 * (sorted.length - 1))], hi = sorted[(int) (0.99 * (sorted.length - 1))];
    float span = hi > lo ? hi - lo : 1;
    BufferedImage out = new BufferedImage(w * scale, h * scale, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int i = y * w + x;
        double g = Math.min(1, Math.max(0, (image[i] - lo) / span)) * 255;
        double r = g, gr = g, b = g;
        boolean t = truth[i] >= 0.5f, p = prob[i] >= threshold;
        int[] tint = t && p ? new int[] {0, 200, 80} : p ? new int[] {230, 40, 40} : t ? new int[] {40, 110, 255} : null;
        if (tint != null) {
          r = 0.45 * r + 0.55 * tint[0];
          gr = 0.45 * gr + 0.55 * tint[1];
          b = 0.45 * b + 0.55 * tint[2];
        }
        if (t && isEdge(truth, h, w, y, x)) {
          r = gr = b = 255;
        }
        int rgb = ((int) r << 16) | ((int) gr << 8) | (int) b;
        for (int dy = 0; dy < scale; dy++) for (int dx = 0; dx < scale; dx++) out.setRGB(x * scale + dx, y * scale + dy, rgb);
      }
    }
    return out;
  }

  private static boolean isEdge(float[] m, int h, int w, int y, int x) {
    return y == 0 || x == 0 || y == h - 1 || x == w - 1 || m[(y - 1) * w + x] < 0.5f || m[(y + 1) * w + x] < 0.5f
        || m[y * w + x - 1] < 0.5f || m[y * w + x + 1] < 0.5f;
  }
}
