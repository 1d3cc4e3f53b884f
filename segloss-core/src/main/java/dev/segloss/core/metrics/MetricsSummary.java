package dev.segloss.core.metrics;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Aggregates of per-image metrics:
 *
 * <ul>
 *   <li><b>micro</b>: the count metrics ({@link Metric#COUNT_METRICS}) of the pooled counts of all images
 *       (every pixel weighs the same; surface distances have no micro average);
 *   <li><b>macro</b>: for every metric, the mean, standard deviation and number of the images' values,
 *       NaN values left out (nnU-Net's {@code nanmean}); the standard deviation is the population one
 *       (NumPy's {@code std}, ddof = 0). With no value left, mean and std are NaN and n is 0.
 * </ul>
 */
public final class MetricsSummary {
  /** Mean, standard deviation and count of the non-NaN values of one metric. */
  public static final class Stat {
    private final double mean;
    private final double std;
    private final int n;

    Stat(double mean, double std, int n) {
      this.mean = mean;
      this.std = std;
      this.n = n;
    }

    public double mean() {
      return mean;
    }

    public double std() {
      return std;
    }

    public int n() {
      return n;
    }

    @Override
    public String toString() {
      return mean + " ± " + std + " (n=" + n + ")";
    }
  }

  private final int images;
  private final Confusion pooled;
  private final Map<Metric, Double> micro;
  private final Map<Metric, Stat> macro;

  private MetricsSummary(int images, Confusion pooled, Map<Metric, Double> micro, Map<Metric, Stat> macro) {
    this.images = images;
    this.pooled = pooled;
    this.micro = micro;
    this.macro = macro;
  }

  /** Summarises {@code perImage}; {@code metrics} computes the micro values with its beta and empty policy. */
  public static MetricsSummary of(List<ImageMetrics> perImage, SegmentationMetrics metrics) {
    Confusion pooled = Confusion.ZERO;
    for (ImageMetrics im : perImage) pooled = pooled.plus(im.counts());
    Map<Metric, Double> micro = new EnumMap<>(Metric.class);
    double[] values = metrics.countMetrics(pooled);
    for (Metric m : Metric.COUNT_METRICS) micro.put(m, values[m.ordinal()]);
    Map<Metric, Stat> macro = new EnumMap<>(Metric.class);
    for (Metric m : Metric.values()) {
      double sum = 0;
      int n = 0;
      for (ImageMetrics im : perImage) {
        double v = im.get(m);
        if (!Double.isNaN(v)) {
          sum += v;
          n++;
        }
      }
      double mean = n == 0 ? Double.NaN : sum / n;
      double ss = 0;
      for (ImageMetrics im : perImage) {
        double v = im.get(m);
        if (!Double.isNaN(v)) ss += (v - mean) * (v - mean);
      }
      macro.put(m, new Stat(mean, n == 0 ? Double.NaN : Math.sqrt(ss / n), n));
    }
    return new MetricsSummary(perImage.size(), pooled, micro, macro);
  }

  /** Number of images summarised. */
  public int images() {
    return images;
  }

  /** The pooled counts. */
  public Confusion pooled() {
    return pooled;
  }

  /** Micro value of a count metric (NaN for the distance metrics). */
  public double micro(Metric m) {
    Double v = micro.get(m);
    return v == null ? Double.NaN : v;
  }

  public Stat macro(Metric m) {
    return macro.get(m);
  }
}
