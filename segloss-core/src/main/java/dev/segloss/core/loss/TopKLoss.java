package dev.segloss.core.loss;

import java.util.List;

/**
 * Top-k cross-entropy (nnU-Net's {@code TopKLoss}, Isensee et al. 2021; Wu et al. 2016, "Bridging
 * category-level and instance-level semantic image segmentation"): per image, the weighted BCE
 *
 * <pre>
 *   v_i = w_i · (−w_pos·y·log p − w_neg·(1 − y)·log(1 − p))
 * </pre>
 *
 * of every counted pixel (the same per-pixel function as {@link BceLoss} with its defaults: clip eps 1e-7 on
 * probabilities, stable softplus on logits), and the set S_n of the k_n = max(1, ⌊n·k/100⌋) largest v_i,
 * n the image's counted pixels (ties broken by the larger weight, then the lower flat index). Only those pixels count, and they
 * are reduced like a pixel loss: {@code mean} = &Sigma;_S v / &Sigma;_n k_n (the mean BCE over the hard
 * pixels), {@code weighted_mean} = &Sigma;_S v / &Sigma;_S w, {@code sum} = &Sigma;_S v, {@code none} = per image
 * &Sigma;_{S_n} v / k_n. The gradient flows through the selected pixels only (the selection itself is
 * piecewise constant).
 *
 * <ul>
 *   <li>Default k = 10 (%), nnU-Net's {@code k=10}; {@code k=100} is plain weighted BCE.
 *   <li>Difference to nnU-Net: nnU-Net takes the top k % over the whole batch at once and has no
 *       minimum of one pixel; here the selection is per image (so every image contributes its hardest
 *       pixels), as the issue defines it.
 *   <li>Per-image weights multiply the v_i of their image (they do not change which pixels are selected).
 * </ul>
 *
 * Range: [0, ∞); a perfect prediction on hard labels gives 0 (up to the clip bound on probabilities).
 * Input: y_true in [0,1], y_pred probabilities or logits, shape [N, ...].
 */
public final class TopKLoss extends AbstractSegLoss {
  static final Param K = Param.positive("k", 10, 100, "percentage of pixels kept per image (nnU-Net: 10)");
  static final Param W_POS = Param.number("w_pos", 1, 0, Double.POSITIVE_INFINITY, "BCE weight of foreground pixels");
  static final Param W_NEG = Param.number("w_neg", 1, 0, Double.POSITIVE_INFINITY, "BCE weight of background pixels");

  /** The parameters of {@code topk}. */
  public record Params(double k, double wPos, double wNeg) {
    static Params of(LossParams v) {
      return new Params(v.number(K), v.number(W_POS), v.number(W_NEG));
    }

    /** The BCE's clip bound on probabilities: {@code bce}'s default, {@link BceLoss#DEFAULT_EPS}. */
    public double eps() {
      return BceLoss.DEFAULT_EPS;
    }

    /** The lower clip bound, rounded to float32. */
    public float lo() {
      return Functions.lowerClip(eps());
    }

    /** The upper clip bound, rounded to float32. */
    public float hi() {
      return Functions.upperClip(eps());
    }
  }

  public static final LossType TYPE = new LossType("topk", "BCE over the k % hardest pixels of each image (nnU-Net TopK)",
      List.of(K, W_POS, W_NEG), TopKLoss::new);

  private final Params p;
  private final double k;
  private final double wPos;
  private final double wNeg;
  private final float lo;
  private final float hi;

  private TopKLoss(LossParams v) {
    super(v);
    p = Params.of(v);
    k = p.k();
    wPos = p.wPos();
    wNeg = p.wNeg();
    lo = p.lo();
    hi = p.hi();
  }

  @Override
  public Params params() {
    return p;
  }

  public static Builder builder() {
    return new Builder();
  }

  public static TopKLoss create() {
    return builder().build();
  }

  /** The number of pixels kept out of {@code counted}: max(1, ⌊counted·k/100⌋), 0 when none is counted. */
  public int selected(int counted) {
    if (counted == 0) return 0;
    long kept = (long) Math.floor(counted * k / 100.0);
    return (int) Math.max(1, Math.min(counted, kept));
  }

  @Override
  public LossResult compute(LossInput in, boolean withGradient) {
    final int n = in.batch();
    final int m = in.imageSize();
    final float[] y = in.yTrue().data();
    final float[] x = in.yPred().data();
    final boolean logits = in.fromLogits();
    final float[] grad = withGradient ? new float[y.length] : null;
    final double[] sums = new double[n]; // Σ_S w·l per image
    final double[] weightSums = new double[n]; // Σ_S w per image
    final int[] kept = new int[n];
    // per selected pixel: derivative of w·l, written to grad unscaled (scaled once the reduction is known)
    final double[][] selectedDerivs = withGradient ? new double[n][] : null;
    final int[][] selectedIndex = withGradient ? new int[n][] : null;

    Parallel.forEachImage(n, in.threads(), img -> {
      int from = img * m;
      double[] v = new double[m];
      double[] dv = new double[m];
      double[] wv = new double[m];
      int[] where = new int[m];
      double[] d = new double[1];
      int c = 0;
      for (int i = from; i < from + m; i++) {
        if (!in.counted(i)) continue;
        double wi = in.pixelWeight(i);
        double l = BceLoss.bce(y[i], x[i], logits, wPos, wNeg, lo, hi, 0.0, d);
        v[c] = wi * l;
        dv[c] = wi * d[0];
        wv[c] = wi;
        where[c] = i;
        c++;
      }
      int keep = selected(c);
      kept[img] = keep;
      if (keep == 0) {
        if (withGradient) {
          selectedDerivs[img] = new double[0];
          selectedIndex[img] = new int[0];
        }
        return;
      }
      double threshold = Functions.kthLargest(v, c, keep, new double[c]);
      int above = 0;
      for (int j = 0; j < c; j++) if (v[j] > threshold) above++;
      boolean[] tieTaken = takeTies(v, wv, c, threshold, keep - above);
      double s = 0, ws = 0;
      double[] sd = withGradient ? new double[keep] : null;
      int[] si = withGradient ? new int[keep] : null;
      int taken = 0;
      for (int j = 0; j < c; j++) {
        boolean take = v[j] > threshold || (v[j] == threshold && tieTaken[j]);
        if (!take) continue;
        s += v[j];
        ws += wv[j];
        if (withGradient) {
          sd[taken] = dv[j];
          si[taken] = where[j];
        }
        taken++;
      }
      sums[img] = s;
      weightSums[img] = ws;
      if (withGradient) {
        selectedDerivs[img] = sd;
        selectedIndex[img] = si;
      }
    });

    double[] keptCounts = new double[n];
    for (int img = 0; img < n; img++) keptCounts[img] = kept[img];
    double[] scale = Reductions.scales(reduction, keptCounts, weightSums);
    double[] values = Reductions.values(reduction, sums, scale);
    if (withGradient) {
      for (int img = 0; img < n; img++) {
        double[] sd = selectedDerivs[img];
        int[] si = selectedIndex[img];
        for (int j = 0; j < sd.length; j++) grad[si[j]] = (float) (scale[img] * sd[j]);
      }
    }
    return new LossResult(values, grad);
  }

  /**
   * Which of the values equal to the threshold are selected when only {@code count} of them fit: those
   * with the larger weights first, then the lower index. The sums Σw·l and Σw of the selection (and so
   * the value, also with weighted_mean) then do not depend on the order of the pixels; only which of
   * exactly equal pixels carries the gradient does.
   */
  private static boolean[] takeTies(double[] v, double[] w, int c, double threshold, int count) {
    boolean[] take = new boolean[c];
    int ties = 0;
    for (int j = 0; j < c; j++) if (v[j] == threshold) ties++;
    Integer[] order = new Integer[ties];
    int t = 0;
    for (int j = 0; j < c; j++) if (v[j] == threshold) order[t++] = j;
    java.util.Arrays.sort(order, (a, b) -> w[a] != w[b] ? Double.compare(w[b], w[a]) : Integer.compare(a, b));
    for (int k = 0; k < Math.min(count, ties); k++) take[order[k]] = true;
    return take;
  }

  /** Builds a {@link TopKLoss}; parameters as in the spec language, camelCase. */
  public static final class Builder extends LossBuilder<Builder, TopKLoss> {
    Builder() {
      super(TYPE);
    }

    /** Percentage of pixels kept per image, in (0, 100]. */
    public Builder k(double v) {
      return set(K, v);
    }

    public Builder wPos(double v) {
      return set(W_POS, v);
    }

    public Builder wNeg(double v) {
      return set(W_NEG, v);
    }
  }
}
