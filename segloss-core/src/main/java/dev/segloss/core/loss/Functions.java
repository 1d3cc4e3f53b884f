package dev.segloss.core.loss;

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

  /**
   * The region-style reduction of one value per image (or per group): with image weights w_n (1 when
   * absent), {@code MEAN} = &Sigma;w_n·L_n / N, {@code WEIGHTED_MEAN} = &Sigma;w_n·L_n / &Sigma;w_n,
   * {@code SUM} = &Sigma;w_n·L_n, {@code NONE} = the values w_n·L_n. Writes d(reported total)/dL_n into
   * {@code factor} and returns the reported values.
   */
  static double[] reduceImageValues(double[] values, double[] imageWeights, Reduction reduction, double[] factor) {
    double scale = reductionScale(imageWeights, reduction);
    for (int g = 0; g < values.length; g++) factor[g] = imageWeights[g] * scale;
    return reduceImageValues(values, imageWeights, reduction, scale);
  }

  /**
   * The scale s of the region reduction, known before any value: the reported value is s·&Sigma;w_n·L_n
   * (1 for {@code SUM} and per value for {@code NONE}, 1/N for {@code MEAN}, 1/&Sigma;w_n for
   * {@code WEIGHTED_MEAN}, 0 when the weights sum to 0), so d(reported total)/dL_n = s·w_n.
   */
  static double reductionScale(double[] imageWeights, Reduction reduction) {
    int groups = imageWeights.length;
    double weightTotal = 0;
    for (double w : imageWeights) weightTotal += w;
    switch (reduction) {
      case NONE:
      case SUM: return 1.0;
      case MEAN: return groups > 0 ? 1.0 / groups : 0;
      case WEIGHTED_MEAN: return weightTotal > 0 ? 1.0 / weightTotal : 0;
      default: throw new AssertionError(reduction);
    }
  }

  /** The reported values for a {@link #reductionScale scale}: w_n·L_n with {@code NONE}, else s·&Sigma;w_n·L_n. */
  static double[] reduceImageValues(double[] values, double[] imageWeights, Reduction reduction, double scale) {
    if (reduction == Reduction.NONE) {
      double[] out = new double[values.length];
      for (int g = 0; g < values.length; g++) out[g] = imageWeights[g] * values[g];
      return out;
    }
    double s = 0;
    for (int g = 0; g < values.length; g++) s += imageWeights[g] * values[g];
    return new double[] {s * scale};
  }

  /** The image weights of an input: its per-image weights, or all 1. */
  static double[] imageWeights(LossInput in) {
    double[] w = new double[in.batch()];
    for (int n = 0; n < w.length; n++) w[n] = in.imageWeight(n);
    return w;
  }

  /**
   * Sorts the pairs (keys[j], idx[j]), j &lt; n, by decreasing key; equal keys keep their order (a stable
   * bottom-up merge sort that moves keys and indices together, so the passes read memory in order).
   * {@code keyBuf} and {@code idxBuf} have room for n values.
   */
  static void sortDescending(double[] keys, int[] idx, int n, double[] keyBuf, int[] idxBuf) {
    double[] ks = keys, kd = keyBuf;
    int[] is = idx, id = idxBuf;
    for (int width = 1; width < n; width *= 2) {
      for (int lo = 0; lo < n; lo += 2 * width) {
        int mid = Math.min(lo + width, n);
        int hi = Math.min(lo + 2 * width, n);
        int i = lo, j = mid, k = lo;
        while (i < mid && j < hi) {
          if (ks[j] > ks[i]) {
            kd[k] = ks[j];
            id[k++] = is[j++];
          } else {
            kd[k] = ks[i];
            id[k++] = is[i++];
          }
        }
        while (i < mid) {
          kd[k] = ks[i];
          id[k++] = is[i++];
        }
        while (j < hi) {
          kd[k] = ks[j];
          id[k++] = is[j++];
        }
      }
      double[] tk = ks;
      ks = kd;
      kd = tk;
      int[] ti = is;
      is = id;
      id = ti;
    }
    if (ks != keys) {
      System.arraycopy(ks, 0, keys, 0, n);
      System.arraycopy(is, 0, idx, 0, n);
    }
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
