package dev.segloss.train.compare;

/**
 * Mean, sample standard deviation (n − 1 in the denominator; NaN for fewer than two values) and count of
 * the finite values of a sample; NaN mean when there are none.
 */
public record Stat(double mean, double std, int n) {
  public static Stat of(double... values) {
    double sum = 0;
    int n = 0;
    for (double v : values) {
      if (Double.isFinite(v)) {
        sum += v;
        n++;
      }
    }
    if (n == 0) return new Stat(Double.NaN, Double.NaN, 0);
    double mean = sum / n, ss = 0;
    for (double v : values) if (Double.isFinite(v)) ss += (v - mean) * (v - mean);
    return new Stat(mean, n > 1 ? Math.sqrt(ss / (n - 1)) : Double.NaN, n);
  }
}
