package dev.segloss.tensorflow;

import dev.segloss.core.Tensor;
import dev.segloss.core.loss.LossInput;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One random input of the parity tests: a shape (batch 1 or 4, 1-D, 2D or 3D images, channel last), a
 * mask kind (random imbalanced masks, some images empty, some full, soft labels), probabilities or logits,
 * and weights (none, per pixel, per image, an ignore value).
 */
final class Scenario {
  /** TIED: random masks with predictions on 3 or 5 levels (flat regions: ties for the sorting losses). */
  enum Masks { RANDOM, EMPTY, FULL, SOFT, TIED }

  enum Weights { NONE, PIXEL, IMAGE, IGNORE }

  final int[] shape;
  final Masks masks;
  final boolean logits;
  final Weights weights;
  final long seed;

  Scenario(int[] shape, Masks masks, boolean logits, Weights weights, long seed) {
    this.shape = shape;
    this.masks = masks;
    this.logits = logits;
    this.weights = weights;
    this.seed = seed;
  }

  static final int[][] SHAPES = {
      {1, 8, 8, 1}, // batch 1, 2D, NHWC
      {4, 6, 5, 1}, // batch 4, 2D
      {1, 3, 4, 5, 1}, // batch 1, 3D
      {4, 3, 4, 4, 1}, // batch 4, 3D
      {4, 9}, // batch 4, 1-D images
  };

  /** The standard set: every shape with every mask kind, probabilities and logits, plus weighted variants. */
  static List<Scenario> standard() {
    List<Scenario> out = new ArrayList<>();
    long seed = 1;
    for (int[] s : SHAPES) {
      for (Masks m : Masks.values()) {
        for (boolean logits : new boolean[] {false, true}) out.add(new Scenario(s, m, logits, Weights.NONE, seed++));
      }
    }
    for (Weights w : new Weights[] {Weights.PIXEL, Weights.IMAGE, Weights.IGNORE}) {
      out.add(new Scenario(SHAPES[1], Masks.RANDOM, false, w, seed++));
      out.add(new Scenario(SHAPES[3], Masks.EMPTY, true, w, seed++));
      out.add(new Scenario(SHAPES[0], Masks.FULL, true, w, seed++));
      out.add(new Scenario(SHAPES[1], Masks.TIED, true, w, seed++));
    }
    return out;
  }

  /** The standard set grouped by graph (same shape, logits flag and weights kind), in order. */
  static List<List<Scenario>> groups() {
    java.util.LinkedHashMap<String, List<Scenario>> g = new java.util.LinkedHashMap<>();
    for (Scenario s : standard()) {
      g.computeIfAbsent(Arrays.toString(s.shape) + s.logits + s.weights, k -> new ArrayList<>()).add(s);
    }
    return new ArrayList<>(g.values());
  }

  /** The input: labels, predictions, weights and ignore value as the scenario says. */
  LossInput input() {
    SplittableRandom r = new SplittableRandom(seed);
    int size = 1;
    for (int d : shape) size *= d;
    int n = shape[0];
    int m = size / n;
    float[] y = new float[size];
    for (int img = 0; img < n; img++) {
      // RANDOM: imbalanced masks (10-40 % foreground); EMPTY/FULL: image 0 (and 2) empty or full, others random
      boolean special = img % 2 == 0 && (masks == Masks.EMPTY || masks == Masks.FULL);
      double frac = 0.1 + 0.3 * r.nextDouble();
      for (int i = 0; i < m; i++) {
        float v;
        if (special) v = masks == Masks.EMPTY ? 0f : 1f;
        else if (masks == Masks.SOFT) v = (float) r.nextDouble();
        else v = r.nextDouble() < frac ? 1f : 0f;
        y[img * m + i] = v;
      }
    }
    float[] x = new float[size];
    for (int i = 0; i < size; i++) {
      // TIED: exact ties also between the two labels' errors, so float32 (TF) and float64 (core) rank alike:
      // logits ±0.5, ±1, 0; probabilities 0.25, 0.5, 0.75 (p and 1 − p exact in float32)
      if (masks == Masks.TIED) x[i] = logits ? 0.5f * (r.nextInt(5) - 2) : 0.25f * (1 + r.nextInt(3));
      else if (logits) x[i] = (float) (r.nextGaussian() * 2.0);
      else x[i] = (float) (0.02 + 0.96 * r.nextDouble());
    }
    Tensor yt = Tensor.of(y, shape);
    Tensor xt = Tensor.of(x, shape);
    LossInput.Builder b = LossInput.builder(yt, xt).fromLogits(logits);
    switch (weights) {
      case PIXEL: {
        float[] w = new float[size];
        for (int i = 0; i < size; i++) w[i] = (float) (0.1 + 2 * r.nextDouble());
        b.weights(Tensor.of(w, shape));
        break;
      }
      case IMAGE: {
        float[] w = new float[n];
        for (int i = 0; i < n; i++) w[i] = (float) (0.2 + 2 * r.nextDouble());
        b.weights(Tensor.of(w, n));
        break;
      }
      case IGNORE: {
        for (int i = 0; i < size; i++) if (r.nextDouble() < 0.15) y[i] = 255f;
        b.ignoreValue(255);
        break;
      }
      default:
        break;
    }
    return b.build();
  }

  @Override
  public String toString() {
    return Arrays.toString(shape) + " " + masks.name().toLowerCase() + (logits ? " logits" : " probs")
        + (weights == Weights.NONE ? "" : " " + weights.name().toLowerCase());
  }
}
