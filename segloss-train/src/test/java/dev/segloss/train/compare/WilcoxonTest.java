package dev.segloss.train.compare;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class WilcoxonTest {

  /**
   * Critical values of T = min(W+, W-) for the two-sided test at α = 0.05 and α = 0.01 from the standard
   * tables (e.g. Siegel &amp; Castellan, "Nonparametric Statistics for the Behavioral Sciences", 1988, Table
   * H; the same in most statistics textbooks): T ≤ critical rejects, T = critical + 1 does not.
   */
  @ParameterizedTest(name = "n={0}: T<={1} at 5%, T<={2} at 1%")
  @CsvSource({
    "6,0,-1", "7,2,-1", "8,3,0", "9,5,1", "10,8,3", "11,10,5", "12,13,7", "13,17,9", "14,21,12", "15,25,15",
    "16,29,19", "17,34,23", "18,40,27", "19,46,32", "20,52,37", "21,58,42", "22,65,48", "23,73,54", "24,81,61", "25,89,68"
  })
  void exactPValuesReproduceTheTabulatedCriticalValues(int n, int crit05, int crit01) {
    assertTrue(p(n, crit05) <= 0.05, "n=" + n + " T=" + crit05 + " p=" + p(n, crit05));
    assertTrue(p(n, crit05 + 1) > 0.05, "n=" + n + " T=" + (crit05 + 1) + " p=" + p(n, crit05 + 1));
    if (crit01 >= 0) assertTrue(p(n, crit01) <= 0.01, "n=" + n + " T=" + crit01);
    assertTrue(p(n, crit01 + 1) > 0.01, "n=" + n + " T=" + (crit01 + 1));
  }

  /** Two-sided exact p of T for n untied differences, through the public entry point. */
  private static double p(int n, int t) {
    // ranks 1..n; make the negative ranks sum to t: greedy from the largest rank that fits
    double[] d = new double[n];
    for (int i = 0; i < n; i++) d[i] = i + 1;
    int rest = t;
    for (int r = n; r >= 1 && rest > 0; r--) {
      if (r <= rest) {
        d[r - 1] = -r;
        rest -= r;
      }
    }
    Wilcoxon.Result res = Wilcoxon.ofDifferences(d, Wilcoxon.ZeroMethod.WILCOX);
    assertEquals(t, res.statistic(), 0.0);
    assertTrue(res.exact());
    return res.p();
  }

  @Test
  void scipyDocumentedExample() {
    // SciPy's scipy.stats.wilcoxon example (Darwin's maize height differences, in eighths of an inch)
    double[] d = {6, 8, 14, 16, 23, 24, 28, 29, 41, -48, 49, 56, 60, -67, 75};
    Wilcoxon.Result r = Wilcoxon.ofDifferences(d, Wilcoxon.ZeroMethod.WILCOX);
    assertEquals(24, r.statistic(), 0.0);
    assertEquals(24, r.wMinus(), 0.0);
    assertEquals(96, r.wPlus(), 0.0);
    assertTrue(r.exact());
    assertEquals(0.041259765625, r.p(), 1e-12);
  }

  @Test
  void tiesAndZerosUseTheCorrectedNormalApproximation() {
    // |d| ranks: 1→1, 2,2→2.5, 3→4, 4,4,4→6, 5→8, 6→9, 7→10; the zero is dropped (Wilcox)
    double[] x = {1, 2, 2, -3, 4, 4, 4, 5, -6, 7, 0};
    Wilcoxon.Result r = Wilcoxon.ofDifferences(x, Wilcoxon.ZeroMethod.WILCOX);
    assertEquals(10, r.n());
    assertEquals(1, r.zeros());
    assertEquals(42, r.wPlus(), 0.0);
    assertEquals(13, r.wMinus(), 0.0);
    assertFalse(r.exact());
    double var = 10 * 11 * 21 / 24.0 - ((8 - 2) + (27 - 3)) / 48.0; // 95.625
    assertEquals((42 - 27.5 - 0.5) / Math.sqrt(var), r.z(), 1e-12);
    // R: wilcox.test(c(1,2,2,-3,4,4,4,5,-6,7,0)) → V = 42, p-value = 0.1522
    assertEquals(0.1522, r.p(), 2e-4);
  }

  @Test
  void prattKeepsZerosInTheRanking() {
    // zeros take ranks 1 and 2 and are then dropped: the others rank 3..6
    double[] d = {0, 0, 1, 2, -3, 4};
    Wilcoxon.Result r = Wilcoxon.ofDifferences(d, Wilcoxon.ZeroMethod.PRATT);
    assertEquals(3 + 4 + 6, r.wPlus(), 0.0);
    assertEquals(5, r.wMinus(), 0.0);
    double mean = (6 * 7 - 2 * 3) / 4.0;
    double var = (6 * 7 * 13 - 2 * 3 * 5) / 24.0;
    assertEquals((13 - mean - 0.5) / Math.sqrt(var), r.z(), 1e-12);
    Wilcoxon.Result w = Wilcoxon.ofDifferences(d, Wilcoxon.ZeroMethod.WILCOX);
    assertEquals(1 + 2 + 4, w.wPlus(), 0.0);
    assertTrue(w.exact());
  }

  @Test
  void pairedSamplesNaNsAndDegenerateCases() {
    double[] a = {0.9, 0.8, Double.NaN, 0.7, 0.6};
    double[] b = {0.8, 0.8, 0.5, 0.5, 0.7};
    Wilcoxon.Result r = Wilcoxon.test(a, b);
    assertEquals(3, r.n()); // NaN pair and the zero dropped
    assertEquals(1, r.zeros());
    Wilcoxon.Result none = Wilcoxon.test(new double[] {1, 2}, new double[] {1, 2});
    assertEquals(1.0, none.p());
    assertEquals(0, none.n());
    // symmetric: swapping the samples swaps W+ and W-, same p
    Wilcoxon.Result s = Wilcoxon.test(b, a);
    assertEquals(r.wPlus(), s.wMinus());
    assertEquals(r.p(), s.p(), 1e-15);
  }

  @Test
  void holmAdjustment() {
    // p = 0.01, 0.04, 0.03 over m = 3: sorted 0.01·3 = 0.03, 0.03·2 = 0.06, max(0.06, 0.04·1) = 0.06
    assertArrayEquals(new double[] {0.03, 0.06, 0.06}, Wilcoxon.holm(new double[] {0.01, 0.04, 0.03}), 1e-15);
    double[] withNaN = Wilcoxon.holm(new double[] {Double.NaN, 0.2, 0.9});
    assertTrue(Double.isNaN(withNaN[0]));
    assertArrayEquals(new double[] {0.4, 0.9}, new double[] {withNaN[1], withNaN[2]}, 1e-15);
  }

  @Test
  void normalTailAgainstKnownValues() {
    // Φ upper tail at 1.959964 = 0.025, at 3 = 0.0013499
    assertEquals(0.025, Wilcoxon.normalSf(1.959963984540054), 2e-7);
    assertEquals(0.0013498980316301, Wilcoxon.normalSf(3), 2e-7);
    assertEquals(0.5, Wilcoxon.normalSf(0), 2e-7);
  }
}
