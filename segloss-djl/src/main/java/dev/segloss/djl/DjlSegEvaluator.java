package dev.segloss.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.evaluator.Evaluator;
import dev.segloss.core.InvalidInputException;
import dev.segloss.core.metrics.Confusion;
import dev.segloss.core.metrics.EmptyPolicy;
import dev.segloss.core.metrics.Metric;
import dev.segloss.core.metrics.SegmentationMetrics;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A segmentation metric as a DJL {@link Evaluator}: dice, iou, precision, recall (and the other count
 * metrics of the core: specificity, f_beta, accuracy, balanced_accuracy, mcc) of thresholded predictions,
 * with the core's conventions ({@link SegmentationMetrics}):
 *
 * <ul>
 *   <li>prediction foreground where the probability is &ge; {@code threshold} (default 0.5), on logits where
 *       x &ge; logit(threshold), compared exactly as the core compares (float32 inputs against the double
 *       threshold); truth foreground where the label is &ge; 0.5; pixels whose label equals the ignore value
 *       are in no count;
 *   <li>0/0 resolved by the {@link EmptyPolicy} (default {@code nan}: dice and iou of an image whose truth
 *       and prediction are both empty are NaN);
 *   <li>{@link Aggregation#MICRO}: the metric of the counts pooled over every image of every batch since the
 *       last reset; {@link Aggregation#MACRO} (default, the per-image mean that nnU-Net and MONAI's
 *       {@code DiceMetric} report): the mean of the per-image values over every image seen, NaN values left
 *       out (nnU-Net's nanmean); NaN when no image gave a value.
 * </ul>
 *
 * The confusion counts of each image are computed with NDArray operations on the predictions' device
 * (exact integer sums) and only 4 numbers per image are copied to the host, where the core turns counts
 * into metric values, so formulas and empty policies have one source of truth. Labels: {@code
 * NDList(y_true)} (a second array, weights, is ignored), shape as the predictions (singleton axes may
 * differ, e.g. [N, H, W] against [N, 1, H, W]), batch first. {@link #evaluate} gives the value of one
 * batch on its own (micro: pooled over the batch; macro: the nanmean over its images).
 */
public final class DjlSegEvaluator extends Evaluator {
  /** How per-image counts become one number. */
  public enum Aggregation {
    /** The metric of the pooled counts (every pixel weighs the same). */
    MICRO,
    /** The mean of the per-image metrics, NaN values left out. */
    MACRO
  }

  private final Metric metric;
  private final Aggregation aggregation;
  private final double threshold;
  private final boolean fromLogits;
  private final float ignoreValue;
  private final SegmentationMetrics core;
  private final float cutoff;
  private final Map<String, State> states = new ConcurrentHashMap<>();

  private DjlSegEvaluator(Builder b) {
    super(b.name != null ? b.name : b.metric.key() + (b.aggregation == Aggregation.MICRO ? "_micro" : ""));
    this.metric = b.metric;
    this.aggregation = b.aggregation;
    this.threshold = b.threshold;
    this.fromLogits = b.fromLogits;
    this.ignoreValue = (float) b.ignoreValue;
    this.core = SegmentationMetrics.builder().threshold(b.threshold).fromLogits(b.fromLogits).beta(b.beta)
        .emptyPolicy(b.emptyPolicy).ignoreValue(b.ignoreValue).distances(false).build();
    double t = b.fromLogits ? Math.log(b.threshold / (1 - b.threshold)) : b.threshold;
    this.cutoff = ceilToFloat(t);
  }

  /** The smallest float f with f &ge; t, so that (float x) &ge; f exactly when (double) x &ge; t. */
  static float ceilToFloat(double t) {
    float f = (float) t;
    return f < t ? Math.nextUp(f) : f;
  }

  /** A builder for {@code metric} (one of the count metrics). */
  public static Builder builder(Metric metric) {
    return new Builder(metric);
  }

  /** Dice (F1) with defaults, the per-image mean: threshold 0.5, policy nan. */
  public static DjlSegEvaluator dice(boolean fromLogits) {
    return builder(Metric.DICE).fromLogits(fromLogits).build();
  }

  /** IoU (Jaccard index) with defaults, the per-image mean. */
  public static DjlSegEvaluator iou(boolean fromLogits) {
    return builder(Metric.IOU).fromLogits(fromLogits).build();
  }

  /** Precision with defaults, the per-image mean. */
  public static DjlSegEvaluator precision(boolean fromLogits) {
    return builder(Metric.PRECISION).fromLogits(fromLogits).build();
  }

  /** Recall (sensitivity) with defaults, the per-image mean. */
  public static DjlSegEvaluator recall(boolean fromLogits) {
    return builder(Metric.RECALL).fromLogits(fromLogits).build();
  }

  public Metric metric() {
    return metric;
  }

  public Aggregation aggregation() {
    return aggregation;
  }

  public double threshold() {
    return threshold;
  }

  public boolean fromLogits() {
    return fromLogits;
  }

  public EmptyPolicy emptyPolicy() {
    return core.emptyPolicy();
  }

  /** The confusion counts of every image of a batch: [N][TP, FP, FN, TN]. */
  public long[][] confusion(NDList labels, NDList predictions) {
    if (predictions == null || predictions.isEmpty()) {
      throw new InvalidInputException("y_pred: expected an NDList holding the predictions, got an empty list");
    }
    if (labels == null || labels.isEmpty()) {
      throw new InvalidInputException("labels: expected NDList(y_true), got an empty list");
    }
    NDArray x = predictions.head();
    NDArray y = labels.get(0);
    Shape ps = x.getShape();
    if (ps.dimension() < 2) {
      throw new InvalidInputException("y_pred: expected shape [N, d1, ...] with a batch axis and at least one image axis, got "
          + DjlBatch.str(ps));
    }
    if (!DjlBatch.compatible(y.getShape(), ps)) {
      throw new InvalidInputException("y_true: shape " + DjlBatch.str(y.getShape()) + " does not match y_pred shape " + DjlBatch.str(ps));
    }
    int n = (int) ps.get(0);
    if (ps.size() == 0) throw new InvalidInputException("y_pred: the array is empty " + DjlBatch.str(ps));
    x = x.reshape(n, -1);
    y = y.reshape(n, -1);
    if (y.getDataType() != DataType.FLOAT32) y = y.toType(DataType.FLOAT32, false);
    if (x.getDataType() != DataType.FLOAT32) x = x.toType(DataType.FLOAT32, false);
    NDArray truth = y.gte(0.5f);
    NDArray pred = x.gte(cutoff);
    NDArray counted = Float.isNaN(ignoreValue) ? null : y.neq(ignoreValue);
    if (counted != null) {
      truth = truth.logicalAnd(counted);
      pred = pred.logicalAnd(counted);
    }
    NDArray tp = count(truth.logicalAnd(pred));
    NDArray t = count(truth);
    NDArray p = count(pred);
    NDArray c = counted == null ? null : count(counted);
    long[] tpa = tp.toLongArray();
    long[] ta = t.toLongArray();
    long[] pa = p.toLongArray();
    long[] ca = c == null ? null : c.toLongArray();
    long m = ps.size() / n;
    long[][] out = new long[n][4];
    for (int i = 0; i < n; i++) {
      long total = ca == null ? m : ca[i];
      long fp = pa[i] - tpa[i];
      long fn = ta[i] - tpa[i];
      out[i] = new long[] {tpa[i], fp, fn, total - tpa[i] - fp - fn};
    }
    return out;
  }

  private static NDArray count(NDArray mask) {
    return mask.toType(DataType.INT64, false).sum(new int[] {1});
  }

  private double value(long[] c) {
    return core.countMetrics(new Confusion(c[0], c[1], c[2], c[3]))[metric.ordinal()];
  }

  @Override
  public NDArray evaluate(NDList labels, NDList predictions) {
    State s = new State();
    s.add(confusion(labels, predictions), this);
    return predictions.head().getManager().create((float) s.get(this));
  }

  @Override
  public void addAccumulator(String key) {
    states.put(key, new State());
  }

  @Override
  public void updateAccumulators(String[] keys, NDList labels, NDList predictions) {
    long[][] counts = confusion(labels, predictions);
    for (String key : keys) state(key).add(counts, this);
  }

  @Override
  public void updateAccumulator(String key, NDList labels, NDList predictions) {
    updateAccumulators(new String[] {key}, labels, predictions);
  }

  @Override
  public void resetAccumulator(String key) {
    states.put(key, new State());
  }

  @Override
  public float getAccumulator(String key) {
    return (float) state(key).get(this);
  }

  private State state(String key) {
    State s = states.get(key);
    if (s == null) throw new IllegalArgumentException("No evaluator found at that path: " + key);
    return s;
  }

  @Override
  public String toString() {
    return "DjlSegEvaluator[" + getName() + ": " + metric.key() + " " + aggregation.name().toLowerCase(java.util.Locale.ROOT)
        + ", threshold " + threshold + (fromLogits ? " on logits" : "") + ", empty " + core.emptyPolicy().word()
        + (Float.isNaN(ignoreValue) ? "" : ", ignore " + ignoreValue) + "]";
  }

  /** Pooled counts (micro) and the sum and number of non-NaN image values (macro) of one accumulator. */
  private static final class State {
    private final long[] pooled = new long[4];
    private double sum;
    private long values;

    synchronized void add(long[][] counts, DjlSegEvaluator e) {
      for (long[] c : counts) {
        for (int j = 0; j < 4; j++) pooled[j] += c[j];
        if (e.aggregation == Aggregation.MACRO) {
          double v = e.value(c);
          if (!Double.isNaN(v)) {
            sum += v;
            values++;
          }
        }
      }
    }

    synchronized double get(DjlSegEvaluator e) {
      if (e.aggregation == Aggregation.MICRO) return e.value(pooled);
      return values == 0 ? Double.NaN : sum / values;
    }
  }

  /** Builds a {@link DjlSegEvaluator}. Defaults: threshold 0.5, probabilities, beta 1, policy nan, macro. */
  public static final class Builder {
    private final Metric metric;
    private Aggregation aggregation = Aggregation.MACRO;
    private double threshold = 0.5;
    private boolean fromLogits;
    private double beta = 1;
    private EmptyPolicy emptyPolicy = EmptyPolicy.NAN;
    private double ignoreValue = Double.NaN;
    private String name;

    private Builder(Metric metric) {
      if (metric == null || !Metric.COUNT_METRICS.contains(metric)) {
        throw new InvalidInputException("metric: expected one of the count metrics " + Metric.COUNT_METRICS
            + ", got " + metric + " (surface distances need the whole image on the host: use the core's SegmentationMetrics)");
      }
      this.metric = metric;
    }

    /** Foreground where the probability is &ge; t, t in [0, 1] (default 0.5). */
    public Builder threshold(double t) {
      if (!(t >= 0 && t <= 1)) throw new InvalidInputException("threshold: expected a probability in [0,1], got " + t);
      this.threshold = t;
      return this;
    }

    /** Predictions are logits (the threshold applies to their sigmoid). */
    public Builder fromLogits(boolean v) {
      this.fromLogits = v;
      return this;
    }

    /** β of f_beta (default 1). */
    public Builder beta(double b) {
      if (!(b > 0) || !Double.isFinite(b)) throw new InvalidInputException("beta: expected a positive number, got " + b);
      this.beta = b;
      return this;
    }

    public Builder emptyPolicy(EmptyPolicy p) {
      if (p == null) throw new InvalidInputException("empty: expected a policy, got null");
      this.emptyPolicy = p;
      return this;
    }

    /** Pixels whose label equals {@code v} are in no count (NaN for none). */
    public Builder ignoreValue(double v) {
      this.ignoreValue = v;
      return this;
    }

    public Builder aggregation(Aggregation a) {
      if (a == null) throw new InvalidInputException("aggregation: expected micro or macro, got null");
      this.aggregation = a;
      return this;
    }

    /** The metric of the pooled counts. */
    public Builder micro() {
      return aggregation(Aggregation.MICRO);
    }

    /** The mean of the per-image metrics (the default). */
    public Builder macro() {
      return aggregation(Aggregation.MACRO);
    }

    /** The name in DJL's logs (default: the metric's key, plus {@code _micro} for micro). */
    public Builder name(String n) {
      this.name = n;
      return this;
    }

    public DjlSegEvaluator build() {
      return new DjlSegEvaluator(this);
    }
  }
}
