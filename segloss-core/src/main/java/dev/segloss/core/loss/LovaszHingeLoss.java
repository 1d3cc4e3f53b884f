package dev.segloss.core.loss;

import dev.segloss.core.InvalidInputException;
import java.util.List;

/**
 * Lovász hinge loss (Berman, Rannen Triki &amp; Blaschko 2018, "The Lovász-Softmax loss: a tractable
 * surrogate for the optimization of the intersection-over-union measure in neural networks"): the Lovász
 * extension of the Jaccard loss applied to the hinge errors. For one image (or the whole batch when
 * {@code per_image=false}) with counted pixels i, labels s_i = +1 where y ≥ 0.5 and −1 elsewhere, and
 * logits z_i:
 *
 * <pre>
 *   e_i = 1 − z_i·s_i                          (hinge errors)
 *   sort the errors in decreasing order: e_(1) ≥ e_(2) ≥ ...   (ties in pixel order)
 *   J_r = 1 − (G − P_r) / (G + N_r)            G positives in all, P_r / N_r positives / negatives among the first r
 *   L   = &Sigma;_r max(e_(r), 0) · (J_r − J_(r−1)),   J_0 = 0
 * </pre>
 *
 * The gradient is dL/dz_i = −s_i·(J_r − J_(r−1)) where e_i = e_(r) &gt; 0, else 0 (exact wherever the
 * errors have no ties and none is 0: the loss is piecewise linear in the errors).
 *
 * <ul>
 *   <li>On probabilities p the logits are z = logit(clip(p, eps, 1 − eps)) with float32 bounds as in
 *       {@link BceLoss}; the gradient is dL/dz / (p(1 − p)) inside the bounds and 0 outside. Default
 *       {@code eps = 1e-7}: Keras' {@code backend.epsilon()}, the clip bound of {@code bce} and {@code focal}
 *       (Berman's reference code takes logits only, so it has no such bound).
 *   <li>{@code per_image=true} (default, as Berman's reference {@code lovasz_hinge}): one hinge per image,
 *       then the region reduction (default: the mean over images); an image without counted pixels gives
 *       0. {@code per_image=false}: one hinge over all counted pixels of the batch, one value.
 *   <li>Weights: the Lovász hinge is a function of the ranked errors, not a sum over pixels, so per-pixel
 *       weights have no meaning and are rejected; per-image weights [N] weight the image values in the
 *       reduction (rejected with {@code per_image=false}, where there are no image values).
 *   <li>Soft labels are thresholded at 0.5; ignored pixels are left out before sorting (the reference code's
 *       {@code ignore}).
 * </ul>
 *
 * Range: [0, ∞); 0 when every pixel is on the right side with margin, z·s ≥ 1 (a perfect prediction on
 * probabilities: |logit(1 − eps)| ≈ 16 ≥ 1). Input: y_true in [0,1], y_pred logits or probabilities,
 * shape [N, ...].
 */
public final class LovaszHingeLoss extends AbstractSegLoss {
  static final Param PER_IMAGE = Param.bool("per_image", true, "one hinge per image, then reduced (false: one hinge over the batch)");
  static final Param EPS = Param.positive("eps", 1e-7, 0.5, "probability clip bound before the logit, on probabilities");

  /** The parameters of {@code lovasz}. */
  public record Params(boolean perImage, double eps) {
    static Params of(LossParams v) {
      return new Params(v.bool(PER_IMAGE), v.number(EPS));
    }

    /** The lower clip bound on probabilities, rounded to float32. */
    public float lo() {
      return Functions.lowerClip(eps);
    }

    /** The upper clip bound on probabilities, rounded to float32. */
    public float hi() {
      return Functions.upperClip(eps);
    }
  }

  public static final LossType TYPE = new LossType("lovasz", "Lovász hinge loss (Berman 2018), a convex surrogate of the Jaccard loss",
      List.of(PER_IMAGE, EPS), LovaszHingeLoss::new);

  private final Params p;
  private final boolean perImage;
  private final float lo;
  private final float hi;

  private LovaszHingeLoss(LossParams v) {
    super(v);
    p = Params.of(v);
    perImage = p.perImage();
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

  public static LovaszHingeLoss create() {
    return builder().build();
  }

  @Override
  public LossResult compute(LossInput in, boolean withGradient) {
    if (in.hasPixelWeights()) {
      throw new InvalidInputException("weights: lovasz takes no per-pixel weights (the Lovász hinge ranks the errors,"
          + " it is not a sum over pixels); give one weight per image, shape [" + in.batch() + "]");
    }
    if (!perImage && in.perImageWeights()) {
      throw new InvalidInputException("weights: lovasz(per_image=false) computes one hinge over the whole batch,"
          + " so per-image weights have nothing to weight; use per_image=true or drop the weights");
    }
    final int n = in.batch();
    final int m = in.imageSize();
    final int groups = perImage ? n : 1;
    final int groupSize = perImage ? m : n * m;
    final float[] grad = withGradient ? new float[n * m] : null;
    final double[] values = new double[groups];
    Parallel.forEachImage(groups, perImage ? in.threads() : 1, g -> {
      values[g] = hinge(in, g * groupSize, (g + 1) * groupSize, grad);
    });
    double[] factor = new double[groups];
    double[] weights = perImage ? Functions.imageWeights(in) : new double[] {1.0};
    double[] out = Reductions.groupValues(values, weights, reduction, factor);
    if (withGradient) {
      for (int g = 0; g < groups; g++) {
        float f = (float) factor[g];
        for (int i = g * groupSize; i < (g + 1) * groupSize; i++) grad[i] *= f;
      }
    }
    return new LossResult(out, grad);
  }

  /**
   * The Lovász hinge over the counted pixels of [from, to); writes dL/dx (x as given) into grad when it
   * is not null. Only the pixels with a positive error are sorted: the others rank after all of them,
   * add nothing and get no gradient, and the Jaccard increments of the first ranks depend only on the
   * pixels before them and on the total number of positives.
   */
  private double hinge(LossInput in, int from, int to, float[] grad) {
    float[] y = in.yTrue().data();
    float[] x = in.yPred().data();
    boolean logits = in.fromLogits();
    int len = to - from;
    int[] where = new int[len];
    double[] err = new double[len];
    boolean[] positive = new boolean[len];
    int positives = 0;
    int c = 0;
    for (int i = from; i < to; i++) {
      if (!in.counted(i)) continue;
      boolean pos = y[i] >= 0.5f;
      if (pos) positives++;
      double e = 1 - (pos ? z(x[i], logits) : -z(x[i], logits));
      if (!(e > 0)) continue;
      err[c] = e;
      where[c] = i;
      c++;
    }
    if (c == 0) return 0;
    Functions.sortDescending(err, where, c);
    // the labels in rank order
    for (int r = 0; r < c; r++) positive[r] = y[where[r]] >= 0.5f;
    double loss = 0;
    double prevJ = 0;
    int cp = 0, cn = 0;
    for (int r = 0; r < c; r++) {
      if (positive[r]) cp++; else cn++;
      double jac = 1.0 - (double) (positives - cp) / (positives + cn);
      double g = jac - prevJ; // the Lovász gradient of the Jaccard loss at rank r
      prevJ = jac;
      loss += err[r] * g;
      if (grad != null) {
        int i = where[r];
        grad[i] = (float) (-(positive[r] ? 1 : -1) * g * dzdx(x[i], logits));
      }
    }
    return loss;
  }

  /** The logit of a prediction: itself on logits, logit(clip(p)) on probabilities. */
  private double z(float x, boolean logits) {
    if (logits) return x;
    double p = Math.min(Math.max(x, lo), hi);
    return Functions.logit(p);
  }

  /** dz/dx: 1 on logits, 1/(p(1 − p)) inside the clip bounds on probabilities, 0 outside. */
  private double dzdx(float x, boolean logits) {
    if (logits) return 1;
    if (x < lo || x > hi) return 0;
    return 1 / ((double) x * (1 - (double) x));
  }

  /** Builds a {@link LovaszHingeLoss}; parameters as in the spec language, camelCase. */
  public static final class Builder extends LossBuilder<Builder, LovaszHingeLoss> {
    Builder() {
      super(TYPE);
    }

    public Builder perImage(boolean v) {
      return set(PER_IMAGE, v);
    }

    public Builder eps(double v) {
      return set(EPS, v);
    }
  }
}
