package dev.segloss.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code VectorKernels} (selected by {@link KernelSelector}; surefire runs with {@code --add-modules
 * jdk.incubator.vector}) against the double-precision formulas of {@link KernelReference}, on random
 * inputs that include hard and soft labels, probabilities exactly 0 and 1 and just outside the clip bounds,
 * logits of ±100 and ±30, every range length from 0 to 2·lanes + 1 at an aligned and an unaligned start.
 *
 * <p><b>Tolerance.</b> The kernels compute in float32 (unit roundoff u = 2<sup>−24</sup> ≈ 6·10<sup>−8</sup>):
 * each per-pixel formula takes 10–25 roundings and two or three lanewise exp/log calls (within 1 ulp, see
 * {@link #transcendentalsWithinOneUlp}), so a value or a derivative whose terms do not cancel is within
 * ~30u ≈ 2·10<sup>−6</sup> relative; a block sum adds at most ~68u ≈ 4·10<sup>−6</sup> (64 terms per lane, 4
 * levels of lane reduction). 1e-5 relative bounds both with a margin of 2–5×. Where a derivative is a
 * difference of nearly equal terms (soft labels with p ≈ t; σ − t) the float error is relative to the
 * terms, not to the difference, so gradients are compared as {@code |g − g_ref| ≤ 1e-5 · Σ|terms|}. Below
 * 1e-37 (the bottom of float32's normal range) values are compared absolutely, see {@link #TINY}.
 */
class VectorKernelsTest {
  static final double TOL = 1e-5;
  /**
   * Absolute floor: the kernels' exp returns e^−87 ≈ 1.6e-38 for smaller results (instead of a subnormal
   * float), so σ(z), 1 − σ(z) and what they multiply may be off by up to ~2e-38 in absolute terms.
   */
  static final double TINY = 1e-37;
  static final float LO = 1e-7f;
  static final float HI = 1f - 1e-7f;
  static final Kernels V = KernelSelector.vectorized(KernelSelector::vector);

  static int lanes() {
    return Integer.parseInt(V.name().substring("vector-".length())) / 32;
  }

  @Test
  void vectorizedAndScalarPickThePathForThisThread() {
    assertTrue(KernelSelector.available(), "surefire runs with --add-modules jdk.incubator.vector");
    assertNotNull(V);
    assertTrue(V.name().matches("vector-(128|256|512)"), V.name());
    // this JVM runs with -Dsegloss.vector=false: scalar by default
    assertEquals("scalar", KernelSelector.describe());
    assertEquals(null, KernelSelector.vector());
    assertEquals(null, KernelSelector.vectorized(() -> KernelSelector.scalar(KernelSelector::vector)), "innermost wins");
    assertEquals(V, KernelSelector.scalar(() -> KernelSelector.vectorized(KernelSelector::vector)));
    assertEquals(null, KernelSelector.vector(), "the mode is restored");
  }

  // ------------------------------------------------------------------------------------------- inputs

  static float[] labels(SplittableRandom r, int n) {
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      double u = r.nextDouble();
      y[i] = u < 0.4 ? 0f : u < 0.8 ? 1f : (float) r.nextDouble();
    }
    return y;
  }

  static float[] predictions(SplittableRandom r, int n, boolean logits) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      double u = r.nextDouble();
      if (logits) {
        x[i] = u < 0.05 ? 100f : u < 0.1 ? -100f : u < 0.13 ? 30f : u < 0.16 ? -30f : u < 0.18 ? 0f
            : (float) (4 * r.nextGaussian());
      } else {
        x[i] = u < 0.05 ? 0f : u < 0.1 ? 1f : u < 0.12 ? 1e-8f : u < 0.14 ? Math.nextDown(1f) : u < 0.16 ? LO : u < 0.18 ? HI
            : (float) r.nextDouble();
      }
    }
    return x;
  }

  static void assertClose(double ref, double actual, double scale, String what) {
    if (Double.isInfinite(ref) || Double.isNaN(ref)) {
      assertEquals(ref, actual, what);
      return;
    }
    double err = Math.abs(actual - ref);
    if (!(err <= TOL * scale + TINY)) {
      fail(what + ": expected " + ref + ", got " + actual + " (error " + err + " > " + TOL + " × " + scale + ")");
    }
  }

  static final float SENTINEL = 12345f;

  /** grad outside [from, to) must stay untouched. */
  static void assertOutsideUntouched(float[] g, int from, int to, String what) {
    for (int i = 0; i < g.length; i++) {
      if ((i < from || i >= to) && g[i] != SENTINEL) fail(what + ": wrote grad[" + i + "] outside [" + from + ", " + to + ")");
    }
  }

  static List<int[]> ranges() {
    List<int[]> out = new ArrayList<>();
    for (int n = 0; n <= 2 * lanes() + 1; n++) {
      out.add(new int[] {0, n});
      out.add(new int[] {3, 3 + n});
    }
    return out;
  }

  // -------------------------------------------------------------------------------------------- BCE

  static Stream<Arguments> bceCases() {
    List<Arguments> a = new ArrayList<>();
    for (boolean logits : new boolean[] {false, true}) {
      a.add(Arguments.of(logits, 1f, 1f, 0f));
      a.add(Arguments.of(logits, 1f, 0.2f, 0f));
      a.add(Arguments.of(logits, 2.5f, 0.3f, 0.1f));
    }
    return a.stream();
  }

  @ParameterizedTest(name = "logits={0} w_pos={1} w_neg={2} smoothing={3}")
  @MethodSource("bceCases")
  void bceMatchesTheReferenceOnEveryTailLength(boolean logits, float wPos, float wNeg, float s) {
    SplittableRandom r = new SplittableRandom(11);
    for (int[] range : ranges()) {
      int from = range[0], to = range[1];
      float[] y = labels(r, to + 5);
      float[] x = predictions(r, to + 5, logits);
      float[] g = new float[to + 5];
      Arrays.fill(g, SENTINEL);
      float scale = 0.37f;
      double sum = V.bce(y, x, from, to, logits, wPos, wNeg, LO, HI, s, g, scale);
      double noGrad = V.bce(y, x, from, to, logits, wPos, wNeg, LO, HI, s, null, scale);
      double ref = 0;
      String where = "bce logits=" + logits + " range [" + from + ", " + to + ")";
      for (int i = from; i < to; i++) {
        KernelReference.Pixel p = KernelReference.bce(y[i], x[i], logits, wPos, wNeg, LO, HI, s);
        ref += p.value;
        assertClose(scale * p.grad, g[i], scale * p.gradScale, where + " grad at " + i + " (y=" + y[i] + ", x=" + x[i] + ")");
      }
      assertClose(ref, sum, ref, where + " sum");
      assertEquals(sum, noGrad, where + ": the value must not depend on whether the gradient is asked for");
      assertOutsideUntouched(g, from, to, where);
    }
  }

  // ------------------------------------------------------------------------------------------ focal

  static Stream<Arguments> focalCases() {
    List<Arguments> a = new ArrayList<>();
    for (boolean logits : new boolean[] {false, true}) {
      for (float gamma : new float[] {0f, 1f, 2f, 3f, 5f, 2.5f, 0.5f}) {
        a.add(Arguments.of(logits, gamma, Float.NaN, 0f));
      }
      a.add(Arguments.of(logits, 2f, 0.25f, 0f));
      a.add(Arguments.of(logits, 2f, 0.25f, 0.1f));
      a.add(Arguments.of(logits, 1.5f, 0.75f, 0.05f));
    }
    return a.stream();
  }

  @ParameterizedTest(name = "logits={0} gamma={1} alpha={2} smoothing={3}")
  @MethodSource("focalCases")
  void focalMatchesTheReferenceOnEveryTailLength(boolean logits, float gamma, float alpha, float s) {
    SplittableRandom r = new SplittableRandom(12);
    for (int[] range : ranges()) {
      int from = range[0], to = range[1];
      float[] y = labels(r, to + 5);
      float[] x = predictions(r, to + 5, logits);
      float[] g = new float[to + 5];
      Arrays.fill(g, SENTINEL);
      float scale = 1.7f;
      double sum = V.focal(y, x, from, to, logits, gamma, alpha, LO, HI, s, g, scale);
      double noGrad = V.focal(y, x, from, to, logits, gamma, alpha, LO, HI, s, null, scale);
      double ref = 0;
      String where = "focal logits=" + logits + " gamma=" + gamma + " range [" + from + ", " + to + ")";
      for (int i = from; i < to; i++) {
        KernelReference.Pixel p = KernelReference.focal(y[i], x[i], logits, gamma, alpha, LO, HI, s);
        ref += p.value;
        assertClose(scale * p.grad, g[i], scale * p.gradScale, where + " grad at " + i + " (y=" + y[i] + ", x=" + x[i] + ")");
      }
      assertClose(ref, sum, ref, where + " sum");
      assertEquals(sum, noGrad, where);
      assertOutsideUntouched(g, from, to, where);
    }
  }

  /** The reference's focal derivative itself is right: central differences in double, inside the clip bounds. */
  @ParameterizedTest(name = "logits={0} gamma={1} alpha={2} smoothing={3}")
  @MethodSource("focalCases")
  void focalReferenceGradientMatchesFiniteDifferences(boolean logits, float gamma, float alpha, float s) {
    SplittableRandom r = new SplittableRandom(13);
    for (int k = 0; k < 200; k++) {
      double y = r.nextDouble() < 0.6 ? (r.nextBoolean() ? 1 : 0) : r.nextDouble();
      double x = logits ? 6 * r.nextGaussian() : 0.001 + 0.998 * r.nextDouble();
      double h = logits ? 1e-6 : 1e-7 * Math.min(x, 1 - x) * 10;
      double up = KernelReference.focal(y, x + h, logits, gamma, alpha, LO, HI, s).value;
      double down = KernelReference.focal(y, x - h, logits, gamma, alpha, LO, HI, s).value;
      KernelReference.Pixel p = KernelReference.focal(y, x, logits, gamma, alpha, LO, HI, s);
      double fd = (up - down) / (2 * h);
      assertEquals(p.grad, fd, 1e-5 * Math.max(1, Math.abs(p.grad)), "y=" + y + " x=" + x);
    }
  }

  @Test
  void focalWithGammaZeroIsBceAndAlphaBalances() {
    SplittableRandom r = new SplittableRandom(14);
    int n = 1000;
    for (boolean logits : new boolean[] {false, true}) {
      float[] y = labels(r, n);
      float[] x = predictions(r, n, logits);
      double bce = V.bce(y, x, 0, n, logits, 1f, 1f, LO, HI, 0f, null, 1f);
      double focal0 = V.focal(y, x, 0, n, logits, 0f, Float.NaN, LO, HI, 0f, null, 1f);
      assertClose(bce, focal0, bce, "focal(gamma=0) = bce");
      // with alpha, gamma = 0: α on positives and 1 − α on negatives = bce(w_pos=α, w_neg=1−α) on hard labels
      for (int i = 0; i < n; i++) y[i] = y[i] < 0.5f ? 0f : 1f;
      double wb = V.bce(y, x, 0, n, logits, 0.25f, 0.75f, LO, HI, 0f, null, 1f);
      double fa = V.focal(y, x, 0, n, logits, 0f, 0.25f, LO, HI, 0f, null, 1f);
      assertClose(wb, fa, wb, "focal(gamma=0, alpha=0.25) = bce(w_pos=0.25, w_neg=0.75)");
    }
  }

  // ------------------------------------------------------------------------------------ soft counts

  static Stream<Arguments> countCases() {
    List<Arguments> a = new ArrayList<>();
    int basic = 0b111;
    for (boolean logits : new boolean[] {false, true}) {
      a.add(Arguments.of(logits, basic));
      a.add(Arguments.of(logits, basic | (1 << 3) | (1 << 4)));
      a.add(Arguments.of(logits, basic | (1 << 5)));
      a.add(Arguments.of(logits, 0b111111));
      a.add(Arguments.of(logits, (1 << 1) | (1 << 5)));
    }
    return a.stream();
  }

  @ParameterizedTest(name = "logits={0} needed={1}")
  @MethodSource("countCases")
  void softCountsMatchTheReference(boolean logits, int needed) {
    SplittableRandom r = new SplittableRandom(21);
    for (int[] range : ranges()) {
      int from = range[0], to = range[1];
      float[] y = labels(r, to + 5);
      float[] x = predictions(r, to + 5, logits);
      double[] out = {1, 2, 3, 4, 5, 6, 7};
      float[] pOut = new float[to + 5];
      Arrays.fill(pOut, SENTINEL);
      V.softCounts(y, x, from, to, logits, needed, out, logits ? pOut : null);
      double[] ref = new double[6];
      String where = "counts logits=" + logits + " range [" + from + ", " + to + ")";
      for (int i = from; i < to; i++) {
        double p = logits ? KernelReference.sigmoid(x[i]) : x[i];
        if (logits) assertClose(p, pOut[i], p, where + " p at " + i + " (x=" + x[i] + ")");
        ref[0] += p * y[i];
        ref[1] += p;
        ref[2] += y[i];
        ref[3] += p * p;
        ref[4] += (double) y[i] * y[i];
        ref[5] += Math.abs(p - y[i]);
      }
      double[] initial = {1, 2, 3, 4, 5, 6, 7};
      for (int c = 0; c < 7; c++) {
        if (c < 6 && (needed & (1 << c)) != 0) {
          assertClose(initial[c] + ref[c], out[c], ref[c] + 1e-9, where + " count " + c);
        } else {
          assertEquals(initial[c], out[c], where + ": count " + c + " was not asked for");
        }
      }
      if (logits) assertOutsideUntouched(pOut, from, to, where + " pOut");
    }
  }

  // -------------------------------------------------------------------------------- region gradient

  static Stream<Arguments> regionCases() {
    List<Arguments> a = new ArrayList<>();
    for (boolean logits : new boolean[] {false, true}) {
      for (boolean alias : new boolean[] {false, true}) {
        a.add(Arguments.of(logits, alias, -1.3f, 0.4f, 0f, 0f));
        a.add(Arguments.of(logits, alias, -1.3f, 0.4f, 0.25f, 0f));
        a.add(Arguments.of(logits, alias, 0f, 0.4f, 0f, -0.7f));
        a.add(Arguments.of(logits, alias, 2f, -0.1f, -0.3f, 0.2f));
      }
    }
    return a.stream();
  }

  @ParameterizedTest(name = "logits={0} alias={1} cPY={2} cP={3} cPP={4} cABS={5}")
  @MethodSource("regionCases")
  void regionGradientMatchesTheReference(boolean logits, boolean alias, float cPY, float cP, float cPP, float cABS) {
    SplittableRandom r = new SplittableRandom(31);
    for (int[] range : ranges()) {
      int from = range[0], to = range[1];
      float[] y = labels(r, to + 5);
      float[] x = predictions(r, to + 5, logits);
      if (!logits) for (int i = 0; i < x.length; i += 7) x[i] = y[i]; // sign(p − y) = 0
      float[] g;
      float[] xIn = x.clone();
      if (alias) {
        g = x; // the gradient may overwrite the predictions
        for (int i = 0; i < g.length; i++) if (i < from || i >= to) g[i] = SENTINEL;
      } else {
        g = new float[to + 5];
        Arrays.fill(g, SENTINEL);
      }
      V.regionGradient(y, x, from, to, logits, cPY, cP, cPP, cABS, g);
      String where = "region logits=" + logits + " alias=" + alias + " range [" + from + ", " + to + ")";
      for (int i = from; i < to; i++) {
        double pi = logits ? KernelReference.sigmoid(xIn[i]) : xIn[i];
        double yi = y[i];
        double ref = cPY * yi + cP + 2.0 * cPP * pi + cABS * Math.signum(pi - yi);
        double sc = Math.abs(cPY * yi) + Math.abs(cP) + Math.abs(2.0 * cPP * pi) + Math.abs(cABS);
        if (logits) {
          double ds = KernelReference.sigmoid(xIn[i]) * KernelReference.sigmoid(-xIn[i]);
          ref *= ds;
          sc *= ds;
        }
        assertClose(ref, g[i], sc, where + " at " + i + " (y=" + y[i] + ", x=" + xIn[i] + ")");
      }
      assertOutsideUntouched(g, from, to, where);
    }
  }

  static Stream<Arguments> byLabelCases() {
    List<Arguments> a = new ArrayList<>();
    for (boolean logits : new boolean[] {false, true}) {
      a.add(Arguments.of(logits, 0.3f, -0.2f, 0f, 0f, 0f));
      a.add(Arguments.of(logits, -1.3f, 0.4f, 0.25f, 0f, 0f));
      a.add(Arguments.of(logits, 0.4f, 0.4f, 0f, 0f, -2.5e7f)); // −log Dice with the soft intersection
      a.add(Arguments.of(logits, 3e-5f, 4e3f, 0f, 0f, 0f)); // MCC on an image with one class: c0 is huge, c1 is not
      a.add(Arguments.of(logits, 2f, -0.1f, -0.3f, 0.2f, 0.7f));
    }
    return a.stream();
  }

  /**
   * c1·y + c0·(1 − y) + 2cPP·p + cABS·sign(p − y) + cMIN·[p &lt; y]: on hard labels the other label's
   * coefficient contributes exactly nothing, however large (the scale of the tolerance leaves it out).
   */
  @ParameterizedTest(name = "logits={0} c1={1} c0={2} cPP={3} cABS={4} cMIN={5}")
  @MethodSource("byLabelCases")
  void regionGradientByLabelMatchesTheReference(boolean logits, float c1, float c0, float cPP, float cABS, float cMIN) {
    SplittableRandom r = new SplittableRandom(37);
    for (int[] range : ranges()) {
      int from = range[0], to = range[1];
      float[] y = labels(r, to + 5);
      float[] x = predictions(r, to + 5, logits);
      if (!logits) for (int i = 0; i < x.length; i += 7) x[i] = y[i]; // p = y: [p < y] = ½
      float[] g = new float[to + 5];
      Arrays.fill(g, SENTINEL);
      V.regionGradientByLabel(y, x, from, to, logits, c1, c0, cPP, cABS, cMIN, g);
      String where = "region by label logits=" + logits + " range [" + from + ", " + to + ")";
      for (int i = from; i < to; i++) {
        double pi = logits ? KernelReference.sigmoid(x[i]) : x[i];
        double yi = y[i];
        double sign = Math.signum(pi - yi);
        double step = 0.5 - 0.5 * sign;
        double ref = c1 * yi + c0 * (1 - yi) + 2.0 * cPP * pi + cABS * sign + cMIN * step;
        double sc = Math.abs(c1 * yi) + Math.abs(c0 * (1 - yi)) + Math.abs(2.0 * cPP * pi) + Math.abs(cABS) + Math.abs(cMIN * step);
        if (logits) {
          double ds = KernelReference.sigmoid(x[i]) * KernelReference.sigmoid(-x[i]);
          ref *= ds;
          sc *= ds;
        }
        // σ' below the smallest normal float (|x| ≈ 100) is not exact in float lanes: an absolute error of
        // TINY per unit of coefficient, which the large coefficients here make visible
        double err = Math.abs(g[i] - ref);
        double coefficients = Math.abs(c1) + Math.abs(c0) + Math.abs(2 * cPP) + Math.abs(cABS) + Math.abs(cMIN);
        if (!(err <= TOL * sc + TINY * Math.max(1, coefficients))) {
          fail(where + " at " + i + " (y=" + y[i] + ", x=" + x[i] + "): expected " + ref + ", got " + g[i]);
        }
      }
      assertOutsideUntouched(g, from, to, where);
    }
  }

  // ---------------------------------------------------------------------- sums, accuracy, allocation

  @Test
  void longSumsStayAccurate() {
    int n = 1 << 20;
    SplittableRandom r = new SplittableRandom(41);
    for (boolean logits : new boolean[] {false, true}) {
      float[] y = labels(r, n);
      float[] x = predictions(r, n, logits);
      double ref = 0;
      for (int i = 0; i < n; i++) ref += KernelReference.bce(y[i], x[i], logits, 1, 1, LO, HI, 0).value;
      double sum = V.bce(y, x, 0, n, logits, 1f, 1f, LO, HI, 0f, null, 1f);
      assertClose(ref, sum, ref, "sum of 2^20 BCE terms, logits=" + logits);
      double[] c = new double[7];
      V.softCounts(y, x, 0, n, logits, 0b111, c, null);
      double py = 0;
      for (int i = 0; i < n; i++) py += (logits ? KernelReference.sigmoid(x[i]) : x[i]) * y[i];
      assertClose(py, c[0], py, "sum of 2^20 p·y");
    }
  }

  /** Worst error in ulps (of the float-rounded exact value) of {@code op} over {@code in}; fails above {@code bound}. */
  static double worstUlps(Method m, String op, float[] in, java.util.function.DoubleUnaryOperator exact, double bound)
      throws Exception {
    float[] out = new float[in.length];
    m.invoke(null, op, in, out);
    double worst = 0;
    for (int i = 0; i < in.length; i++) {
      double ex = exact.applyAsDouble(in[i]);
      double err = Math.abs(out[i] - ex) / Math.ulp((float) ex);
      if (!(err <= bound)) fail(op + "(" + in[i] + ") = " + out[i] + ", exact " + ex + ": " + err + " ulp > " + bound);
      worst = Math.max(worst, err);
    }
    System.out.printf("%s: worst error %.3f ulp over %d values%n", op, worst, in.length);
    return worst;
  }

  static float[] sample(int n, java.util.function.DoubleUnaryOperator f) {
    SplittableRandom r = new SplittableRandom(51);
    float[] a = new float[n];
    for (int i = 0; i < n; i++) a[i] = (float) f.applyAsDouble(r.nextDouble());
    return a;
  }

  /**
   * The kernels' own elementary functions, and the Vector API's lanewise EXP, LOG, LOG1P (SVML), against
   * {@code Math} (in ulps of the float-rounded exact value) over the ranges the kernels use: e<sup>−|z|</sup>
   * for |z| ≤ 87 (1 ulp); log on [1e-7, 2] log-uniformly, on [0.5, 2] uniformly and on all normal floats up
   * to 1 (1 ulp); log1p on [0, 1] via 2·atanh(e/(2 + e)) (2 ulp, the roundings of 2 + e and of the quotient);
   * SVML's within 1 ulp, also on subnormals and 0.
   */
  @Test
  void elementaryFunctionsWithinTheirBounds() throws Exception {
    Method m = Class.forName("dev.segloss.core.kernel.VectorKernels")
        .getDeclaredMethod("elementary", String.class, float[].class, float[].class);
    m.setAccessible(true);
    int n = 16 * 20_000;
    worstUlps(m, "exp-neg-abs", sample(n, u -> 87 * (2 * u - 1)), z -> Math.exp(-Math.abs(z)), 1.0);
    worstUlps(m, "exp-neg-abs", sample(n, u -> 0.5 * u), z -> Math.exp(-Math.abs(z)), 1.0);
    worstUlps(m, "log", sample(n, u -> Math.exp(Math.log(1e-7) + u * (Math.log(2) - Math.log(1e-7)))), Math::log, 1.0);
    worstUlps(m, "log", sample(n, u -> 0.5 + 1.5 * u), Math::log, 1.0);
    worstUlps(m, "log", sample(n, u -> Math.exp(Math.log(Float.MIN_NORMAL) * u)), Math::log, 1.0);
    worstUlps(m, "log1p-unit", sample(n, u -> u), Math::log1p, 2.0);
    worstUlps(m, "log1p-unit", sample(n, u -> Math.exp(-87 * u)), Math::log1p, 2.0);
    worstUlps(m, "svml-exp", sample(n, u -> -104 * u), Math::exp, 1.0);
    worstUlps(m, "svml-log", sample(n, u -> Math.exp(Math.log(Float.MIN_VALUE) * u)), Math::log, 1.0);
    worstUlps(m, "svml-log1p", sample(n, u -> u), Math::log1p, 1.0);
    worstUlps(m, "svml-log", sample(n, u -> Float.intBitsToFloat(1 + (int) (u * 0x007fffff))), Math::log, 1.0);
    float[] out = new float[16];
    m.invoke(null, "svml-log", new float[16], out);
    assertEquals(Float.NEGATIVE_INFINITY, out[0], "log(0)");
    // beyond |z| = 87 the result stays e^−87 (no subnormal results), also for infinite z
    float[] deep = new float[16];
    Arrays.fill(deep, -100f);
    deep[1] = 1e30f;
    deep[2] = Float.NEGATIVE_INFINITY;
    m.invoke(null, "exp-neg-abs", deep, out);
    for (int i = 0; i < 3; i++) assertEquals((float) Math.exp(-87), out[i], Math.ulp((float) Math.exp(-87)), "exp(-|" + deep[i] + "|)");
  }

  /** A clip bound that is not a normal float is declined (NaN, nothing written): the loss runs its scalar loop. */
  @Test
  void subnormalClipBoundsAreDeclined() {
    float[] y = {0, 1, 0, 1};
    float[] x = {0.1f, 0.2f, 0.3f, 0.4f};
    float[] g = {SENTINEL, SENTINEL, SENTINEL, SENTINEL};
    assertTrue(Double.isNaN(V.bce(y, x, 0, 4, false, 1f, 1f, 1e-40f, 1f - 1e-7f, 0f, g, 1f)));
    assertTrue(Double.isNaN(V.focal(y, x, 0, 4, false, 2f, Float.NaN, 0f, 1f - 1e-7f, 0f, g, 1f)));
    assertTrue(Double.isNaN(V.bce(y, x, 0, 4, false, 1f, 1f, 1e-7f, 1f, 0f, g, 1f)));
    for (float v : g) assertEquals(SENTINEL, v);
    // logits have no clip bounds
    assertTrue(Double.isFinite(V.bce(y, x, 0, 4, true, 1f, 1f, 1e-40f, 1f, 0f, g, 1f)));
  }

  /** Once compiled, a kernel call allocates nothing per element (the vectors are scalar-replaced). */
  @Test
  void compiledKernelsDoNotAllocatePerElement() {
    com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long tid = Thread.currentThread().getId();
    int n = 1 << 16;
    SplittableRandom r = new SplittableRandom(61);
    float[] y = labels(r, n);
    float[] z = predictions(r, n, true);
    float[] p = predictions(r, n, false);
    float[] g = new float[n];
    double[] c = new double[7];
    long best = Long.MAX_VALUE;
    for (int round = 0; round < 400 && best > 1024; round++) {
      long before = mx.getThreadAllocatedBytes(tid);
      for (boolean logits : new boolean[] {false, true}) {
        float[] x = logits ? z : p;
        V.bce(y, x, 0, n, logits, 1f, 1f, LO, HI, 0f, g, 1f);
        V.focal(y, x, 0, n, logits, 2f, 0.25f, LO, HI, 0f, g, 1f);
        V.focal(y, x, 0, n, logits, 2.5f, Float.NaN, LO, HI, 0f, g, 1f);
        V.focal(y, x, 0, n, logits, 3f, Float.NaN, LO, HI, 0.1f, g, 1f);
        V.softCounts(y, x, 0, n, logits, 0b111, c, null);
        V.softCounts(y, x, 0, n, logits, 0b111111, c, null);
        V.regionGradient(y, x, 0, n, logits, 1f, 2f, 0f, 0f, g);
        V.regionGradient(y, x, 0, n, logits, 1f, 2f, 0.5f, 0.3f, g);
        V.regionGradientByLabel(y, x, 0, n, logits, 1f, 2f, 0.5f, 0.3f, -4f, g);
      }
      best = Math.min(best, mx.getThreadAllocatedBytes(tid) - before);
    }
    // one boxed vector per loop iteration would be ≥ 300 KiB per call; 1 KiB for all 18 calls leaves room for
    // nothing of the sort
    assertTrue(best <= 1024, "compiled kernels allocated " + best + " bytes for 18 calls over " + n + " elements");
  }
}
