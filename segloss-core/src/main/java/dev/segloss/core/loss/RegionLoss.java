package dev.segloss.core.loss;

import static dev.segloss.core.loss.SoftCounts.ABS;
import static dev.segloss.core.loss.SoftCounts.DERIVATIVES;
import static dev.segloss.core.loss.SoftCounts.MIN;
import static dev.segloss.core.loss.SoftCounts.P;
import static dev.segloss.core.loss.SoftCounts.PP;
import static dev.segloss.core.loss.SoftCounts.PY;
import static dev.segloss.core.loss.SoftCounts.SIZE;
import static dev.segloss.core.loss.SoftCounts.W;
import static dev.segloss.core.loss.SoftCounts.Y;
import static dev.segloss.core.loss.SoftCounts.YY;

import dev.segloss.core.kernel.KernelSelector;
import dev.segloss.core.kernel.Kernels;
import java.util.Arrays;
import java.util.function.IntConsumer;

/**
 * Base of the losses that are a function of soft counts per image (Dice, Jaccard, Tversky, generalized
 * Dice, log-cosh Dice, MCC, and any other): a subclass gives its {@link #formula} once, written against
 * {@link RegionOps}, and whether its counts are pooled over the batch; every engine evaluates that same
 * formula in its own arithmetic (segloss-djl and segloss-tensorflow take any {@code RegionLoss}).
 *
 * <p>This class is the core's engine for them: the two passes (counts, then gradient), pixel and image
 * weights, ignored pixels, {@code batch=true} pooling, the reduction and threading. The formula is
 * evaluated per group with {@link DualOps}, which gives the loss's exact derivative with respect to each
 * count; the per-pixel gradient follows from those (see {@link SoftCounts}).
 *
 * <p>Per-pixel weights enter the counts (TP = &Sigma;w·p·y, ...). Per-image weights [N] weight the image
 * values L<sub>n</sub> in the reduction (and with {@code batch=true}, where there is one pooled value,
 * they weight each image's pixels in the pooled counts). With reduction {@code none} the values are
 * w<sub>n</sub>·L<sub>n</sub> (L<sub>n</sub> without weights).
 */
public abstract class RegionLoss<P extends Record & RegionLoss.Batched> extends AbstractSegLoss {
  /** What every region family's parameter record has: whether the counts are pooled over the batch. */
  public interface Batched {
    /** {@code batch=true}: the counts are pooled over the whole batch into one value. */
    boolean batch();
  }

  private final P params;
  /** The counts the formula reads (bit mask), found by evaluating it once; 0 until then. */
  private volatile int needed;

  protected RegionLoss(LossParams values, P params) {
    super(values);
    this.params = params;
  }

  /** The family's typed parameter record. */
  @Override
  public final P params() {
    return params;
  }

  /**
   * The loss of each group (one image, or the pooled batch) from its soft counts, in the arithmetic of
   * {@code ops}: the one definition of this loss that every engine runs.
   */
  public abstract <V> V formula(RegionOps<V> ops);

  /** True when the counts are pooled over the whole batch into one value ({@code batch=true}). */
  public final boolean pooled() {
    return params.batch();
  }

  /** Bit mask of the counts the formula reads ({@link SoftCounts#NEED_PY}, ...). */
  final int neededCounts() {
    int n = needed;
    if (n == 0) {
      DualOps recorder = new DualOps(new double[SIZE]);
      formula(recorder);
      n = recorder.used | SoftCounts.NEED_W;
      needed = n;
    }
    return n;
  }

  /** The value of one group and its derivatives with respect to the counts and {@link SoftCounts#MIN}. */
  private double evaluate(double[] counts, double[] d) {
    DualOps.Dual r = formula(new DualOps(counts));
    for (int j = 0; j < DERIVATIVES; j++) d[j] = r.derivative(j);
    return r.v;
  }

  /**
   * The value of one set of counts ({@link SoftCounts#SIZE} of them) and, in {@code dCounts}, its derivatives
   * with respect to each count — those with respect to the soft intersection included through P, Y and ABS
   * — for tests and tools that work on counts.
   */
  public final double valueOfCounts(double[] counts, double[] dCounts) {
    double[] d = new double[DERIVATIVES];
    double v = evaluate(counts, d);
    System.arraycopy(d, 0, dCounts, 0, SIZE);
    dCounts[P] += 0.5 * d[MIN];
    dCounts[Y] += 0.5 * d[MIN];
    dCounts[ABS] -= 0.5 * d[MIN];
    return v;
  }

  @Override
  public LossResult compute(LossInput in, boolean withGradient) {
    final int n = in.batch();
    final int m = in.imageSize();
    final float[] y = in.yTrue().data();
    final float[] x = in.yPred().data();
    final boolean logits = in.fromLogits();
    final float[] grad = withGradient ? new float[y.length] : null;
    final boolean pixelWeights = in.hasPixelWeights();
    final boolean ignore = in.hasIgnore();
    final float ign = in.ignoreValue();
    final float[] w = pixelWeights ? in.weights().data() : null;
    final int needed = neededCounts();
    final Kernels k = KernelSelector.vector();
    final boolean pooled = pooled();

    final int groups = pooled ? 1 : n;

    // the reduction: the weight of each group's value in the reported value, known before any count
    final double[] groupWeight = new double[groups];
    for (int g = 0; g < groups; g++) groupWeight[g] = pooled ? 1.0 : in.imageWeight(g);
    final double[] ones = new double[groups];
    Arrays.fill(ones, 1.0);
    final double[] scale = Reductions.scales(reduction, ones, groupWeight);
    final double[] factor = new double[groups];
    for (int g = 0; g < groups; g++) factor[g] = groupWeight[g] * scale[g];
    final double[] values = new double[groups];
    final double[][] dCounts = new double[groups][DERIVATIVES];

    // pass 2 of one image: per-pixel gradient from the count derivatives; on logits σ(x) and
    // σ'(x) = e/(1 + e)², e = exp(−|x|), are recomputed from x (not from a float copy of p: 1 − p would lose
    // the digits of σ' for large x)
    final IntConsumer gradient = img -> {
      int g = pooled ? 0 : img;
      double fi = factor[g] * (pooled ? in.imageWeight(img) : 1.0);
      double[] d = dCounts[g];
      double cPY = fi * d[PY], cP = fi * d[P], cPP = fi * d[PP], cABS = fi * d[ABS], cMIN = fi * d[MIN];
      int from = img * m;
      int to = from + m;
      if (!ignore && !pixelWeights && k != null) {
        // the label's part by its values at y = 1 and y = 0, summed in double (see Kernels#regionGradientByLabel)
        k.regionGradientByLabel(y, x, from, to, logits, (float) (cPY + cP), (float) cP, (float) cPP, (float) cABS, (float) cMIN, grad);
        return;
      }
      for (int i = from; i < to; i++) {
        if (ignore && y[i] == ign) {
          grad[i] = 0f;
          continue;
        }
        double wi = pixelWeights ? w[i] : 1.0;
        double pi = x[i];
        double ds = 1.0;
        if (logits) {
          double e = Math.exp(-Math.abs(pi));
          ds = e / ((1 + e) * (1 + e));
          pi = pi >= 0 ? 1 / (1 + e) : e / (1 + e);
        }
        double yi = y[i];
        double sign = Math.signum(pi - yi);
        double gi = cPY * yi + cP + 2 * cPP * pi + cABS * sign;
        if (cMIN != 0) gi += cMIN * (0.5 - 0.5 * sign); // [p < y]: 1, 0, or ½ at p = y
        grad[i] = (float) (wi * (gi * ds));
      }
    };

    // pass 1: counts per image; without pooling, each image's value and gradient follow at once, while its
    // pixels are still in cache
    final double[][] counts = new double[n][SIZE];
    Parallel.forEachImage(n, in.threads(), img -> {
      int from = img * m;
      int to = from + m;
      double[] c = counts[img];
      if (!ignore && !pixelWeights && k != null) {
        k.softCounts(y, x, from, to, logits, needed, c, null);
        c[W] = m;
      } else {
        accumulate(y, x, w, from, to, logits, ignore, ign, c);
      }
      if (pooled && in.perImageWeights()) {
        double iw = in.imageWeight(img);
        for (int j = 0; j < SIZE; j++) c[j] *= iw;
      }
      if (!pooled) {
        values[img] = evaluate(c, dCounts[img]);
        if (withGradient) gradient.accept(img);
      }
    });
    if (pooled) {
      values[0] = evaluate(sum(counts), dCounts[0]);
      if (withGradient) Parallel.forEachImage(n, in.threads(), gradient);
    }

    double[] sums = new double[groups];
    for (int g = 0; g < groups; g++) sums[g] = groupWeight[g] * values[g];
    return new LossResult(Reductions.values(reduction, sums, scale), grad);
  }

  private static void accumulate(float[] y, float[] x, float[] w, int from, int to, boolean logits,
      boolean ignore, float ign, double[] c) {
    double py = 0, ps = 0, ys = 0, pp = 0, yy = 0, abs = 0, ws = 0;
    for (int i = from; i < to; i++) {
      if (ignore && y[i] == ign) continue;
      double wi = w == null ? 1.0 : w[i];
      double p = logits ? Functions.sigmoid(x[i]) : x[i];
      double yi = y[i];
      py += wi * p * yi;
      ps += wi * p;
      ys += wi * yi;
      pp += wi * p * p;
      yy += wi * yi * yi;
      abs += wi * Math.abs(p - yi);
      ws += wi;
    }
    c[PY] += py;
    c[P] += ps;
    c[Y] += ys;
    c[PP] += pp;
    c[YY] += yy;
    c[ABS] += abs;
    c[W] += ws;
  }

  private static double[] sum(double[][] counts) {
    double[] s = new double[SIZE];
    for (double[] c : counts) for (int j = 0; j < SIZE; j++) s[j] += c[j];
    return s;
  }
}
