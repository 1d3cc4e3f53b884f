package dev.segloss.tensorflow;

import dev.segloss.core.spec.LossSpec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segloss.core.InvalidInputException;
import dev.segloss.core.loss.LossInput;
import dev.segloss.core.loss.LossResult;
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
 * an ignore value), the TF value is within 1e-5 (relative; absolute 1e-7 below 0.01, where float32
 * sums of terms of both signs, e.g. the boundary loss's p·φ, cannot do better) of the core's and the TF autodiff gradient
 * within 1e-4 (relative to the gradient's largest entry; absolute 1e-8 where the whole gradient is zero
 * up to rounding, e.g. soft Dice on an empty mask) of the core's analytic gradient.
 */
class TfParityTest {
  static final String[] SPECS = {
      "bce", "bce(w_pos=2.5, w_neg=0.3)", "bce(label_smoothing=0.1)", "bce(eps=0.05)", "bce(eps=1e-30)",
      "bce(reduction=sum)", "bce(reduction=none)", "bce(reduction=weighted_mean)",
      "dice", "dice(batch=true)", "dice(squared=true)", "dice(log=true)", "dice(soft=true)", "dice(squared=true, soft=true)",
      "dice(smooth_nr=1e-5, smooth_dr=1e-5)", "dice(smooth_nr=0, smooth_dr=1e-7, batch=true)",
      "dice(reduction=sum)", "dice(reduction=none)", "dice(batch=true, reduction=none)", "dice(reduction=weighted_mean)",
      "jaccard", "jaccard(batch=true)", "jaccard(log=true)", "jaccard(soft=true)", "jaccard(smooth_nr=1e-5, smooth_dr=1e-5)",
      "jaccard(reduction=none)",
      "tversky", "tversky(alpha=0.3, beta=0.7)", "tversky(alpha=0.7, beta=0.3, gamma=0.75)", "tversky(gamma=2)",
      "tversky(soft=true)", "tversky(batch=true)", "tversky(smooth_nr=1e-5, smooth_dr=1e-5)",
      "tversky(gamma=0.75, smooth_nr=1, smooth_dr=0)", "tversky(reduction=sum)", "tversky(gamma=0.5, soft=true)",
      "focal", "focal(gamma=0)", "focal(gamma=1)", "focal(gamma=0.5)", "focal(gamma=3, alpha=0.25)", "focal(alpha=0.25)",
      "focal(label_smoothing=0.1)", "focal(eps=0.05)", "focal(eps=1e-30, gamma=0.5)", "focal(reduction=none)", "focal(reduction=weighted_mean)",
      "lovasz", "lovasz(per_image=false)", "lovasz(eps=0.001)", "lovasz(reduction=none)", "lovasz(reduction=sum)",
      "gdice", "gdice(weighting=simple)", "gdice(weighting=uniform)", "gdice(batch=true)", "gdice(smooth_nr=0, smooth_dr=1e-7)",
      "gdice(reduction=none)",
      "logcosh_dice", "logcosh_dice(log=true)", "logcosh_dice(batch=true)", "logcosh_dice(squared=true)", "logcosh_dice(soft=true)",
      "logcosh_dice(squared=true, soft=true)",
      "mcc", "mcc(smooth=0)", "mcc(smooth=0.001)", "mcc(batch=true)", "mcc(reduction=weighted_mean)",
      "topk", "topk(k=100)", "topk(k=30, w_pos=2, w_neg=0.5)", "topk(k=0.5)", "topk(reduction=none)",
      "topk(reduction=weighted_mean)", "topk(reduction=sum)",
      "boundary", "boundary(reduction=none)", "boundary(reduction=sum)",
      "combined", "combined(dice_weight=0.7, w_pos=1, w_neg=0.2)", "combined(reduction=none)",
      "0.3*bce(w_pos=1, w_neg=0.11) + 0.7*dice(smooth_nr=1e-5)", "0.5*bce(reduction=sum) + 2*dice(reduction=sum)",
      "0.99*gdice + 0.01*boundary", "0.5*focal(alpha=0.25) + 0.5*tversky(alpha=0.3, beta=0.7)", "lovasz + 0.5*bce",
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
    SegLoss core = LossSpec.parse(spec);
    Scenario first = group.get(0);
    LossInput in0 = first.input();
    int[] ws = in0.weights() == null ? null : in0.weights().shape();
    TfSegLoss tf = TfLosses.fromSpec(spec, first.logits).withIgnoreValue(in0.ignoreValue());
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
