package dev.segloss.core.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.segloss.core.Tensor;
import dev.segloss.core.kernel.KernelSelector;
import dev.segloss.core.spec.LossSpec;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * mcc(smooth=0) on an image whose counted pixels are all foreground (or all background): TN = FP = 0
 * (or TP = FN = 0), so the denominator is exactly 0 and the loss is exactly 1 with a zero gradient, also
 * when weights and ignored pixels make the counts inexact sums (TN must not be left as the rounding
 * residue of W − P − Y + PY).
 */
class MccZeroDenominatorTest {
  @Test
  void singleClassImagesGiveLossOneAndNoGradient() {
    Random r = new Random(4);
    int n = 3;
    for (int trial = 0; trial < 60; trial++) {
    int m = 5 + trial;
    for (float label : new float[] {1f, 0f}) {
      float[] y = new float[n * m];
      float[] x = new float[n * m];
      float[] w = new float[n * m];
      for (int i = 0; i < y.length; i++) {
        y[i] = r.nextDouble() < 0.15 ? 255f : label;
        x[i] = (float) (3 * r.nextGaussian());
        w[i] = (float) (0.1 + 1.7 * r.nextDouble());
      }
      for (boolean weighted : new boolean[] {false, true}) {
        LossInput.Builder b = LossInput.builder(Tensor.of(y, n, m), Tensor.of(x, n, m)).fromLogits(true).ignoreValue(255);
        if (weighted) b.weights(Tensor.of(w, n, m));
        LossInput in = b.build();
        SegLoss loss = LossSpec.parse("mcc(smooth=0, reduction=none)");
        for (LossResult res : new LossResult[] {loss.compute(in, true), KernelSelector.scalar(() -> loss.compute(in, true))}) {
          for (double v : res.values()) assertEquals(1.0, v, 0.0, "label " + label + " weighted " + weighted);
          for (float g : res.gradient()) assertEquals(0f, g, 0f, "label " + label + " weighted " + weighted);
        }
      }
    }
    }
  }
}
