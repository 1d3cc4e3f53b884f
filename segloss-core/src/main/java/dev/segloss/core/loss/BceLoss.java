package dev.segloss.core.loss;

import dev.segloss.core.kernel.Kernels;
import java.util.List;

/**
 * Weighted binary cross-entropy, the seed's first loss:
 *
 * <pre>
 *   l = −w_pos·y·log p − w_neg·(1 − y)·log(1 − p)
 * </pre>
 *
 * reduced by the mean over batch and pixels (the seed's {@code tf.reduce_mean}).
 *
 * <ul>
 *   <li>On probabilities, p is clipped to [eps, 1 − eps] with both bounds rounded to float32, as Keras and
 *       TF do ({@code epsilon = 1e-7}, Keras' {@code backend.epsilon()}); the gradient is zero where p lies
 *       outside the bounds, as for {@code tf.clip_by_value}.
 *   <li>On logits z, the stable form {@code l = w_pos·y·softplus(−z) + w_neg·(1 − y)·softplus(z)} with
 *       the fused gradient {@code dl/dz = w_neg·(1 − y)·σ(z) − w_pos·y·(1 − σ(z))} (TF's
 *       {@code sigmoid_cross_entropy_with_logits} when both weights are 1).
 *   <li>Label smoothing {@code y ← y(1 − s) + s/2} (Keras' {@code label_smoothing}).
 * </ul>
 *
 * Defaults: {@code w_pos = w_neg = 1} (plain BCE, Keras' {@code BinaryCrossentropy}); the seed's example uses
 * {@code w_neg = 0.2}, its rule of thumb weights inverse to class frequency ({@code segloss weights}).
 * Input: y_true in [0,1], y_pred probabilities or logits, shape [N, ...].
 */
public final class BceLoss extends PixelLoss {
  /** The default clip bound {@code eps}: Keras' {@code backend.epsilon()}. */
  public static final double DEFAULT_EPS = 1e-7;
  static final Param W_POS = Param.number("w_pos", 1, 0, Double.POSITIVE_INFINITY, "weight of foreground pixels (y = 1)");
  static final Param W_NEG = Param.number("w_neg", 1, 0, Double.POSITIVE_INFINITY, "weight of background pixels (y = 0)");
  static final Param EPS = Param.positive("eps", DEFAULT_EPS, 0.5, "probability clip bound (Keras epsilon)");
  static final Param LABEL_SMOOTHING = Param.number("label_smoothing", 0, 0, 1, "label smoothing s: y <- y(1-s) + s/2");

  /** The parameters of {@code bce}. */
  public record Params(double wPos, double wNeg, double eps, double labelSmoothing) {
    static Params of(LossParams v) {
      return new Params(v.number(W_POS), v.number(W_NEG), v.number(EPS), v.number(LABEL_SMOOTHING));
    }

    /** The lower clip bound on probabilities, rounded to float32 ({@link Functions#lowerClip}). */
    public float lo() {
      return Functions.lowerClip(eps);
    }

    /** The upper clip bound on probabilities, rounded to float32 ({@link Functions#upperClip}). */
    public float hi() {
      return Functions.upperClip(eps);
    }
  }

  public static final LossType TYPE = new LossType("bce", "weighted binary cross-entropy (the seed's first loss)",
      List.of(W_POS, W_NEG, EPS, LABEL_SMOOTHING), BceLoss::new);

  private final Params p;
  private final double wPos;
  private final double wNeg;
  private final float lo;
  private final float hi;
  private final double smoothing;

  private BceLoss(LossParams v) {
    super(v);
    this.p = Params.of(v);
    this.wPos = p.wPos();
    this.wNeg = p.wNeg();
    this.lo = p.lo();
    this.hi = p.hi();
    this.smoothing = p.labelSmoothing();
  }

  @Override
  public Params params() {
    return p;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Plain BCE with all defaults. */
  public static BceLoss create() {
    return builder().build();
  }

  public double wPos() {
    return wPos;
  }

  public double wNeg() {
    return wNeg;
  }

  @Override
  protected double pixel(double y, double x, boolean logits, double[] d) {
    return bce(y, x, logits, wPos, wNeg, lo, hi, smoothing, d);
  }

  /**
   * The per-pixel weighted BCE and its derivative with respect to x (probability or logit), in double.
   * Shared by {@code bce}, {@code topk} and {@code combined}.
   */
  static double bce(double y, double x, boolean logits, double wPos, double wNeg, float lo, float hi,
      double smoothing, double[] d) {
    double t = Functions.smooth(y, smoothing);
    if (logits) {
      double s = Functions.sigmoid(x);
      d[0] = wNeg * (1 - t) * s - wPos * t * (1 - s);
      return wPos * t * Functions.softplus(-x) + wNeg * (1 - t) * Functions.softplus(x);
    }
    double p = x;
    boolean inside = true;
    if (p < lo) {
      p = lo;
      inside = false;
    } else if (p > hi) {
      p = hi;
      inside = false;
    }
    d[0] = inside ? -wPos * t / p + wNeg * (1 - t) / (1 - p) : 0.0;
    return -wPos * t * Math.log(p) - wNeg * (1 - t) * Math.log(1 - p);
  }

  @Override
  protected double kernelSum(Kernels k, float[] y, float[] x, int from, int to, boolean logits, float[] grad, float scale) {
    return k.bce(y, x, from, to, logits, (float) wPos, (float) wNeg, lo, hi, (float) smoothing, grad, scale);
  }

  /** Builds a {@link BceLoss}; parameters as in the spec language, camelCase. */
  public static final class Builder extends LossBuilder<Builder, BceLoss> {
    Builder() {
      super(TYPE);
    }

    public Builder wPos(double v) {
      return set(W_POS, v);
    }

    public Builder wNeg(double v) {
      return set(W_NEG, v);
    }

    public Builder eps(double v) {
      return set(EPS, v);
    }

    public Builder labelSmoothing(double v) {
      return set(LABEL_SMOOTHING, v);
    }
  }
}
