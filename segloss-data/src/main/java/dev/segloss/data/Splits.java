package dev.segloss.data;

import dev.segloss.core.InvalidInputException;
import java.util.SplittableRandom;

/**
 * Deterministic train/validation/test splits.
 *
 * <p>{@link #random}: the sizes are {@code round(n * test)} and {@code round(n * val)}, at least 1 each
 * when the fraction is positive; the rest is training. The split is stratified on whether the mask is
 * empty, so every part gets its share of empty images: the non-empty and empty images are each shuffled
 * with the seed, laid end to end, and dealt to the parts in proportion (each next image goes to the part
 * furthest behind its quota). Volumes are split in contiguous slabs instead, see {@link dev.segloss.data.nifti.NiftiLoader}.
 */
public final class Splits {
  private Splits() {}

  /** The part of each of {@code empty.length} images. */
  public static Split[] random(boolean[] empty, double val, double test, long seed) {
    int n = empty.length;
    int[] counts = counts(n, val, test);
    SplittableRandom rng = Rng.stream(seed, Rng.SPLIT, n);
    int[] perm = Rng.permutation(n, rng);
    int[] order = new int[n];
    int k = 0;
    for (int p : perm) if (!empty[p]) order[k++] = p;
    for (int p : perm) if (empty[p]) order[k++] = p;
    return deal(order, counts);
  }

  /** {train, val, test} sizes for n items. */
  static int[] counts(int n, double val, double test) {
    int nTest = test > 0 ? Math.max(1, (int) Math.round(n * test)) : 0;
    int nVal = val > 0 ? Math.max(1, (int) Math.round(n * val)) : 0;
    int nTrain = n - nTest - nVal;
    if (nTrain < 1) {
      throw new InvalidInputException("--data: " + n + " images are too few for a split with val fraction " + val
          + " and test fraction " + test + " (at least one training image is needed)");
    }
    return new int[] {nTrain, nVal, nTest};
  }

  /** Deals {@code order} to the parts so that every prefix is split as close to proportion as possible. */
  static Split[] deal(int[] order, int[] counts) {
    int n = order.length;
    Split[] out = new Split[n];
    int[] given = new int[3];
    Split[] parts = Split.values();
    for (int p = 0; p < n; p++) {
      int best = -1;
      double bestLag = Double.NEGATIVE_INFINITY;
      for (int s = 0; s < 3; s++) {
        if (given[s] >= counts[s]) continue;
        double lag = (p + 1.0) * counts[s] / n - given[s];
        if (lag > bestLag) {
          bestLag = lag;
          best = s;
        }
      }
      given[best]++;
      out[order[p]] = parts[best];
    }
    return out;
  }
}
