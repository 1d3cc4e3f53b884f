package dev.segloss.data.synthetic;

import java.util.SplittableRandom;

/** Smooth random fields for the synthetic generator. */
final class Noise {
  private Noise() {}

  /**
   * Adds {@code amp} times a value-noise field to {@code out} ({@code h x w}): independent N(0,1) values
   * on a grid of spacing {@code cell} px at a random offset, interpolated with smootherstep weights and
   * divided by the root of the summed squared weights, so the field has unit variance everywhere (no
   * grid pattern in its contrast).
   */
  static void addValueNoise(float[] out, int h, int w, SplittableRandom rng, double cell, double amp) {
    int gh = (int) Math.ceil(h / cell) + 2;
    int gw = (int) Math.ceil(w / cell) + 2;
    float[] g = new float[gh * gw];
    for (int i = 0; i < g.length; i++) g[i] = (float) rng.nextGaussian();
    double oy = rng.nextDouble() * cell;
    double ox = rng.nextDouble() * cell;
    int[] ix = new int[w];
    double[] wx = new double[w];
    for (int x = 0; x < w; x++) {
      double gx = (x + ox) / cell;
      ix[x] = (int) gx;
      wx[x] = smoother(gx - ix[x]);
    }
    for (int y = 0; y < h; y++) {
      double gy = (y + oy) / cell;
      int iy = (int) gy;
      double ty = smoother(gy - iy);
      int r0 = iy * gw;
      int r1 = r0 + gw;
      for (int x = 0; x < w; x++) {
        double tx = wx[x];
        int c = ix[x];
        double w00 = (1 - ty) * (1 - tx);
        double w01 = (1 - ty) * tx;
        double w10 = ty * (1 - tx);
        double w11 = ty * tx;
        double v = w00 * g[r0 + c] + w01 * g[r0 + c + 1] + w10 * g[r1 + c] + w11 * g[r1 + c + 1];
        double norm = Math.sqrt(w00 * w00 + w01 * w01 + w10 * w10 + w11 * w11);
        out[y * w + x] += (float) (amp * v / norm);
      }
    }
  }

  /** Smootherstep 6t^5 - 15t^4 + 10t^3 (Perlin 2002). */
  static double smoother(double t) {
    return t * t * t * (t * (t * 6 - 15) + 10);
  }
}
