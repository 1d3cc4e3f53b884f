package dev.segloss.tensorflow;

import dev.segloss.core.loss.AbstractSegLoss;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.family.TNumber;

/**
 * Base of the per-pixel losses ({@code bce}, {@code focal}): a subclass gives the per-pixel values l, this
 * class weights and reduces them exactly as the core's {@code PixelLoss} does (see {@link TfSegLoss}). Sums
 * over pixels are taken per image and the per-image sums added in float64 (see "Numerics" in
 * {@link TfSegLoss}).
 */
public abstract class TfPixelLoss extends TfSingleLoss {
  TfPixelLoss(AbstractSegLoss core, Config config) {
    super(core, config);
  }

  /** The unweighted per-pixel loss of a batch, [N, M] in the predictions' type. */
  abstract <T extends TNumber> Operand<T> pixels(Batch<T> b);

  /**
   * The per-pixel values (unweighted, unreduced) in the predictions' shape: the loss map, e.g. to look at
   * where a model pays. Ignored pixels give 0.
   */
  public <T extends TNumber> Operand<T> pixelLosses(Ops tf, Operand<? extends TNumber> labels, Operand<T> predictions) {
    Ops s = tf.withSubScope(getName());
    Batch<T> b = Batch.of(s, labels, predictions, null, config.fromLogits, config.ignoreValue, config.check, null);
    Operand<T> l = b.weighted(pixels(b), b.mask);
    return s.reshape(l, s.shape(predictions));
  }

  @Override
  <T extends TNumber> Operand<T> value(Batch<T> b) {
    return reduce(b, pixels(b), config.reduction);
  }

  /** Weights and reduces per-pixel values l [N, M] as the core's PixelLoss. */
  static <T extends TNumber> Operand<T> reduce(Batch<T> b, Operand<T> l, dev.segloss.core.loss.Reduction r) {
    Operand<TFloat64> perImage = b.rowSum64(b.weighted(l, b.allPixelWeights()));
    return TfReductions.reduce(b, r, perImage, counted(b), weightSums(b));
  }

  /** Counted pixels per image, float64 [N]. */
  static Operand<TFloat64> counted(Batch<?> b) {
    return b.shared("counted", () -> countedOf(b));
  }

  private static <T extends TNumber> Operand<TFloat64> countedOf(Batch<T> b) {
    if (b.mask != null) return b.rowSum64(b.mask);
    return b.tf.fill(b.batchShape(), b.pixelsPerImage());
  }

  /** Per-image sums of the weights over counted pixels (per-image weights included), float64 [N]. */
  static <T extends TNumber> Operand<TFloat64> weightSums(Batch<T> b) {
    Ops tf = b.tf;
    Operand<TFloat64> s = b.pixelWeights == null ? counted(b) : b.rowSum64(b.pixelWeights);
    Operand<TFloat64> iw = b.imageWeights64();
    return iw == null ? s : tf.math.mul(s, iw);
  }
}
