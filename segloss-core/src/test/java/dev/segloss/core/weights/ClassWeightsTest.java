package dev.segloss.core.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segloss.core.InvalidInputException;
import dev.segloss.core.Tensor;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClassWeightsTest {
  /** An image of {@code size} pixels with {@code fg} foreground pixels. */
  static float[] image(int size, int fg) {
    float[] m = new float[size];
    Arrays.fill(m, 0, fg, 1f);
    return m;
  }

  static ClassPixelCounter ninetyTen() {
    return new ClassPixelCounter().addImage(image(100, 10), "m");
  }

  /** Two images of 100 pixels: one with 10 foreground pixels, one with none. */
  static ClassPixelCounter twoImages() {
    return new ClassPixelCounter().addImage(image(100, 10), "a").addImage(image(100, 0), "b");
  }

  /**
   * Hand-computed: 90/10 one image: inverse 1 and 0.1/0.9; balanced 100/20 and 100/180; median with
   * both classes in the one image = balanced; effective (1-b)/(1-b^n) normalised to sum 2:
   * b = 0.9: 0.9^10 = 0.3486784401, 0.9^90 = 7.6177e-5 -> 1/6.513215599 and 1/9.999238234, scaled.
   * Two images (10 of 100 and 0 of 100): inverse f = 0.05/0.95 -> 1 and 0.05/0.95; balanced 200/20
   * and 200/380; median: freq_pos = 10/100 (only image a has foreground), freq_neg = 190/200,
   * median 0.525 -> 0.525/0.1 and 0.525/0.95.
   */
  @ParameterizedTest
  @CsvSource({
      "ninety, inverse,   0,      1.0,                0.1111111111111111",
      "ninety, balanced,  0,      5.0,                0.5555555555555556",
      "ninety, median,    0,      5.0,                0.5555555555555556",
      "ninety, effective, 0.9,    1.2111147540126344, 0.7888852459873656",
      "ninety, effective, 0.9999, 1.7992794129804690, 0.2007205870195310",
      "ninety, effective, 0,      1.0,                1.0",
      "two,    inverse,   0,      1.0,                0.05263157894736842",
      "two,    balanced,  0,      10.0,               0.5263157894736842",
      "two,    median,    0,      5.25,               0.5526315789473684",
      "two,    effective, 0.99,   1.7981622025999844, 0.2018377974000156"})
  void goldenWeights(String data, String method, double beta, double wPos, double wNeg) {
    ClassPixelCounter c = data.equals("ninety") ? ninetyTen() : twoImages();
    WeightMethod m = WeightMethod.parse(method);
    ClassWeights w = m == WeightMethod.EFFECTIVE ? c.weights(m, beta) : c.weights(m);
    assertEquals(wPos, w.wPos(), 1e-9, "w_pos");
    assertEquals(wNeg, w.wNeg(), 1e-9, "w_neg");
    if (m == WeightMethod.EFFECTIVE) assertEquals(2.0, w.wPos() + w.wNeg(), 1e-12, "sums to the number of classes");
  }

  @Test
  void effectiveByHand() {
    // n_pos = 10, n_neg = 190, beta = 0.99: 0.99^10 = 0.904382075009, 0.99^190 = 0.148144991548
    double rPos = 0.01 / (1 - Math.pow(0.99, 10));
    double rNeg = 0.01 / (1 - Math.pow(0.99, 190));
    ClassWeights w = twoImages().weights(WeightMethod.EFFECTIVE, 0.99);
    assertEquals(2 * rPos / (rPos + rNeg), w.wPos(), 1e-12);
    assertEquals(2 * rNeg / (rPos + rNeg), w.wNeg(), 1e-12);
    assertEquals(1.7981622026, w.wPos(), 1e-9);
  }

  @Test
  void seedRuleAndSpecFragment() {
    ClassWeights w = ninetyTen().weights(WeightMethod.INVERSE);
    assertEquals("w_pos=1, w_neg=0.111", w.toSpecFragment());
    assertEquals("w_pos=1, w_neg=0.11111", w.toSpecFragment(5));
    assertEquals(0.1, w.positiveFrequency(), 1e-15);
    assertEquals(0.9, w.negativeFrequency(), 1e-15);
    assertEquals("w_pos=5, w_neg=0.556", ninetyTen().weights(WeightMethod.BALANCED).toSpecFragment());
    assertEquals("w_pos=10, w_neg=0.526", twoImages().weights(WeightMethod.BALANCED).toSpecFragment());
    assertEquals("w_pos=1.21, w_neg=0.789", ninetyTen().weights(WeightMethod.EFFECTIVE, 0.9).toSpecFragment());
    assertEquals("120", ClassWeights.round(123.4, 2));
    assertEquals("0.00123", ClassWeights.round(0.0012345, 3));
  }

  @Test
  void foregroundMajorityGivesTheBackgroundWeightOne() {
    ClassWeights w = new ClassPixelCounter().addImage(image(10, 7), "m").weights(WeightMethod.INVERSE);
    assertEquals(0.3 / 0.7, w.wPos(), 1e-12);
    assertEquals(1.0, w.wNeg());
  }

  @Test
  void softLabelsCountFractionally() {
    ClassPixelCounter c = new ClassPixelCounter().addImage(new float[] {0.5f, 0.25f, 1f, 0f}, "m");
    assertEquals(1.75, c.positive());
    assertEquals(2.25, c.negative());
    assertEquals(1.75 / 2.25, c.weights(WeightMethod.INVERSE).wNeg(), 1e-12);
  }

  @Test
  void ignoredPixelsAreSkipped() {
    ClassPixelCounter c = new ClassPixelCounter(255).addImage(new float[] {1, 255, 0, 0, 255, 0}, "m");
    assertEquals(1.0, c.positive());
    assertEquals(3.0, c.negative());
    assertEquals(2, c.ignored());
    assertEquals(1.0 / 3, c.weights(WeightMethod.INVERSE).wNeg(), 1e-12);
  }

  @Test
  void batchesAndMergeEqualImageByImage() {
    float[] a = image(6, 2);
    float[] b = image(6, 0);
    float[] both = new float[12];
    System.arraycopy(a, 0, both, 0, 6);
    System.arraycopy(b, 0, both, 6, 6);
    ClassPixelCounter batch = new ClassPixelCounter().addBatch(Tensor.of(both, 2, 2, 3), "m");
    ClassPixelCounter merged = new ClassPixelCounter().addImage(a, "a").merge(new ClassPixelCounter().addImage(b, "b"));
    for (ClassPixelCounter c : new ClassPixelCounter[] {batch, merged}) {
      assertEquals(2, c.images());
      assertEquals(6.0, c.pixelsWherePositive());
      assertEquals(12.0, c.pixelsWhereNegative());
      assertEquals(twoImagesScaled().wPos(), c.weights(WeightMethod.MEDIAN).wPos(), 1e-12);
    }
  }

  private static ClassWeights twoImagesScaled() {
    return new ClassPixelCounter().addImage(image(6, 2), "a").addImage(image(6, 0), "b").weights(WeightMethod.MEDIAN);
  }

  @Test
  void errors() {
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> new ClassPixelCounter().addImage(new float[] {0, 2}, "masks/a.png"));
    assertTrue(e.getMessage().startsWith("masks/a.png: 2.0 at flat index 1 is not a label in [0,1]"), e.getMessage());
    e = assertThrows(InvalidInputException.class, () -> new ClassPixelCounter(255).addImage(new float[] {Float.NaN}, "m"));
    assertTrue(e.getMessage().contains("nor the ignore value 255"), e.getMessage());
    e = assertThrows(InvalidInputException.class, () -> new ClassPixelCounter().addImage(image(5, 0), "m").weights(WeightMethod.INVERSE));
    assertTrue(e.getMessage().startsWith("no foreground pixels in 1 image"), e.getMessage());
    e = assertThrows(InvalidInputException.class, () -> new ClassPixelCounter().addImage(image(5, 5), "m").weights(WeightMethod.BALANCED));
    assertTrue(e.getMessage().startsWith("no background pixels"), e.getMessage());
    e = assertThrows(InvalidInputException.class, () -> ninetyTen().weights(WeightMethod.EFFECTIVE, 1.0));
    assertTrue(e.getMessage().startsWith("beta:"), e.getMessage());
    e = assertThrows(InvalidInputException.class, () -> WeightMethod.parse("inverted"));
    assertTrue(e.getMessage().contains("inverse, balanced, median, effective"), e.getMessage());
    assertThrows(InvalidInputException.class, () -> new ClassPixelCounter().addBatch(Tensor.of(new float[0], 0, 3), "m"));
  }
}
