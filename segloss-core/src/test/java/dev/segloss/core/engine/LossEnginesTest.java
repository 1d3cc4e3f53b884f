package dev.segloss.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segloss.core.InvalidInputException;
import dev.segloss.core.Tensor;
import dev.segloss.core.loss.DiceLoss;
import dev.segloss.core.loss.LossInput;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** The engine plug-in interface on the core alone: the core engine, found by name and by the ServiceLoader. */
class LossEnginesTest {
  @Test
  void theCoreEngineIsFirstAndComputesTheCoreLoss() {
    assertEquals("core", LossEngines.names().get(0));
    LossEngine core = LossEngines.find("core");
    assertInstanceOf(CoreLossEngine.class, core);
    LossInput in = LossInput.of(Tensor.of(new float[] {1, 0, 0, 1}, 2, 2), Tensor.of(new float[] {0.9f, 0.1f, 0.2f, 0.8f}, 2, 2));
    assertEquals(DiceLoss.create().value(in).value(), core.compute(DiceLoss.create(), in, false).value(), 0.0);
  }

  @Test
  void theCoreRegistersItsEngineAsAnyEngineModuleDoes() {
    boolean found = false;
    for (LossEngine e : ServiceLoader.load(LossEngine.class)) found |= e instanceof CoreLossEngine;
    assertTrue(found, "META-INF/services/dev.segloss.core.engine.LossEngine of segloss-core lists CoreLossEngine");
  }

  @Test
  void anUnknownEngineIsOneLineListingTheKnownOnes() {
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> LossEngines.find("nope"));
    assertTrue(e.getMessage().startsWith("unknown engine 'nope'; available: core"), e.getMessage());
    assertTrue(!e.getMessage().contains("\n"));
  }
}
