package dev.segloss.djl;

import dev.segloss.core.spec.LossSpec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segloss.core.loss.Losses;
import dev.segloss.core.loss.SegLoss;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every loss and option through DJL against the core: values within 1e-5 relative, autograd gradients
 * within 1e-4 (of the largest core entry) of the core's analytic gradient, on batch 1 and 4, 1-D, 2D
 * and 3D images, random/empty/full/mixed/soft labels, probabilities and logits, without and with
 * per-pixel and per-image weights and an ignore value.
 */
class DjlParityTest {
  /** (spec) rows: each loss with each of its options and every reduction. */
  static final String[] SPECS = {
    "bce", "bce(w_pos=2, w_neg=0.3)", "bce(eps=1e-3)", "bce(label_smoothing=0.1)", "bce(w_neg=0.2, reduction=sum)",
    "bce(w_pos=3, reduction=weighted_mean)", "bce(reduction=none)",
    "dice", "dice(smooth_nr=1e-5, smooth_dr=1e-5)", "dice(smooth_nr=0, smooth_dr=1e-7, batch=true)", "dice(squared=true)",
    "dice(log=true)", "dice(soft=true)", "dice(squared=true, soft=true, log=true)", "dice(reduction=sum)",
    "dice(reduction=none)", "dice(batch=true, reduction=none)", "dice(reduction=weighted_mean)",
    "dice(batch=true, reduction=weighted_mean)",
    "combined", "combined(dice_weight=0.7, w_neg=0.2)", "combined(reduction=none)",
    "0.3*bce(w_pos=1, w_neg=0.11) + 0.7*dice(smooth_nr=1e-5)", "2*dice(log=true) + 0.5*bce(w_pos=4)",
    "jaccard", "jaccard(smooth_nr=0, smooth_dr=1e-5, batch=true)", "jaccard(log=true)", "jaccard(soft=true)",
    "jaccard(reduction=none)", "jaccard(batch=true, reduction=sum)",
    "tversky", "tversky(alpha=0.3, beta=0.7)", "tversky(alpha=0.7, beta=0.3, gamma=0.75)", "tversky(gamma=2, batch=true)",
    "tversky(soft=true, alpha=0.2, beta=0.8)", "tversky(smooth_nr=1e-3, smooth_dr=1e-7, gamma=1.5)",
    "tversky(reduction=weighted_mean)",
    "focal", "focal(gamma=0)", "focal(gamma=0.5)", "focal(alpha=0.25)", "focal(gamma=3, alpha=0.6, label_smoothing=0.1)",
    "focal(eps=1e-3, reduction=sum)", "focal(reduction=none)", "focal(gamma=1, reduction=weighted_mean)",
    "lovasz", "lovasz(per_image=false)", "lovasz(eps=1e-4)", "lovasz(reduction=none)", "lovasz(reduction=weighted_mean)",
    "gdice", "gdice(weighting=simple)", "gdice(weighting=uniform)", "gdice(batch=true)", "gdice(smooth_nr=0, smooth_dr=1e-7)",
    "gdice(reduction=none)",
    "logcosh_dice", "logcosh_dice(log=true, soft=true)", "logcosh_dice(batch=true, squared=true)", "logcosh_dice(reduction=sum)",
    "mcc", "mcc(smooth=0)", "mcc(batch=true)", "mcc(smooth=1e-3, reduction=none)",
    "topk", "topk(k=30, w_pos=2, w_neg=0.5)", "topk(k=100)", "topk(k=1)", "topk(reduction=weighted_mean)",
    "topk(reduction=none)", "topk(k=25, reduction=sum)",
    "boundary", "boundary(reduction=sum)", "boundary(reduction=none)", "boundary(reduction=weighted_mean)",
    "0.99*gdice + 0.01*boundary", "0.5*focal(alpha=0.25) + 0.5*tversky(alpha=0.3, beta=0.7)", "lovasz + 0.5*bce",
  };

  @Test
  void everyCoreLossHasADjlImplementation() {
    List<String> core = Losses.types().stream().map(t -> t.name()).toList();
    assertEquals(core, List.copyOf(DjlLosses.supported()));
    for (String name : core) {
      assertTrue(java.util.Arrays.stream(SPECS).anyMatch(s -> s.startsWith(name) || s.contains("*" + name) || s.contains("+ " + name)),
          name + " has no parity row");
    }
  }

  @TestFactory
  Stream<DynamicTest> parity() {
    List<DynamicTest> tests = new ArrayList<>();
    long seed = 1;
    for (String spec : SPECS) {
      boolean pixel = spec.contains("bce") || spec.contains("focal") || spec.contains("combined") || spec.contains("lovasz");
      for (DjlLossOptions.CoreKernels kernels : pixel ? DjlLossOptions.CoreKernels.values() : new DjlLossOptions.CoreKernels[] {DjlLossOptions.CoreKernels.NEVER}) {
      for (boolean logits : new boolean[] {false, true}) {
        for (TestData.Weights w : TestData.Weights.values()) {
          for (boolean ignore : new boolean[] {false, true}) {
            if (ignore && w == TestData.Weights.IMAGE) continue;
            long s = seed++;
            String name = spec + (logits ? " logits" : " probs") + " weights=" + w + (ignore ? " ignore" : "")
                + (pixel ? " kernels=" + kernels : "");
            tests.add(DynamicTest.dynamicTest(name, () -> {
              SegLoss core = LossSpec.parse(spec);
              for (TestData.Case c : TestData.cases(s, logits, w, ignore)) {
                Compare.parity(core, c.input, spec + " on " + c + " kernels=" + kernels, kernels);
              }
            }));
          }
        }
      }
      }
    }
    assertTrue(tests.size() > 100);
    return tests.stream();
  }
}
