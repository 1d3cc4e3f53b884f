package dev.segloss.core.metrics;

import java.util.EnumMap;
import java.util.Map;

/** The metrics of one image: its name, counts and every {@link Metric} (NaN where undefined or not computed). */
public final class ImageMetrics implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  private final String name;
  private final Confusion counts;
  private final double[] values;

  ImageMetrics(String name, Confusion counts, double[] values) {
    this.name = name;
    this.counts = counts;
    this.values = values;
  }

  /** The image's name (file stem, or the batch index as text). */
  public String name() {
    return name;
  }

  public Confusion counts() {
    return counts;
  }

  public double get(Metric m) {
    return values[m.ordinal()];
  }

  /** All metrics in {@link Metric} order. */
  public Map<Metric, Double> asMap() {
    Map<Metric, Double> m = new EnumMap<>(Metric.class);
    for (Metric k : Metric.values()) m.put(k, values[k.ordinal()]);
    return m;
  }

  @Override
  public String toString() {
    return name + " " + counts + " " + asMap();
  }
}
