package dev.segloss.tensorflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segloss.core.InvalidInputException;
import dev.segloss.core.loss.LossInput;
import dev.segloss.core.loss.LossResult;
import dev.segloss.core.loss.SegLoss;
import dev.segloss.core.testkit.ConformanceTable;
import dev.segloss.core.testkit.TestInput;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The conformance table ({@link ConformanceTable}: every loss and option, and the test-only loss, × batch 1
 * and 4, 1-D, 2-D and 3-D images, random/empty/full/mixed/soft/tied labels, probabilities and logits,
 * per-pixel and per-image weights, an ignore value) through TensorFlow against the core: the TF value is
 * within 1e-5 (relative; absolute 1e-7 below 0.01, where float32 sums of terms of both signs, e.g. the
 * boundary loss's p·φ, cannot do better) of the core's and the TF autodiff gradient within 1e-4 (relative
 * to the gradient's largest entry; absolute 1e-8 where the whole gradient is zero up to rounding) of the
 * core's analytic gradient. One graph per loss and group of the table (same shape, predictions and weights).
 */
class TfParityTest {
  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    for (ConformanceTable.Entry e : ConformanceTable.losses()) {
      for (List<TestInput> group : ConformanceTable.groups()) {
        out.add(Arguments.of(e, group, group.get(0).name.replaceFirst(" [a-z]+ (probs|logits)", " $1")));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} on {2}")
  @MethodSource("cases")
  void valueAndGradientMatchTheCore(ConformanceTable.Entry entry, List<TestInput> group, String groupName) {
    check(entry.name(), entry.loss().get(), group);
  }

  /** Runs every input of a group (same shape, weights and logits: one graph) against the core. */
  static void check(String spec, SegLoss core, List<TestInput> group) {
    TestInput first = group.get(0);
    LossInput in0 = first.lossInput();
    int[] ws = in0.weights() == null ? null : in0.weights().shape();
    TfSegLoss tf = TfLosses.of(core, first.logits).withIgnoreValue(in0.ignoreValue());
    InvalidInputException coreError = null;
    try {
      core.compute(in0, true);
    } catch (InvalidInputException e) {
      coreError = e; // e.g. lovasz with per-pixel weights: TF must refuse the same input
    }
    if (coreError != null) {
      assertThrows(InvalidInputException.class, () -> TfLossEngine.compile(tf, in0.yTrue().shape(), ws, true).close(),
          spec + " on " + first + ": the core refuses it (" + coreError.getMessage() + ")");
      return;
    }
    try (TfLossEngine.Compiled c = TfLossEngine.compile(tf, in0.yTrue().shape(), ws, true)) {
      for (TestInput t : group) {
        LossInput in = t.lossInput();
        assertClose(core.compute(in, true), c.run(in), spec + " on " + t);
      }
    }
  }

  static void assertClose(LossResult want, LossResult got, String what) {
    double[] wv = want.values();
    double[] gv = got.values();
    assertEquals(wv.length, gv.length, what + ": number of values");
    for (int i = 0; i < wv.length; i++) {
      double tol = 1e-5 * Math.max(Math.abs(wv[i]), 1e-2);
      assertEquals(wv[i], gv[i], tol, what + ": value " + i);
    }
    float[] wg = want.gradient();
    float[] gg = got.gradient();
    assertEquals(wg.length, gg.length);
    double scale = 0;
    for (float v : wg) scale = Math.max(scale, Math.abs(v));
    double worst = 0;
    int at = -1;
    for (int i = 0; i < wg.length; i++) {
      double d = Math.abs(wg[i] - gg[i]);
      if (d > worst) {
        worst = d;
        at = i;
      }
    }
    assertTrue(worst <= 1e-4 * scale + 1e-8, what + ": gradient differs by " + worst + " at " + at + " (core "
        + (at >= 0 ? wg[at] : 0) + ", tf " + (at >= 0 ? gg[at] : 0) + ", largest entry " + scale + ")");
  }
}
