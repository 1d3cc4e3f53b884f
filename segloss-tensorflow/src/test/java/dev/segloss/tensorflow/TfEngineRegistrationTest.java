package dev.segloss.tensorflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.segloss.core.Tensor;
import dev.segloss.core.engine.LossEngine;
import dev.segloss.core.engine.LossEngines;
import dev.segloss.core.loss.DiceLoss;
import dev.segloss.core.loss.LossInput;
import java.util.List;
import org.junit.jupiter.api.Test;

/** segloss-tensorflow registers its engine in its own META-INF/services: on the class path, {@code tensorflow} is an engine. */
class TfEngineRegistrationTest {
  @Test
  void theModuleRegistersItsEngine() {
    assertEquals(List.of("core", "tensorflow"), LossEngines.names());
    LossEngine tf = LossEngines.find("tensorflow");
    assertInstanceOf(TfLossEngine.class, tf);
    LossInput in = LossInput.of(Tensor.of(new float[] {1, 0, 0, 1}, 2, 2), Tensor.of(new float[] {0.9f, 0.1f, 0.2f, 0.8f}, 2, 2));
    assertEquals(0.15, tf.compute(DiceLoss.create(), in, false).value(), 1e-6);
  }
}
