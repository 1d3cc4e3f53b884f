package dev.segloss.tensorflow;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TNumber;

/** Small graph-building helpers shared by the losses and metrics (package-private). */
final class TfOps {
  private TfOps() {}

  /** A scalar constant of the given type. */
  @SuppressWarnings("unchecked")
  static <T extends TNumber> Operand<T> constant(Ops tf, double v, Class<T> type) {
    if (type == TFloat32.class) return (Operand<T>) tf.constant((float) v);
    if (type == TFloat64.class) return (Operand<T>) tf.constant(v);
    return tf.dtypes.cast(tf.constant(v), type);
  }

  /** Casts unless the operand already has the type. */
  @SuppressWarnings("unchecked")
  static <T extends TNumber> Operand<T> cast(Ops tf, Operand<? extends TNumber> x, Class<T> type) {
    if (x.type() == type) return (Operand<T>) x;
    return tf.dtypes.cast(x, type);
  }

  /** Sum over axis 1 of a [G, M] tensor, giving [G]. */
  static <T extends TNumber> Operand<T> rowSum(Ops tf, Operand<T> x) {
    return tf.reduceSum(x, tf.constant(1));
  }

  /** Sum over every axis, giving a scalar. */
  static <T extends TNumber> Operand<T> sumAll(Ops tf, Operand<T> x) {
    return tf.reduceSum(x, allAxes(tf, x));
  }

  /** Mean over every axis, giving a scalar. */
  static <T extends TNumber> Operand<T> meanAll(Ops tf, Operand<T> x) {
    return tf.math.mean(x, allAxes(tf, x));
  }

  static Operand<TInt32> allAxes(Ops tf, Operand<?> x) {
    int rank = x.shape().numDimensions();
    if (rank != Shape.UNKNOWN_SIZE) {
      int[] axes = new int[rank];
      for (int i = 0; i < rank; i++) axes[i] = i;
      return tf.constant(axes);
    }
    return tf.range(tf.constant(0), tf.rank(x), tf.constant(1));
  }

  /** a·x + b·y with scalar coefficients. */
  static <T extends TNumber> Operand<T> sub(Ops tf, double a, Operand<T> x) {
    return tf.math.sub(constant(tf, a, x.type()), x);
  }

  static <T extends TNumber> Operand<T> scale(Ops tf, double a, Operand<T> x) {
    if (a == 1.0) return x;
    return tf.math.mul(constant(tf, a, x.type()), x);
  }

  static <T extends TNumber> Operand<T> plus(Ops tf, Operand<T> x, double a) {
    if (a == 0.0) return x;
    return tf.math.add(x, constant(tf, a, x.type()));
  }

  /** Sum of a non-empty list. */
  static <T extends TNumber> Operand<T> add(Ops tf, List<Operand<T>> xs) {
    Operand<T> s = xs.get(0);
    for (int i = 1; i < xs.size(); i++) s = tf.math.add(s, xs.get(i));
    return s;
  }

  /** Shape as text, {@code ?} for unknown axes, e.g. {@code [?, 64, 64, 1]}. */
  static String shapeString(Shape s) {
    if (s.isUnknown()) return "[unknown rank]";
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < s.numDimensions(); i++) {
      if (i > 0) sb.append(", ");
      long d = s.get(i);
      sb.append(d < 0 ? "?" : Long.toString(d));
    }
    return sb.append(']').toString();
  }
}
