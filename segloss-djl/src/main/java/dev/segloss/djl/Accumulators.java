package dev.segloss.djl;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * DJL's loss accumulator semantics, kept in doubles: every update adds the sum of one evaluation's
 * values and counts one instance; the accumulator reads total / instances (so an epoch's loss is the
 * mean of its batch losses, exactly as {@link ai.djl.training.loss.Loss} reports it). Thread-safe.
 */
final class Accumulators {
  private final Map<String, double[]> totals = new ConcurrentHashMap<>();

  void add(String key) {
    totals.put(key, new double[2]);
  }

  void update(String key, double value) {
    double[] t = totals.get(key);
    if (t == null) throw new IllegalArgumentException("No loss found at that path: " + key);
    synchronized (t) {
      t[0] += value;
      t[1] += 1;
    }
  }

  void reset(String key) {
    double[] t = totals.get(key);
    if (t == null) {
      add(key);
      return;
    }
    synchronized (t) {
      t[0] = 0;
      t[1] = 0;
    }
  }

  float get(String key) {
    double[] t = totals.get(key);
    if (t == null) throw new IllegalArgumentException("No loss found at that path: " + key);
    synchronized (t) {
      return t[1] == 0 ? Float.NaN : (float) (t[0] / t[1]);
    }
  }
}
