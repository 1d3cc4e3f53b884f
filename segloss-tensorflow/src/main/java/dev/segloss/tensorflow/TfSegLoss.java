package dev.segloss.tensorflow;

import dev.segloss.core.InvalidInputException;
import dev.segloss.core.loss.SegLoss;
import org.tensorflow.Operand;
import org.tensorflow.framework.losses.Reduction;
import org.tensorflow.framework.losses.impl.AbstractLoss;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TNumber;

/**
 * Base of every segloss loss in TensorFlow Java: a {@link org.tensorflow.framework.losses.Loss} that drops
 * in wherever TF Java's own losses do ({@code call(tf, labels, predictions, sampleWeights)}), with the
 * parameters, defaults and semantics of the core loss of the same name ({@code dev.segloss.core.loss}).
 * Instances are immutable; the {@code with...} methods return modified copies.
 *
 * <h2>Inputs</h2>
 * Labels and predictions of the same shape {@code [N, d1, ..., dk]} (k &ge; 1): the batch first, then one
 * image of any rank (NHWC with a trailing channel of 1 is the common case; a trailing singleton axis on one
 * side only is accepted, as TF's built-ins squeeze it). Labels in [0,1] (soft labels allowed) of any
 * numeric type; predictions are probabilities, or logits when the loss was built with
 * {@code fromLogits=true}. Float32 and float64 predictions are supported; the loss has their type.
 * Shape mismatches that the static shapes reveal throw {@link InvalidInputException} when the graph is
 * built (the message names both shapes); partly unknown shapes are checked at run time. With
 * {@code checkInputs} (on by default, the same name and default on every segloss engine: a wrong input
 * otherwise gives a plausible but wrong loss), probabilities outside [0,1], non-finite logits, labels
 * outside [0,1] that are not the ignore value, and negative or non-finite weights fail at run time with a
 * clear message, like the built-in {@code BinaryCrossentropy}'s range check; {@link
 * #withInputChecks(boolean)} turns them off (they are a few reductions in the graph, no host copy).
 *
 * <h2>Reductions and sample weights</h2>
 * The TF {@link Reduction} and the core's {@link dev.segloss.core.loss.Reduction} map one to one, and the
 * value is the core's (see {@code dev.segloss.core.loss.Reduction}):
 *
 * <table>
 *   <caption>Reductions</caption>
 *   <tr><th>TF Java</th><th>core</th><th>pixel losses (bce, focal, topk)</th><th>region losses (the others)</th></tr>
 *   <tr><td>{@code AUTO}, {@code SUM_OVER_BATCH_SIZE} (default)</td><td>{@code mean}</td>
 *       <td>&Sigma;w&middot;l / n, n the counted pixels (the built-ins divide by the element count)</td>
 *       <td>&Sigma;w<sub>n</sub>L<sub>n</sub> / N (one L<sub>n</sub> per image, the "sample")</td></tr>
 *   <tr><td>{@code SUM}</td><td>{@code sum}</td><td>&Sigma;w&middot;l</td><td>&Sigma;w<sub>n</sub>L<sub>n</sub></td></tr>
 *   <tr><td>{@code NONE}</td><td>{@code none}</td><td>per image [N]: &Sigma;<sub>image</sub>w&middot;l / n<sub>image</sub></td>
 *       <td>per image [N]: w<sub>n</sub>L<sub>n</sub> ([1] with {@code batch=true})</td></tr>
 *   <tr><td>reported as {@code SUM_OVER_BATCH_SIZE}</td><td>{@code weighted_mean}</td><td>&Sigma;w&middot;l / &Sigma;w</td>
 *       <td>&Sigma;w<sub>n</sub>L<sub>n</sub> / &Sigma;w<sub>n</sub></td></tr>
 * </table>
 *
 * With {@code NONE} a sample is an image: every loss returns one value per image (shape [N]), so that the
 * terms of a weighted sum add up and the values equal the core's; the built-in {@code BinaryCrossentropy}
 * would instead return per-pixel values, which {@link TfPixelLoss#pixelLosses} gives for the pixel losses.
 * {@code weighted_mean} has no TF constant; {@link #getReduction()} reports {@code SUM_OVER_BATCH_SIZE}
 * and {@link #segReduction()} tells them apart.
 *
 * <p>Sample weights: a scalar scales the loss (as for the built-ins); shape [N] weights images (the core's
 * per-image weights); the predictions' shape (or that shape without its trailing singleton axis, or
 * anything broadcastable to it) weights pixels (the core's per-pixel weights: they multiply the per-pixel
 * values of pixel losses and enter the soft counts of region losses). An ignore value
 * ({@link #withIgnoreValue(double)}) removes pixels whose label equals it from every sum and count, as in
 * the core.
 *
 * <h2>Numerics</h2>
 * Per-pixel terms are computed in the predictions' type (float32 in practice); each image's sums over its
 * pixels are TF's {@code Sum} reductions in that type (Eigen sums in blocks and a tree, not one running
 * float), and everything after them (per-image counts, the region formulas, the sums over images and the
 * reduction) in float64, cast back at the end. On 4×512×512 inputs the values agree with the core's
 * double sums to 2e-7 relative and the gradients to 5e-7 of their largest entry (Lovász: 4e-5, where
 * float32 errors reorder nearly tied errors).
 *
 * <h2>Gradients</h2>
 * Built from differentiable TF ops only, so {@code Graph.addGradients} (or an optimizer) differentiates
 * the loss; no custom gradient is registered. Sorting (Lovász, top-k) sorts a stop-gradient copy and
 * gathers, since {@code TopKV2} has no gradient. The parity tests check value and autodiff gradient
 * against the core's analytic gradient.
 */
public abstract class TfSegLoss extends AbstractLoss {
  final Config config;

  TfSegLoss(Config config) {
    super(config.name, toTf(config.reduction));
    this.config = config;
  }

  /** The TF reduction that corresponds to a core reduction ({@code weighted_mean} → {@code SUM_OVER_BATCH_SIZE}). */
  public static Reduction toTf(dev.segloss.core.loss.Reduction r) {
    switch (r) {
      case MEAN:
      case WEIGHTED_MEAN:
        return Reduction.SUM_OVER_BATCH_SIZE;
      case SUM:
        return Reduction.SUM;
      case NONE:
        return Reduction.NONE;
      default:
        throw new AssertionError(r);
    }
  }

  /** The core reduction that corresponds to a TF reduction ({@code AUTO} and {@code SUM_OVER_BATCH_SIZE} → {@code mean}). */
  public static dev.segloss.core.loss.Reduction fromTf(Reduction r) {
    if (r == null) throw new InvalidInputException("reduction: expected a value, got null");
    switch (r) {
      case AUTO:
      case SUM_OVER_BATCH_SIZE:
        return dev.segloss.core.loss.Reduction.MEAN;
      case SUM:
        return dev.segloss.core.loss.Reduction.SUM;
      case NONE:
        return dev.segloss.core.loss.Reduction.NONE;
      default:
        throw new AssertionError(r);
    }
  }

  /**
   * The loss of {@code predictions} against {@code labels}, reduced as {@link #getReduction()} says.
   *
   * @param labels the truth, in [0,1], any numeric type, shape of the predictions
   * @param predictions probabilities, or logits when {@link #fromLogits()}; shape [N, d1, ..., dk]
   * @param sampleWeights null, a scalar, [N] (per image) or per pixel (see the class comment)
   * @return a scalar, or [N] with {@code NONE}
   */
  @Override
  public <T extends TNumber> Operand<T> call(Ops tf, Operand<? extends TNumber> labels, Operand<T> predictions,
      Operand<T> sampleWeights) {
    Ops s = tf.withSubScope(getName());
    Batch<T> b = Batch.of(s, labels, predictions, sampleWeights, config.fromLogits, config.ignoreValue, config.check,
        boundOperand());
    return value(b);
  }

  /** The distance maps to feed the batch: this loss's, if one of its terms needs them. */
  @SuppressWarnings("unchecked")
  private Operand<? extends TNumber> boundOperand() {
    if (!needsDistanceMaps()) return null;
    if (config.distanceMaps == null) {
      throw new InvalidInputException(toSpec() + ": the boundary loss needs the signed distance maps of the labels;"
          + " bind them with withDistanceMaps(phi) and feed TfBoundaryLoss.distanceMaps(labels) for each batch");
    }
    return (Operand<? extends TNumber>) config.distanceMaps;
  }

  /** The reduced value of this loss on a prepared batch, in the predictions' type. */
  abstract <T extends TNumber> Operand<T> value(Batch<T> b);

  /** True when this loss gives one value per batch rather than per image under {@code none}. */
  abstract boolean pooled();

  /**
   * True when this loss (or one of its terms, i.e. {@code boundary}) needs the labels' distance maps:
   * bind a placeholder with {@link #withDistanceMaps} and feed {@link TfBoundaryLoss#distanceMaps}.
   */
  public boolean needsDistanceMaps() {
    return false;
  }

  /** A copy of this loss with another configuration. */
  abstract TfSegLoss with(Config c);

  /** The equivalent core loss (same parameters), e.g. to compute the reference value. */
  public abstract SegLoss toCore();

  /** The canonical spec of this loss, e.g. {@code dice(batch=true)}; it parses back to an equal loss. */
  public String toSpec() {
    return toCore().toSpec();
  }

  /** True when predictions are logits. */
  public boolean fromLogits() {
    return config.fromLogits;
  }

  /** The core reduction (finer than {@link #getReduction()}: it tells {@code weighted_mean} from {@code mean}). */
  public dev.segloss.core.loss.Reduction segReduction() {
    return config.reduction;
  }

  /** The ignore value, NaN when none. */
  public float ignoreValue() {
    return config.ignoreValue;
  }

  /** True when the inputs are checked at run time (the default; the same name and default on every engine). */
  public boolean checkInputs() {
    return config.check;
  }

  /** A copy with another TF reduction. */
  public TfSegLoss withReduction(Reduction r) {
    return with(config.reduction(fromTf(r)));
  }

  /** A copy with another core reduction ({@code mean}, {@code weighted_mean}, {@code sum}, {@code none}). */
  public TfSegLoss withReduction(dev.segloss.core.loss.Reduction r) {
    if (r == null) throw new InvalidInputException("reduction: expected a value, got null");
    return with(config.reduction(r));
  }

  /** A copy that reads logits ({@code true}) or probabilities. */
  public TfSegLoss withFromLogits(boolean logits) {
    return with(config.fromLogits(logits));
  }

  /** A copy that ignores pixels whose label equals {@code v} (e.g. 255); NaN for none. */
  public TfSegLoss withIgnoreValue(double v) {
    return with(config.ignoreValue((float) v));
  }

  /** A copy with or without the run-time input checks (on by default). */
  public TfSegLoss withInputChecks(boolean check) {
    return with(config.check(check));
  }

  /** A copy with another name (the name scope of its ops). */
  public TfSegLoss withName(String name) {
    return with(config.name(name));
  }

  /**
   * A copy bound to the signed distance maps of the labels (an operand of the labels' shape, typically a
   * placeholder fed with {@link TfBoundaryLoss#distanceMaps} for each batch). Only the boundary loss
   * reads them; other losses ignore them.
   */
  public TfSegLoss withDistanceMaps(Operand<? extends TNumber> phi) {
    return with(config.distanceMaps(phi));
  }

  @Override
  public String toString() {
    return toSpec() + (config.fromLogits ? " [logits]" : "");
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof TfSegLoss) || o.getClass() != getClass()) return false;
    TfSegLoss l = (TfSegLoss) o;
    return toCore().equals(l.toCore()) && l.config.fromLogits == config.fromLogits
        && Float.compare(l.config.ignoreValue, config.ignoreValue) == 0 && l.config.check == config.check
        && java.util.Objects.equals(l.getName(), getName()) && l.config.distanceMaps == config.distanceMaps;
  }

  @Override
  public int hashCode() {
    return toCore().hashCode() * 31 + Boolean.hashCode(config.fromLogits);
  }
}
