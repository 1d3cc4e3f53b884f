package dev.segloss.core.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.segloss.core.Tensor;
import dev.segloss.core.spec.LossSpec;
import org.junit.jupiter.api.Test;

/** Loss-specific behaviour that the tables do not show directly. */
class LossBehaviourTest {
  /** φ of a 6×7 mask, printed by scipy's distance_transform_edt as in Kervadec's one_hot2dist. */
  @Test
  void boundaryDistanceMapMatchesTheReferenceCode() {
    float[] y = new float[42];
    for (int r = 1; r <= 4; r++) for (int c = 1; c <= 5; c++) y[r * 7 + c] = 1;
    y[4 * 7 + 5] = 0;
    double s2 = Math.sqrt(2);
    double[] scipy = {s2, 1, 1, 1, 1, 1, s2, 1, 0, 0, 0, 0, 0, 1, 1, 0, -1, -1, -1, 0, 1, 1, 0, -1, -1,
        -0.41421356237309515, 0, 1, 1, 0, 0, 0, 0, 1, s2, s2, 1, 1, 1, 1, s2, 2.23606797749979};
    for (int[] shape : new int[][] {{1, 6, 7}, {1, 1, 6, 7}, {1, 6, 1, 7}}) {
      float[] phi = BoundaryLoss.signedDistanceMap(Tensor.of(y, shape), Float.NaN);
      for (int i = 0; i < 42; i++) assertEquals(scipy[i], phi[i], 1e-6, "shape " + java.util.Arrays.toString(shape) + " at " + i);
    }
    // the loss is the mean of p·φ: with p = 1 everywhere, the mean of φ
    float[] ones = new float[42];
    java.util.Arrays.fill(ones, 1f);
    double mean = java.util.Arrays.stream(scipy).sum() / 42;
    assertEquals(mean, BoundaryLoss.create().value(LossInput.of(Tensor.of(y, 1, 6, 7), Tensor.of(ones, 1, 6, 7))).value(), 1e-12);
  }

  @Test
  void boundaryMapIsBlankWithoutForegroundOrBackgroundAndSkipsIgnoredPixels() {
    assertArrayEquals(new float[6], BoundaryLoss.signedDistanceMap(Tensor.of(new float[6], 1, 2, 3), Float.NaN), 0f);
    float[] full = {1, 1, 1, 1, 1, 1};
    assertArrayEquals(new float[6], BoundaryLoss.signedDistanceMap(Tensor.of(full, 1, 2, 3), Float.NaN), 0f);
    // a row 1 1 9 9 0 0 with 9 ignored: the ignored pixels are neither side, distances skip them
    float[] y = {1, 1, 9, 9, 0, 0};
    float[] phi = BoundaryLoss.signedDistanceMap(Tensor.of(y, 1, 6), 9f);
    assertArrayEquals(new float[] {-3, -2, 0, 0, 3, 4}, phi, 0f); // −(4 − 1), −(3 − 1), ·, ·, 3, 4
  }

  @Test
  void boundaryDependsOnTheGeometry() {
    float[] y = {1, 1, 0, 0, 0, 0};
    float[] p = {0.9f, 0.2f, 0.3f, 0.1f, 0.8f, 0.4f};
    float[] yPermuted = {1, 0, 0, 0, 1, 0};
    float[] pPermuted = {0.9f, 0.3f, 0.1f, 0.8f, 0.2f, 0.4f}; // the same pixels, pixel 1 moved to 4
    double a = BoundaryLoss.create().value(LossInput.of(Tensor.of(y, 1, 6), Tensor.of(p, 1, 6))).value();
    double b = BoundaryLoss.create().value(LossInput.of(Tensor.of(yPermuted, 1, 6), Tensor.of(pPermuted, 1, 6))).value();
    assertNotEquals(a, b, 1e-3);
  }

  /**
   * Saturated probabilities hit the clip bounds, which are float32 values as in Keras and TF: lo =
   * float32(1e-7) = 1.0000000116860974e-7 and hi = 1f − lo = 0.9999998807907104 (not 1 − 1e-7), so
   * −log(1 − hi) = 15.942385152878742 rather than 16.1180956… in double; the gradient is 0 outside
   * the bounds (tf.clip_by_value). Values from numpy with np.float32 bounds.
   */
  @Test
  void saturatedProbabilitiesUseTheFloat32ClipBounds() {
    LossInput in = LossInput.of(Tensor.of(new float[] {0, 1, 1, 0}, 1, 4), Tensor.of(new float[] {1, 0, 1, 0}, 1, 4));
    double atHi = 15.942385152878742; // y = 0, p = 1
    double atLo = 16.118095639272223; // y = 1, p = 0
    double perfect = -Math.log(0.9999998807907104); // y = 1, p = 1 (and y = 0, p = 0: −log(1 − lo))
    double perfect0 = -Math.log1p(-1.0000000116860974e-7);
    double expected = (atHi + atLo + perfect + perfect0) / 4;
    for (String spec : new String[] {"bce", "focal(gamma=0)", "topk(k=100)", "combined(dice_weight=0)"}) {
      LossResult r = LossSpec.parse(spec).compute(in, true);
      assertEquals(expected, r.value(), 1e-12, spec);
      assertArrayEquals(new float[4], r.gradient(), 0f, spec + ": no gradient outside the clip bounds");
    }
    // weighted, the seed's weights: −w_neg·log(1 − hi) and −w_pos·log(lo)
    LossInput two = LossInput.of(Tensor.of(new float[] {0, 1}, 1, 2), Tensor.of(new float[] {1, 0}, 1, 2));
    assertEquals((0.2 * atHi + atLo) / 2, BceLoss.builder().wNeg(0.2).build().value(two).value(), 1e-12);
    assertEquals(0.9999998807907104, Functions.upperClip(1e-7), 0);
    assertEquals(1.0000000116860974e-7, Functions.lowerClip(1e-7), 0);
  }

  @Test
  void topkKeepsFloorOfKPercentAndAtLeastOnePixel() {
    int[][] table = {{12, 10, 1}, {100, 10, 10}, {7, 50, 3}, {3, 33, 1}, {5, 100, 5}, {0, 10, 0}, {262144, 10, 26214}, {19, 5, 1}};
    for (int[] row : table) {
      assertEquals(row[2], TopKLoss.builder().k(row[1]).build().selected(row[0]), row[0] + " pixels, k=" + row[1]);
    }
  }

  @Test
  void topkGradientTouchesOnlyTheSelectedPixelsAndBreaksTiesByIndex() {
    // 10 pixels per image, k = 30 → 3 kept; image 1 is all ties
    float[] y = {1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    float[] p = {0.9f, 0.8f, 0.2f, 0.1f, 0.7f, 0.6f, 0.3f, 0.5f, 0.95f, 0.05f, 0.4f, 0.4f, 0.4f, 0.4f, 0.4f, 0.4f, 0.4f, 0.4f, 0.4f, 0.4f};
    LossResult r = LossSpec.parse("topk(k=30)").compute(LossInput.of(Tensor.of(y, 2, 10), Tensor.of(p, 2, 10)), true);
    float[] g = r.gradient();
    // image 0: the largest BCE values are −log 0.2 (y=0, p=0.8 and y=1, p=0.2), then −log 0.3 (y=1, p=0.3);
    // the next is −log 0.4 (y=0, p=0.6): kept pixels 1, 2, 6
    for (int i = 0; i < 10; i++) assertEquals(i == 1 || i == 2 || i == 6, g[i] != 0f, "image 0 pixel " + i);
    // image 1: all equal, the first three by index
    for (int i = 10; i < 20; i++) assertEquals(i < 13, g[i] != 0f, "image 1 pixel " + i);
    double expected = (2 * -Math.log(0.2f) - Math.log(0.3f) + 3 * -Math.log(1 - 0.4f)) / 6;
    assertEquals(expected, r.value(), 1e-7);
  }

  @Test
  void lovaszOnFullyIgnoredImageIsZeroAndItsGradientToo() {
    float[] y = {7, 7, 7, 1, 0, 1};
    float[] x = {2, -1, 0.5f, 0.3f, -0.2f, 1.7f};
    LossInput in = LossInput.builder(Tensor.of(y, 2, 3), Tensor.of(x, 2, 3)).fromLogits(true).ignoreValue(7).build();
    LossResult r = LossSpec.parse("lovasz(reduction=none)").compute(in, true);
    assertEquals(0.0, r.values()[0], 0);
    assertArrayEquals(new float[] {0, 0, 0}, java.util.Arrays.copyOf(r.gradient(), 3), 0f);
  }

  @Test
  void focalReducesToBceAtGammaZeroAndWeightsClassesWithAlpha() {
    float[] y = {1, 0, 1, 0, 0.3f, 0.8f};
    float[] p = {0.7f, 0.4f, 0.2f, 0.9f, 0.5f, 0.6f};
    LossInput in = LossInput.of(Tensor.of(y, 2, 3), Tensor.of(p, 2, 3));
    LossResult bce = BceLoss.create().compute(in, true);
    LossResult focal = LossSpec.parse("focal(gamma=0)").compute(in, true);
    assertEquals(bce.value(), focal.value(), 1e-15);
    assertArrayEquals(bce.gradient(), focal.gradient(), 1e-7f);
    // α = 0.5 halves everything
    assertEquals(0.5 * LossSpec.parse("focal").value(in).value(), LossSpec.parse("focal(alpha=0.5)").value(in).value(), 1e-15);
  }

  @Test
  void logCoshDiceIsLogCoshOfEachImagesDice() {
    float[] y = {1, 0, 1, 0, 0, 1, 1, 0};
    float[] p = {0.6f, 0.3f, 0.8f, 0.1f, 0.5f, 0.4f, 0.9f, 0.2f};
    LossInput in = LossInput.of(Tensor.of(y, 2, 4), Tensor.of(p, 2, 4));
    double[] dice = LossSpec.parse("dice(reduction=none, squared=true)").value(in).values();
    double[] lc = LossSpec.parse("logcosh_dice(reduction=none, squared=true)").value(in).values();
    for (int n = 0; n < 2; n++) assertEquals(Math.log(Math.cosh(dice[n])), lc[n], 1e-15);
  }

  @Test
  void gdiceUniformWithBothClassesIsTheDiceOfBothClassesPooled() {
    float[] y = {1, 0, 1, 0, 0, 1};
    float[] p = {0.6f, 0.3f, 0.8f, 0.1f, 0.5f, 0.4f};
    // foreground and background as two images of one pooled Dice: (y, p) and (1 − y, 1 − p)
    float[] y2 = new float[12];
    float[] p2 = new float[12];
    for (int i = 0; i < 6; i++) {
      y2[i] = y[i];
      p2[i] = p[i];
      y2[6 + i] = 1 - y[i];
      p2[6 + i] = 1 - p[i];
    }
    double pooled = LossSpec.parse("dice(batch=true, smooth_nr=1e-5, smooth_dr=1e-5)").value(LossInput.of(Tensor.of(y2, 2, 6), Tensor.of(p2, 2, 6))).value();
    double gd = LossSpec.parse("gdice(weighting=uniform)").value(LossInput.of(Tensor.of(y, 1, 6), Tensor.of(p, 1, 6))).value();
    assertEquals(pooled, gd, 1e-7); // 1 − p in float32
  }
}
