package dev.segloss.core.loss;

import java.util.Arrays;

/** Scalar helpers in double shared by the losses. */
public final class Functions {
  private Functions() {}

  /** The logistic function, stable for any x. */
  public static double sigmoid(double x) {
    if (x >= 0) return 1.0 / (1.0 + Math.exp(-x));
    double e = Math.exp(x);
    return e / (1.0 + e);
  }

  /** log(1 + e^x), stable for any x. */
  public static double softplus(double x) {
    return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
  }

  /**
   * The float32 clip bounds [eps, 1 − eps] as Keras and TF compute them in float32. Below float32
   * resolution (eps &lt; 2^-25 makes 1 − eps round to 1, eps &lt; 2^-149 rounds to 0) the bounds stay just
   * inside (0, 1) — the smallest normal float and the float below 1 — so that the clipped log stays finite.
   */
  public static float lowerClip(double eps) {
    return Math.max((float) eps, Float.MIN_NORMAL);
  }

  /** See {@link #lowerClip}. */
  public static float upperClip(double eps) {
    return Math.min(1f - (float) eps, Math.nextDown(1f));
  }

  /** log(p / (1 − p)). */
  public static double logit(double p) {
    return Math.log(p) - Math.log1p(-p);
  }

  /** Label smoothing toward 0.5: y(1 − s) + s/2 (Keras convention). */
  public static double smooth(double y, double s) {
    return s == 0 ? y : y * (1 - s) + 0.5 * s;
  }

  /** log(cosh(x)), stable for any x (its derivative is tanh x). */
  public static double logCosh(double x) {
    double a = Math.abs(x);
    return a + Math.log1p(Math.exp(-2 * a)) - Math.log(2);
  }

  /** The image weights of an input: its per-image weights, or all 1. */
  static double[] imageWeights(LossInput in) {
    double[] w = new double[in.batch()];
    for (int n = 0; n < w.length; n++) w[n] = in.imageWeight(n);
    return w;
  }

  /**
   * Sorts the pairs (keys[j], idx[j]), j &lt; n, by decreasing key; equal keys keep their order (a stable
   * sort, in {@link Double#compare} order: +0.0 before −0.0, NaN first; the Lovász hinge passes only
   * positive keys). Each pair is first packed in one long — the order-preserving unsigned integer image of the key
   * rounded to float32 (complemented, for decreasing order) in the high 32 bits, the position j in the
   * low 32 — and the longs are sorted by their high half with a stable LSD radix sort (three passes of
   * 11, 11 and 10 bits; {@link Arrays#sort(long[], int, int)} below 256 pairs, where the positions in the
   * low half make it stable too): linear time, 2.0–2.2× faster than the merge sort it replaced on the
   * 4,096 pixels of a 64×64 image and 6.8–7.4× on 512×512 ({@code LovaszSortBenchmark}; the Lovász hinge's cost is
   * this sort). Rounding is monotone, so this order is
   * already the exact one except inside runs of keys that round to the same float32 (usually none or a
   * few pairs); each such run is then sorted by the exact keys, stably, so the result is the order of a
   * stable sort on the double keys.
   */
  static void sortDescending(double[] keys, int[] idx, int n) {
    long[] packed = new long[n];
    for (int j = 0; j < n; j++) {
      int bits = Float.floatToIntBits((float) keys[j]);
      int ordered = bits ^ ((bits >> 31) & 0x7FFFFFFF); // signed, monotone in the float's value
      int descending = ~ordered ^ Integer.MIN_VALUE; // unsigned, decreasing in the float's value
      packed[j] = ((long) descending << 32) | j;
    }
    if (n < 256) {
      for (int j = 0; j < n; j++) packed[j] ^= Long.MIN_VALUE; // signed order of the longs = unsigned of the keys
      Arrays.sort(packed, 0, n);
      for (int j = 0; j < n; j++) packed[j] ^= Long.MIN_VALUE;
    } else {
      packed = radixSortHigh(packed, n);
    }
    double[] k = new double[n];
    int[] i = new int[n];
    for (int r = 0; r < n; r++) {
      int j = (int) packed[r];
      k[r] = keys[j];
      i[r] = idx[j];
    }
    for (int a = 0; a < n; ) {
      int b = a + 1;
      while (b < n && (packed[b] >>> 32) == (packed[a] >>> 32)) b++;
      if (b - a > 1) stableSortDescending(k, i, a, b);
      a = b;
    }
    System.arraycopy(k, 0, keys, 0, n);
    System.arraycopy(i, 0, idx, 0, n);
  }

  /** Stable LSD radix sort of v[0..n) by the unsigned high 32 bits (digits of 11, 11, 10 bits); returns the sorted array. */
  private static long[] radixSortHigh(long[] v, int n) {
    long[] src = v, dst = new long[n];
    int[] count = new int[2049];
    for (int shift = 32; shift < 64; shift += 11) {
      int mask = shift + 11 <= 64 ? 0x7FF : (1 << (64 - shift)) - 1;
      Arrays.fill(count, 0);
      for (int j = 0; j < n; j++) count[(int) (src[j] >>> shift) & mask]++;
      if (count[(int) (src[0] >>> shift) & mask] == n) continue; // one digit value: the pass keeps the order
      int sum = 0;
      for (int d = 0; d <= mask; d++) {
        int c = count[d];
        count[d] = sum;
        sum += c;
      }
      for (int j = 0; j < n; j++) dst[count[(int) (src[j] >>> shift) & mask]++] = src[j];
      long[] t = src;
      src = dst;
      dst = t;
    }
    return src;
  }

  /**
   * Stable sort of the pairs in [from, to) by decreasing key: insertion for short runs, else bottom-up
   * merges moving keys and indices together (the Lovász hinge's whole sort before the radix sort; kept
   * for runs of float32 ties, and as {@code LovaszSortBenchmark}'s baseline).
   */
  static void stableSortDescending(double[] keys, int[] idx, int from, int to) {
    int n = to - from;
    if (n <= 32) {
      for (int a = from + 1; a < to; a++) {
        double key = keys[a];
        int id = idx[a];
        int b = a - 1;
        while (b >= from && keys[b] < key) {
          keys[b + 1] = keys[b];
          idx[b + 1] = idx[b];
          b--;
        }
        keys[b + 1] = key;
        idx[b + 1] = id;
      }
      return;
    }
    double[] ks = Arrays.copyOfRange(keys, from, to), kd = new double[n];
    int[] is = Arrays.copyOfRange(idx, from, to), id = new int[n];
    for (int width = 1; width < n; width *= 2) {
      for (int lo = 0; lo < n; lo += 2 * width) {
        int mid = Math.min(lo + width, n);
        int hi = Math.min(lo + 2 * width, n);
        int a = lo, b = mid, c = lo;
        while (a < mid && b < hi) {
          if (ks[b] > ks[a]) {
            kd[c] = ks[b];
            id[c++] = is[b++];
          } else {
            kd[c] = ks[a];
            id[c++] = is[a++];
          }
        }
        while (a < mid) {
          kd[c] = ks[a];
          id[c++] = is[a++];
        }
        while (b < hi) {
          kd[c] = ks[b];
          id[c++] = is[b++];
        }
      }
      double[] tk = ks;
      ks = kd;
      kd = tk;
      int[] ti = is;
      is = id;
      id = ti;
    }
    System.arraycopy(ks, 0, keys, from, n);
    System.arraycopy(is, 0, idx, from, n);
  }

  /**
   * The k-th largest of {@code v[0..n)} (k = 1 is the maximum), by quickselect on a copy; expected linear
   * time. {@code scratch} has room for n doubles.
   */
  static double kthLargest(double[] v, int n, int k, double[] scratch) {
    if (k < 1 || k > n) throw new IllegalArgumentException("k = " + k + " for " + n + " values");
    System.arraycopy(v, 0, scratch, 0, n);
    int target = k - 1; // index in descending order
    int lo = 0;
    int hi = n - 1;
    while (lo < hi) {
      // median of three as pivot; partition into > pivot | == pivot | < pivot (Dutch flag)
      double a = scratch[lo];
      double b = scratch[(lo + hi) >>> 1];
      double c = scratch[hi];
      double pivot = Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
      int lt = lo;
      int i = lo;
      int gt = hi;
      while (i <= gt) {
        double x = scratch[i];
        if (x > pivot) {
          scratch[i++] = scratch[lt];
          scratch[lt++] = x;
        } else if (x < pivot) {
          scratch[i] = scratch[gt];
          scratch[gt--] = x;
        } else {
          i++;
        }
      }
      if (target < lt) {
        hi = lt - 1;
      } else if (target > gt) {
        lo = gt + 1;
      } else {
        return pivot;
      }
    }
    return scratch[target];
  }
}
