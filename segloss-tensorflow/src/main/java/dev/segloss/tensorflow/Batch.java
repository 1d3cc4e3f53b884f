package dev.segloss.tensorflow;

import dev.segloss.core.InvalidInputException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.AssertThat;
import org.tensorflow.op.core.ReduceSum;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TNumber;

/**
 * One call's inputs, validated and flattened to {@code [N, M]} (N images of M pixels), with the
 * quantities several terms share built once: probabilities, weights, soft counts. Package-private; the
 * losses read it, a weighted sum hands the same batch to all its terms.
 *
 * <p>Sample weights follow the TF Java built-ins' conventions, adapted to images:
 *
 * <ul>
 *   <li>scalar c: every image weighs c (the loss is scaled by c, as for the built-ins);
 *   <li>shape [N]: one weight per image (the core's per-image weights);
 *   <li>the shape of the predictions (or of the labels), or that shape without its trailing singleton
 *       axis (TF's {@code squeezeOrExpandDimensions} convention), or anything that broadcasts to it
 *       (e.g. [N, 1, 1, 1]): per-pixel weights (the core's per-pixel weights).
 * </ul>
 */
final class Batch<T extends TNumber> {
  final Ops tf;
  final Class<T> type;
  final boolean logits;
  /** Predictions as given, [N, M]. */
  final Operand<T> x;
  /** Labels in T, [N, M]; ignored pixels are set to 0 (their weight is 0). */
  final Operand<T> y;
  /** Per-pixel weights times the ignore mask, [N, M], or null when all are 1. */
  final Operand<T> pixelWeights;
  /** True when the caller gave per-pixel weights (not only an ignore mask). */
  final boolean userPixelWeights;
  /** Per-image weights, [N] or a scalar, or null when all are 1. */
  final Operand<T> imageWeights;
  /** True when some pixels may be ignored (the ignore value was set). */
  final boolean hasIgnore;
  /** 1 for counted pixels, 0 for ignored ones, [N, M]; null without an ignore value. */
  final Operand<T> mask;
  /** Signed distance maps of the labels ([N, M]) for the boundary loss, or null. */
  final Operand<T> phi;

  private Operand<T> p;
  private Operand<T> allWeights;
  private boolean allWeightsDone;
  private final Map<String, Object> cache = new HashMap<>();

  private Batch(Ops tf, Class<T> type, boolean logits, Operand<T> x, Operand<T> y, Operand<T> pixelWeights,
      Operand<T> imageWeights, Operand<T> mask, Operand<T> phi, boolean userPixelWeights) {
    this.tf = tf;
    this.type = type;
    this.logits = logits;
    this.x = x;
    this.y = y;
    this.pixelWeights = pixelWeights;
    this.imageWeights = imageWeights;
    this.userPixelWeights = userPixelWeights;
    this.hasIgnore = mask != null;
    this.mask = mask;
    this.phi = phi;
  }

  /**
   * Validates and flattens the inputs. Shape errors that the static shapes reveal are thrown here
   * (graph-build time) as {@link InvalidInputException}; what only the run reveals becomes an assertion
   * in the graph. With {@code check}, predictions must lie in [0,1] (finite when {@code logits}), labels in
   * [0,1] or equal the ignore value, and weights must be finite and &ge; 0 (run-time assertions, as the
   * built-in {@code BinaryCrossentropy} checks its predictions).
   */
  static <T extends TNumber> Batch<T> of(Ops tf, Operand<? extends TNumber> labels, Operand<T> predictions,
      Operand<T> sampleWeights, boolean logits, float ignoreValue, boolean check, Operand<? extends TNumber> phi) {
    if (labels == null) throw new InvalidInputException("labels: expected an operand, got null");
    if (predictions == null) throw new InvalidInputException("predictions: expected an operand, got null");
    Class<T> type = predictions.type();
    Shape ps = predictions.shape();
    Shape ls = labels.shape();
    checkStaticShapes(ls, ps);
    List<Op> asserts = new ArrayList<>();
    Operand<T> x = flatten(tf, predictions, ps);
    Operand<T> y = flatten(tf, TfOps.cast(tf, labels, type), ls);
    if (!fullyKnown(ls) || !fullyKnown(ps)) {
      // the run-time shapes must flatten alike: same batch and same number of values
      Operand<TInt64> lsz = tf.shape.size(tf.shape(labels, TInt64.class), TInt64.class);
      Operand<TInt64> psz = tf.shape.size(tf.shape(predictions, TInt64.class), TInt64.class);
      Operand<TBool> ok = tf.math.logicalAnd(tf.math.equal(lsz, psz),
          tf.reduceAll(tf.math.equal(firstDim(tf, labels), firstDim(tf, predictions)), tf.constant(0)));
      asserts.add(tf.assertThat(ok, List.of(tf.constant("predictions: shape does not match labels shape; predictions"),
          tf.shape(predictions), tf.constant("labels"), tf.shape(labels)), AssertThat.summarize(64L)));
    }
    if (check && !logits) {
      Operand<TBool> inRange = tf.math.logicalAnd(
          tf.reduceAll(tf.math.greaterEqual(x, TfOps.constant(tf, 0, type)), tf.constant(new int[] {0, 1})),
          tf.reduceAll(tf.math.lessEqual(x, TfOps.constant(tf, 1, type)), tf.constant(new int[] {0, 1})));
      asserts.add(tf.assertThat(inRange, List.of(
          tf.constant("predictions: values outside [0,1] are not probabilities; if these are logits, build the loss with fromLogits=true. min, max ="),
          tf.reduceMin(x, tf.constant(new int[] {0, 1})), tf.reduceMax(x, tf.constant(new int[] {0, 1})))));
    }
    if (check && logits) {
      asserts.add(tf.assertThat(tf.reduceAll(tf.math.isFinite(x), tf.constant(new int[] {0, 1})), List.of(
          tf.constant("predictions: logits must be finite (no NaN or infinity); min, max ="),
          tf.reduceMin(x, tf.constant(new int[] {0, 1})), tf.reduceMax(x, tf.constant(new int[] {0, 1})))));
    }
    if (check) {
      // labels in [0,1] or the ignore value (NaN fails both comparisons)
      Operand<TBool> ok = tf.math.logicalAnd(tf.math.greaterEqual(y, TfOps.constant(tf, 0, type)),
          tf.math.lessEqual(y, TfOps.constant(tf, 1, type)));
      if (!Float.isNaN(ignoreValue)) ok = tf.math.logicalOr(ok, tf.math.equal(y, TfOps.constant(tf, ignoreValue, type)));
      asserts.add(tf.assertThat(tf.reduceAll(ok, tf.constant(new int[] {0, 1})), List.of(
          tf.constant("labels: values outside 0 to 1 that are not the ignore value; min, max ="),
          tf.reduceMin(y, tf.constant(new int[] {0, 1})), tf.reduceMax(y, tf.constant(new int[] {0, 1})))));
    }

    Operand<T> mask = null;
    boolean hasIgnore = !Float.isNaN(ignoreValue);
    if (hasIgnore) {
      Operand<TBool> counted = tf.math.notEqual(y, TfOps.constant(tf, ignoreValue, type));
      mask = tf.dtypes.cast(counted, type);
      y = tf.select(counted, y, tf.zerosLike(y));
    }

    Operand<T> pixelW = null;
    Operand<T> imageW = null;
    if (sampleWeights != null) {
      Shape ws = sampleWeights.shape();
      int wr = ws.numDimensions();
      int pr = ps.numDimensions();
      if (wr == 0) {
        imageW = sampleWeights;
      } else if (wr == 1 && pr != 1) {
        long wn = ws.get(0);
        long n = pr > 0 ? ps.get(0) : Shape.UNKNOWN_SIZE;
        if (wn >= 0 && n >= 0 && wn != n && wn != 1) {
          throw new InvalidInputException("sampleWeights: shape " + TfOps.shapeString(ws) + " is not [" + n
              + "] (one weight per image) nor the predictions shape " + TfOps.shapeString(ps));
        }
        imageW = sampleWeights;
      } else {
        Operand<T> w = sampleWeights;
        if (wr != Shape.UNKNOWN_SIZE && pr != Shape.UNKNOWN_SIZE && wr == pr - 1) {
          w = tf.expandDims(w, tf.constant(-1));
          ws = w.shape();
        }
        if (!broadcastable(ws, ps) && !broadcastable(ws, ls)) {
          throw new InvalidInputException("sampleWeights: shape " + TfOps.shapeString(sampleWeights.shape())
              + " is neither a scalar, [N] (one weight per image) nor broadcastable to the predictions shape "
              + TfOps.shapeString(ps));
        }
        Operand<T> full = sameShape(ws, ps) ? w
            : tf.broadcastTo(w, fullyKnown(ps) ? tf.constant(ps.asArray()) : tf.shape(predictions, org.tensorflow.types.TInt64.class));
        pixelW = flatten(tf, full, ps);
      }
      if (check) {
        Operand<T> all = pixelW != null ? pixelW : imageW;
        Operand<TInt32> axes = TfOps.allAxes(tf, all);
        Operand<TBool> ok = tf.math.logicalAnd(
            tf.reduceAll(tf.math.greaterEqual(all, TfOps.constant(tf, 0, type)), axes),
            tf.reduceAll(tf.math.isFinite(all), axes));
        asserts.add(tf.assertThat(ok, List.of(tf.constant("sampleWeights: weights must be finite and >= 0; min ="),
            tf.reduceMin(all, axes))));
      }
    }
    boolean userPixelWeights = pixelW != null;
    if (mask != null) pixelW = pixelW == null ? mask : tf.math.mul(pixelW, mask);

    Operand<T> phiFlat = null;
    if (phi != null) {
      Shape fs = phi.shape();
      checkStaticShapes(ls, fs, "distance maps");
      phiFlat = flatten(tf, TfOps.cast(tf, phi, type), fs);
    }

    if (!asserts.isEmpty()) {
      if (tf.scope().env().isGraph()) {
        Ops dep = tf.withControlDependencies(asserts);
        x = dep.identity(x);
        y = dep.identity(y);
        if (pixelW != null) pixelW = dep.identity(pixelW);
        if (imageW != null) imageW = dep.identity(imageW);
        if (mask != null) mask = dep.identity(mask);
      }
      // in eager mode the assertions ran (and threw) when they were created
    }
    return new Batch<>(tf, type, logits, x, y, pixelW, imageW, mask, phiFlat, userPixelWeights);
  }

  private static Operand<TInt64> firstDim(Ops tf, Operand<?> v) {
    return tf.slice(tf.shape(v, TInt64.class), tf.constant(new long[] {0}), tf.constant(new long[] {1}));
  }

  /** Throws when the static shapes already show that labels and predictions cannot match. */
  static void checkStaticShapes(Shape ls, Shape ps) {
    checkStaticShapes(ls, ps, "predictions");
  }

  private static void checkStaticShapes(Shape ls, Shape ps, String what) {
    if (ls.isUnknown() || ps.isUnknown()) return;
    int lr = ls.numDimensions();
    int pr = ps.numDimensions();
    if (pr < 2 && what.equals("predictions")) {
      throw new InvalidInputException("predictions: expected shape [N, d1, ...] with a batch axis and at least one image axis, got "
          + TfOps.shapeString(ps));
    }
    long[] a = ls.asArray();
    long[] b = ps.asArray();
    // a trailing singleton axis on one side only is accepted (TF's squeeze convention)
    if (lr == pr + 1 && (a[lr - 1] == 1 || a[lr - 1] < 0)) a = Arrays.copyOf(a, pr);
    else if (pr == lr + 1 && (b[pr - 1] == 1 || b[pr - 1] < 0)) b = Arrays.copyOf(b, lr);
    boolean ok = a.length == b.length;
    for (int i = 0; ok && i < a.length; i++) {
      if (a[i] >= 0 && b[i] >= 0 && a[i] != b[i]) ok = false;
    }
    if (!ok) {
      throw new InvalidInputException(what + ": shape " + TfOps.shapeString(ps) + " does not match labels shape "
          + TfOps.shapeString(ls));
    }
  }

  private static boolean fullyKnown(Shape s) {
    return !s.isUnknown() && !s.hasUnknownDimension();
  }

  private static boolean sameShape(Shape a, Shape b) {
    return fullyKnown(a) && fullyKnown(b) && Arrays.equals(a.asArray(), b.asArray());
  }

  /** True unless the static shapes show that {@code w} cannot broadcast to {@code target}. */
  private static boolean broadcastable(Shape w, Shape target) {
    if (w.isUnknown() || target.isUnknown()) return true;
    if (w.numDimensions() > target.numDimensions()) return false;
    for (int i = 1; i <= w.numDimensions(); i++) {
      long a = w.get(w.numDimensions() - i);
      long b = target.get(target.numDimensions() - i);
      if (a >= 0 && b >= 0 && a != 1 && a != b) return false;
    }
    return true;
  }

  /** Reshapes to [N, M]: M from the static shape when known, else at run time. */
  private static <U extends TNumber> Operand<U> flatten(Ops tf, Operand<U> v, Shape s) {
    if (!s.isUnknown() && s.numDimensions() == 2) return v;
    if (!s.isUnknown() && s.numDimensions() >= 1) {
      long m = 1;
      boolean known = true;
      for (int i = 1; i < s.numDimensions(); i++) {
        if (s.get(i) < 0) known = false;
        else m *= s.get(i);
      }
      if (known) return tf.reshape(v, tf.constant(new long[] {-1, m}));
    }
    Operand<TInt64> shape = tf.concat(List.of(firstDim(tf, v), tf.constant(new long[] {-1})), tf.constant(0));
    return tf.reshape(v, shape);
  }

  /** Probabilities: sigmoid(x) on logits, x itself otherwise (built once). */
  Operand<T> p() {
    if (p == null) p = logits ? tf.math.sigmoid(x) : x;
    return p;
  }

  /** Per-pixel weights including per-image weights broadcast, [N, M] or a broadcastable operand; null when all are 1. */
  Operand<T> allPixelWeights() {
    if (!allWeightsDone) {
      Operand<T> iw = imageWeights == null ? null
          : imageWeights.shape().numDimensions() == 0 ? imageWeights : tf.expandDims(imageWeights, tf.constant(-1));
      if (pixelWeights == null) allWeights = iw;
      else if (iw == null) allWeights = pixelWeights;
      else allWeights = tf.math.mul(pixelWeights, iw);
      allWeightsDone = true;
    }
    return allWeights;
  }

  /** Multiplies by w unless w is null (all ones). */
  Operand<T> weighted(Operand<T> v, Operand<T> w) {
    return w == null ? v : tf.math.mul(v, w);
  }

  /** Number of pixels per image as a float64 scalar (static when known). */
  Operand<TFloat64> pixelsPerImage() {
    long m = x.shape().numDimensions() == 2 ? x.shape().get(1) : -1;
    if (m >= 0) return tf.constant((double) m);
    Operand<TInt64> m1 = tf.slice(tf.shape(x, TInt64.class), tf.constant(new long[] {1}), tf.constant(new long[] {1}));
    return tf.reshape(tf.dtypes.cast(m1, TFloat64.class), tf.constant(new long[0]));
  }

  /** The shape [N] of per-image vectors, as a 1-D int64 tensor. */
  Operand<TInt64> batchShape() {
    long n = x.shape().numDimensions() == 2 ? x.shape().get(0) : -1;
    if (n >= 0) return tf.constant(new long[] {n});
    return firstDim(tf, x);
  }

  /** Number of images as a float64 scalar. */
  Operand<TFloat64> images() {
    long n = x.shape().numDimensions() == 2 ? x.shape().get(0) : -1;
    if (n >= 0) return tf.constant((double) n);
    return tf.reshape(tf.dtypes.cast(firstDim(tf, x), TFloat64.class), tf.constant(new long[0]));
  }

  /** Row sums of a [N, M] tensor as float64 [N]. */
  Operand<TFloat64> rowSum64(Operand<T> v) {
    return TfOps.cast(tf, tf.reduceSum(v, tf.constant(1)), TFloat64.class);
  }

  /** Per-image float64 vector [N] or scalar as [N] (for image weights). */
  Operand<TFloat64> imageWeights64() {
    return imageWeights == null ? null : TfOps.cast(tf, imageWeights, TFloat64.class);
  }

  /** A value shared by the terms of a weighted sum, built on first use. */
  @SuppressWarnings("unchecked")
  <V> V shared(String key, java.util.function.Supplier<V> make) {
    Object v = cache.get(key);
    if (v == null) {
      v = make.get();
      cache.put(key, v);
    }
    return (V) v;
  }

  /** Sum over the batch axis keeping it: [N] → [1]. */
  static Operand<TFloat64> pool(Ops tf, Operand<TFloat64> v) {
    return tf.reduceSum(v, tf.constant(new int[] {0}), ReduceSum.keepDims(true));
  }
}
