package dev.segloss.core.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link Functions#sortDescending}, the Lovász hinge's sort, against a stable sort of boxed indices. */
class SortDescendingTest {
  /** Decreasing; equal keys keep their order. */
  static int[] referenceOrder(double[] keys) {
    Integer[] order = new Integer[keys.length];
    for (int j = 0; j < order.length; j++) order[j] = j;
    Arrays.sort(order, Comparator.comparingDouble((Integer j) -> keys[j]).reversed()); // stable
    return Arrays.stream(order).mapToInt(Integer::intValue).toArray();
  }

  static void check(double[] keys, String what) {
    int n = keys.length;
    int[] idx = new int[n];
    for (int j = 0; j < n; j++) idx[j] = 1000 + 3 * j;
    double[] k = keys.clone();
    Functions.sortDescending(k, idx, n);
    int[] ref = referenceOrder(keys);
    double[] refKeys = new double[n];
    int[] refIdx = new int[n];
    for (int r = 0; r < n; r++) {
      refKeys[r] = keys[ref[r]];
      refIdx[r] = 1000 + 3 * ref[r];
    }
    assertArrayEquals(refIdx, idx, what + ": indices");
    assertArrayEquals(refKeys, k, 0, what + ": keys (moved with their indices, not rounded)");
  }

  @Test
  void matchesAStableSortOnTable() {
    check(new double[] {}, "empty");
    check(new double[] {2.5}, "one");
    check(new double[] {1, 3, 2}, "three");
    check(new double[] {1, 1, 1, 1}, "all tied: pixel order");
    check(new double[] {-1, 0.5, -3, 0, 2, -0.25}, "negative keys");
    check(new double[] {1 + 1e-12, 1, 1 - 1e-12, 2}, "equal in float32, not in float64: the exact order");
    check(new double[] {Double.MAX_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE, Float.MIN_VALUE, -Float.MIN_VALUE}, "extremes");
  }

  @Test
  void matchesAStableSortOnRandomKeysWithTies() {
    SplittableRandom r = new SplittableRandom(11);
    for (int trial = 0; trial < 200; trial++) {
      int n = 1 + r.nextInt(trial < 100 ? 60 : 3000); // runs of float32 ties short and long
      double[] keys = new double[n];
      for (int j = 0; j < n; j++) {
        switch (r.nextInt(4)) {
          case 0: keys[j] = r.nextInt(5); break; // exact ties
          case 1: keys[j] = 1 + r.nextInt(1000) * 1e-12; break; // equal in float32, distinct in float64
          default: keys[j] = 1 + 3 * r.nextGaussian();
        }
      }
      check(keys, "trial " + trial + " n=" + n);
    }
  }
}
