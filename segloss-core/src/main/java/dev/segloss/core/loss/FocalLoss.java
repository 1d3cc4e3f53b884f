package dev.segloss.core.loss;

import dev.segloss.core.kernel.Kernels;
import dev.segloss.core.spec.LossParams;
import dev.segloss.core.spec.LossType;
import dev.segloss.core.spec.Param;
import java.util.List;

/**
 * Binary focal loss (Lin et al. 2017, "Focal loss for dense object detection"), per pixel:
 *
 * <pre>
 *   t   = y(1 − s) + s/2                       (label smoothing s, Keras convention)
 *   p_t = t·p + (1 − t)(1 − p)
 *   α_t = t·α + (1 − t)(1 − α)                 (only when alpha is given)
 *   l   = α_t · (1 − p_t)^γ · bce(t, p)
 *   bce = −t·log p − (1 − t)·log(1 − p)
 * </pre>
 *
 * reduced like every pixel loss (default: the mean over counted pixels, see {@link Reduction}). This is
 * the semantics of Keras 3 {@code BinaryFocalCrossentropy}: the smoothed label is used everywhere (in p_t,
 * α_t and the BCE term), and {@code apply_class_balancing=True} with its {@code alpha} is {@code alpha=α}
 * here, {@code apply_class_balancing=False} is {@code alpha=none}.
 *
 * <ul>
 *   <li>On probabilities the BCE term clips p to [eps, 1 − eps] with float32 bounds, exactly as
 *       {@link BceLoss} (zero derivative of that term outside the bounds), while the focal factor
 *       (1 − p_t)^γ uses the unclipped p — as Keras does.
 *   <li>On logits z, p = σ(z) and the BCE term is the stable {@code t·softplus(−z) + (1 − t)·softplus(z)}
 *       with d bce/dz = p − t, and d(1 − p_t)/dz = (1 − 2t)·p(1 − p). (Keras applies the sigmoid and then
 *       the clipped probability formula; the two agree wherever p is inside the clip bounds.)
 *   <li>Where 1 − p_t = 0 (p equal to a hard label) and γ &lt; 1 the focal factor's derivative is infinite;
 *       it is taken as 0 there.
 *   <li>Defaults: γ = 2 (Lin 2017, Keras), alpha none (no balancing; Lin's α = 0.25 is
 *       {@code focal(alpha=0.25)}, Keras' {@code apply_class_balancing=True} default), eps 1e-7 (Keras'
 *       epsilon), label_smoothing 0.
 * </ul>
 *
 * Range: [0, ∞); a perfect prediction on hard labels gives 0 (up to the clip bound on probabilities).
 * Input: y_true in [0,1], y_pred probabilities or logits, shape [N, ...].
 */
public final class FocalLoss extends PixelLoss {
  /**
   * Largest gamma: Lin et al. (2017) use 0 to 5; at 100 the factor (1 − p_t)^γ is below 0.006 for every
   * pixel with p_t &gt; 0.05, so larger values only underflow, and values beyond float32's range could not
   * reach the engines at all (they compute in float32).
   */
  public static final double MAX_GAMMA = 100;

  public static final LossType TYPE = new LossType("focal", "binary focal loss (Lin 2017), Keras 3 BinaryFocalCrossentropy semantics",
      List.of(
          Param.number("gamma", 2, 0, MAX_GAMMA, "focusing exponent (Lin 2017: 2)"),
          Param.optionalNumber("alpha", 0, 1, "foreground balance alpha, background 1 - alpha; none = no balancing"),
          Param.positive("eps", 1e-7, 0.5, "probability clip bound of the BCE term (Keras epsilon)"),
          Param.number("label_smoothing", 0, 0, 1, "label smoothing s: y <- y(1-s) + s/2")),
      FocalLoss::new);

  private final double gamma;
  private final double alpha; // NaN: none
  private final float lo;
  private final float hi;
  private final double smoothing;

  private FocalLoss(LossParams p) {
    super(p);
    gamma = p.number("gamma");
    alpha = p.optionalNumber("alpha");
    lo = Functions.lowerClip(p.number("eps"));
    hi = Functions.upperClip(p.number("eps"));
    smoothing = p.number("label_smoothing");
  }

  public static Builder builder() {
    return new Builder();
  }

  public static FocalLoss create() {
    return builder().build();
  }

  public double gamma() {
    return gamma;
  }

  /** The balance α, or NaN when there is none. */
  public double alpha() {
    return alpha;
  }

  @Override
  protected double pixel(double y, double x, boolean logits, double[] d) {
    return focal(y, x, logits, gamma, alpha, lo, hi, smoothing, d);
  }

  /**
   * The focal loss of one pixel and its derivative with respect to x (probability or logit), in double:
   * the scalar reference of {@link Kernels#focal}. {@code alpha} NaN means no balancing.
   */
  static double focal(double y, double x, boolean logits, double gamma, double alpha, float lo, float hi,
      double smoothing, double[] d) {
    double t = Functions.smooth(y, smoothing);
    double p;
    double bce;
    double dBce; // d bce / dx
    double dp; // dp / dx
    if (logits) {
      p = Functions.sigmoid(x);
      bce = t * Functions.softplus(-x) + (1 - t) * Functions.softplus(x);
      dBce = p - t;
      dp = p * (1 - p);
    } else {
      p = x;
      double pc = p;
      boolean inside = true;
      if (pc < lo) {
        pc = lo;
        inside = false;
      } else if (pc > hi) {
        pc = hi;
        inside = false;
      }
      bce = -t * Math.log(pc) - (1 - t) * Math.log(1 - pc);
      dBce = inside ? -t / pc + (1 - t) / (1 - pc) : 0.0;
      dp = 1;
    }
    double q = t * (1 - p) + (1 - t) * p; // 1 − p_t
    double factor = Math.pow(q, gamma);
    double dFactor = gamma == 0 ? 0 : gamma * Math.pow(q, gamma - 1);
    if (!Double.isFinite(dFactor)) dFactor = 0; // q = 0 with γ < 1
    dFactor *= (1 - 2 * t) * dp;
    double at = Double.isNaN(alpha) ? 1 : t * alpha + (1 - t) * (1 - alpha);
    d[0] = at * (dFactor * bce + factor * dBce);
    return at * factor * bce;
  }

  @Override
  protected double kernelSum(Kernels k, float[] y, float[] x, int from, int to, boolean logits, float[] grad, float scale) {
    return k.focal(y, x, from, to, logits, (float) gamma, Double.isNaN(alpha) ? Float.NaN : (float) alpha, lo, hi,
        (float) smoothing, grad, scale);
  }

  /** Builds a {@link FocalLoss}; parameters as in the spec language, camelCase. */
  public static final class Builder extends LossBuilder<Builder, FocalLoss> {
    Builder() {
      super(TYPE);
    }

    public Builder gamma(double v) {
      return set("gamma", v);
    }

    /** Class balancing: α on foreground pixels, 1 − α on background pixels. */
    public Builder alpha(double v) {
      return set("alpha", v);
    }

    /** No class balancing (the default, {@code alpha=none}). */
    public Builder noAlpha() {
      return set("alpha", null);
    }

    public Builder eps(double v) {
      return set("eps", v);
    }

    public Builder labelSmoothing(double v) {
      return set("label_smoothing", v);
    }
  }
}
