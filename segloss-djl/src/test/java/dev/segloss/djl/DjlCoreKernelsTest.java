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

/** Where bce, focal and lovasz are computed ({@link DjlLossOptions.CoreKernels}), and that both paths agree. */
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

  static DjlLovaszLoss lovasz(String spec, DjlLossOptions.CoreKernels mode) {
    return (DjlLovaszLoss) DjlLosses.fromSpec(spec, DjlLossOptions.logits().withCoreKernels(mode));
  }

  /** The Lovász hinge's cost is a sort, not a vector kernel: AUTO takes the core on any CPU batch. */
  @Test
  void lovaszPathSelection() {
    assertTrue(lovasz("lovasz", DjlLossOptions.CoreKernels.AUTO).useCoreKernels(batch(false, false)));
    assertTrue(lovasz("lovasz", DjlLossOptions.CoreKernels.AUTO).useCoreKernels(batch(false, true)));
    assertTrue(lovasz("lovasz(per_image=false)", DjlLossOptions.CoreKernels.AUTO).useCoreKernels(batch(false, false)));
    assertFalse(lovasz("lovasz", DjlLossOptions.CoreKernels.NEVER).useCoreKernels(batch(false, false)));
    assertFalse(lovasz("lovasz(reduction=none)", DjlLossOptions.CoreKernels.ALWAYS).useCoreKernels(batch(false, false)));
  }

  /** Both Lovász paths give the same value and gradient, also with ignored pixels and inside a weighted sum. */
  @Test
  void lovaszPathsAgree() {
    for (String spec : new String[] {"lovasz", "lovasz(per_image=false)", "0.5*bce + 0.5*lovasz", "lovasz(reduction=sum)"}) {
      for (boolean ignore : new boolean[] {false, true}) {
        float[][] grads = new float[2][];
        float[] values = new float[2];
        DjlLossOptions.CoreKernels[] modes = {DjlLossOptions.CoreKernels.NEVER, DjlLossOptions.CoreKernels.ALWAYS};
        for (int k = 0; k < 2; k++) {
          DjlBatch b = batch(false, ignore);
          NDArray xa = b.x.duplicate();
          xa.setRequiresGradient(true);
          var l = DjlLosses.fromSpec(spec, DjlLossOptions.logits().withIgnoreValue(ignore ? 255 : Double.NaN).withCoreKernels(modes[k]));
          try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray v = l.evaluate(new NDList(b.rawY), new NDList(xa));
            values[k] = v.getFloat();
            gc.backward(v);
          }
          grads[k] = xa.getGradient().toFloatArray();
        }
        String what = spec + (ignore ? " ignore" : "");
        assertEquals(values[0], values[1], 1e-6f * Math.max(1, Math.abs(values[0])), what);
        assertArrayEquals(grads[0], grads[1], 1e-5f, what);
        float norm = 0;
        for (float g : grads[0]) norm += Math.abs(g);
        assertTrue(norm > 0, what + ": zero gradient");
      }
    }
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

  /**
   * An infinite logit on the right side has no hinge error: no NaN from the surrogate's x·g where g = 0
   * (with the input checks off: on, they reject infinite logits).
   */
  @Test
  void lovaszThroughTheCoreIgnoresInfiniteLogitsWithoutAnError() {
    float[] y = {1, 0, 1, 0, 0, 1};
    float[] x = {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0.3f, -0.2f, 0.8f, -1.5f};
    float[] values = new float[2];
    float[][] grads = new float[2][];
    DjlLossOptions.CoreKernels[] modes = {DjlLossOptions.CoreKernels.NEVER, DjlLossOptions.CoreKernels.AUTO};
    for (int k = 0; k < 2; k++) {
      NDArray xa = manager.create(x, new Shape(1, 6));
      xa.setRequiresGradient(true);
      var l = DjlLosses.fromSpec("lovasz", DjlLossOptions.logits().withCoreKernels(modes[k]).withInputChecks(false));
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDArray v = l.evaluate(new NDList(manager.create(y, new Shape(1, 6))), new NDList(xa));
        values[k] = v.getFloat();
        gc.backward(v);
      }
      grads[k] = xa.getGradient().toFloatArray();
    }
    assertTrue(Float.isFinite(values[1]) && values[1] > 0, "value " + values[1]);
    assertEquals(values[0], values[1], 1e-6f);
    assertArrayEquals(grads[0], grads[1], 1e-6f);
    assertEquals(0f, grads[1][0]);
    assertEquals(0f, grads[1][1]);
  }
}
