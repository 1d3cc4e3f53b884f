package dev.segloss.djl;

import dev.segloss.core.Tensor;
import dev.segloss.core.loss.LossInput;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Random inputs for parity tests: shapes, label patterns, probabilities and logits, weights, ignore. */
final class TestData {
  private TestData() {}

  /** One input case with a readable name. */
  static final class Case {
    final String name;
    final LossInput input;
    final Labels labels;

    Case(String name, LossInput input, Labels labels) {
      this.name = name;
      this.input = input;
      this.labels = labels;
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /** Batch 1 and 4, 1-D, 2D (NCHW, one channel) and 3D images. */
  static final int[][] SHAPES = {{1, 1, 6, 5}, {4, 1, 5, 4}, {4, 3, 4, 3}, {2, 9}};

  /** Label patterns. */
  enum Labels { RANDOM, EMPTY, FULL, MIXED, SOFT }

  /** Weight patterns. */
  enum Weights { NONE, PIXEL, IMAGE }

  static float[] labels(SplittableRandom r, int[] shape, Labels kind) {
    int n = shape[0];
    int size = size(shape);
    int m = size / n;
    float[] y = new float[size];
    for (int i = 0; i < size; i++) {
      int img = i / m;
      switch (kind) {
        case RANDOM: y[i] = r.nextDouble() < 0.35 ? 1f : 0f; break;
        case EMPTY: y[i] = 0f; break;
        case FULL: y[i] = 1f; break;
        case MIXED: y[i] = img == 0 ? 0f : img == 1 ? 1f : (r.nextDouble() < 0.3 ? 1f : 0f); break;
        case SOFT: y[i] = (float) r.nextDouble(); break;
        default: throw new AssertionError(kind);
      }
    }
    return y;
  }

  static float[] predictions(SplittableRandom r, int size, boolean logits) {
    float[] x = new float[size];
    for (int i = 0; i < size; i++) {
      if (logits) {
        x[i] = (float) (r.nextGaussian() * 2.5);
      } else {
        double u = r.nextDouble();
        // a few exact 0 and 1 exercise the clip of bce/focal
        x[i] = u < 0.03 ? 0f : u > 0.97 ? 1f : (float) r.nextDouble();
      }
    }
    return x;
  }

  static int size(int[] shape) {
    int s = 1;
    for (int d : shape) s *= d;
    return s;
  }

  /** All combinations of shapes × labels for one prediction kind, with the given weights and ignore. */
  static List<Case> cases(long seed, boolean logits, Weights weights, boolean ignore) {
    SplittableRandom r = new SplittableRandom(seed);
    List<Case> out = new ArrayList<>();
    for (int[] shape : SHAPES) {
      for (Labels kind : Labels.values()) {
        if (kind == Labels.MIXED && shape[0] < 2) continue;
        float[] y = labels(r, shape, kind);
        float[] x = predictions(r, y.length, logits);
        if (ignore) {
          for (int i = 0; i < y.length; i++) if (r.nextDouble() < 0.15) y[i] = 255f;
        }
        LossInput.Builder b = LossInput.builder(Tensor.of(y, shape), Tensor.of(x, shape)).fromLogits(logits);
        if (ignore) b.ignoreValue(255);
        if (weights == Weights.PIXEL) {
          float[] w = new float[y.length];
          for (int i = 0; i < w.length; i++) w[i] = (float) (r.nextDouble() * 2);
          b.weights(Tensor.of(w, shape));
        } else if (weights == Weights.IMAGE) {
          float[] w = new float[shape[0]];
          for (int i = 0; i < w.length; i++) w[i] = (float) (0.25 + r.nextDouble() * 2);
          b.weights(Tensor.of(w, shape[0]));
        }
        String name = Tensor.shapeString(shape) + " " + kind + (logits ? " logits" : " probs")
            + (weights == Weights.NONE ? "" : " weights=" + weights) + (ignore ? " ignore=255" : "");
        out.add(new Case(name, b.build(), kind));
      }
    }
    return out;
  }
}
