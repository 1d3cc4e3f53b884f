package dev.segloss.data.transform;

/** Cropping, padding and resizing of row-major 2-D float images. */
public final class Geometry {
  private Geometry() {}

  /** Rounds {@code n} up to a multiple of {@code m}. */
  public static int roundUp(int n, int m) {
    return m <= 1 ? n : ((n + m - 1) / m) * m;
  }

  /**
   * Centre crop and/or pad {@code src} ({@code h x w}) to {@code H x W}, filling new pixels with {@code
   * fill}. When a side shrinks by an odd number, the extra pixel is removed at the end (bottom/right);
   * when it grows by an odd number, the extra pixel is added at the end.
   */
  public static float[] cropOrPad(float[] src, int h, int w, int H, int W, float fill) {
    return window(src, h, w, (h - H) / 2, (w - W) / 2, H, W, fill);
  }

  /**
   * The {@code H x W} window of {@code src} whose top-left corner is at ({@code top}, {@code left}) in
   * source coordinates (negative or past the end allowed), filling outside pixels with {@code fill}.
   */
  public static float[] window(float[] src, int h, int w, int top, int left, int H, int W, float fill) {
    float[] out = new float[H * W];
    if (fill != 0f) java.util.Arrays.fill(out, fill);
    int y0 = Math.max(0, top);
    int y1 = Math.min(h, top + H);
    int x0 = Math.max(0, left);
    int x1 = Math.min(w, left + W);
    if (x1 <= x0) return out;
    for (int y = y0; y < y1; y++) {
      System.arraycopy(src, y * w + x0, out, (y - top) * W + (x0 - left), x1 - x0);
    }
    return out;
  }

  /**
   * Bilinear resize with pixel centres aligned ({@code align_corners=false}, OpenCV's and PyTorch's
   * default), averaging over the covered source pixels when shrinking by more than 2 (area-like), so
   * downscaled images do not alias.
   */
  public static float[] resizeBilinear(float[] src, int h, int w, int H, int W) {
    if (h == H && w == W) return src.clone();
    // box-prefilter when shrinking a lot: downscale by an integer factor first
    int fy = Math.max(1, h / Math.max(1, H) / 2);
    int fx = Math.max(1, w / Math.max(1, W) / 2);
    if (fy > 1 || fx > 1) {
      int h2 = h / fy;
      int w2 = w / fx;
      float[] box = new float[h2 * w2];
      for (int y = 0; y < h2; y++) {
        for (int x = 0; x < w2; x++) {
          double s = 0;
          for (int dy = 0; dy < fy; dy++) for (int dx = 0; dx < fx; dx++) s += src[(y * fy + dy) * w + x * fx + dx];
          box[y * w2 + x] = (float) (s / (fy * fx));
        }
      }
      return resizeBilinear(box, h2, w2, H, W);
    }
    float[] out = new float[H * W];
    double sy = (double) h / H;
    double sx = (double) w / W;
    for (int y = 0; y < H; y++) {
      double gy = Math.min(Math.max((y + 0.5) * sy - 0.5, 0), h - 1);
      int y0 = (int) gy;
      int y1 = Math.min(y0 + 1, h - 1);
      double ty = gy - y0;
      for (int x = 0; x < W; x++) {
        double gx = Math.min(Math.max((x + 0.5) * sx - 0.5, 0), w - 1);
        int x0 = (int) gx;
        int x1 = Math.min(x0 + 1, w - 1);
        double tx = gx - x0;
        double top = src[y0 * w + x0] * (1 - tx) + src[y0 * w + x1] * tx;
        double bot = src[y1 * w + x0] * (1 - tx) + src[y1 * w + x1] * tx;
        out[y * W + x] = (float) (top * (1 - ty) + bot * ty);
      }
    }
    return out;
  }

  /** Nearest-neighbour resize (for masks), pixel centres aligned. */
  public static float[] resizeNearest(float[] src, int h, int w, int H, int W) {
    if (h == H && w == W) return src.clone();
    float[] out = new float[H * W];
    for (int y = 0; y < H; y++) {
      int sy = Math.min(h - 1, (int) Math.floor((y + 0.5) * h / H));
      for (int x = 0; x < W; x++) {
        int sx = Math.min(w - 1, (int) Math.floor((x + 0.5) * w / W));
        out[y * W + x] = src[sy * w + sx];
      }
    }
    return out;
  }
}
