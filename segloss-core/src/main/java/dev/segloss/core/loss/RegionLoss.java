package dev.segloss.core.loss;

import static dev.segloss.core.loss.SoftCounts.ABS;
import static dev.segloss.core.loss.SoftCounts.P;
import static dev.segloss.core.loss.SoftCounts.PP;
import static dev.segloss.core.loss.SoftCounts.PY;
import static dev.segloss.core.loss.SoftCounts.SIZE;
import static dev.segloss.core.loss.SoftCounts.W;
import static dev.segloss.core.loss.SoftCounts.Y;
import static dev.segloss.core.loss.SoftCounts.YY;

import dev.segloss.core.kernel.Kernels;
import dev.segloss.core.kernel.KernelSelector;
import java.util.function.IntConsumer;

/**
 * Base of the losses that are a function of soft counts per image (Dice, Jaccard, Tversky, generalized
 * Dice, log-cosh Dice, MCC): a subclass maps one image's {@link SoftCounts} to its loss and the loss's
 * derivative with respect to each count. This class does the two passes (counts, then gradient), pixel
 * and image weights, ignored pixels, {@code batch=true} pooling, the reduction and threading.
 *
 * <p>Per-pixel weights enter the counts (TP = &Sigma;w·p·y, ...). Per-image weights [N] weight the image
 * values L<sub>n</sub> in the reduction (and with {@code batch=true}, where there is one pooled value,
 * they weight each image's pixels in the pooled counts). With reduction {@code none} the values are
 * w<sub>n</sub>·L<sub>n</sub> (L<sub>n</sub> without weights).
 */
public abstract class RegionLoss extends AbstractSegLoss {
  protected RegionLoss(LossParams params) {
    super(params);
  }

  /** Bit mask of the counts this loss reads ({@link SoftCounts#BASIC} and others). */
  protected abstract int neededCounts();

  /** True when the counts are pooled over the whole batch into one value. */
  protected abstract boolean pooled();

  /** The loss of one image (or of the pooled batch) and its derivatives with respect to each count. */
  protected abstract double regionValue(double[] counts, double[] dCounts);

  /** Value and count-derivatives of the given counts (for engines and tests). */
  public final double valueOfCounts(double[] counts, double[] dCounts) {
    return regionValue(counts, dCounts);
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
    final int needed = neededCounts() | SoftCounts.NEED_W;
    final Kernels k = KernelSelector.vector();
    final boolean pooled = pooled();

    final int groups = pooled ? 1 : n;

    // the reduction: the weight of each group's value in the reported value, known before any count
    final double[] groupWeight = new double[groups];
    for (int g = 0; g < groups; g++) groupWeight[g] = pooled ? 1.0 : in.imageWeight(g);
    final double f = Functions.reductionScale(groupWeight, reduction);
    final double[] factor = new double[groups];
    for (int g = 0; g < groups; g++) factor[g] = groupWeight[g] * f;
    final double[] values = new double[groups];
    final double[][] dCounts = new double[groups][SIZE];

    // pass 2 of one image: per-pixel gradient from the count derivatives; on logits σ(x) and
    // σ'(x) = e/(1 + e)², e = exp(−|x|), are recomputed from x (not from a float copy of p: 1 − p would lose
    // the digits of σ' for large x)
    final IntConsumer gradient = img -> {
      int g = pooled ? 0 : img;
      double fi = factor[g] * (pooled ? in.imageWeight(img) : 1.0);
      double[] d = dCounts[g];
      double cPY = fi * d[PY], cP = fi * d[P], cPP = fi * d[PP], cABS = fi * d[ABS];
      int from = img * m;
      int to = from + m;
      if (!ignore && !pixelWeights && k != null) {
        k.regionGradient(y, x, from, to, logits, (float) cPY, (float) cP, (float) cPP, (float) cABS, grad);
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
        double gi = (cPY * yi + cP + 2 * cPP * pi + cABS * Math.signum(pi - yi)) * ds;
        grad[i] = (float) (wi * gi);
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
        values[img] = regionValue(c, dCounts[img]);
        if (withGradient) gradient.accept(img);
      }
    });
    if (pooled) {
      values[0] = regionValue(sum(counts), dCounts[0]);
      if (withGradient) Parallel.forEachImage(n, in.threads(), gradient);
    }

    return new LossResult(Functions.reduceImageValues(values, groupWeight, reduction, f), grad);
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
