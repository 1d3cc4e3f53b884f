package dev.segloss.core.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segloss.core.Tensor;
import dev.segloss.core.kernel.KernelSelector;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Region losses with {@code log=true} and/or {@code soft=true} on images whose truth is empty or full,
 * against their closed-form derivatives, on the Vector API kernels (float32 gradient coefficients) and on
 * the scalar loops. With −log the derivative with respect to the soft intersection is about −1/smooth_nr
 * (10<sup>7</sup>); it used to reach every pixel as ±½ of it through &Sigma;p, &Sigma;y and &Sigma;|p − y| and
 * cancel in float, so that {@code dice(log=true, soft=true)} on an empty image had gradient 0 where the
 * derivative is 1/(&Sigma;p + smooth_dr) per pixel (found by a finite-difference check). The intersection's
 * derivative now reaches only the pixels with p &lt; y.
 */
class EmptyAndFullTruthGradientTest {
  static final int[] SHAPE = {2, 1, 2, 3};

  /** Probabilities in [0.05, 0.95]: no pixel equals its label. */
  static float[] probabilities(long seed) {
    Random r = new Random(seed);
    float[] p = new float[12];
    for (int i = 0; i < p.length; i++) p[i] = (float) (0.05 + 0.9 * r.nextDouble());
    return p;
  }

  static double sum(float[] p, int img) {
    double s = 0;
    for (int i = img * 6; i < img * 6 + 6; i++) s += p[i];
    return s;
  }

  /** Both paths: the kernels (float32 coefficients) and the scalar double loops. */
  static void bothPaths(Supplier<LossResult> run, java.util.function.Consumer<LossResult> check) {
    check.accept(KernelSelector.scalar(run));
    assertTrue(KernelSelector.available(), "the core's tests run with the Vector API module");
    check.accept(KernelSelector.vectorized(run));
  }

  static void assertGradient(double[] expected, float[] actual, String what) {
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], 1e-5 * Math.abs(expected[i]) + 1e-9, what + " at " + i);
    }
  }

  /** The case: the mean over two empty images of dice(log=true, soft=true) has gradient 1/(2(Σp + smooth_dr)). */
  @ParameterizedTest
  @ValueSource(strings = {"dice(log=true, soft=true)", "jaccard(log=true, soft=true)", "logcosh_dice(log=true, soft=true)"})
  void emptyTruth(String spec) {
    float[] p = probabilities(spec.hashCode());
    LossInput in = LossInput.of(Tensor.of(new float[12], SHAPE), Tensor.of(p, SHAPE));
    SegLoss loss = dev.segloss.core.spec.LossSpec.parse(spec);
    double dr = 1e-7;
    double[] g = new double[12];
    for (int i = 0; i < 12; i++) {
      double sp = sum(p, i / 6);
      // −log(score), score = smooth_nr/(Σp + smooth_dr) for both (the intersection is 0): d/dp_i = 1/(Σp + smooth_dr)
      double d = 1 / (sp + dr);
      if (spec.startsWith("logcosh")) d *= Math.tanh(-Math.log(1e-7 / (sp + dr)));
      g[i] = d / 2;
    }
    bothPaths(() -> loss.compute(in, true), r -> assertGradient(g, r.gradient(), spec + " on empty truth"));
    double g0 = KernelSelector.vectorized(() -> loss.compute(in, true)).gradient()[0];
    assertTrue(g0 > 0.1, spec + ": gradient " + g0 + " (the issue's batch: 0.14 where it was 0)");
  }

  /** Full truth (y = 1, p &lt; 1): the intersection is &Sigma;p, and its derivative reaches every pixel. */
  @ParameterizedTest
  @ValueSource(strings = {"dice(log=true, soft=true)", "jaccard(log=true, soft=true)"})
  void fullTruth(String spec) {
    float[] p = probabilities(spec.hashCode() + 1);
    float[] y = new float[12];
    java.util.Arrays.fill(y, 1f);
    LossInput in = LossInput.of(Tensor.of(y, SHAPE), Tensor.of(p, SHAPE));
    SegLoss loss = dev.segloss.core.spec.LossSpec.parse(spec);
    double nr = 1e-7, dr = 1e-7, ys = 6;
    double[] g = new double[12];
    for (int i = 0; i < 12; i++) {
      double sp = sum(p, i / 6);
      // dice: −log((2Σp + nr)/(Σp + Σy + dr)); jaccard: −log((Σp + nr)/(Σy + dr))
      g[i] = (spec.startsWith("dice") ? -2 / (2 * sp + nr) + 1 / (sp + ys + dr) : -1 / (sp + nr)) / 2;
    }
    bothPaths(() -> loss.compute(in, true), r -> assertGradient(g, r.gradient(), spec + " on full truth"));
  }

  /**
   * Focal Tversky with soft=true and γ &lt; 1 on an empty image: TP = 0, 1 − TI = (α·&Sigma;p + dr − nr)/(α·&Sigma;p + dr),
   * so d/dp_i = γ·(1 − TI)^(γ−1)·α·nr/(α·&Sigma;p + dr)² — tiny, and exactly what both paths must give.
   */
  @ParameterizedTest
  @ValueSource(doubles = {0.5, 0.75, 2})
  void tverskySoftOnEmptyTruth(double gamma) {
    float[] p = probabilities(11);
    LossInput in = LossInput.of(Tensor.of(new float[12], SHAPE), Tensor.of(p, SHAPE));
    double alpha = 0.7, nr = 1e-3, dr = 1e-2;
    SegLoss loss = TverskyLoss.builder().alpha(alpha).beta(0.3).gamma(gamma).soft(true).smoothNr(nr).smoothDr(dr).build();
    double[] g = new double[12];
    for (int i = 0; i < 12; i++) {
      double sp = sum(p, i / 6);
      double den = alpha * sp + dr;
      double base = (alpha * sp + dr - nr) / den;
      g[i] = gamma * Math.pow(base, gamma - 1) * alpha * nr / (den * den) / 2;
    }
    bothPaths(() -> loss.compute(in, true), r -> assertGradient(g, r.gradient(), "tversky gamma=" + gamma));
  }

  /**
   * mcc on images with one class only, with its default smoothing: FP (empty truth) or FN (full truth) are
   * the only counts that move, and the kernels agree with the scalar loops (float32 coefficients of
   * magnitude up to 1/√smooth).
   */
  @ParameterizedTest
  @ValueSource(floats = {0f, 1f})
  void mccOnSingleClassImages(float label) {
    float[] p = probabilities(5);
    float[] y = new float[12];
    java.util.Arrays.fill(y, label);
    LossInput in = LossInput.of(Tensor.of(y, SHAPE), Tensor.of(p, SHAPE));
    SegLoss loss = MccLoss.create();
    float[] scalar = KernelSelector.scalar(() -> loss.compute(in, true)).gradient();
    float[] vector = KernelSelector.vectorized(() -> loss.compute(in, true)).gradient();
    double scale = 0;
    for (float v : scalar) scale = Math.max(scale, Math.abs(v));
    for (int i = 0; i < 12; i++) assertEquals(scalar[i], vector[i], 1e-5 * scale, "mcc label " + label + " at " + i);
  }
}
