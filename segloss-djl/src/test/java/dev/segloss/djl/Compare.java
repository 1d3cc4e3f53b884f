package dev.segloss.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segloss.core.InvalidInputException;
import dev.segloss.core.kernel.KernelSelector;
import dev.segloss.core.loss.LossInput;
import dev.segloss.core.loss.LossResult;
import dev.segloss.core.loss.SegLoss;

/**
 * Compares a DJL result with the core's: values within 1e-5 relative, plus an absolute floor of
 * 2<sup>-22</sup> (4 float32 ulps at 1) for values that come out of a cancellation, such as a region loss
 * 1 − score with score near 1 (soft labels with log/squared/soft Dice can even give small negative
 * values): the engine works on float32 data, so the score itself is known to about that much, as it is in
 * the core's own float-lane vector kernels. Gradients within 1e-4 of the largest core entry.
 */
final class Compare {
  static final double VALUE_TOL = 1e-5;
  static final double VALUE_FLOOR = 0x1p-22;
  static final double GRAD_TOL = 1e-4;

  private Compare() {}

  /** Asserts that DJL (value and autograd gradient) agrees with the core on this input. */
  static void parity(SegLoss core, LossInput in, String what) {
    parity(core, in, what, DjlLossOptions.CoreKernels.NEVER);
  }

  /**
   * As {@link #parity(SegLoss, LossInput, String)} with bce and focal computed where {@code kernels}
   * says; the reference is the core's scalar double-precision path.
   */
  static void parity(SegLoss core, LossInput in, String what, DjlLossOptions.CoreKernels kernels) {
    LossResult expected;
    try {
      expected = KernelSelector.scalar(() -> core.compute(in, true));
    } catch (InvalidInputException e) {
      // inputs the core rejects (e.g. pixel weights for lovasz): DJL rejects them with the same message
      InvalidInputException d = assertThrows(InvalidInputException.class, () -> DjlLossEngine.compute(core, in, true, kernels), what);
      assertEquals(e.getMessage(), d.getMessage(), what);
      return;
    }
    LossResult actual = DjlLossEngine.compute(core, in, true, kernels);
    values(expected.values(), actual.values(), what);
    gradients(expected.gradient(), actual.gradient(), what);
  }

  static void values(double[] expected, double[] actual, String what) {
    assertEquals(expected.length, actual.length, what + ": number of values");
    for (int i = 0; i < expected.length; i++) {
      double e = expected[i];
      double a = actual[i];
      assertTrue(Double.isFinite(e), what + ": core value " + e + " is not finite");
      double err = Math.abs(a - e);
      assertTrue(err <= VALUE_TOL * Math.abs(e) + VALUE_FLOOR,
          what + ": value[" + i + "] " + a + " vs core " + e + " (relative error " + err / Math.abs(e) + ")");
    }
  }

  static void gradients(float[] expected, float[] actual, String what) {
    assertEquals(expected.length, actual.length, what + ": gradient length");
    double scale = 0;
    for (float g : expected) scale = Math.max(scale, Math.abs(g));
    double worst = 0;
    int at = -1;
    for (int i = 0; i < expected.length; i++) {
      assertTrue(Float.isFinite(actual[i]), what + ": gradient[" + i + "] = " + actual[i]);
      double err = Math.abs(actual[i] - expected[i]);
      if (err > worst) {
        worst = err;
        at = i;
      }
    }
    assertTrue(worst <= GRAD_TOL * scale + 1e-12, what + ": gradient[" + at + "] " + (at < 0 ? "" : actual[at] + " vs core "
        + expected[at]) + " (error " + worst + ", largest core entry " + scale + ")");
  }
}
