package dev.segloss.core.loss;

import dev.segloss.core.kernel.KernelSelector;
import dev.segloss.core.kernel.Kernels;

/**
 * Base of the per-pixel losses ({@code bce}, {@code focal}): a subclass gives the value of one pixel and
 * its derivative; this class owns weights, ignored pixels, the reduction, threading and the fast
 * kernels. See {@link Reduction} for the reduction formulas.
 */
public abstract class PixelLoss extends AbstractSegLoss {
  protected PixelLoss(LossParams params) {
    super(params);
  }

  /**
   * The loss of one pixel with label {@code y} and prediction {@code x} (a probability, or a logit when
   * {@code logits}); writes dl/dx into {@code d[0]}.
   */
  protected abstract double pixel(double y, double x, boolean logits, double[] d);

  /**
   * The fast kernel for unweighted pixels in [from, to): &Sigma;l, and grad = scale·dl/dx. Return NaN
   * when this loss has none, and the scalar loop over {@link #pixel} runs instead.
   */
  protected double kernelSum(Kernels k, float[] y, float[] x, int from, int to, boolean logits, float[] grad, float scale) {
    return Double.NaN;
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
    final float[] w = in.weights() == null ? null : in.weights().data();

    // per image: counted pixels and weight sum (needed before the gradient scale is known)
    final double[] counted = new double[n];
    final double[] weightSum = new double[n];
    for (int img = 0; img < n; img++) {
      double iw = in.imageWeight(img);
      if (!ignore && !pixelWeights) {
        counted[img] = m;
        weightSum[img] = iw * m;
        continue;
      }
      int base = img * m;
      double c = 0, ws = 0;
      for (int i = base; i < base + m; i++) {
        if (ignore && y[i] == in.ignoreValue()) continue;
        c++;
        ws += pixelWeights ? w[i] : iw;
      }
      counted[img] = c;
      weightSum[img] = ws;
    }
    final double[] scale = Reductions.scales(reduction, counted, weightSum);

    final double[] sums = new double[n];
    final Kernels k = KernelSelector.vector();
    Parallel.forEachImage(n, in.threads(), img -> {
      int from = img * m;
      int to = from + m;
      double iw = in.imageWeight(img);
      if (!ignore && !pixelWeights && k != null) {
        double s = kernelSum(k, y, x, from, to, logits, grad, (float) (scale[img] * iw));
        if (!Double.isNaN(s)) {
          sums[img] = iw * s;
          return;
        }
      }
      double[] d = new double[1];
      double s = 0;
      double gs = scale[img];
      for (int i = from; i < to; i++) {
        if (ignore && y[i] == in.ignoreValue()) continue; // gradient stays 0
        double wi = pixelWeights ? w[i] : iw;
        double l = pixel(y[i], x[i], logits, d);
        s += wi * l;
        if (grad != null) grad[i] = (float) (gs * wi * d[0]);
      }
      sums[img] = s;
    });

    double[] values = Reductions.values(reduction, sums, scale);
    return new LossResult(values, grad);
  }
}
