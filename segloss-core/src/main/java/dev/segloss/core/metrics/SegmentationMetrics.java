package dev.segloss.core.metrics;

import dev.segloss.core.InvalidInputException;
import dev.segloss.core.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Metrics of thresholded binary predictions, per image, with micro and macro summaries
 * ({@link MetricsSummary}). Immutable and thread-safe; configure with {@link #builder()}.
 *
 * <p>Conventions (issue 2, "Metrics"):
 *
 * <ul>
 *   <li>Prediction foreground where the probability is &ge; t (default t = 0.5, issue 2; the usual cut of
 *       two-class probabilities, e.g. MONAI's {@code AsDiscrete(threshold=0.5)}); on logits the same t is
 *       applied to sigmoid(x), i.e. x &ge; logit(t) = ln(t/(1 − t)), compared in double. t = 0 makes every
 *       pixel foreground; t = 1 only probability 1 (no finite logit).
 *   <li>Truth foreground where the label is &ge; 0.5 (soft labels are rounded half up).
 *   <li>Pixels whose label equals the ignore value are in no count; for the surface distances they are
 *       background in both masks.
 *   <li>{@code f_beta} with &beta; = 1 by default (the F1 score, equal to Dice); spacing 1 per axis by
 *       default (distances in pixels, as MedPy with {@code voxelspacing=None}).
 *   <li>0/0 is resolved by the {@link EmptyPolicy} (default {@link EmptyPolicy#NAN}); surface distances
 *       ({@link SurfaceDistances}) with an empty side are NaN.
 *   <li>Inputs are checked as for losses: labels in [0,1] or the ignore value, predictions finite and,
 *       unless logits, in [0,1]; errors name the input.
 * </ul>
 *
 * <pre>{@code
 * SegmentationMetrics sm = SegmentationMetrics.builder().threshold(0.5).spacing(0.8, 0.8).build();
 * List<ImageMetrics> per = sm.batch(yTrue, yPred);          // [N, ...] tensors
 * MetricsSummary s = sm.summarize(per);
 * double meanDice = s.macro(Metric.DICE).mean();
 * }</pre>
 */
public final class SegmentationMetrics implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  private final double threshold;
  private final boolean fromLogits;
  private final double beta;
  private final double[] spacing;
  private final EmptyPolicy emptyPolicy;
  private final float ignoreValue;
  private final boolean distances;
  private final double logitThreshold;

  private SegmentationMetrics(Builder b) {
    this.threshold = b.threshold;
    this.fromLogits = b.fromLogits;
    this.beta = b.beta;
    this.spacing = b.spacing == null ? null : b.spacing.clone();
    this.emptyPolicy = b.emptyPolicy;
    this.ignoreValue = (float) b.ignoreValue;
    this.distances = b.distances;
    this.logitThreshold = Math.log(threshold / (1 - threshold));
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Defaults: t = 0.5, probabilities, beta 1, spacing 1, policy nan, no ignore value, distances on. */
  public static SegmentationMetrics defaults() {
    return builder().build();
  }

  public double threshold() {
    return threshold;
  }

  public boolean fromLogits() {
    return fromLogits;
  }

  public double beta() {
    return beta;
  }

  public EmptyPolicy emptyPolicy() {
    return emptyPolicy;
  }

  /** The ignore value, NaN for none. */
  public double ignoreValue() {
    return ignoreValue;
  }

  /** True when surface distances are computed (they cost two distance transforms per image). */
  public boolean distances() {
    return distances;
  }

  /** True when {@code pred} counts as foreground. */
  public boolean predictedForeground(float pred) {
    return fromLogits ? pred >= logitThreshold : pred >= threshold;
  }

  /** Metrics of every image of a batch {@code [N, d1, ..., dk]}; images are named by their index. */
  public List<ImageMetrics> batch(Tensor truth, Tensor pred) {
    return batch(truth, pred, "y_true", "y_pred");
  }

  /** As {@link #batch(Tensor, Tensor)}, naming the inputs in error messages. */
  public List<ImageMetrics> batch(Tensor truth, Tensor pred, String truthName, String predName) {
    if (!truth.sameShape(pred)) {
      throw new InvalidInputException(predName + ": shape " + Tensor.shapeString(pred.shape()) + " does not match "
          + truthName + " shape " + Tensor.shapeString(truth.shape()));
    }
    if (truth.rank() < 2) {
      throw new InvalidInputException(truthName + ": expected shape [N, d1, ...] with a batch axis and at least one image axis, got "
          + Tensor.shapeString(truth.shape()));
    }
    if (truth.size() == 0) throw new InvalidInputException(truthName + ": the array is empty " + Tensor.shapeString(truth.shape()));
    int[] full = Arrays.copyOfRange(truth.shape(), 1, truth.rank());
    int m = truth.imageSize();
    List<ImageMetrics> out = new ArrayList<>();
    for (int n = 0; n < truth.batch(); n++) {
      out.add(image(Integer.toString(n), truth.data(), pred.data(), n * m, full, truthName, predName));
    }
    return out;
  }

  /**
   * Metrics of one image stored at {@code [from, from + product(shape))} of both arrays.
   *
   * @param shape the image's axes (singleton axes allowed; spacing refers to the non-singleton ones, or
   *     to all of them when it has as many values)
   */
  public ImageMetrics image(String name, float[] truth, float[] pred, int from, int[] shape, String truthName, String predName) {
    int m = 1;
    for (int d : shape) m *= d;
    if (from < 0 || from + m > truth.length || from + m > pred.length) {
      throw new InvalidInputException(name + ": image range [" + from + ", " + (from + m) + ") exceeds the arrays");
    }
    boolean ign = !Float.isNaN(ignoreValue);
    boolean[] t = new boolean[m];
    boolean[] p = new boolean[m];
    long tp = 0;
    long fp = 0;
    long fn = 0;
    long tn = 0;
    for (int i = 0; i < m; i++) {
      float y = truth[from + i];
      float x = pred[from + i];
      if (!Float.isFinite(x)) {
        throw InvalidInputException.nonFinitePrediction(predName, x, from + i);
      }
      if (!fromLogits && (x < 0f || x > 1f)) {
        throw InvalidInputException.notAProbability(predName, x, from + i);
      }
      if (ign && y == ignoreValue) continue;
      if (!(y >= 0f && y <= 1f)) {
        throw InvalidInputException.badLabel(truthName, y, from + i, ignoreValue);
      }
      boolean ty = y >= 0.5f;
      boolean py = predictedForeground(x);
      t[i] = ty;
      p[i] = py;
      if (ty) {
        if (py) tp++;
        else fn++;
      } else if (py) {
        fp++;
      } else {
        tn++;
      }
    }
    Confusion c = new Confusion(tp, fp, fn, tn);
    double[] v = countMetrics(c);
    if (distances) {
      SurfaceDistances d;
      if (c.truthPositive() == 0 || c.predictedPositive() == 0) {
        d = SurfaceDistances.UNDEFINED;
      } else {
        int[] spatial = Tensor.squeeze(shape);
        d = SurfaceDistances.of(t, p, spatial, resolveSpacing(shape, spatial));
      }
      v[Metric.HD.ordinal()] = d.hd();
      v[Metric.HD95.ordinal()] = d.hd95();
      v[Metric.ASSD.ordinal()] = d.assd();
    } else {
      v[Metric.HD.ordinal()] = Double.NaN;
      v[Metric.HD95.ordinal()] = Double.NaN;
      v[Metric.ASSD.ordinal()] = Double.NaN;
    }
    return new ImageMetrics(name, c, v);
  }

  /** Summarises per-image metrics (micro from pooled counts, macro mean ± std). */
  public MetricsSummary summarize(List<ImageMetrics> perImage) {
    return MetricsSummary.of(perImage, this);
  }

  /** The count metrics of {@code c} (array indexed by {@link Metric#ordinal()}, distances NaN). */
  public double[] countMetrics(Confusion c) {
    double tp = c.tp();
    double fp = c.fp();
    double fn = c.fn();
    double tn = c.tn();
    double z = emptyPolicy.value();
    boolean truthEmptyNan = emptyPolicy == EmptyPolicy.NAN_IF_TRUTH_EMPTY && c.truthPositive() == 0;
    double[] v = new double[Metric.values().length];
    Arrays.fill(v, Double.NaN);
    double b2 = beta * beta;
    v[Metric.DICE.ordinal()] = truthEmptyNan ? Double.NaN : ratio(2 * tp, 2 * tp + fp + fn, z);
    v[Metric.IOU.ordinal()] = truthEmptyNan ? Double.NaN : ratio(tp, tp + fp + fn, z);
    v[Metric.PRECISION.ordinal()] = truthEmptyNan ? Double.NaN : ratio(tp, tp + fp, z);
    v[Metric.RECALL.ordinal()] = truthEmptyNan ? Double.NaN : ratio(tp, tp + fn, z);
    v[Metric.SPECIFICITY.ordinal()] = ratio(tn, tn + fp, z);
    v[Metric.F_BETA.ordinal()] = truthEmptyNan ? Double.NaN : ratio((1 + b2) * tp, (1 + b2) * tp + b2 * fn + fp, z);
    v[Metric.ACCURACY.ordinal()] = ratio(tp + tn, tp + fp + fn + tn, z);
    double pos = tp + fn;
    double neg = tn + fp;
    double bal;
    if (pos > 0 && neg > 0) bal = (tp / pos + tn / neg) / 2;
    else if (pos > 0) bal = tp / pos;
    else if (neg > 0) bal = tn / neg;
    else bal = z;
    v[Metric.BALANCED_ACCURACY.ordinal()] = bal;
    double den = Math.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn));
    double mcc;
    if (truthEmptyNan) mcc = Double.NaN;
    else if (den > 0) mcc = (tp * tn - fp * fn) / den;
    else mcc = fp + fn == 0 ? z : 0.0;
    v[Metric.MCC.ordinal()] = mcc;
    return v;
  }

  private static double ratio(double num, double den, double zeroByZero) {
    return den == 0 ? zeroByZero : num / den;
  }

  /** Spacing for the squeezed axes: given per non-singleton axis, or per axis of the full image shape. */
  private double[] resolveSpacing(int[] full, int[] spatial) {
    if (spacing == null) return null;
    if (spacing.length == spatial.length) return spacing;
    if (spacing.length == full.length) {
      double[] s = new double[spatial.length];
      int j = 0;
      for (int i = 0; i < full.length; i++) if (full[i] != 1) s[j++] = spacing[i];
      if (j == 0) return new double[] {1};
      return s;
    }
    throw new InvalidInputException("spacing: " + spacing.length + " values for images of shape " + Tensor.shapeString(full)
        + "; expected " + spatial.length + " (one per non-singleton axis)" + (full.length != spatial.length ? " or " + full.length : ""));
  }

  /** Configures {@link SegmentationMetrics}. */
  public static final class Builder {
    private double threshold = 0.5;
    private boolean fromLogits;
    private double beta = 1.0;
    private double[] spacing;
    private EmptyPolicy emptyPolicy = EmptyPolicy.NAN;
    private double ignoreValue = Double.NaN;
    private boolean distances = true;

    /** Probability threshold t in [0, 1] (default 0.5): foreground where p &ge; t. */
    public Builder threshold(double t) {
      if (!(t >= 0 && t <= 1)) throw new InvalidInputException("threshold: expected a probability in [0, 1], got " + t);
      this.threshold = t;
      return this;
    }

    /** Predictions are logits: foreground where x &ge; logit(t). */
    public Builder fromLogits(boolean logits) {
      this.fromLogits = logits;
      return this;
    }

    /** Beta of f_beta (default 1), &gt; 0. */
    public Builder beta(double b) {
      if (!(b > 0) || !Double.isFinite(b)) throw new InvalidInputException("beta: expected a positive number, got " + b);
      this.beta = b;
      return this;
    }

    /** Physical pixel size per image axis for the distances (default 1 each); null for the default. */
    public Builder spacing(double... s) {
      if (s != null) {
        for (double v : s) {
          if (!(v > 0) || !Double.isFinite(v)) throw new InvalidInputException("spacing: expected positive finite values, got " + Arrays.toString(s));
        }
      }
      this.spacing = s == null ? null : s.clone();
      return this;
    }

    public Builder emptyPolicy(EmptyPolicy p) {
      this.emptyPolicy = java.util.Objects.requireNonNull(p);
      return this;
    }

    /** Label value excluded from every count (NaN: none). */
    public Builder ignoreValue(double v) {
      this.ignoreValue = v;
      return this;
    }

    /** Whether to compute hd, hd95 and assd (default true). */
    public Builder distances(boolean on) {
      this.distances = on;
      return this;
    }

    public SegmentationMetrics build() {
      return new SegmentationMetrics(this);
    }
  }
}
