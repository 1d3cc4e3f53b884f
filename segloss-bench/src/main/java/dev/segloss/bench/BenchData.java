package dev.segloss.bench;

import java.util.SplittableRandom;

/** The benchmark batch: 16 images of 1×512×512 float32 pixels, seeded. */
final class BenchData {
  static final int N = 16;
  static final int H = 512;
  static final int W = 512;
  static final int PIXELS = N * H * W;
  static final int[] SHAPE = {N, 1, H, W};

  private BenchData() {}

  /** Hard labels, about 20 % foreground. */
  static float[] labels(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] y = new float[PIXELS];
    for (int i = 0; i < y.length; i++) y[i] = r.nextDouble() < 0.2 ? 1f : 0f;
    return y;
  }

  /** Probabilities uniform in [0, 1), or logits 3·N(0, 1). */
  static float[] predictions(long seed, boolean logits) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] x = new float[PIXELS];
    for (int i = 0; i < x.length; i++) x[i] = logits ? (float) (3 * nextGaussian(r)) : (float) r.nextDouble();
    return x;
  }

  private static double nextGaussian(SplittableRandom r) {
    double u = 1 - r.nextDouble();
    double v = r.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}
