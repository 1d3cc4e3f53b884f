package dev.segloss.core.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.segloss.core.Tensor;
import dev.segloss.core.spec.LossSpec;
import org.junit.jupiter.api.Test;

/** Ties at the top-k cut are broken by content (larger weight first), not by pixel order. */
class TopKTiesTest {
  @Test
  void weightedMeanWithTiesDoesNotDependOnPixelOrder() {
    // w_pos = 0: every foreground pixel has loss 0, so the cut falls among tied zeros of different weights
    SegLoss loss = LossSpec.parse("topk(k=75, w_pos=0, reduction=weighted_mean)");
    float[] y = {1, 1, 1, 0};
    float[] p = {0.3f, 0.6f, 0.9f, 0.4f};
    float[] w = {1f, 5f, 2f, 1f};
    int[] perm = {2, 0, 3, 1};
    float[] y2 = new float[4], p2 = new float[4], w2 = new float[4];
    for (int i = 0; i < 4; i++) {
      y2[i] = y[perm[i]];
      p2[i] = p[perm[i]];
      w2[i] = w[perm[i]];
    }
    double a = loss.value(input(y, p, w)).value();
    double b = loss.value(input(y2, p2, w2)).value();
    // selected: the background pixel (loss -log 0.6) and the two heaviest tied zeros (weights 5 and 2)
    double expected = -Math.log(1 - 0.4f) * 1 / (1 + 5 + 2);
    assertEquals(expected, a, 1e-7);
    assertEquals(a, b, 0.0);
  }

  private static LossInput input(float[] y, float[] p, float[] w) {
    return LossInput.builder(Tensor.of(y, 1, 4), Tensor.of(p, 1, 4)).weights(Tensor.of(w, 1, 4)).build();
  }
}
