package dev.segloss.tensorflow;

import dev.segloss.core.InvalidInputException;
import dev.segloss.core.Tensor;
import dev.segloss.core.loss.BoundaryLoss;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.family.TNumber;

/**
 * Boundary loss in TensorFlow Java, the core's {@code boundary} (Kervadec et al. 2019): per image,
 * {@code L_n = Σ w·p·φ / n_image} with φ the signed Euclidean distance map of the labels (negative inside,
 * the reference code's {@code one_hot2dist}), then reduced like a region loss.
 *
 * <h2>Where φ comes from</h2>
 * φ is an exact Euclidean distance transform of the labels, a sequential algorithm with no TF op and no
 * gradient (it depends on the labels only). It is computed on the Java side, by the core
 * ({@link BoundaryLoss#signedDistanceMap}, Felzenszwalb–Huttenlocher, exact), and fed to the graph:
 *
 * <pre>{@code
 * Placeholder<TFloat32> phi = tf.placeholder(TFloat32.class, Placeholder.shape(labelsShape));
 * TfSegLoss loss = TfLosses.fromSpec("0.99*gdice + 0.01*boundary", true).withDistanceMaps(phi);
 * Operand<TFloat32> l = loss.call(tf, labels, logits, null);
 * ...
 * // every training step, from the batch's labels:
 * try (TFloat32 maps = TfBoundaryLoss.distanceMaps(labelsBatch, Float.NaN)) {
 *   session.runner().feed(labels, labelsBatch).feed(phi, maps)...run();
 * }
 * }</pre>
 *
 * So it works in a training graph whose labels are fed per batch (the maps cost one linear pass per axis
 * per image on the CPU, typically well under the cost of a training step). Calling the loss without bound
 * maps throws {@link InvalidInputException} at graph-build time. {@link TfLossEngine} binds and feeds them
 * itself. The maps must be computed with the same ignore value as the loss (ignored pixels get φ = 0).
 */
public final class TfBoundaryLoss extends TfSingleLoss {
  TfBoundaryLoss(BoundaryLoss core, Config c) {
    super(core, c);
  }

  /** The signed distance maps of a batch of labels (shape [N, ...], foreground y ≥ 0.5), as the core computes them. */
  public static Tensor distanceMaps(Tensor labels, float ignoreValue) {
    return Tensor.of(BoundaryLoss.signedDistanceMap(labels, ignoreValue), labels.shape());
  }

  /** The signed distance maps of a batch of labels as a new TF tensor (the caller closes it). */
  public static TFloat32 distanceMaps(TFloat32 labels, float ignoreValue) {
    return TfTensors.of(distanceMaps(TfTensors.toCore(labels), ignoreValue));
  }

  @Override
  public boolean needsDistanceMaps() {
    return true;
  }

  @Override
  <T extends TNumber> Operand<T> value(Batch<T> b) {
    if (b.phi == null) {
      throw new InvalidInputException("boundary: the loss needs the signed distance maps of the labels;"
          + " bind them with withDistanceMaps(phi) and feed TfBoundaryLoss.distanceMaps(labels) for each batch");
    }
    Ops tf = b.tf;
    Operand<TFloat64> s = b.rowSum64(b.weighted(tf.math.mul(b.p(), b.phi), b.pixelWeights));
    Operand<TFloat64> loss = tf.math.divNoNan(s, TfPixelLoss.counted(b));
    return TfReductions.groups(b, loss, false, config.reduction);
  }
}
