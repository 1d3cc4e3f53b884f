package dev.segloss.core.loss;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.segloss.core.Tensor;
import dev.segloss.core.kernel.KernelSelector;
import dev.segloss.core.spec.LossSpec;
import dev.segloss.core.testkit.TestInput;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The analytic gradient of every loss and option against central finite differences in double, on
 * probabilities and on logits, batch 1 and batch &gt; 1, all-background and all-foreground images (empty and
 * full truth: also with {@code log=true, soft=true}, where the loss's derivative is about 10<sup>7</sup>), pixel
 * and image weights, ignored pixels, soft labels, a 3-D image, and every reduction (with {@code none},
 * of the sum of the values). Relative tolerance 1e-4.
 *
 * <p>The step is h = 2^-12 and every prediction is a multiple of 2^-16 below 4 in magnitude, so x ± h are
 * exact float32 values; the difference quotient divides by the float difference actually applied.
 * Inputs stay away from the kinks: probabilities in [0.11, 0.89] (clip bounds), no |p − y| = 0 on soft
 * labels, Lovász margins z·s pairwise 0.1 apart and away from the hinge at 1, and a gap at the top-k
 * boundary of every top-k spec.
 */
class GradientCheckTest {
  static final double H = 1.0 / 4096; // 2^-12
  static final double RTOL = 1e-4;

  /** Every option of every loss: the golden table's specs plus combinations. */
  static List<String> specs() {
    List<String> s = new ArrayList<>();
    for (GoldenValuesTest.Row r : GoldenValuesTest.rows()) s.add(r.spec());
    s.addAll(List.of(
        "dice(squared=true, soft=true, log=true, batch=true)",
        "jaccard(soft=true, log=true, batch=true)",
        "tversky(alpha=0.8, beta=0.1, gamma=0.75, soft=true, batch=true)",
        "tversky(alpha=1, beta=1, gamma=3, smooth_nr=0, smooth_dr=0.01)",
        "focal(gamma=3, alpha=0.9, label_smoothing=0.2)",
        "focal(gamma=1)",
        "lovasz(per_image=false, eps=0.15)",
        "gdice(weighting=simple, batch=true)",
        "gdice(weighting=uniform)",
        "logcosh_dice(squared=true)",
        "mcc(batch=true, smooth=0)",
        "topk(k=50, w_pos=3, w_neg=0.25)",
        "bce(w_pos=0.5, w_neg=2, label_smoothing=0.3, eps=0.15)",
        // −log of a tiny score with the soft intersection, on the empty and full images of the cases below
        "dice(log=true, soft=true)", "jaccard(log=true, soft=true)", "logcosh_dice(log=true, soft=true)",
        "tversky(alpha=0.7, beta=0.3, gamma=0.5, soft=true)"));
    return s;
  }

  // ---------------------------------------------------------------- inputs

  /** Labels of one case: 0 background, 1 foreground, 2 mixed image, or soft. */
  static List<TestInput> cases(List<String> specs) {
    Random r = new Random(20240611);
    List<TestInput> c = new ArrayList<>();
    c.add(safe(r, specs, "batch 1, probabilities", new int[] {1, 3, 4}, new int[] {2}, false, 0, false, false));
    c.add(safe(r, specs, "batch 3, probabilities, pixel weights, empty and full images", new int[] {3, 1, 3, 4},
        new int[] {0, 1, 2}, false, 1, false, false));
    c.add(safe(r, specs, "batch 3, logits, image weights", new int[] {3, 12}, new int[] {2, 0, 1}, true, 2, false, false));
    c.add(safe(r, specs, "batch 2, logits, ignore, pixel weights", new int[] {2, 3, 4}, new int[] {2, 2}, true, 1, true, false));
    c.add(safe(r, specs, "batch 2, probabilities, all background", new int[] {2, 2, 5}, new int[] {0, 0}, false, 0, false, false));
    c.add(safe(r, specs, "batch 2, logits, all foreground", new int[] {2, 10}, new int[] {1, 1}, true, 0, false, false));
    c.add(safe(r, specs, "batch 2, probabilities, soft labels, ignore, image weights", new int[] {2, 12}, new int[] {2, 2},
        false, 2, true, true));
    c.add(safe(r, specs, "batch 2, 3-D, logits, pixel weights", new int[] {2, 2, 3, 3}, new int[] {2, 2}, true, 1, false, false));
    return c;
  }

  /** A random case that passes {@link #awayFromKinks} for all specs (retries with fresh draws). */
  static TestInput safe(Random r, List<String> specs, String name, int[] shape, int[] kinds, boolean logits,
      int weights, boolean ignore, boolean soft) {
    for (int attempt = 0; attempt < 10_000; attempt++) {
      TestInput in = draw(r, name, shape, kinds, logits, weights, ignore, soft);
      if (awayFromKinks(in, specs)) return in;
    }
    throw new IllegalStateException("no safe input for " + name);
  }

  static TestInput draw(Random r, String name, int[] shape, int[] kinds, boolean logits, int weights, boolean ignore,
      boolean soft) {
    int size = 1;
    for (int d : shape) size *= d;
    int n = shape[0];
    int m = size / n;
    float[] y = new float[size];
    for (int img = 0; img < n; img++) {
      for (int j = 0; j < m; j++) {
        int i = img * m + j;
        if (kinds[img] == 2) {
          y[i] = soft ? (float) (r.nextBoolean() ? 0.6 + 0.4 * r.nextDouble() : 0.4 * r.nextDouble()) : (r.nextDouble() < 0.4 ? 1 : 0);
        } else {
          y[i] = kinds[img];
        }
      }
      if (kinds[img] == 2 && !soft) { // make sure the mixed image holds both classes
        y[img * m] = 1;
        y[img * m + 1] = 0;
      }
    }
    if (ignore) {
      for (int img = 0; img < n; img++) {
        for (int t = 0; t < 2; t++) y[img * m + 2 + r.nextInt(m - 2)] = 255;
      }
    }
    // margins u = z·s: distinct points of a 0.1 grid in [−2, 2.05], none within 0.03 of the hinge at 1
    List<Double> grid = new ArrayList<>();
    double offset = 0.05 * r.nextDouble();
    for (int j = 0; j <= 40; j++) {
      double u = -2 + 0.1 * j + offset;
      if (Math.abs(u - 1) >= 0.03) grid.add(u);
    }
    Collections.shuffle(grid, r);
    float[] x = new float[size];
    for (int i = 0; i < size; i++) {
      double s = y[i] >= 0.5f && y[i] != 255 ? 1 : -1;
      double z = s * grid.get(i);
      double v = logits ? z : 1 / (1 + Math.exp(-z));
      x[i] = (float) (Math.rint(v * 65536) / 65536); // a multiple of 2^-16: x ± 2^-12 is exact
    }
    float[] w = null;
    if (weights == 1) {
      w = new float[size];
      for (int i = 0; i < size; i++) w[i] = (float) (0.25 + 1.75 * r.nextDouble());
    } else if (weights == 2) {
      w = new float[n];
      for (int img = 0; img < n; img++) w[img] = (float) (0.5 + 1.5 * r.nextDouble());
    }
    return new TestInput(name, shape, y, x, logits, w, ignore ? 255f : Float.NaN);
  }

  /** Clip bounds, soft-label kinks and top-k ties are at least a few steps away. */
  static boolean awayFromKinks(TestInput in, List<String> specs) {
    for (int i = 0; i < in.y.length; i++) {
      if (!in.counted(i)) continue;
      double p = in.p(i);
      if (!in.logits && (Math.abs(p - 0.15) < 0.003 || Math.abs(p - (1 - 0.15f)) < 0.003)) return false;
      if (Math.abs(p - in.y[i]) < 0.01) return false;
    }
    for (String spec : specs) {
      SegLoss l = LossSpec.parse(spec);
      if (!(l instanceof TopKLoss)) continue;
      TopKLoss t = (TopKLoss) l;
      double k = t.params().k();
      double wPos = t.params().wPos();
      double wNeg = t.params().wNeg();
      int m = in.imageSize();
      for (int img = 0; img < in.batch(); img++) {
        List<Double> v = new ArrayList<>();
        for (int i = img * m; i < (img + 1) * m; i++) {
          if (!in.counted(i)) continue;
          double w = in.pixelWeights() ? in.weights[i] : in.iw(img);
          v.add(w * Reference.bce(in.y[i], in.x[i], in.logits, wPos, wNeg, 1e-7, 0));
        }
        v.sort(Collections.reverseOrder());
        int keep = t.selected(v.size());
        if (keep < v.size() && v.get(keep - 1) - v.get(keep) < 0.02) return false;
      }
    }
    return true;
  }

  // ---------------------------------------------------------------- the check

  @TestFactory
  Stream<DynamicTest> analyticGradientMatchesFiniteDifferences() {
    List<String> specs = specs();
    List<TestInput> cases = cases(specs);
    return specs.stream().map(spec -> DynamicTest.dynamicTest(spec, () -> KernelSelector.scalar(() -> {
      int checked = 0;
      for (TestInput in : cases) {
        if (Specs.rejects(spec, in)) continue;
        for (Reduction red : Reduction.values()) {
          check(Specs.parse(spec, red), in, spec + " / " + red.word() + " / " + in);
          checked++;
        }
      }
      assertTrue(checked >= (Specs.isLovasz(spec) ? 12 : 28), spec + ": only " + checked + " combinations checked");
      return null;
    })));
  }

  /** Compares every component of the analytic gradient with a central difference of the total value. */
  static void check(SegLoss loss, TestInput in, String what) {
    LossInput li = in.lossInput();
    LossResult res = loss.compute(li, true);
    float[] g = res.gradient();
    double f0 = res.total();
    float[] x = in.x.clone();
    double[] fd = new double[x.length];
    double maxAbs = 0;
    for (int i = 0; i < x.length; i++) {
      float xi = x[i];
      float xp = (float) (xi + H);
      float xm = (float) (xi - H);
      x[i] = xp;
      double fp = loss.compute(li.withPrediction(Tensor.of(x, in.shape)), false).total();
      x[i] = xm;
      double fm = loss.compute(li.withPrediction(Tensor.of(x, in.shape)), false).total();
      x[i] = xi;
      fd[i] = (fp - fm) / ((double) xp - (double) xm);
      maxAbs = Math.max(maxAbs, Math.abs(fd[i]));
    }
    // the absolute floor covers the round-off of the loss value itself (~1e-16·|L| / 2h)
    double floor = 1e-10 * Math.max(1, Math.abs(f0));
    for (int i = 0; i < x.length; i++) {
      double tol = RTOL * Math.max(Math.abs(fd[i]), Math.abs(g[i])) + floor;
      if (!(Math.abs(fd[i] - g[i]) <= tol)) {
        fail(what + ": d/dx[" + i + "] analytic " + g[i] + " vs finite difference " + fd[i] + " (x = " + x[i]
            + ", y = " + in.y[i] + ")\nanalytic " + Arrays.toString(g) + "\nfinite   " + Arrays.toString(fd));
      }
    }
  }
}
