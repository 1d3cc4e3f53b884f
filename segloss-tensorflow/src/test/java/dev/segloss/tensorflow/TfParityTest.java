package dev.segloss.tensorflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segloss.core.loss.LossInput;
import dev.segloss.core.loss.LossResult;
import dev.segloss.core.loss.Losses;
import dev.segloss.core.loss.SegLoss;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Parity with the core: for each loss and each option, on every {@link Scenario} (batch 1 and 4, 1-D, 2D
 * and 3D images, random/empty/full/soft masks, probabilities and logits, per-pixel and per-image weights,
 * an ignore value), the TF value is within 1e-5 (relative) of the core's and the TF autodiff gradient
 * within 1e-4 (relative to the gradient's largest entry; absolute 1e-8 where the whole gradient is zero
 * up to rounding, e.g. soft Dice on an empty mask) of the core's analytic gradient.
 */
class TfParityTest {
  static final String[] SPECS = {
      "bce", "bce(w_pos=2.5, w_neg=0.3)", "bce(label_smoothing=0.1)", "bce(eps=0.05)",
      "bce(reduction=sum)", "bce(reduction=none)", "bce(reduction=weighted_mean)",
      "dice", "dice(batch=true)", "dice(squared=true)", "dice(log=true)", "dice(soft=true)",
      "dice(smooth_nr=1e-5, smooth_dr=1e-5)", "dice(smooth_nr=0, smooth_dr=1e-7, batch=true)",
      "dice(reduction=sum)", "dice(reduction=none)", "dice(batch=true, reduction=none)", "dice(reduction=weighted_mean)",
      "combined", "combined(dice_weight=0.7, w_pos=1, w_neg=0.2)", "combined(reduction=none)",
      "0.3*bce(w_pos=1, w_neg=0.11) + 0.7*dice(smooth_nr=1e-5)", "0.5*bce(reduction=sum) + 2*dice(reduction=sum)",
  };

  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    for (String spec : SPECS) for (List<Scenario> group : Scenario.groups()) out.add(Arguments.of(spec, group));
    return out.stream();
  }

  @ParameterizedTest(name = "{0} on {1}")
  @MethodSource("cases")
  void valueAndGradientMatchTheCore(String spec, List<Scenario> group) {
    check(spec, group);
  }

  /** Runs every scenario of a group (same shape, weights and logits: one graph) against the core. */
  static void check(String spec, List<Scenario> group) {
    SegLoss core = Losses.parse(spec);
    Scenario first = group.get(0);
    LossInput in0 = first.input();
    int[] ws = in0.weights() == null ? null : in0.weights().shape();
    TfSegLoss tf = TfLosses.fromSpec(spec, first.logits).withIgnoreValue(in0.ignoreValue());
    try (TfLossEngine.Compiled c = TfLossEngine.compile(tf, in0.yTrue().shape(), ws, true)) {
      for (Scenario sc : group) {
        LossInput in = sc.input();
        assertClose(core.compute(in, true), c.run(in), spec + " on " + sc);
      }
    }
  }

  static void assertClose(LossResult want, LossResult got, String what) {
    double[] wv = want.values();
    double[] gv = got.values();
    assertEquals(wv.length, gv.length, what + ": number of values");
    for (int i = 0; i < wv.length; i++) {
      double tol = 1e-5 * Math.max(Math.abs(wv[i]), 1e-3);
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
