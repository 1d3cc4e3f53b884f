package dev.segloss.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.segloss.core.kernel.KernelSelector;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Where bce and focal are computed ({@link DjlLossOptions.CoreKernels}), and that both paths agree. */
class DjlCoreKernelsTest {
  static NDManager manager;

  @BeforeAll
  static void open() {
    manager = NDManager.newBaseManager();
  }

  @AfterAll
  static void close() {
    manager.close();
  }

  static DjlBatch batch(boolean weights, boolean ignore) {
    SplittableRandom r = new SplittableRandom(1);
    float[] y = new float[2 * 20];
    float[] x = new float[y.length];
    for (int i = 0; i < y.length; i++) {
      y[i] = ignore && i % 7 == 0 ? 255f : r.nextDouble() < 0.3 ? 1f : 0f;
      x[i] = (float) r.nextGaussian();
    }
    NDList labels = new NDList(manager.create(y, new Shape(2, 20)));
    if (weights) labels.add(manager.ones(new Shape(2, 20)));
    DjlLossOptions o = DjlLossOptions.logits().withIgnoreValue(ignore ? 255 : Double.NaN);
    return DjlBatch.of(labels, new NDList(manager.create(x, new Shape(2, 20))), o);
  }

  static DjlPixelLoss loss(String spec, DjlLossOptions.CoreKernels mode) {
    return (DjlPixelLoss) DjlLosses.fromSpec(spec, DjlLossOptions.logits().withCoreKernels(mode));
  }

  @Test
  void pathSelection() {
    boolean vector = KernelSelector.vector() != null;
    assertEquals(vector, loss("bce", DjlLossOptions.CoreKernels.AUTO).useCoreKernels(batch(false, false)));
    assertEquals(vector, loss("focal(alpha=0.25)", DjlLossOptions.CoreKernels.AUTO).useCoreKernels(batch(false, false)));
    // the core would run its scalar loop: pixel weights or ignored pixels stay on the NDArray path
    assertFalse(loss("bce", DjlLossOptions.CoreKernels.AUTO).useCoreKernels(batch(true, false)));
    assertFalse(loss("bce", DjlLossOptions.CoreKernels.AUTO).useCoreKernels(batch(false, true)));
    assertTrue(loss("bce", DjlLossOptions.CoreKernels.ALWAYS).useCoreKernels(batch(true, true)));
    assertFalse(loss("bce", DjlLossOptions.CoreKernels.NEVER).useCoreKernels(batch(false, false)));
    // per-image values would need per-image gradients: never for reduction=none
    assertFalse(loss("bce(reduction=none)", DjlLossOptions.CoreKernels.ALWAYS).useCoreKernels(batch(false, false)));
  }

  /** The surrogate's derivative under a scaled upstream gradient (a coefficient, a mean of losses). */
  @Test
  void surrogateGradientScalesWithTheUpstreamGradient() {
    SplittableRandom r = new SplittableRandom(3);
    float[] y = new float[3 * 16];
    float[] x = new float[y.length];
    for (int i = 0; i < y.length; i++) {
      y[i] = r.nextDouble() < 0.4 ? 1f : 0f;
      x[i] = (float) (2 * r.nextGaussian());
    }
    float[][] grads = new float[2][];
    float[] values = new float[2];
    DjlLossOptions.CoreKernels[] modes = {DjlLossOptions.CoreKernels.NEVER, DjlLossOptions.CoreKernels.ALWAYS};
    for (int k = 0; k < 2; k++) {
      NDArray xa = manager.create(x, new Shape(3, 16));
      xa.setRequiresGradient(true);
      var l = DjlLosses.fromSpec("focal(gamma=1.5, alpha=0.3)", DjlLossOptions.logits().withCoreKernels(modes[k]));
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDArray v = l.evaluate(new NDList(manager.create(y, new Shape(3, 16))), new NDList(xa));
        NDArray scaled = v.mul(-2.5f).add(v.square()); // d/dv = −2.5 + 2v
        values[k] = v.getFloat();
        gc.backward(scaled);
      }
      grads[k] = xa.getGradient().toFloatArray();
    }
    assertEquals(values[0], values[1], 1e-6f);
    float scale = 0;
    for (float g : grads[0]) scale = Math.max(scale, Math.abs(g));
    assertArrayEquals(grads[0], grads[1], 1e-5f * scale);
  }
}
