package dev.segloss.core.loss;

import static dev.segloss.core.loss.SoftCounts.ABS;
import static dev.segloss.core.loss.SoftCounts.P;
import static dev.segloss.core.loss.SoftCounts.PP;
import static dev.segloss.core.loss.SoftCounts.PY;
import static dev.segloss.core.loss.SoftCounts.SIZE;
import static dev.segloss.core.loss.SoftCounts.W;
import static dev.segloss.core.loss.SoftCounts.Y;
import static dev.segloss.core.loss.SoftCounts.YY;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.segloss.core.spec.LossSpec;
import dev.segloss.core.testkit.TestInput;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link RegionLoss#valueOfCounts}, which engines use, differentiated by every count (including Σy and
 * &Sigma;w, which carry the class weights of {@code gdice} and the true negatives of {@code mcc}), against
 * central differences in double; and the special cases of the count functions.
 */
class RegionCountsTest {
  static final List<String> REGION_SPECS = List.of(
      "dice", "dice(squared=true, log=true)", "dice(soft=true)", "jaccard", "jaccard(log=true, soft=true)",
      "tversky(alpha=0.3, beta=0.7)", "tversky(gamma=0.75, soft=true)", "tversky(gamma=2.5, alpha=1.2, beta=0.1)",
      "gdice", "gdice(weighting=simple)", "gdice(weighting=uniform, smooth_nr=0.1)", "logcosh_dice",
      "logcosh_dice(squared=true, soft=true)", "mcc", "mcc(smooth=0.5)");

  /** Counts of a plausible image of w pixels (all constraints of real counts hold). */
  static double[] counts(Random r) {
    double w = 5 + 50 * r.nextDouble();
    double y = w * (0.1 + 0.8 * r.nextDouble());
    double p = w * (0.1 + 0.8 * r.nextDouble());
    double lo = Math.max(0, p + y - w);
    double py = lo + (Math.min(p, y) - lo) * (0.1 + 0.8 * r.nextDouble());
    double[] c = new double[SIZE];
    c[PY] = py;
    c[P] = p;
    c[Y] = y;
    c[PP] = p * (0.4 + 0.5 * r.nextDouble());
    c[YY] = y * (0.4 + 0.5 * r.nextDouble());
    c[ABS] = (p + y - 2 * py) * (0.5 + 0.5 * r.nextDouble());
    c[W] = w;
    return c;
  }

  static void checkDerivatives(RegionLoss<?> loss, double[] c, int[] which) {
    double[] d = new double[SIZE];
    loss.valueOfCounts(c, d);
    for (int j : which) {
      double h = 1e-5 * Math.max(1, Math.abs(c[j]));
      double[] cp = c.clone();
      double[] cm = c.clone();
      cp[j] += h;
      cm[j] -= h;
      double fd = (loss.valueOfCounts(cp, new double[SIZE]) - loss.valueOfCounts(cm, new double[SIZE])) / (2 * h);
      assertEquals(fd, d[j], 1e-6 * Math.max(1e-3, Math.abs(fd)), loss + ": d/dcount[" + j + "] at " + java.util.Arrays.toString(c));
    }
  }

  @Test
  void derivativesWithRespectToEveryCount() {
    Random r = new Random(7);
    int[] all = {PY, P, Y, PP, YY, ABS, W};
    for (String spec : REGION_SPECS) {
      RegionLoss<?> loss = (RegionLoss<?>) LossSpec.parse(spec);
      for (int t = 0; t < 20; t++) checkDerivatives(loss, counts(r), all);
    }
  }

  @Test
  void gdiceEmptyClassTakesTheOtherClassWeight() {
    GeneralizedDiceLoss g = GeneralizedDiceLoss.builder().smoothNr(0).smoothDr(0).build();
    // no foreground: Y = 0, W = 10, P = 2 → w_f = w_b = 1/100
    double[] c = new double[SIZE];
    c[P] = 2;
    c[W] = 10;
    double wB = 1 / 100.0;
    double num = 2 * (wB * 0 + wB * (10 - 2 - 0 + 0));
    double den = wB * (2 + 0) + wB * (20 - 2 - 0);
    assertEquals(1 - num / den, g.valueOfCounts(c, new double[SIZE]), 1e-15);
    checkDerivatives(g, c, new int[] {PY, P, W}); // Y = 0 is the branch itself
    // no background: Y = W = 10, P = 7, PY = 6 → both weights 1/100
    c[Y] = 10;
    c[P] = 7;
    c[PY] = 6;
    num = 2 * (6 + (10 - 7 - 10 + 6));
    den = (7 + 10) + (20 - 7 - 10);
    assertEquals(1 - num / den, g.valueOfCounts(c, new double[SIZE]), 1e-15);
    checkDerivatives(g, c, new int[] {PY, P});
    // nothing counted: weights 1, loss 1 − smooth_nr/smooth_dr
    assertEquals(0.0, GeneralizedDiceLoss.create().valueOfCounts(new double[SIZE], new double[SIZE]), 1e-15);
  }

  @Test
  void mccZeroDenominatorGivesLossOneAndZeroGradient() {
    MccLoss m = MccLoss.builder().smooth(0).build();
    double[] c = new double[SIZE];
    c[P] = 3; // some prediction, no foreground label: TP + FN = 0
    c[W] = 10;
    double[] d = new double[SIZE];
    assertEquals(1.0, m.valueOfCounts(c, d), 0);
    assertArrayEquals(new double[SIZE], d, 0);
    // and through compute(): all-background image, smooth 0
    TestInput in = TestInput.probs("bg", new int[] {1, 4}, new float[4], new float[] {0.2f, 0.4f, 0.6f, 0.1f});
    LossResult res = m.compute(in.lossInput(), true);
    assertEquals(1.0, res.value(), 0);
    assertArrayEquals(new float[4], res.gradient(), 0f);
  }

  @Test
  void tverskyClampsAnIndexAboveOneForNonUnitGamma() {
    // smooth_nr > smooth_dr with nothing predicted nor labelled: TI = 1/0.5 = 2
    double[] c = new double[SIZE];
    c[W] = 4;
    double[] d = new double[SIZE];
    assertEquals(-1.0, TverskyLoss.builder().smoothNr(1).smoothDr(0.5).build().valueOfCounts(c, d), 1e-15);
    assertEquals(0.0, TverskyLoss.builder().smoothNr(1).smoothDr(0.5).gamma(2).build().valueOfCounts(c, d), 0);
    assertArrayEquals(new double[SIZE], d, 0);
  }
}
