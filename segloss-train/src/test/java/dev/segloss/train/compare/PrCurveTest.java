package dev.segloss.train.compare;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segloss.core.InvalidInputException;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PrCurveTest {

  private static PrCurve curve(float[] p, float[] m) {
    return PrCurve.of(new float[][] {p}, new float[][] {m});
  }

  @Test
  void handWorkedCurve() {
    // thresholds 0.9, 0.8, 0.7, 0.6: (P, R) = (1, .5), (.5, .5), (2/3, 1), (.5, 1)
    PrCurve c = curve(new float[] {0.6f, 0.9f, 0.7f, 0.8f}, new float[] {0, 1, 1, 0});
    assertArrayEquals(new double[] {0.9f, 0.8f, 0.7f, 0.6f}, c.thresholds(), 0);
    assertArrayEquals(new double[] {1, 0.5, 2 / 3.0, 0.5}, c.precision(), 1e-15);
    assertArrayEquals(new double[] {0.5, 0.5, 1, 1}, c.recall(), 1e-15);
    // AP = 0.5·1 + 0·0.5 + 0.5·(2/3) (scikit-learn's average_precision_score gives 0.8333...)
    assertEquals(0.5 + 1 / 3.0, c.averagePrecision(), 1e-15);
    assertEquals(0.8, c.bestF1(), 1e-15);
    assertEquals(0.7f, c.bestThreshold(), 0);
  }

  @Test
  void perfectTiedAndInvertedRankings() {
    float[] m = {1, 1, 0, 0, 0};
    assertEquals(1.0, curve(new float[] {0.9f, 0.8f, 0.3f, 0.2f, 0.1f}, m).averagePrecision(), 1e-15);
    assertEquals(1.0, curve(new float[] {0.9f, 0.8f, 0.3f, 0.2f, 0.1f}, m).bestF1(), 1e-15);
    // all tied: one point, precision = prevalence at recall 1
    PrCurve tied = curve(new float[] {0.5f, 0.5f, 0.5f, 0.5f, 0.5f}, m);
    assertEquals(1, tied.thresholds().length);
    assertEquals(0.4, tied.averagePrecision(), 1e-15);
    // worst ranking: positives last; AP = (0.5)(1/4) + (0.5)(2/5)
    PrCurve worst = curve(new float[] {0.1f, 0.2f, 0.7f, 0.8f, 0.9f}, m);
    assertEquals(0.5 * 0.25 + 0.5 * 0.4, worst.averagePrecision(), 1e-15);
  }

  @Test
  void pooledOverImagesAndOrderInvariant() {
    SplittableRandom r = new SplittableRandom(5);
    float[] p = new float[500], m = new float[500];
    for (int i = 0; i < p.length; i++) {
      m[i] = r.nextDouble() < 0.1 ? 1 : 0;
      p[i] = (float) Math.min(1, Math.max(0, 0.3 * m[i] + r.nextDouble() * 0.7));
    }
    PrCurve whole = curve(p, m);
    float[][] ps = {java.util.Arrays.copyOfRange(p, 0, 200), java.util.Arrays.copyOfRange(p, 200, 500)};
    float[][] ms = {java.util.Arrays.copyOfRange(m, 0, 200), java.util.Arrays.copyOfRange(m, 200, 500)};
    PrCurve split = PrCurve.of(ps, ms);
    assertEquals(whole.averagePrecision(), split.averagePrecision(), 1e-12);
    assertEquals(whole.bestF1(), split.bestF1(), 1e-12);
    // reversed pixel order
    float[] pr = new float[p.length], mr = new float[m.length];
    for (int i = 0; i < p.length; i++) {
      pr[i] = p[p.length - 1 - i];
      mr[i] = m[m.length - 1 - i];
    }
    assertEquals(whole.averagePrecision(), curve(pr, mr).averagePrecision(), 1e-12);
    // informative scores beat the prevalence
    assertTrue(whole.averagePrecision() > whole.positives() / (double) whole.total());
    // best F1 equals the best pooled Dice over a threshold grid that includes every score
    double best = 0;
    for (float t : p) {
      long tp = 0, fp = 0, fn = 0;
      for (int i = 0; i < p.length; i++) {
        boolean pred = p[i] >= t, truth = m[i] >= 0.5f;
        if (pred && truth) tp++;
        else if (pred) fp++;
        else if (truth) fn++;
      }
      best = Math.max(best, 2.0 * tp / (2 * tp + fp + fn));
    }
    assertEquals(best, whole.bestF1(), 1e-12);
    double[][] pts = whole.plotPoints(50);
    assertTrue(pts[0].length <= 52);
    assertEquals(0, pts[0][0]);
    assertEquals(1.0, pts[0][pts[0].length - 1], 1e-15);
  }

  @Test
  void noForegroundAndBadInput() {
    PrCurve c = curve(new float[] {0.2f, 0.4f}, new float[] {0, 0});
    assertTrue(Double.isNaN(c.averagePrecision()));
    assertTrue(Double.isNaN(c.bestF1()));
    assertThrows(InvalidInputException.class, () -> curve(new float[] {Float.NaN}, new float[] {1}));
    assertThrows(InvalidInputException.class, () -> curve(new float[] {0.1f, 0.2f}, new float[] {1}));
  }
}
