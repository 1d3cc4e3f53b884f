package dev.segloss.train.compare;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segloss.core.metrics.EmptyPolicy;
import org.junit.jupiter.api.Test;

class BestThresholdTest {
  @Test
  void handWorkedTwoImages() {
    // image 1: positives at 0.30 and 0.90, negatives at 0.20 and 0.60
    // image 2: positive at 0.40, negative at 0.10
    float[][] p = {{0.30f, 0.90f, 0.20f, 0.60f}, {0.40f, 0.10f}};
    float[][] m = {{1, 1, 0, 0}, {1, 0}};
    // t in (0.20, 0.30]: image 1 TP 2 FP 1 → 0.8; image 2 TP 1 → 1; mean 0.9
    // t in (0.30, 0.40]: image 1 TP 1 FP 1 FN 1 → 0.5; image 2 → 1; mean 0.75
    // t in (0.10, 0.20]: image 1 TP 2 FP 2 → 2/3; image 2 → 1; mean 0.833
    double[] r = BestThreshold.of(p, m, EmptyPolicy.NAN);
    assertEquals(0.9, r[1], 1e-12);
    // every t in 0.21..0.30 gives 0.9: the one closest to 0.5 wins
    assertEquals(0.30, r[0], 1e-9);
  }

  @Test
  void emptyImagesFollowThePolicy() {
    // an empty image with a low false positive: under nan it is left out once t passes 0.05, under zero it
    // scores 0 below that and 0 (both empty → value 0) above
    float[][] p = {{0.9f, 0.1f}, {0.05f, 0.02f}};
    float[][] m = {{1, 0}, {0, 0}};
    double[] nan = BestThreshold.of(p, m, EmptyPolicy.NAN);
    assertEquals(1.0, nan[1], 1e-12);
    double[] one = BestThreshold.of(p, m, EmptyPolicy.ONE);
    assertEquals(1.0, one[1], 1e-12);
    assertTrue(one[0] > 0.05);
    double[] zero = BestThreshold.of(p, m, EmptyPolicy.ZERO);
    assertEquals(0.5, zero[1], 1e-12);
    assertArrayEquals(new double[] {Double.NaN, Double.NaN}, BestThreshold.of(new float[][] {{0.2f}}, new float[][] {{0}}, EmptyPolicy.NAN_IF_TRUTH_EMPTY), 0);
  }
}
