package dev.segloss.core.loss;

import dev.segloss.core.Tensor;
import java.util.Arrays;

/** A loss input for tests: plain arrays, so that references can read them without the library. */
final class TestInput {
  final String name;
  final int[] shape;
  final float[] y;
  final float[] x;
  final boolean logits;
  final float[] weights; // null, per pixel (same length as y) or per image (length N)
  final float ignore; // NaN for none

  TestInput(String name, int[] shape, float[] y, float[] x, boolean logits, float[] weights, float ignore) {
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

  static TestInput probs(String name, int[] shape, float[] y, float[] p) {
    return new TestInput(name, shape, y, p, false, null, Float.NaN);
  }

  TestInput withX(float[] newX, boolean newLogits) {
    return new TestInput(name, shape, y, newX, newLogits, weights, ignore);
  }

  TestInput withWeights(float[] w) {
    return new TestInput(name, shape, y, x, logits, w, ignore);
  }

  TestInput withIgnore(float v) {
    return new TestInput(name, shape, y, x, logits, weights, v);
  }

  TestInput named(String n) {
    return new TestInput(n, shape, y, x, logits, weights, ignore);
  }

  int batch() {
    return shape[0];
  }

  int imageSize() {
    return y.length / shape[0];
  }

  boolean pixelWeights() {
    return weights != null && weights.length == y.length;
  }

  boolean imageWeights() {
    return weights != null && !pixelWeights();
  }

  boolean counted(int i) {
    return Float.isNaN(ignore) || y[i] != ignore;
  }

  /** Pixel weight (1 without pixel weights). */
  double w(int i) {
    return pixelWeights() ? weights[i] : 1.0;
  }

  /** Image weight (1 without image weights). */
  double iw(int n) {
    return imageWeights() ? weights[n] : 1.0;
  }

  /** The probability at pixel i (sigmoid of the logit on logits), in double. */
  double p(int i) {
    return logits ? 1 / (1 + Math.exp(-(double) x[i])) : x[i];
  }

  LossInput lossInput() {
    LossInput.Builder b = LossInput.builder(Tensor.of(y, shape), Tensor.of(x, shape)).fromLogits(logits);
    if (weights != null) b.weights(pixelWeights() ? Tensor.of(weights, shape) : Tensor.of(weights, shape[0]));
    if (!Float.isNaN(ignore)) b.ignoreValue(ignore);
    return b.build();
  }

  /** Image n alone (batch 1), with its weights. */
  TestInput image(int n) {
    int m = imageSize();
    int[] s = shape.clone();
    s[0] = 1;
    float[] w = null;
    if (pixelWeights()) w = Arrays.copyOfRange(weights, n * m, (n + 1) * m);
    if (imageWeights()) w = new float[] {weights[n]};
    return new TestInput(name + "[" + n + "]", s, Arrays.copyOfRange(y, n * m, (n + 1) * m),
        Arrays.copyOfRange(x, n * m, (n + 1) * m), logits, w, ignore);
  }

  @Override
  public String toString() {
    return name;
  }
}
