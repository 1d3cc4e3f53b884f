package dev.segloss.core.loss;

import dev.segloss.core.testkit.TestInput;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;

/**
 * Naive reference implementations written straight from the formulas of issue 2 (and the papers), in
 * double, sharing no code with the library: loops over counted pixels, sets and sorts instead of
 * fused passes and derivative bookkeeping. Tests compare the library's values against these.
 */
final class Reference {
  private Reference() {}

  /** One counted pixel: label, probability, raw prediction (logit or probability as given), weight. */
  record Px(double y, double p, double x, double w) {}

  /** Per-pixel loss of a label and a raw prediction. */
  interface PixelFn {
    double l(double y, double x, boolean logits);
  }

  static final float LO = (float) 1e-7;
  static final float HI = 1f - (float) 1e-7;

  // ---------------------------------------------------------------- reductions

  /** Counted pixels of image n with their pixel weights. */
  static List<Px> image(TestInput in, int n) {
    List<Px> out = new ArrayList<>();
    int m = in.imageSize();
    for (int i = n * m; i < (n + 1) * m; i++) {
      if (in.counted(i)) out.add(new Px(in.y[i], in.p(i), in.x[i], in.w(i)));
    }
    return out;
  }

  /** All counted pixels of the batch, each weighted by pixel weight times image weight. */
  static List<Px> pooled(TestInput in) {
    List<Px> out = new ArrayList<>();
    for (int n = 0; n < in.batch(); n++) {
      for (Px q : image(in, n)) out.add(new Px(q.y(), q.p(), q.x(), q.w() * in.iw(n)));
    }
    return out;
  }

  /** Region reduction: values L_n with image weights w_n. */
  static double[] regionReduce(double[] values, double[] iw, Reduction r) {
    double s = 0, ws = 0;
    for (int n = 0; n < values.length; n++) {
      s += iw[n] * values[n];
      ws += iw[n];
    }
    switch (r) {
      case MEAN: return new double[] {s / values.length};
      case WEIGHTED_MEAN: return new double[] {ws > 0 ? s / ws : 0};
      case SUM: return new double[] {s};
      default: {
        double[] out = new double[values.length];
        for (int n = 0; n < values.length; n++) out[n] = iw[n] * values[n];
        return out;
      }
    }
  }

  /** A region loss: f per image (or once over the pooled batch), then the region reduction. */
  static double[] region(TestInput in, Reduction r, boolean pooled, ToDoubleFunction<List<Px>> f) {
    if (pooled) return new double[] {f.applyAsDouble(pooled(in))};
    double[] v = new double[in.batch()];
    double[] iw = new double[in.batch()];
    for (int n = 0; n < in.batch(); n++) {
      v[n] = f.applyAsDouble(image(in, n));
      iw[n] = in.iw(n);
    }
    return regionReduce(v, iw, r);
  }

  /** A pixel loss: per-pixel values l with weights w (pixel or image weight), then the pixel reduction. */
  static double[] pixel(TestInput in, Reduction r, PixelFn f) {
    int n = in.batch();
    int m = in.imageSize();
    double[] sum = new double[n], count = new double[n], wsum = new double[n];
    for (int img = 0; img < n; img++) {
      for (int i = img * m; i < (img + 1) * m; i++) {
        if (!in.counted(i)) continue;
        double w = in.pixelWeights() ? in.weights[i] : in.iw(img);
        sum[img] += w * f.l(in.y[i], in.x[i], in.logits);
        count[img]++;
        wsum[img] += w;
      }
    }
    return pixelReduce(sum, count, wsum, r);
  }

  static double[] pixelReduce(double[] sum, double[] count, double[] wsum, Reduction r) {
    double s = Arrays.stream(sum).sum();
    switch (r) {
      case MEAN: return new double[] {s / Arrays.stream(count).sum()};
      case WEIGHTED_MEAN: return new double[] {s / Arrays.stream(wsum).sum()};
      case SUM: return new double[] {s};
      default: {
        double[] out = new double[sum.length];
        for (int n = 0; n < sum.length; n++) out[n] = count[n] > 0 ? sum[n] / count[n] : 0;
        return out;
      }
    }
  }

  // ---------------------------------------------------------------- pixel losses

  static double sigmoid(double z) {
    return 1 / (1 + Math.exp(-z));
  }

  static double clip(double p, double eps) {
    float lo = (float) eps;
    float hi = 1f - (float) eps;
    return Math.min(Math.max(p, lo), hi);
  }

  /** −w_pos·t·log p − w_neg·(1 − t)·log(1 − p), t the smoothed label; p clipped on probabilities. */
  static double bce(double y, double x, boolean logits, double wPos, double wNeg, double eps, double s) {
    double t = y * (1 - s) + s / 2;
    double p = logits ? sigmoid(x) : clip(x, eps);
    return -wPos * t * Math.log(p) - wNeg * (1 - t) * Math.log(1 - p);
  }

  /** α_t·(1 − p_t)^γ·bce with p_t from the unclipped p (Keras 3 BinaryFocalCrossentropy). */
  static double focal(double y, double x, boolean logits, double gamma, double alpha, double eps, double s) {
    double t = y * (1 - s) + s / 2;
    double p = logits ? sigmoid(x) : x;
    double bce = bce(y, x, logits, 1, 1, eps, s);
    double pt = t * p + (1 - t) * (1 - p);
    double at = Double.isNaN(alpha) ? 1 : t * alpha + (1 - t) * (1 - alpha);
    return at * Math.pow(1 - pt, gamma) * bce;
  }

  // ---------------------------------------------------------------- region losses

  static double sum(List<Px> px, ToDoubleFunction<Px> f) {
    double s = 0;
    for (Px q : px) s += q.w() * f.applyAsDouble(q);
    return s;
  }

  static double intersection(List<Px> px, boolean soft) {
    if (!soft) return sum(px, q -> q.p() * q.y());
    return (sum(px, Px::p) + sum(px, Px::y) - sum(px, q -> Math.abs(q.p() - q.y()))) / 2;
  }

  static double dice(List<Px> px, double snr, double sdr, boolean squared, boolean log, boolean soft) {
    // with squared=true the soft intersection is the L2 form (MONAI soft_label + squared_pred)
    double inter = soft && squared
        ? (sum(px, q -> q.p() * q.p()) + sum(px, q -> q.y() * q.y()) - sum(px, q -> (q.p() - q.y()) * (q.p() - q.y()))) / 2
        : intersection(px, soft);
    double den = squared ? sum(px, q -> q.p() * q.p()) + sum(px, q -> q.y() * q.y()) : sum(px, Px::p) + sum(px, Px::y);
    double score = (2 * inter + snr) / (den + sdr);
    return log ? -Math.log(score) : 1 - score;
  }

  static double jaccard(List<Px> px, double snr, double sdr, boolean log, boolean soft) {
    double inter = intersection(px, soft);
    double score = (inter + snr) / (sum(px, Px::p) + sum(px, Px::y) - inter + sdr);
    return log ? -Math.log(score) : 1 - score;
  }

  static double tversky(List<Px> px, double a, double b, double g, double snr, double sdr, boolean soft) {
    double tp = intersection(px, soft);
    double fp = soft ? sum(px, Px::p) - tp : sum(px, q -> q.p() * (1 - q.y()));
    double fn = soft ? sum(px, Px::y) - tp : sum(px, q -> (1 - q.p()) * q.y());
    double ti = (tp + snr) / (tp + a * fp + b * fn + sdr);
    return g == 1 ? 1 - ti : Math.pow(Math.max(0, 1 - ti), g);
  }

  static double gdice(List<Px> px, String weighting, double snr, double sdr) {
    double volF = sum(px, Px::y);
    double volB = sum(px, q -> 1 - q.y());
    double wF = classWeight(volF, weighting);
    double wB = classWeight(volB, weighting);
    if (Double.isInfinite(wF) && Double.isInfinite(wB)) {
      wF = 1;
      wB = 1;
    } else if (Double.isInfinite(wF)) {
      wF = wB;
    } else if (Double.isInfinite(wB)) {
      wB = wF;
    }
    double num = wF * sum(px, q -> q.p() * q.y()) + wB * sum(px, q -> (1 - q.p()) * (1 - q.y()));
    double den = wF * sum(px, q -> q.p() + q.y()) + wB * sum(px, q -> (1 - q.p()) + (1 - q.y()));
    return 1 - (2 * num + snr) / (den + sdr);
  }

  static double classWeight(double vol, String weighting) {
    if (vol == 0) return Double.POSITIVE_INFINITY;
    switch (weighting) {
      case "square": return 1 / (vol * vol);
      case "simple": return 1 / vol;
      default: return 1;
    }
  }

  static double logCoshDice(List<Px> px, double snr, double sdr, boolean squared, boolean log, boolean soft) {
    return Math.log(Math.cosh(dice(px, snr, sdr, squared, log, soft)));
  }

  static double mcc(List<Px> px, double s) {
    double tp = sum(px, q -> q.p() * q.y()) + s;
    double fp = sum(px, q -> q.p() * (1 - q.y())) + s;
    double fn = sum(px, q -> (1 - q.p()) * q.y()) + s;
    double tn = sum(px, q -> (1 - q.p()) * (1 - q.y())) + s;
    double den = (tp + fp) * (tp + fn) * (tn + fp) * (tn + fn);
    if (den == 0) return 1;
    return 1 - (tp * tn - fp * fn) / Math.sqrt(den);
  }

  // ---------------------------------------------------------------- the others

  /**
   * Lovász hinge by the integral form of the Lovász extension: for errors e ≥ 0,
   * f(e) = ∫_0^∞ Δ({i : e_i &gt; τ}) dτ with the Jaccard set loss Δ(M) = |M| / |positives ∪ M|
   * (Berman 2018, eq. 8 and Lovász 1983), which shares nothing with the greedy sort-and-diff form.
   */
  static double lovasz(List<Px> px, boolean logits, double eps) {
    int n = px.size();
    if (n == 0) return 0;
    double[] e = new double[n];
    boolean[] pos = new boolean[n];
    int positives = 0;
    for (int i = 0; i < n; i++) {
      Px q = px.get(i);
      pos[i] = q.y() >= 0.5;
      if (pos[i]) positives++;
      double z = logits ? q.x() : Math.log(clip(q.x(), eps) / (1 - clip(q.x(), eps)));
      e[i] = 1 - z * (pos[i] ? 1 : -1);
    }
    TreeSet<Double> levels = new TreeSet<>(Comparator.reverseOrder());
    for (double v : e) if (v > 0) levels.add(v);
    Double[] t = levels.toArray(new Double[0]);
    double integral = 0;
    for (int j = 0; j < t.length; j++) {
      double next = j + 1 < t.length ? t[j + 1] : 0;
      int mistakes = 0, falsePos = 0;
      for (int i = 0; i < n; i++) {
        if (e[i] >= t[j]) {
          mistakes++;
          if (!pos[i]) falsePos++;
        }
      }
      double delta = (double) mistakes / (positives + falsePos);
      integral += (t[j] - next) * delta;
    }
    return integral;
  }

  /** Top-k BCE with the reductions of TopKLoss, by sorting each image's weighted BCE values. */
  static double[] topk(TestInput in, Reduction r, double k, double wPos, double wNeg) {
    int n = in.batch();
    int m = in.imageSize();
    double[] sum = new double[n], count = new double[n], wsum = new double[n];
    for (int img = 0; img < n; img++) {
      List<double[]> v = new ArrayList<>(); // {w·l, w}
      for (int i = img * m; i < (img + 1) * m; i++) {
        if (!in.counted(i)) continue;
        double w = in.pixelWeights() ? in.weights[i] : in.iw(img);
        v.add(new double[] {w * bce(in.y[i], in.x[i], in.logits, wPos, wNeg, 1e-7, 0), w});
      }
      v.sort((a, b) -> Double.compare(b[0], a[0])); // stable: ties keep index order
      int keep = v.isEmpty() ? 0 : (int) Math.max(1, Math.floor(v.size() * k / 100));
      for (int j = 0; j < keep; j++) {
        sum[img] += v.get(j)[0];
        wsum[img] += v.get(j)[1];
      }
      count[img] = keep;
    }
    return pixelReduce(sum, count, wsum, r);
  }

  /** Boundary loss with φ by brute force over all pixel pairs (the reference code's one_hot2dist). */
  static double[] boundary(TestInput in, Reduction r) {
    int n = in.batch();
    int m = in.imageSize();
    int[] imgShape = Arrays.copyOfRange(in.shape, 1, in.shape.length);
    double[] values = new double[n];
    double[] iw = new double[n];
    for (int img = 0; img < n; img++) {
      double[] phi = phi(in, img, imgShape);
      double s = 0;
      int c = 0;
      for (int j = 0; j < m; j++) {
        int i = img * m + j;
        if (!in.counted(i)) continue;
        c++;
        s += in.w(i) * in.p(i) * phi[j];
      }
      values[img] = c == 0 ? 0 : s / c;
      iw[img] = in.iw(img);
    }
    return regionReduce(values, iw, r);
  }

  /** Signed distance map of one image by brute force: outside distance to foreground, inside −(distance to background − 1). */
  static double[] phi(TestInput in, int img, int[] imgShape) {
    int m = in.imageSize();
    int[] kind = new int[m]; // 1 foreground, -1 background, 0 ignored
    boolean anyF = false, anyB = false;
    for (int j = 0; j < m; j++) {
      int i = img * m + j;
      if (!in.counted(i)) continue;
      kind[j] = in.y[i] >= 0.5f ? 1 : -1;
      anyF |= kind[j] == 1;
      anyB |= kind[j] == -1;
    }
    double[] phi = new double[m];
    if (!anyF || !anyB) return phi;
    for (int j = 0; j < m; j++) {
      if (kind[j] == 0) continue;
      double best = Double.POSITIVE_INFINITY;
      for (int o = 0; o < m; o++) {
        if (kind[o] != -kind[j]) continue;
        best = Math.min(best, distance(j, o, imgShape));
      }
      phi[j] = kind[j] == -1 ? best : -(best - 1);
    }
    return phi;
  }

  static double distance(int a, int b, int[] shape) {
    double s = 0;
    for (int ax = shape.length - 1; ax >= 0; ax--) {
      int d = a % shape[ax] - b % shape[ax];
      s += (double) d * d;
      a /= shape[ax];
      b /= shape[ax];
    }
    return Math.sqrt(s);
  }
}
