package dev.segloss.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segloss.core.loss.Losses;
import dev.segloss.core.testkit.ConformanceTable;
import dev.segloss.core.testkit.TestInput;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The conformance table ({@link ConformanceTable}: every loss and option, and the test-only loss, × batch 1
 * and 4, 1-D, 2-D and 3-D images, random/empty/full/mixed/soft/tied labels, probabilities and logits,
 * per-pixel and per-image weights and an ignore value) through DJL against the core: values within 1e-5
 * relative, autograd gradients within 1e-4 (of the largest core entry) of the core's analytic gradient
 * ({@link Compare}); bce, focal and lovasz through each {@link DjlLossOptions.CoreKernels} path.
 */
class DjlParityTest {
  @Test
  void everyCoreLossHasADjlImplementationAndRows() {
    List<String> core = Losses.types().stream().map(t -> t.name()).toList();
    assertEquals(core, List.copyOf(DjlLosses.supported()));
    for (String name : core) {
      assertTrue(ConformanceTable.SPECS.stream().anyMatch(s -> s.startsWith(name) || s.contains("*" + name) || s.contains("+ " + name)),
          name + " has no row in the conformance table");
    }
  }

  @TestFactory
  Stream<DynamicTest> parity() {
    List<DynamicTest> tests = new ArrayList<>();
    for (ConformanceTable.Entry e : ConformanceTable.losses()) {
      String spec = e.name();
      boolean pixel = spec.contains("bce") || spec.contains("focal") || spec.contains("combined") || spec.contains("lovasz");
      DjlLossOptions.CoreKernels[] modes = pixel ? DjlLossOptions.CoreKernels.values()
          : new DjlLossOptions.CoreKernels[] {DjlLossOptions.CoreKernels.NEVER};
      for (DjlLossOptions.CoreKernels kernels : modes) {
        for (List<TestInput> group : ConformanceTable.groups()) {
          String name = spec + " on " + group.get(0).name.replaceFirst(" [a-z]+ (probs|logits)", " $1") + (pixel ? " kernels=" + kernels : "");
          tests.add(DynamicTest.dynamicTest(name, () -> {
            for (TestInput in : group) Compare.parity(e.loss().get(), in.lossInput(), spec + " on " + in + " kernels=" + kernels, kernels);
          }));
        }
      }
    }
    assertTrue(tests.size() > 3000, tests.size() + " rows");
    return tests.stream();
  }
}
