package dev.segloss.tensorflow;

import dev.segloss.core.loss.RegionOps;
import java.util.function.Function;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.family.TNumber;

/**
 * segloss-tensorflow's {@link RegionOps}: the weighted soft counts per image ([N]) or pooled over the batch
 * ([1]) as float64 operands, built on first use and shared by every term of a batch, and the graph ops on
 * them. Per-pixel terms are in the predictions' type, each image's sums are TF's {@code Sum} in that type,
 * everything after them float64 (see "Numerics" in {@link TfSegLoss}).
 *
 * <p>The soft intersection &Sigma;w·min(p, y) and the confusion counts FP = &Sigma;w·p(1 − y),
 * FN = &Sigma;w·(1 − p)y, TN = &Sigma;w·(1 − p)(1 − y) are summed per pixel, not derived from the other
 * counts: equal in exact arithmetic, but a difference of float32 sums loses the small counts of nearly
 * full or empty images, where the losses' derivatives with respect to them are large, and a derived
 * intersection would reach every pixel with ±½ of a derivative that is about 10<sup>7</sup> under −log.
 */
final class TfRegionOps<T extends TNumber> implements RegionOps<Operand<TFloat64>> {
  private final Batch<T> b;
  private final boolean pooled;
  private final Ops tf;

  TfRegionOps(Batch<T> b, boolean pooled) {
    this.b = b;
    this.pooled = pooled;
    this.tf = b.tf;
  }

  @Override
  public Operand<TFloat64> py() {
    return count("PY", p -> tf.math.mul(p, b.y));
  }

  @Override
  public Operand<TFloat64> p() {
    return count("P", p -> p);
  }

  @Override
  public Operand<TFloat64> y() {
    return count("Y", p -> b.y);
  }

  @Override
  public Operand<TFloat64> pp() {
    return count("PP", p -> tf.math.square(p));
  }

  @Override
  public Operand<TFloat64> yy() {
    return count("YY", p -> tf.math.square(b.y));
  }

  /** &Sigma;w, the number of counted pixels when unweighted. */
  @Override
  public Operand<TFloat64> w() {
    String key = "W" + (pooled ? ":pooled" : "");
    return b.shared(key, () -> {
      Operand<TFloat64> perImage = b.pixelWeights == null ? tf.fill(b.batchShape(), b.pixelsPerImage()) : b.rowSum64(b.pixelWeights);
      return pooled ? poolWeighted(perImage) : perImage;
    });
  }

  /**
   * min(p, y) per pixel as a selection: p where p &lt; y, y where p &gt; y, (p + y)/2 where they are equal.
   * Its derivative with respect to p is then exactly 0 where p &gt; y (not the sum of two opposite paths,
   * which would cancel a derivative of 10<sup>7</sup> under −log in float32 and lose everything else that
   * reaches the pixel), 1 where p &lt; y, and ½ at equality, the core's and PyTorch's convention (TF's
   * {@code Minimum} would give 1 there).
   */
  @Override
  public Operand<TFloat64> softIntersection() {
    return count("MIN", p -> tf.select(tf.math.less(p, b.y), p,
        tf.select(tf.math.greater(p, b.y), b.y, TfOps.scale(tf, 0.5, tf.math.add(p, b.y)))));
  }

  @Override
  public Operand<TFloat64> falsePositives() {
    return count("FP", p -> tf.math.mul(p, negLabels()));
  }

  @Override
  public Operand<TFloat64> falseNegatives() {
    return count("FN", p -> tf.math.mul(TfOps.sub(tf, 1, p), b.y));
  }

  @Override
  public Operand<TFloat64> trueNegatives() {
    return count("TN", p -> tf.math.mul(TfOps.sub(tf, 1, p), negLabels()));
  }

  private Operand<T> negLabels() {
    return b.shared("1-y", () -> TfOps.sub(tf, 1, b.y));
  }

  private Operand<TFloat64> count(String name, Function<Operand<T>, Operand<T>> summand) {
    String key = name + (pooled ? ":pooled" : "");
    return b.shared(key, () -> {
      Operand<TFloat64> perImage = b.shared(name, () -> b.rowSum64(b.weighted(summand.apply(b.p()), b.pixelWeights)));
      return pooled ? poolWeighted(perImage) : perImage;
    });
  }

  /** With {@code batch=true}: the sum over images, each weighted by its per-image weight ([1]). */
  private Operand<TFloat64> poolWeighted(Operand<TFloat64> perImage) {
    Operand<TFloat64> iw = b.imageWeights64();
    return Batch.pool(tf, iw == null ? perImage : tf.math.mul(perImage, iw));
  }

  @Override
  public Operand<TFloat64> constant(double c) {
    return tf.constant(c);
  }

  @Override
  public Operand<TFloat64> add(Operand<TFloat64> a, Operand<TFloat64> c) {
    return tf.math.add(a, c);
  }

  @Override
  public Operand<TFloat64> sub(Operand<TFloat64> a, Operand<TFloat64> c) {
    return tf.math.sub(a, c);
  }

  @Override
  public Operand<TFloat64> mul(Operand<TFloat64> a, Operand<TFloat64> c) {
    return tf.math.mul(a, c);
  }

  @Override
  public Operand<TFloat64> div(Operand<TFloat64> a, Operand<TFloat64> c) {
    return tf.math.div(a, c);
  }

  @Override
  public Operand<TFloat64> neg(Operand<TFloat64> a) {
    return tf.math.neg(a);
  }

  @Override
  public Operand<TFloat64> log(Operand<TFloat64> a) {
    return tf.math.log(a);
  }

  @Override
  public Operand<TFloat64> sqrt(Operand<TFloat64> a) {
    return tf.math.sqrt(a);
  }

  /** |a| + softplus(−2|a|) − log 2, stable for any a; its autodiff derivative is tanh(a). */
  @Override
  public Operand<TFloat64> logCosh(Operand<TFloat64> a) {
    Operand<TFloat64> x = tf.math.abs(a);
    return tf.math.sub(tf.math.add(x, tf.math.softplus(tf.math.mul(tf.constant(-2.0), x))), tf.constant(Math.log(2)));
  }

  /** max(a, 0)<sup>e</sup> with a zero gradient where a &le; 0 (the pow never sees 0: no NaN in its gradient). */
  @Override
  public Operand<TFloat64> powPositivePart(Operand<TFloat64> a, double e) {
    Operand<TBool> pos = tf.math.greater(a, tf.constant(0.0));
    Operand<TFloat64> safe = tf.select(pos, a, tf.constant(1.0));
    return tf.select(pos, tf.math.pow(safe, tf.constant(e)), tf.constant(0.0));
  }

  @Override
  public Operand<TFloat64> where(Operand<TFloat64> test, Operand<TFloat64> ifPositive, Operand<TFloat64> otherwise) {
    return tf.select(tf.math.greater(test, tf.constant(0.0)), ifPositive, otherwise);
  }
}
