package dev.segloss.tensorflow;

import dev.segloss.core.InvalidInputException;
import dev.segloss.core.metrics.EmptyPolicy;
import dev.segloss.core.metrics.Metric;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.tensorflow.ExecutionEnvironment;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.family.TNumber;

/**
 * A streaming segmentation metric for TF Java graphs ({@code dice}, {@code iou}, {@code precision},
 * {@code recall}) with the core's conventions ({@code dev.segloss.core.metrics.SegmentationMetrics}):
 *
 * <ul>
 *   <li>prediction foreground where p &ge; t (default t = 0.5); on logits where x &ge; logit(t), compared
 *       exactly as the core compares in double;
 *   <li>truth foreground where the label is &ge; 0.5; pixels whose label equals the ignore value count
 *       nowhere;
 *   <li>a 0/0 is resolved by the core's {@link EmptyPolicy} (default {@code nan}: dice and iou are NaN when
 *       truth and prediction are both empty; {@code nan_if_truth_empty}: NaN whenever the truth is empty;
 *       {@code one}; {@code zero});
 *   <li>{@link Aggregation#MACRO} (default): the mean over images of the per-image values, NaN values left
 *       out (nnU-Net's nanmean, the core's macro mean; NaN while no image has a value);
 *       {@link Aggregation#MICRO}: the metric of the counts pooled over every image seen (the core's
 *       micro value).
 * </ul>
 *
 * It implements TF's {@link org.tensorflow.framework.metrics.Metric}: {@code updateState} adds a batch,
 * {@code result} reads the value, {@code resetStates} starts over; the state lives in its own float64
 * variables (created in the init scope on first use; graph mode only). Because the variables are not
 * trainable parameters of the model, differentiate the loss with respect to your own variables
 * ({@code Graph.addGradients} + {@code Optimizer.applyGradients}); {@code Optimizer.minimize} would try to
 * differentiate every variable of the graph, these included.
 *
 * <p>Sample weights (optional) weight the pixel counts: a scalar or [N] (per image) or per pixel as for the
 * losses ({@link TfSegLoss}); in the macro mean, per-image weights weight the image values (integer
 * weights act as repeated pixels or images).
 */
public final class TfSegMetric implements org.tensorflow.framework.metrics.Metric {
  /** How per-image counts become one value. */
  public enum Aggregation {
    /** The metric of the pooled counts. */
    MICRO,
    /** The mean of the per-image values (NaN values left out). */
    MACRO
  }

  private final Metric metric;
  private final double threshold;
  private final boolean fromLogits;
  private final EmptyPolicy policy;
  private final float ignoreValue;
  private final Aggregation aggregation;
  private final String name;
  private final float cutoff;

  private ExecutionEnvironment env;
  private Variable<TFloat64> tp;
  private Variable<TFloat64> fp;
  private Variable<TFloat64> fn;
  private Variable<TFloat64> tn;
  private Variable<TFloat64> sum;
  private Variable<TFloat64> count;

  private TfSegMetric(Builder b) {
    this.metric = b.metric;
    this.threshold = b.threshold;
    this.fromLogits = b.fromLogits;
    this.policy = b.policy;
    this.ignoreValue = (float) b.ignoreValue;
    this.aggregation = b.aggregation;
    this.name = b.name != null ? b.name : metric.key() + "_" + aggregation.name().toLowerCase(Locale.ROOT);
    double c = fromLogits ? Math.log(threshold / (1 - threshold)) : threshold;
    // the smallest float f with f >= c: "x >= f" in float32 is then exactly "(double) x >= c"
    float f = (float) c;
    if (!Double.isNaN(c) && (double) f < c) f = Math.nextUp(f);
    this.cutoff = f;
  }

  /** Dice with the defaults (t = 0.5, probabilities, policy nan, macro). */
  public static TfSegMetric dice() {
    return builder(Metric.DICE).build();
  }

  public static TfSegMetric iou() {
    return builder(Metric.IOU).build();
  }

  public static TfSegMetric precision() {
    return builder(Metric.PRECISION).build();
  }

  public static TfSegMetric recall() {
    return builder(Metric.RECALL).build();
  }

  /** A builder for one of {@code DICE}, {@code IOU}, {@code PRECISION}, {@code RECALL}. */
  public static Builder builder(Metric m) {
    return new Builder(m);
  }

  public Metric metric() {
    return metric;
  }

  public Aggregation aggregation() {
    return aggregation;
  }

  public String name() {
    return name;
  }

  @Override
  public List<Op> updateStateList(Ops tf, Operand<? extends TNumber> labels, Operand<? extends TNumber> predictions) {
    return updateStateList(tf, labels, predictions, null);
  }

  @Override
  public List<Op> updateStateList(Ops tf, Operand<? extends TNumber> labels, Operand<? extends TNumber> predictions,
      Operand<? extends TNumber> sampleWeights) {
    Ops s = tf.withSubScope(name);
    init(s);
    Operand<TFloat32> x = TfOps.cast(s, predictions, TFloat32.class);
    Operand<TFloat32> w = sampleWeights == null ? null : TfOps.cast(s, sampleWeights, TFloat32.class);
    Batch<TFloat32> b = Batch.of(s, labels, x, w, fromLogits, ignoreValue, true, null);
    Operand<TFloat32> pred = s.dtypes.cast(s.math.greaterEqual(b.x, s.constant(cutoff)), TFloat32.class);
    Operand<TFloat32> truth = s.dtypes.cast(s.math.greaterEqual(b.y, s.constant(0.5f)), TFloat32.class);
    Operand<TFloat32> notPred = TfOps.sub(s, 1, pred);
    Operand<TFloat32> notTruth = TfOps.sub(s, 1, truth);
    Operand<TFloat64> ctp = b.rowSum64(b.weighted(s.math.mul(pred, truth), b.pixelWeights));
    Operand<TFloat64> cfp = b.rowSum64(b.weighted(s.math.mul(pred, notTruth), b.pixelWeights));
    Operand<TFloat64> cfn = b.rowSum64(b.weighted(s.math.mul(notPred, truth), b.pixelWeights));
    Operand<TFloat64> ctn = b.rowSum64(b.weighted(s.math.mul(notPred, notTruth), b.pixelWeights));
    Operand<TFloat64> iw = b.imageWeights64();
    List<Op> ops = new ArrayList<>();
    if (aggregation == Aggregation.MICRO) {
      ops.add(s.assignAdd(tp, weightedSum(s, ctp, iw)));
      ops.add(s.assignAdd(fp, weightedSum(s, cfp, iw)));
      ops.add(s.assignAdd(fn, weightedSum(s, cfn, iw)));
      ops.add(s.assignAdd(tn, weightedSum(s, ctn, iw)));
    } else {
      Operand<TFloat64> v = value(s, ctp, cfp, cfn);
      Operand<TBool> valid = s.math.logicalNot(s.math.isNan(v));
      Operand<TFloat64> wv = iw == null ? s.onesLike(v) : s.math.mul(iw, s.onesLike(v));
      ops.add(s.assignAdd(sum, TfOps.sumAll(s, s.select(valid, s.math.mul(v, wv), s.constant(0.0)))));
      ops.add(s.assignAdd(count, TfOps.sumAll(s, s.select(valid, wv, s.constant(0.0)))));
    }
    return ops;
  }

  private static Operand<TFloat64> weightedSum(Ops tf, Operand<TFloat64> v, Operand<TFloat64> w) {
    return TfOps.sumAll(tf, w == null ? v : tf.math.mul(v, w));
  }

  /** The metric of counts (per image or pooled) with the empty policy. */
  private Operand<TFloat64> value(Ops tf, Operand<TFloat64> tp, Operand<TFloat64> fp, Operand<TFloat64> fn) {
    Operand<TFloat64> num;
    Operand<TFloat64> den;
    switch (metric) {
      case DICE:
        num = tf.math.mul(tf.constant(2.0), tp);
        den = tf.math.add(tf.math.add(num, fp), fn);
        break;
      case IOU:
        num = tp;
        den = tf.math.add(tf.math.add(tp, fp), fn);
        break;
      case PRECISION:
        num = tp;
        den = tf.math.add(tp, fp);
        break;
      case RECALL:
        num = tp;
        den = tf.math.add(tp, fn);
        break;
      default:
        throw new AssertionError(metric);
    }
    Operand<TBool> zero = tf.math.equal(den, tf.constant(0.0));
    Operand<TFloat64> v = tf.select(zero, tf.constant(policy.value()), tf.math.div(num, tf.select(zero, tf.constant(1.0), den)));
    if (policy == EmptyPolicy.NAN_IF_TRUTH_EMPTY) {
      v = tf.select(tf.math.equal(tf.math.add(tp, fn), tf.constant(0.0)), tf.constant(Double.NaN), v);
    }
    return v;
  }

  @Override
  public <T extends TNumber> Operand<T> result(Ops tf, Class<T> type) {
    Ops s = tf.withSubScope(name);
    init(s);
    Operand<TFloat64> r;
    if (aggregation == Aggregation.MICRO) {
      r = value(s, tp, fp, fn);
    } else {
      r = s.select(s.math.equal(count, s.constant(0.0)), s.constant(Double.NaN), s.math.div(sum, s.math.maximum(count, s.constant(Double.MIN_VALUE))));
    }
    return TfOps.cast(s, r, type);
  }

  @Override
  public Op resetStates(Ops tf) {
    Ops s = tf.withSubScope(name);
    init(s);
    List<Op> ops = new ArrayList<>();
    for (Variable<TFloat64> v : variables()) ops.add(s.assign(v, s.constant(0.0)));
    return s.withControlDependencies(ops).noOp();
  }

  @Override
  public Op updateState(Ops tf, Operand<? extends TNumber> labels, Operand<? extends TNumber> predictions) {
    return updateState(tf, labels, predictions, null);
  }

  @Override
  public Op updateState(Ops tf, Operand<? extends TNumber> labels, Operand<? extends TNumber> predictions,
      Operand<? extends TNumber> sampleWeights) {
    return tf.withControlDependencies(updateStateList(tf, labels, predictions, sampleWeights)).noOp();
  }

  @Override
  public <T extends TNumber> Operand<T> callOnce(Ops tf, Operand<? extends TNumber> labels,
      Operand<? extends TNumber> predictions, Class<T> type) {
    Op update = updateState(tf, labels, predictions);
    return result(tf.withControlDependencies(List.of(update)), type);
  }

  private List<Variable<TFloat64>> variables() {
    return aggregation == Aggregation.MICRO ? List.of(tp, fp, fn, tn) : List.of(sum, count);
  }

  /** Creates the state variables in the first graph this metric is used in. */
  private void init(Ops tf) {
    ExecutionEnvironment e = tf.scope().env();
    if (!e.isGraph()) throw new IllegalStateException(name + ": streaming metrics need graph mode (a Graph, not an EagerSession)");
    if (env == e) return;
    if (env != null) throw new IllegalStateException(name + ": this metric is already bound to another graph; make one per graph");
    env = e;
    Ops init = tf.withInitScope();
    if (aggregation == Aggregation.MICRO) {
      tp = init.withName("tp").variable(init.constant(0.0));
      fp = init.withName("fp").variable(init.constant(0.0));
      fn = init.withName("fn").variable(init.constant(0.0));
      tn = init.withName("tn").variable(init.constant(0.0));
    } else {
      sum = init.withName("sum").variable(init.constant(0.0));
      count = init.withName("count").variable(init.constant(0.0));
    }
  }

  @Override
  public String toString() {
    return name + " (t=" + threshold + (fromLogits ? ", logits" : "") + ", empty=" + policy.word() + ")";
  }

  /** Configures a {@link TfSegMetric}. */
  public static final class Builder {
    private final Metric metric;
    private double threshold = 0.5;
    private boolean fromLogits;
    private EmptyPolicy policy = EmptyPolicy.NAN;
    private double ignoreValue = Double.NaN;
    private Aggregation aggregation = Aggregation.MACRO;
    private String name;

    private Builder(Metric m) {
      if (m != Metric.DICE && m != Metric.IOU && m != Metric.PRECISION && m != Metric.RECALL) {
        throw new InvalidInputException("metric: " + m.key() + " has no streaming TF version; available: dice, iou, precision, recall");
      }
      this.metric = m;
    }

    /** Probability threshold t in [0, 1] (default 0.5, the core's). */
    public Builder threshold(double t) {
      if (!(t >= 0 && t <= 1)) throw new InvalidInputException("threshold: expected a probability in [0, 1], got " + t);
      this.threshold = t;
      return this;
    }

    /** Predictions are logits: foreground where x &ge; logit(t). */
    public Builder fromLogits(boolean v) {
      this.fromLogits = v;
      return this;
    }

    /** The value of a 0/0 (default {@code nan}, the core's). */
    public Builder emptyPolicy(EmptyPolicy p) {
      if (p == null) throw new InvalidInputException("empty policy: expected a value, got null");
      this.policy = p;
      return this;
    }

    /** Pixels whose label equals this value count nowhere. */
    public Builder ignoreValue(double v) {
      this.ignoreValue = v;
      return this;
    }

    /** Macro (default) or micro. */
    public Builder aggregation(Aggregation a) {
      if (a == null) throw new InvalidInputException("aggregation: expected a value, got null");
      this.aggregation = a;
      return this;
    }

    /** Name and name scope (default e.g. {@code dice_macro}). */
    public Builder name(String n) {
      this.name = n;
      return this;
    }

    public TfSegMetric build() {
      return new TfSegMetric(this);
    }
  }
}
