package dev.segloss.core.loss;

import dev.segloss.core.testkit.TestInput;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Random losses, parameter values and inputs for the property tests. */
final class Gen {
  private Gen() {}

  /** A random valid value of a parameter: bounds, powers of ten, plain random numbers, words, none. */
  static Object value(Param q, Random r) {
    switch (q.kind()) {
      case BOOLEAN:
        return r.nextBoolean();
      case WORD:
        return q.words().get(r.nextInt(q.words().size()));
      case OPTIONAL_NUMBER:
        if (r.nextInt(4) == 0) return null;
        return number(q, r);
      default:
        return number(q, r);
    }
  }

  static double number(Param q, Random r) {
    double lo = q.min();
    double hi = q.max();
    double top = Double.isInfinite(hi) ? lo + 10 : hi;
    for (int attempt = 0; attempt < 100; attempt++) {
      double v;
      switch (r.nextInt(6)) {
        case 0: v = lo; break;
        case 1: v = hi; break;
        case 2: v = Math.pow(10, -9 + r.nextInt(12)); break;
        case 3: v = Math.round((lo + (top - lo) * r.nextDouble()) * 100) / 100.0; break;
        default: v = lo + (top - lo) * r.nextDouble(); break;
      }
      boolean ok = Double.isFinite(v) && (q.minOpen() ? v > lo : v >= lo) && v <= hi;
      if (ok) return v;
    }
    return q.defaultValue() == null ? top : (Double) q.defaultValue();
  }

  /** Random parameter values for a family (each parameter changed with probability 2/3). */
  static LossParams params(LossType t, Random r) {
    LossParams p = t.defaults();
    for (Param q : t.params()) {
      if (r.nextInt(3) == 0) continue;
      p = p.with(q.name(), value(q, r));
    }
    return p;
  }

  static SegLoss loss(LossType t, Random r) {
    return t.create(params(t, r));
  }

  static LossType type(Random r) {
    List<LossType> all = Losses.types();
    return all.get(r.nextInt(all.size()));
  }

  /**
   * Parameters kept inside the documented domain of the minimum: smooth_nr ≤ smooth_dr and smooth_dr &gt;
   * 0 (0/0 is NaN on an empty image otherwise), smooth_nr &gt; 0 with log=true, given reduction.
   */
  static LossParams tame(LossParams p, Reduction red) {
    p = p.with("reduction", red);
    if (p.type().param("smooth_dr") != null) {
      double nr = p.number("smooth_nr");
      double dr = p.number("smooth_dr");
      if (nr > dr) {
        p = p.with("smooth_nr", dr).with("smooth_dr", nr);
      }
      if (p.number("smooth_dr") == 0) p = p.with("smooth_dr", 1e-7);
      // −log(score) is infinite at score 0 (no overlap on an image without foreground)
      if (p.type().param("log") != null && p.bool("log") && p.number("smooth_nr") == 0) {
        p = p.with("smooth_nr", Math.min(1e-7, p.number("smooth_dr")));
      }
    }
    return p;
  }

  /** A random input. labels: 0 hard, 1 soft; weights: 0 none, 1 pixel, 2 image. */
  static TestInput input(Random r, boolean soft, int weights, boolean ignore, boolean logits) {
    int n = 1 + r.nextInt(3);
    int rank = 1 + r.nextInt(3);
    List<Integer> dims = new ArrayList<>();
    dims.add(n);
    for (int a = 0; a < rank; a++) dims.add(1 + r.nextInt(a == 0 ? 5 : 3));
    if (r.nextInt(3) == 0) dims.add(1 + r.nextInt(dims.size()), 1); // a singleton channel axis
    int[] shape = dims.stream().mapToInt(Integer::intValue).toArray();
    int size = 1;
    for (int d : shape) size *= d;
    int m = size / n;
    float[] y = new float[size];
    float[] x = new float[size];
    for (int img = 0; img < n; img++) {
      double fg = new double[] {0, 1, 0.2, 0.5, 0.8}[r.nextInt(5)];
      for (int i = img * m; i < (img + 1) * m; i++) {
        y[i] = soft ? (float) r.nextDouble() : (r.nextDouble() < fg ? 1 : 0);
      }
    }
    for (int i = 0; i < size; i++) {
      if (logits) {
        x[i] = (float) (r.nextInt(5) == 0 ? r.nextInt(7) - 3 : -6 + 12 * r.nextDouble());
      } else {
        int kind = r.nextInt(8);
        x[i] = kind == 0 ? 0f : kind == 1 ? 1f : kind == 2 ? 0.5f : (float) r.nextDouble();
      }
    }
    if (ignore) {
      for (int i = 0; i < size; i++) if (r.nextInt(5) == 0) y[i] = 255;
    }
    float[] w = null;
    if (weights == 1) {
      w = new float[size];
      for (int i = 0; i < size; i++) w[i] = r.nextInt(6) == 0 ? 0f : (float) (3 * r.nextDouble());
    } else if (weights == 2) {
      w = new float[n];
      for (int i = 0; i < n; i++) w[i] = r.nextInt(6) == 0 ? 0f : (float) (3 * r.nextDouble());
    }
    return new TestInput("random", shape, y, x, logits, w, ignore ? 255f : Float.NaN);
  }

  /** Drops the weights a loss cannot take (the Lovász hinge's pixel weights, or any weights when pooled). */
  static TestInput compatible(TestInput in, SegLoss loss) {
    if (loss.toSpec().contains("lovasz") && (in.pixelWeights() || (in.imageWeights() && loss.toSpec().contains("per_image=false")))) {
      return in.withWeights(null);
    }
    return in;
  }
}
