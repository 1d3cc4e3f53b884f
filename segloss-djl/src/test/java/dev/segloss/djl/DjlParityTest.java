package dev.segloss.djl;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segloss.core.loss.Losses;
import dev.segloss.core.loss.SegLoss;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
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
  };

  @TestFactory
  Stream<DynamicTest> parity() {
    List<DynamicTest> tests = new ArrayList<>();
    long seed = 1;
    for (String spec : SPECS) {
      for (boolean logits : new boolean[] {false, true}) {
        for (TestData.Weights w : TestData.Weights.values()) {
          for (boolean ignore : new boolean[] {false, true}) {
            if (ignore && w == TestData.Weights.IMAGE) continue;
            long s = seed++;
            String name = spec + (logits ? " logits" : " probs") + " weights=" + w + (ignore ? " ignore" : "");
            tests.add(DynamicTest.dynamicTest(name, () -> {
              SegLoss core = Losses.parse(spec);
              for (TestData.Case c : TestData.cases(s, logits, w, ignore)) {
                Compare.parity(core, c.input, spec + " on " + c);
              }
            }));
          }
        }
      }
    }
    assertTrue(tests.size() > 100);
    return tests.stream();
  }
}
