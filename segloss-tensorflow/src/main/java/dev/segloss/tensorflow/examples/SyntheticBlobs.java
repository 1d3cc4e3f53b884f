package dev.segloss.tensorflow.examples;

import java.util.SplittableRandom;

/**
 * A small synthetic, imbalanced binary segmentation task for examples and tests: single-channel images
 * of noisy, smoothly shaded background with a few bright discs (the foreground, about 3–8 % of the
 * pixels) and dimmer square distractors that are not foreground, so that a model must use shape and
 * intensity rather than a threshold on brightness alone. Deterministic for a seed.
 */
public final class SyntheticBlobs {
  /** Images [n, size, size, 1] and masks of the same shape, row-major. */
  public final float[] images;
  public final float[] masks;
  public final int n;
  public final int size;

  private SyntheticBlobs(float[] images, float[] masks, int n, int size) {
    this.images = images;
    this.masks = masks;
    this.n = n;
    this.size = size;
  }

  /** The shape [n, size, size, 1]. */
  public int[] shape() {
    return new int[] {n, size, size, 1};
  }

  /** Generates {@code n} images of {@code size}×{@code size}, disc radii 5–11 % of the size. */
  public static SyntheticBlobs generate(int n, int size, long seed) {
    return generate(n, size, seed, 0.05, 0.11);
  }

  /** Generates {@code n} images with disc radii between the given fractions of the size. */
  public static SyntheticBlobs generate(int n, int size, long seed, double minRadius, double maxRadius) {
    SplittableRandom r = new SplittableRandom(seed);
    int m = size * size;
    float[] x = new float[n * m];
    float[] y = new float[n * m];
    for (int img = 0; img < n; img++) {
      int o = img * m;
      double gx = r.nextDouble() - 0.5;
      double gy = r.nextDouble() - 0.5;
      for (int i = 0; i < size; i++) {
        for (int j = 0; j < size; j++) {
          x[o + i * size + j] = (float) (0.4 * (gx * i + gy * j) / size + 0.25 * r.nextGaussian());
        }
      }
      int squares = 1 + r.nextInt(3);
      for (int s = 0; s < squares; s++) {
        int h = 2 + r.nextInt(Math.max(1, size / 10));
        int ci = r.nextInt(size - h);
        int cj = r.nextInt(size - h);
        for (int i = ci; i < ci + h; i++) for (int j = cj; j < cj + h; j++) x[o + i * size + j] += 0.6f;
      }
      int discs = 1 + r.nextInt(3);
      for (int d = 0; d < discs; d++) {
        double rad = size * (minRadius + (maxRadius - minRadius) * r.nextDouble());
        double ci = rad + r.nextDouble() * (size - 2 * rad);
        double cj = rad + r.nextDouble() * (size - 2 * rad);
        for (int i = 0; i < size; i++) {
          for (int j = 0; j < size; j++) {
            double di = i + 0.5 - ci;
            double dj = j + 0.5 - cj;
            if (di * di + dj * dj <= rad * rad && y[o + i * size + j] == 0f) {
              y[o + i * size + j] = 1f;
              x[o + i * size + j] += 1.0f;
            }
          }
        }
      }
    }
    return new SyntheticBlobs(x, y, n, size);
  }

  /** The fraction of foreground pixels. */
  public double foregroundFraction() {
    double s = 0;
    for (float v : masks) s += v;
    return s / masks.length;
  }

  /** Images [from, from + count) as a new array. */
  public float[] images(int from, int count) {
    return slice(images, from, count);
  }

  /** Masks [from, from + count) as a new array. */
  public float[] masks(int from, int count) {
    return slice(masks, from, count);
  }

  private float[] slice(float[] a, int from, int count) {
    int m = size * size;
    float[] out = new float[count * m];
    System.arraycopy(a, from * m, out, 0, count * m);
    return out;
  }
}
