package dev.segloss.tensorflow;

import java.util.function.Function;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.family.TNumber;

/**
 * The weighted soft counts of the core's {@code SoftCounts}, per image ([N]) or pooled over the batch
 * ([1]), as float64 operands built on first use and shared by every term of a batch:
 *
 * <pre>
 *   PY = &Sigma;w·p·y   P = &Sigma;w·p   Y = &Sigma;w·y   PP = &Sigma;w·p²   YY = &Sigma;w·y²   ABS = &Sigma;w·|p − y|   W = &Sigma;w
 * </pre>
 *
 * with w the per-pixel weights (0 on ignored pixels). Pooled counts weight each image's counts by its
 * per-image weight, as the core does with {@code batch=true}.
 */
final class Counts<T extends TNumber> {
  final Batch<T> b;
  final boolean pooled;

  Counts(Batch<T> b, boolean pooled) {
    this.b = b;
    this.pooled = pooled;
  }

  Ops tf() {
    return b.tf;
  }

  Operand<TFloat64> py() {
    return count("PY", p -> b.tf.math.mul(p, b.y));
  }

  Operand<TFloat64> p() {
    return count("P", p -> p);
  }

  Operand<TFloat64> y() {
    return count("Y", p -> b.y);
  }

  Operand<TFloat64> pp() {
    return count("PP", p -> b.tf.math.square(p));
  }

  Operand<TFloat64> yy() {
    return count("YY", p -> b.tf.math.square(b.y));
  }

  Operand<TFloat64> abs() {
    return count("ABS", p -> b.tf.math.abs(b.tf.math.sub(p, b.y)));
  }

  /** &Sigma;w, the number of counted pixels when unweighted. */
  Operand<TFloat64> w() {
    String key = "W" + (pooled ? ":pooled" : "");
    return b.shared(key, () -> {
      Operand<TFloat64> perImage = b.pixelWeights == null ? b.tf.fill(b.batchShape(), b.pixelsPerImage()) : b.rowSum64(b.pixelWeights);
      return pooled ? poolWeighted(perImage) : perImage;
    });
  }

  /**
   * FP = &Sigma;w·p·(1 − y), summed directly rather than as P − PY: equal in exact arithmetic, but the
   * difference of two float32 sums loses the small counts of nearly full or empty images, and MCC's
   * derivatives with respect to them are large there.
   */
  Operand<TFloat64> fp() {
    return count("FP", p -> b.tf.math.mul(p, negLabels()));
  }

  /** FN = &Sigma;w·(1 − p)·y, summed directly (see {@link #fp()}). */
  Operand<TFloat64> fn() {
    return count("FN", p -> b.tf.math.mul(TfOps.sub(b.tf, 1, p), b.y));
  }

  /** TN = &Sigma;w·(1 − p)·(1 − y), summed directly (see {@link #fp()}). */
  Operand<TFloat64> tn() {
    return count("TN", p -> b.tf.math.mul(TfOps.sub(b.tf, 1, p), negLabels()));
  }

  private Operand<T> negLabels() {
    return b.shared("1-y", () -> TfOps.sub(b.tf, 1, b.y));
  }

  private Operand<TFloat64> count(String name, Function<Operand<T>, Operand<T>> summand) {
    String key = name + (pooled ? ":pooled" : "");
    return b.shared(key, () -> {
      Operand<TFloat64> perImage = b.shared(name, () -> b.rowSum64(b.weighted(summand.apply(b.p()), b.pixelWeights)));
      return pooled ? poolWeighted(perImage) : perImage;
    });
  }

  private Operand<TFloat64> poolWeighted(Operand<TFloat64> perImage) {
    Operand<TFloat64> iw = b.imageWeights64();
    return Batch.pool(b.tf, iw == null ? perImage : b.tf.math.mul(perImage, iw));
  }
}
