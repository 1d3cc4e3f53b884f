package dev.segloss.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import dev.segloss.train.model.UNet;
import dev.segloss.train.model.UNetConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Inference runs with autograd off wherever it is called: inside a GradientCollector (grad mode on) and on
 * a fresh thread (libtorch's grad mode is per thread and on by default); the caller's mode is restored,
 * and the result is the same as with autograd on.
 */
class InferenceGradModeTest {
  @Test
  void inferenceTurnsAutogradOffAndRestoresTheCallersMode() throws Exception {
    Engine engine = DjlRuntime.engine(2, 1);
    ImageSet set = ImageSet.of(TinyData.samples(3, 16, 4));
    try (NDManager manager = engine.newBaseManager()) {
      UNet net = new UNet(new UNetConfig(1, 2, 4));
      net.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 16, 16));
      net.initializeWeights(5);
      float[][] outside = Inference.probabilities(net, set, 2, manager);
      List<Boolean> modes = new ArrayList<>();
      try (GradientCollector gc = engine.newGradientCollector()) {
        assertTrue(JniUtils.isGradMode(), "precondition: a collector turns autograd on");
        Inference.forEachBatch(net, set, 2, manager, (s, n, logits, sub) -> {
          modes.add(JniUtils.isGradMode());
          assertFalse(logits.hasGradient());
        });
        assertTrue(JniUtils.isGradMode(), "restored");
        float[][] inside = Inference.probabilities(net, set, 2, manager);
        for (int i = 0; i < inside.length; i++) assertArrayEquals(outside[i], inside[i], "image " + i);
      }
      assertEquals(List.of(false, false), modes);
      AtomicReference<Object> onThread = new AtomicReference<>();
      Thread t = new Thread(() -> {
        try {
          boolean before = JniUtils.isGradMode();
          List<Boolean> m = new ArrayList<>();
          Inference.forEachBatch(net, set, 3, manager, (s, n, logits, sub) -> m.add(JniUtils.isGradMode()));
          onThread.set(List.of(before, m, JniUtils.isGradMode()));
        } catch (RuntimeException e) {
          onThread.set(e);
        }
      });
      t.start();
      t.join();
      assertEquals(List.of(true, List.of(false), true), onThread.get(), "a new thread starts with autograd on; inference turns it off");
    }
  }
}
