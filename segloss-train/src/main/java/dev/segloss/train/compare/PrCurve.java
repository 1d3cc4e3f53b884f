package dev.segloss.train.compare;

import dev.segloss.core.InvalidInputException;
import java.util.Arrays;

/**
 * The precision–recall curve of pixel probabilities against binary truth, pooled over images, swept over
 * every distinct probability as a threshold (foreground where p ≥ threshold, the core metrics' rule).
 *
 * <p>At the k-th distinct threshold from the top, with TP_k and FP_k the pixels at or above it: precision
 * {@code P_k = TP_k / (TP_k + FP_k)}, recall {@code R_k = TP_k / (number of foreground pixels)}.
 *
 * <ul>
 *   <li>{@link #averagePrecision()} (AUPRC): {@code AP = Σ_k (R_k − R_{k−1})·P_k} with {@code R_0 = 0},
 *       the step-wise area without interpolation (scikit-learn's {@code average_precision_score}; Manning,
 *       Raghavan &amp; Schütze, "Introduction to Information Retrieval", 2008, §8.4). A random ranking
 *       scores the foreground fraction; a perfect one 1.
 *   <li>{@link #bestF1()}: the largest F1 = 2PR/(P+R) over the thresholds, which is the pooled (micro)
 *       Dice at that threshold, and {@link #bestThreshold()} where it is reached.
 * </ul>
 *
 * Ties (pixels of equal probability) move together, so the curve does not depend on pixel order. With no
 * foreground pixel at all, AP and F1 are NaN.
 */
public final class PrCurve {
  private final double[] thresholds;
  private final double[] precision;
  private final double[] recall;
  private final double ap;
  private final double bestF1;
  private final double bestThreshold;
  private final long positives;
  private final long total;

  private PrCurve(double[] thresholds, double[] precision, double[] recall, double ap, double bestF1, double bestThreshold, long positives,
      long total) {
    this.thresholds = thresholds;
    this.precision = precision;
    this.recall = recall;
    this.ap = ap;
    this.bestF1 = bestF1;
    this.bestThreshold = bestThreshold;
    this.positives = positives;
    this.total = total;
  }

  /**
   * The curve of probabilities {@code probs[k]} against masks {@code masks[k]} (foreground where ≥ 0.5),
   * pooled over k. NaN probabilities are refused.
   */
  public static PrCurve of(float[][] probs, float[][] masks) {
    if (probs.length != masks.length) throw new InvalidInputException("pr curve: " + probs.length + " predictions for " + masks.length + " masks");
    long nPos = 0, n = 0;
    for (int k = 0; k < probs.length; k++) {
      if (probs[k].length != masks[k].length) {
        throw new InvalidInputException("pr curve: image " + k + " has " + probs[k].length + " probabilities and " + masks[k].length + " mask values");
      }
      for (float m : masks[k]) if (m >= 0.5f) nPos++;
      n += probs[k].length;
    }
    if (n > Integer.MAX_VALUE - 8) throw new InvalidInputException("pr curve: too many pixels (" + n + ")");
    float[] pos = new float[(int) nPos], neg = new float[(int) (n - nPos)];
    int ip = 0, in = 0;
    for (int k = 0; k < probs.length; k++) {
      float[] p = probs[k], m = masks[k];
      for (int i = 0; i < p.length; i++) {
        if (Float.isNaN(p[i])) throw new InvalidInputException("pr curve: NaN probability in image " + k);
        if (m[i] >= 0.5f) pos[ip++] = p[i];
        else neg[in++] = p[i];
      }
    }
    Arrays.sort(pos);
    Arrays.sort(neg);
    // sweep distinct thresholds from the highest down, merging the two sorted arrays from their ends
    int a = pos.length - 1, b = neg.length - 1;
    int cap = pos.length + neg.length;
    double[] th = new double[Math.min(cap, 1 << 20) + 1];
    double[] pr = new double[th.length], rc = new double[th.length];
    int count = 0;
    long tp = 0, fp = 0;
    double apSum = 0, prevRecall = 0, best = Double.NaN, bestT = Double.NaN;
    while (a >= 0 || b >= 0) {
      float t = Math.max(a >= 0 ? pos[a] : Float.NEGATIVE_INFINITY, b >= 0 ? neg[b] : Float.NEGATIVE_INFINITY);
      while (a >= 0 && pos[a] == t) {
        tp++;
        a--;
      }
      while (b >= 0 && neg[b] == t) {
        fp++;
        b--;
      }
      double p = tp / (double) (tp + fp);
      double r = nPos == 0 ? Double.NaN : tp / (double) nPos;
      if (nPos > 0) {
        apSum += (r - prevRecall) * p;
        prevRecall = r;
        double f1 = tp == 0 ? 0 : 2 * p * r / (p + r);
        if (Double.isNaN(best) || f1 > best) {
          best = f1;
          bestT = t;
        }
      }
      if (count == th.length) {
        th = Arrays.copyOf(th, th.length * 2);
        pr = Arrays.copyOf(pr, th.length);
        rc = Arrays.copyOf(rc, th.length);
      }
      th[count] = t;
      pr[count] = p;
      rc[count] = r;
      count++;
    }
    return new PrCurve(Arrays.copyOf(th, count), Arrays.copyOf(pr, count), Arrays.copyOf(rc, count), nPos == 0 ? Double.NaN : apSum,
        best, bestT, nPos, n);
  }

  /** Thresholds, from the highest probability down. */
  public double[] thresholds() {
    return thresholds.clone();
  }

  public double[] precision() {
    return precision.clone();
  }

  public double[] recall() {
    return recall.clone();
  }

  /** Area under the curve as average precision (see the class comment). */
  public double averagePrecision() {
    return ap;
  }

  /** Largest F1 (pooled Dice) over all thresholds. */
  public double bestF1() {
    return bestF1;
  }

  /** Threshold of {@link #bestF1()}. */
  public double bestThreshold() {
    return bestThreshold;
  }

  /** Foreground pixels. */
  public long positives() {
    return positives;
  }

  /** All pixels. */
  public long total() {
    return total;
  }

  /**
   * At most {@code max} points of the curve for plotting, {recall[], precision[]}, starting at recall 0
   * with the first point's precision, keeping the points where recall changes most evenly.
   */
  public double[][] plotPoints(int max) {
    int n = recall.length;
    int step = Math.max(1, (int) Math.ceil(n / (double) Math.max(2, max - 1)));
    double[] r = new double[n / step + 3], p = new double[r.length];
    int k = 0;
    r[k] = 0;
    p[k++] = n > 0 ? precision[0] : 1;
    for (int i = 0; i < n; i += step) {
      r[k] = recall[i];
      p[k++] = precision[i];
    }
    if (n > 0 && (n - 1) % step != 0) {
      r[k] = recall[n - 1];
      p[k++] = precision[n - 1];
    }
    return new double[][] {Arrays.copyOf(r, k), Arrays.copyOf(p, k)};
  }
}
