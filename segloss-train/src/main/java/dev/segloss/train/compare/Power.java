package dev.segloss.train.compare;

import java.util.Locale;

/**
 * What the test set can show. With n paired test images and no ties, the most extreme outcome of the
 * two-sided Wilcoxon signed-rank test — every difference of one sign — has p = 2 / 2^n (exact null
 * distribution; the normal approximation beyond {@value Wilcoxon#EXACT_MAX_N} pairs gives a smaller one
 * still), and Holm's adjustment multiplies the smallest of m p-values by m. When m · 2 / 2^n is not below
 * α, no loss can be found significantly worse than the best, whatever the data: verdicts would only
 * restate the sample size, so none are given. With α = 0.05 that takes at least 6 images for one
 * comparison (2/64 = 0.031) and 8 for six (6 · 2/256 = 0.047).
 *
 * @param images test images whose Dice the best loss defines (the most pairs any comparison can have)
 * @param comparisons losses tested against the best
 * @param smallestP the smallest attainable two-sided p with that many pairs
 * @param smallestAdjusted the smallest attainable Holm-adjusted p: min(1, comparisons · smallestP)
 * @param alpha the significance level
 */
public record Power(int images, int comparisons, double smallestP, double smallestAdjusted, double alpha) {

  /** The power of {@code images} pairs over {@code comparisons} tests at level {@code alpha}. */
  public static Power of(int images, int comparisons, double alpha) {
    double p = smallestP(images);
    return new Power(images, comparisons, p, Math.min(1, Math.max(1, comparisons) * p), alpha);
  }

  /** The smallest two-sided p of the signed-rank test with n untied, non-zero pairs. */
  static double smallestP(int n) {
    if (n <= 0) return 1;
    double[] d = new double[n];
    for (int i = 0; i < n; i++) d[i] = i + 1;
    return Wilcoxon.ofDifferences(d, Wilcoxon.ZeroMethod.WILCOX).p();
  }

  /** Whether some comparison can reach significance. */
  public boolean enough() {
    return comparisons == 0 || smallestAdjusted < alpha;
  }

  /** One sentence: what the test set can show. */
  public String statement() {
    String p = images <= Wilcoxon.EXACT_MAX_N ? String.format(Locale.ROOT, "2/2^%d = %s", images, g(smallestP)) : g(smallestP);
    String holm = comparisons > 1 ? String.format(Locale.ROOT, " (%s after Holm's adjustment over %d comparisons)", g(smallestAdjusted), comparisons) : "";
    if (enough()) {
      return String.format(Locale.ROOT, "With %d paired test images the smallest attainable two-sided Wilcoxon p is %s%s.", images, p, holm);
    }
    return String.format(Locale.ROOT,
        "With %d paired test image%s the smallest attainable two-sided Wilcoxon p is %s%s, so no loss can be shown to differ from the best at p < %s whatever the results: no verdicts are given.",
        images, images == 1 ? "" : "s", p, holm, g(alpha));
  }

  /** Three significant digits (two below 0.001), without trailing zeros. */
  private static String g(double v) {
    if (v < 0.001) return String.format(Locale.ROOT, "%.2g", v);
    return new java.math.BigDecimal(v).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString();
  }
}
