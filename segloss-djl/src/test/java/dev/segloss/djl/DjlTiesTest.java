package dev.segloss.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.segloss.core.Tensor;
import dev.segloss.core.loss.LossInput;
import dev.segloss.core.loss.LossResult;
import dev.segloss.core.spec.LossSpec;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Tied predictions (a flat background gives identical logits) make the sorting losses non-differentiable;
 * every engine must pick the same subgradient — ties ranked in pixel order, as the core and TensorFlow's
 * TopKV2 do — so that the gradient does not depend on the reduction, the device or {@code CoreKernels}
 * (found in review: for lovasz, {@code reduction=none} on the NDArray path and {@code reduction=sum}
 * through the core disagreed; topk sent the gradient to other tied pixels than the core).
 */
class DjlTiesTest {
  /** d(sum of the DJL loss)/dx on [n, m] logits. */
  static float[] djlGradient(String spec, DjlLossOptions.CoreKernels mode, float[] y, float[] x, int n, int m, double ignore) {
    try (NDManager man = NDManager.newBaseManager()) {
      NDArray xa = man.create(x, new Shape(n, m));
      xa.setRequiresGradient(true);
      var l = DjlLosses.fromSpec(spec, DjlLossOptions.logits().withIgnoreValue(ignore).withCoreKernels(mode));
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDArray v = l.evaluate(new NDList(man.create(y, new Shape(n, m))), new NDList(xa));
        gc.backward(v.sum());
      }
      return xa.getGradient().toFloatArray();
    }
  }

  @ParameterizedTest(name = "{0} n={1} m={2} levels={3} ignore={4}")
  @CsvSource(delimiter = '|', value = {
      "lovasz                          | 1 | 8   | 2 | false",
      "lovasz                          | 3 | 50  | 3 | false",
      "lovasz(reduction=sum)           | 2 | 300 | 4 | false",
      "lovasz(reduction=none)          | 2 | 300 | 1 | false",
      "lovasz(per_image=false)         | 3 | 40  | 2 | false",
      "lovasz                          | 2 | 60  | 3 | true",
      "lovasz(reduction=weighted_mean) | 4 | 25  | 2 | true",
      "0.5*bce + 0.5*lovasz            | 2 | 64  | 3 | false",
      "topk                            | 2 | 100 | 3 | false",
      "topk(k=30, w_pos=2, w_neg=0.5)  | 3 | 50  | 2 | false",
      "topk(k=50)                      | 2 | 64  | 3 | true",
  })
  void everyPathRanksTiesInPixelOrder(String spec, int n, int m, int levels, boolean ignore) {
    SplittableRandom r = new SplittableRandom(n * 1000L + m);
    float[] y = new float[n * m];
    float[] x = new float[n * m];
    for (int i = 0; i < y.length; i++) {
      y[i] = ignore && i % 9 == 4 ? 255f : r.nextDouble() < 0.3 ? 1f : 0f;
      x[i] = 0.25f * (r.nextInt(levels) - 1); // few distinct logits: many ties
    }
    double ignoreValue = ignore ? 255 : Double.NaN;
    LossResult core = LossSpec.parse(spec).compute(LossInput.builder(Tensor.of(y, n, m), Tensor.of(x, n, m)).fromLogits(true)
        .ignoreValue(ignoreValue).build(), true);
    float[] coreGrad = core.gradient();
    if (spec.contains("reduction=none")) {
      // the core's gradient under none is the sum over images of d(L_n)/dx: the same as d(sum)/dx here
      assertEquals(y.length, coreGrad.length);
    }
    for (DjlLossOptions.CoreKernels mode : DjlLossOptions.CoreKernels.values()) {
      assertArrayEquals(coreGrad, djlGradient(spec, mode, y, x, n, m, ignoreValue), 1e-6f, spec + " " + mode);
    }
  }
}
