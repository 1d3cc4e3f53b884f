package dev.segloss.core.testkit;

import dev.segloss.core.Tensor;
import dev.segloss.core.loss.LossInput;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A loss input for tests, shared by the core, DJL, TensorFlow and CLI tests: plain arrays, so that
 * references can read them without the library, and the one generator of random inputs
 * ({@link #scenario}) behind the conformance table.
 */
public final class TestInput {
  public final String name;
  public final int[] shape;
  public final float[] y;
  public final float[] x;
  public final boolean logits;
  /** Null, per pixel (same length as y) or per image (length N). */
  public final float[] weights;
  /** The ignore value, NaN for none. */
  public final float ignore;

  public TestInput(String name, int[] shape, float[] y, float[] x, boolean logits, float[] weights, float ignore) {
    this.name = name;
    this.shape = shape.clone();
    this.y = y;
    this.x = x;
    this.logits = logits;
    this.weights = weights;
    this.ignore = ignore;
    int n = 1;
    for (int d : shape) n *= d;
    if (y.length != n || x.length != n) throw new IllegalArgumentException(name + ": arrays do not fit the shape");
  }

  public static TestInput probs(String name, int[] shape, float[] y, float[] p) {
    return new TestInput(name, shape, y, p, false, null, Float.NaN);
  }

  public TestInput withX(float[] newX, boolean newLogits) {
    return new TestInput(name, shape, y, newX, newLogits, weights, ignore);
  }

  public TestInput withWeights(float[] w) {
    return new TestInput(name, shape, y, x, logits, w, ignore);
  }

  public TestInput withIgnore(float v) {
    return new TestInput(name, shape, y, x, logits, weights, v);
  }

  public TestInput named(String n) {
    return new TestInput(n, shape, y, x, logits, weights, ignore);
  }

  public int batch() {
    return shape[0];
  }

  public int imageSize() {
    return y.length / shape[0];
  }

  public boolean pixelWeights() {
    return weights != null && weights.length == y.length;
  }

  public boolean imageWeights() {
    return weights != null && !pixelWeights();
  }

  public boolean hasIgnore() {
    return !Float.isNaN(ignore);
  }

  public boolean counted(int i) {
    return Float.isNaN(ignore) || y[i] != ignore;
  }

  /** Pixel weight (1 without pixel weights). */
  public double w(int i) {
    return pixelWeights() ? weights[i] : 1.0;
  }

  /** Image weight (1 without image weights). */
  public double iw(int n) {
    return imageWeights() ? weights[n] : 1.0;
  }

  /** The probability at pixel i (sigmoid of the logit on logits), in double. */
  public double p(int i) {
    return logits ? 1 / (1 + Math.exp(-(double) x[i])) : x[i];
  }

  /** The core's input (checked). */
  public LossInput lossInput() {
    LossInput.Builder b = LossInput.builder(Tensor.of(y, shape), Tensor.of(x, shape)).fromLogits(logits);
    if (weights != null) b.weights(pixelWeights() ? Tensor.of(weights, shape) : Tensor.of(weights, shape[0]));
    if (!Float.isNaN(ignore)) b.ignoreValue(ignore);
    return b.build();
  }

  /** Image n alone (batch 1), with its weights. */
  public TestInput image(int n) {
    int m = imageSize();
    int[] s = shape.clone();
    s[0] = 1;
    float[] w = null;
    if (pixelWeights()) w = Arrays.copyOfRange(weights, n * m, (n + 1) * m);
    if (imageWeights()) w = new float[] {weights[n]};
    return new TestInput(name + "[" + n + "]", s, Arrays.copyOfRange(y, n * m, (n + 1) * m),
        Arrays.copyOfRange(x, n * m, (n + 1) * m), logits, w, ignore);
  }

  // ------------------------------------------------------------------------------ random scenarios

  /** What the labels of a scenario look like. */
  public enum Labels {
    /** Imbalanced random masks, 10–40 % foreground per image. */
    RANDOM,
    /** No foreground anywhere. */
    EMPTY,
    /** Foreground everywhere. */
    FULL,
    /** Images in turn empty, full and random (with batch 1: empty). */
    MIXED,
    /** Soft labels, uniform in [0, 1]. */
    SOFT,
    /**
     * Random masks with predictions on three levels: exact ties, also between the two labels' errors, so
     * that float32 and float64 rank alike (logits 0, ±0.5, ±1; probabilities 0.25, 0.5, 0.75, whose
     * complements are exact in float32).
     */
    TIED
  }

  /** The weights of a scenario (per pixel and per image weights, an ignore value of 255, or both). */
  public enum Weights {
    NONE, PIXEL, IMAGE, IGNORE, PIXEL_IGNORE
  }

  /**
   * A random input: labels as {@code labels} says; probabilities uniform in [0, 1] with 3 % exact 0 and 1
   * (the clip bounds of bce and focal), or logits from N(0, 2.5²); weights uniform in [0.1, 2.1] (pixel) or
   * [0.2, 2.2] (image); with an ignore value, 15 % of the labels are 255. The name says all of it.
   */
  public static TestInput scenario(int[] shape, Labels labels, boolean logits, Weights weights, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int size = 1;
    for (int d : shape) size *= d;
    int n = shape[0];
    int m = size / n;
    float[] y = new float[size];
    for (int img = 0; img < n; img++) {
      double frac = 0.1 + 0.3 * r.nextDouble();
      Labels kind = labels;
      if (labels == Labels.MIXED) kind = img % 3 == 0 ? Labels.EMPTY : img % 3 == 1 ? Labels.FULL : Labels.RANDOM;
      for (int i = img * m; i < (img + 1) * m; i++) {
        switch (kind) {
          case EMPTY: y[i] = 0f; break;
          case FULL: y[i] = 1f; break;
          case SOFT: y[i] = (float) r.nextDouble(); break;
          default: y[i] = r.nextDouble() < frac ? 1f : 0f;
        }
      }
    }
    float[] x = new float[size];
    for (int i = 0; i < size; i++) {
      if (labels == Labels.TIED) {
        x[i] = logits ? 0.5f * (r.nextInt(5) - 2) : 0.25f * (1 + r.nextInt(3));
      } else if (logits) {
        x[i] = (float) (r.nextGaussian() * 2.5);
      } else {
        double u = r.nextDouble();
        x[i] = u < 0.015 ? 0f : u > 0.985 ? 1f : (float) r.nextDouble();
      }
    }
    float[] w = null;
    if (weights == Weights.PIXEL || weights == Weights.PIXEL_IGNORE) {
      w = new float[size];
      for (int i = 0; i < size; i++) w[i] = (float) (0.1 + 2 * r.nextDouble());
    } else if (weights == Weights.IMAGE) {
      w = new float[n];
      for (int i = 0; i < n; i++) w[i] = (float) (0.2 + 2 * r.nextDouble());
    }
    boolean ignore = weights == Weights.IGNORE || weights == Weights.PIXEL_IGNORE;
    if (ignore) for (int i = 0; i < size; i++) if (r.nextDouble() < 0.15) y[i] = 255f;
    String name = Tensor.shapeString(shape) + " " + labels.name().toLowerCase(java.util.Locale.ROOT)
        + (logits ? " logits" : " probs") + (weights == Weights.NONE ? "" : " " + weights.name().toLowerCase(java.util.Locale.ROOT));
    return new TestInput(name, shape, y, x, logits, w, ignore ? 255f : Float.NaN);
  }

  @Override
  public String toString() {
    return name;
  }
}
