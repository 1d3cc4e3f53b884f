package dev.segloss.core.loss;

import dev.segloss.core.Tensor;
import dev.segloss.core.distance.DistanceTransform;
import java.util.List;

/**
 * Boundary loss (Kervadec et al. 2019, "Boundary loss for highly unbalanced segmentation", MIDL; Medical
 * Image Analysis 2021), per image n with n_image counted pixels:
 *
 * <pre>
 *   L_n = &Sigma;_i w_i·p_i·φ_i / n_image
 * </pre>
 *
 * then reduced over the images like a region loss (default: the mean; per-image weights weight the
 * L_n). φ is the signed Euclidean distance map of the foreground y ≥ 0.5 as the paper's reference code
 * ({@code one_hot2dist}) computes it, in pixel units, exactly (Felzenszwalb–Huttenlocher, see
 * {@link DistanceTransform}) over the image's spatial axes ({@link Tensor#spatialShape()}: singleton axes
 * such as a channel of size 1 are dropped, so 1-D, 2-D and 3-D images work):
 *
 * <pre>
 *   outside (y &lt; 0.5):  φ = distance to the nearest foreground pixel            (≥ 1)
 *   inside  (y ≥ 0.5):  φ = −(distance to the nearest background pixel − 1)    (≤ 0)
 * </pre>
 *
 * so the loss falls as probability moves from outside the object to inside it. The gradient is
 * w_i·φ_i / n_image with respect to p_i (times p(1 − p) on logits): the loss is linear in p.
 *
 * <ul>
 *   <li>φ = 0 on an image without foreground (the reference code leaves such maps blank) and, likewise,
 *       on an image without background: there is no boundary to measure to (the reference code would
 *       call scipy's EDT on a mask without zeros, which returns distances to a point outside the image —
 *       an artefact, not a distance).
 *   <li>Ignored pixels are neither foreground nor background: they add nothing to the sum nor to
 *       n_image, foreground distances go to the nearest counted background pixel and vice versa.
 *   <li>The paper uses it beside a regional loss (generalized Dice), the boundary term's weight starting
 *       at 0.01 and growing during training, e.g. {@code 0.99*gdice + 0.01*boundary}; alone it gives no
 *       signal on images without foreground (φ = 0) nor on the innermost foreground ring (φ = 0 there).
 *   <li>Not invariant to permuting pixels (φ depends on the geometry); φ is recomputed on every call from
 *       y_true, {@link #signedDistanceMap} gives it to engines that want to precompute it.
 * </ul>
 *
 * Range: the minimum over p is &Sigma;_{inside} w·φ / n_image ≤ 0, reached by the perfect prediction p = y on
 * hard labels. Input: y_true in [0,1], y_pred probabilities or logits, shape [N, ...].
 */
public final class BoundaryLoss extends AbstractSegLoss {
  /** The parameters of {@code boundary}: none besides the reduction. */
  public record Params() {}

  public static final LossType TYPE = new LossType("boundary", "boundary loss (Kervadec 2019): mean of p times the signed distance map of y",
      List.of(), BoundaryLoss::new);

  private static final Params PARAMS = new Params();

  private BoundaryLoss(LossParams v) {
    super(v);
  }

  @Override
  public Params params() {
    return PARAMS;
  }

  public static Builder builder() {
    return new Builder();
  }

  public static BoundaryLoss create() {
    return builder().build();
  }

  /**
   * The signed distance map φ of every image of {@code yTrue} (shape [N, ...], foreground y ≥ 0.5),
   * ignoring the pixels whose label equals {@code ignoreValue} (NaN for none; φ = 0 there), as defined
   * above.
   */
  public static float[] signedDistanceMap(Tensor yTrue, float ignoreValue) {
    int n = yTrue.batch();
    int m = yTrue.imageSize();
    int[] shape = yTrue.spatialShape();
    double[] phi = new double[n * m];
    for (int img = 0; img < n; img++) imageMap(yTrue.data(), img * m, m, shape, ignoreValue, phi);
    float[] out = new float[n * m];
    for (int i = 0; i < out.length; i++) out[i] = (float) phi[i];
    return out;
  }

  /** Writes φ of the image at [from, from + m) of {@code y} into the same range of {@code phi}. */
  private static void imageMap(float[] y, int from, int m, int[] shape, float ignoreValue, double[] phi) {
    boolean ignore = !Float.isNaN(ignoreValue);
    boolean[] fg = new boolean[m];
    boolean[] bg = new boolean[m];
    int nf = 0, nb = 0;
    for (int j = 0; j < m; j++) {
      float v = y[from + j];
      if (ignore && v == ignoreValue) continue;
      if (v >= 0.5f) {
        fg[j] = true;
        nf++;
      } else {
        bg[j] = true;
        nb++;
      }
    }
    if (nf == 0 || nb == 0) return; // blank map
    double[] toFg = DistanceTransform.distanceToFeatures(fg, shape, null);
    double[] toBg = DistanceTransform.distanceToFeatures(bg, shape, null);
    for (int j = 0; j < m; j++) {
      phi[from + j] = fg[j] ? -(toBg[j] - 1) : bg[j] ? toFg[j] : 0;
    }
  }

  @Override
  public LossResult compute(LossInput in, boolean withGradient) {
    final int n = in.batch();
    final int m = in.imageSize();
    final float[] x = in.yPred().data();
    final boolean logits = in.fromLogits();
    final boolean pixelWeights = in.hasPixelWeights();
    final int[] shape = in.yTrue().spatialShape();
    final double[] phi = new double[n * m];
    final double[] values = new double[n];
    final int[] counted = new int[n];
    Parallel.forEachImage(n, in.threads(), img -> {
      int from = img * m;
      imageMap(in.yTrue().data(), from, m, shape, in.ignoreValue(), phi);
      int c = 0;
      double s = 0;
      for (int i = from; i < from + m; i++) {
        if (!in.counted(i)) continue;
        c++;
        double p = logits ? Functions.sigmoid(x[i]) : x[i];
        s += (pixelWeights ? in.pixelWeight(i) : 1.0) * phi[i] * p;
      }
      counted[img] = c;
      values[img] = c > 0 ? s / c : 0;
    });
    double[] factor = new double[n];
    double[] out = Reductions.groupValues(values, Functions.imageWeights(in), reduction, factor);
    if (!withGradient) return new LossResult(out, null);
    final float[] grad = new float[n * m];
    Parallel.forEachImage(n, in.threads(), img -> {
      if (counted[img] == 0) return;
      double f = factor[img] / counted[img];
      for (int i = img * m; i < (img + 1) * m; i++) {
        if (phi[i] == 0) continue; // also every ignored pixel
        double g = f * (pixelWeights ? in.pixelWeight(i) : 1.0) * phi[i];
        if (logits) {
          double p = Functions.sigmoid(x[i]);
          g *= p * (1 - p);
        }
        grad[i] = (float) g;
      }
    });
    return new LossResult(out, grad);
  }

  /** Builds a {@link BoundaryLoss} (it has only the {@code reduction} parameter). */
  public static final class Builder extends LossBuilder<Builder, BoundaryLoss> {
    Builder() {
      super(TYPE);
    }
  }
}
