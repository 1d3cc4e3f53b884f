package dev.segloss.train.compare;

import dev.segloss.core.InvalidInputException;
import java.util.Arrays;
import java.util.Locale;

/**
 * The Wilcoxon signed-rank test for paired samples (Wilcoxon, "Individual Comparisons by Ranking
 * Methods", Biometrics Bulletin 1(6), 1945), two-sided.
 *
 * <p>With differences {@code d_i = x_i - y_i} (pairs with a NaN on either side are left out):
 *
 * <ol>
 *   <li>Zeros: {@link ZeroMethod#WILCOX} (default, Wilcoxon's original and SciPy's default) drops
 *       zero differences before ranking; {@link ZeroMethod#PRATT} (Pratt 1959) ranks them with the others
 *       and then drops their ranks, which keeps the test consistent when many differences are zero.
 *   <li>The absolute differences are ranked 1..n, tied values sharing their average rank.
 *   <li>{@code W+} is the sum of the ranks of positive differences, {@code W-} of negative ones; the
 *       statistic is {@code T = min(W+, W-)}.
 *   <li>p-value: <b>exact</b> when there are at most {@value #EXACT_MAX_N} non-zero differences, no ties
 *       and no zeros (the null distribution of {@code W+}, each rank's sign independent and fair, counted
 *       by dynamic programming over the 2^n sign patterns): {@code p = min(1, 2·P(W+ ≤ T))}. Otherwise the
 *       <b>normal approximation</b> with mean {@code n(n+1)/4} and variance {@code n(n+1)(2n+1)/24 −
 *       Σ(t³ − t)/48} over groups of t tied ranks (with Pratt's zeros: the zero ranks' share removed from
 *       both), and a continuity correction of 0.5 towards the mean (as R's {@code wilcox.test} does by
 *       default; Lehmann, "Nonparametrics", 1975, ch. 3).
 * </ol>
 *
 * Reference values: the critical values of T in the standard tables (e.g. n = 10: T ≤ 8 at two-sided α
 * = 0.05) and SciPy's documented example (the 15 differences of Darwin's maize data: T = 24, exact
 * two-sided p = 0.041259765625) are checked in the tests.
 */
public final class Wilcoxon {
  /** Largest number of non-zero differences for which the exact distribution is used. */
  public static final int EXACT_MAX_N = 50;

  /** How zero differences are treated. */
  public enum ZeroMethod {
    WILCOX,
    PRATT
  }

  /**
   * A test result.
   *
   * @param n pairs used (non-NaN; with WILCOX, non-zero)
   * @param zeros zero differences among the non-NaN pairs
   * @param wPlus sum of the ranks of positive differences
   * @param wMinus sum of the ranks of negative differences
   * @param statistic {@code min(W+, W-)}
   * @param z the normal deviate (NaN when the exact distribution was used)
   * @param p two-sided p-value (1 when there is nothing to test)
   * @param exact whether {@code p} is exact
   * @param medianDifference median of the differences (non-NaN pairs, zeros included)
   */
  public record Result(int n, int zeros, double wPlus, double wMinus, double statistic, double z, double p, boolean exact,
      double medianDifference) {
    @Override
    public String toString() {
      return String.format(Locale.ROOT, "W+=%.1f W-=%.1f n=%d zeros=%d p=%.4g%s", wPlus, wMinus, n, zeros, p, exact ? " (exact)" : "");
    }
  }

  private Wilcoxon() {}

  /** Two-sided test of x against y with Wilcox's zero handling. */
  public static Result test(double[] x, double[] y) {
    return test(x, y, ZeroMethod.WILCOX);
  }

  /** Two-sided test of x against y. */
  public static Result test(double[] x, double[] y, ZeroMethod zeros) {
    if (x.length != y.length) throw new InvalidInputException("wilcoxon: samples of different lengths " + x.length + " and " + y.length);
    double[] d = new double[x.length];
    int m = 0;
    for (int i = 0; i < x.length; i++) {
      double v = x[i] - y[i];
      if (!Double.isNaN(v)) d[m++] = v;
    }
    return ofDifferences(Arrays.copyOf(d, m), zeros);
  }

  /** Two-sided test of the differences {@code d} (NaNs are left out). */
  public static Result ofDifferences(double[] diffs, ZeroMethod zeroMethod) {
    double[] d = Arrays.stream(diffs).filter(v -> !Double.isNaN(v)).toArray();
    double median = median(d);
    int zeros = (int) Arrays.stream(d).filter(v -> v == 0).count();
    double[] use = zeroMethod == ZeroMethod.WILCOX ? Arrays.stream(d).filter(v -> v != 0).toArray() : d;
    int n = use.length;
    int nz = zeroMethod == ZeroMethod.PRATT ? zeros : 0;
    if (n - nz == 0) return new Result(n, zeros, 0, 0, 0, Double.NaN, 1.0, true, median);

    // rank |d| with average ranks for ties
    Integer[] idx = new Integer[n];
    for (int i = 0; i < n; i++) idx[i] = i;
    double[] abs = new double[n];
    for (int i = 0; i < n; i++) abs[i] = Math.abs(use[i]);
    Arrays.sort(idx, (a, b) -> Double.compare(abs[a], abs[b]));
    double[] rank = new double[n];
    double tieTerm = 0;
    boolean ties = false;
    for (int i = 0; i < n; ) {
      int j = i;
      while (j + 1 < n && abs[idx[j + 1]] == abs[idx[i]]) j++;
      double r = (i + 1 + j + 1) / 2.0;
      for (int k = i; k <= j; k++) rank[idx[k]] = r;
      int t = j - i + 1;
      // ties among the zeros (Pratt) do not enter the variance: their ranks are dropped
      if (t > 1 && abs[idx[i]] != 0) {
        ties = true;
        tieTerm += (double) t * t * t - t;
      }
      i = j + 1;
    }
    double wPlus = 0, wMinus = 0;
    for (int i = 0; i < n; i++) {
      if (use[i] > 0) wPlus += rank[i];
      else if (use[i] < 0) wMinus += rank[i];
    }
    double t = Math.min(wPlus, wMinus);
    if (!ties && nz == 0 && n <= EXACT_MAX_N) {
      double p = Math.min(1.0, 2 * exactCdf(n, t));
      return new Result(n, zeros, wPlus, wMinus, t, Double.NaN, p, true, median);
    }
    double mean = (n * (n + 1.0) - nz * (nz + 1.0)) / 4;
    double var = (n * (n + 1.0) * (2 * n + 1) - nz * (nz + 1.0) * (2 * nz + 1)) / 24 - tieTerm / 48;
    double diff = wPlus - mean;
    double corrected = Math.signum(diff) * Math.max(0, Math.abs(diff) - 0.5);
    double z = var > 0 ? corrected / Math.sqrt(var) : 0;
    double p = Math.min(1.0, 2 * normalSf(Math.abs(z)));
    return new Result(n, zeros, wPlus, wMinus, t, z, p, false, median);
  }

  /** P(W+ ≤ t) for n untied, non-zero differences under the null. */
  static double exactCdf(int n, double t) {
    int max = n * (n + 1) / 2;
    double[] count = new double[max + 1];
    count[0] = 1;
    int reach = 0;
    for (int r = 1; r <= n; r++) {
      for (int s = reach; s >= 0; s--) if (count[s] != 0) count[s + r] += count[s];
      reach += r;
    }
    double total = Math.pow(2, n);
    double c = 0;
    int tf = (int) Math.floor(t + 1e-9);
    for (int s = 0; s <= Math.min(tf, max); s++) c += count[s];
    return c / total;
  }

  /** Upper tail of the standard normal, 1 − Φ(z), via erfc (Numerical Recipes' Chebyshev fit, |error| < 1.2e-7). */
  static double normalSf(double z) {
    return 0.5 * erfc(z / Math.sqrt(2));
  }

  static double erfc(double x) {
    double z = Math.abs(x);
    double t = 1 / (1 + 0.5 * z);
    double r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
        + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
    return x >= 0 ? r : 2 - r;
  }

  static double median(double[] v) {
    if (v.length == 0) return Double.NaN;
    double[] s = v.clone();
    Arrays.sort(s);
    int h = s.length / 2;
    return s.length % 2 == 1 ? s[h] : (s[h - 1] + s[h]) / 2;
  }

  /**
   * Holm's step-down adjustment of p-values (Holm, "A Simple Sequentially Rejective Multiple Test
   * Procedure", Scand. J. Statist. 6, 1979): controls the family-wise error over all comparisons. NaN
   * entries are skipped.
   */
  public static double[] holm(double[] p) {
    int m = 0;
    for (double v : p) if (!Double.isNaN(v)) m++;
    Integer[] idx = new Integer[p.length];
    for (int i = 0; i < p.length; i++) idx[i] = i;
    Arrays.sort(idx, (a, b) -> Double.compare(Double.isNaN(p[a]) ? 2 : p[a], Double.isNaN(p[b]) ? 2 : p[b]));
    double[] out = new double[p.length];
    Arrays.fill(out, Double.NaN);
    double running = 0;
    for (int k = 0; k < m; k++) {
      int i = idx[k];
      running = Math.max(running, Math.min(1, (m - k) * p[i]));
      out[i] = running;
    }
    return out;
  }
}
