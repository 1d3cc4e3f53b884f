package dev.segloss.core.weights;

import dev.segloss.core.InvalidInputException;
import dev.segloss.core.Tensor;

/**
 * Streams over label masks and counts foreground and background pixels, for class weights
 * ({@link #weights}). Feed it one image at a time ({@link #addImage}) or a batch ({@link #addBatch});
 * counters of parallel workers combine with {@link #merge}. Not thread-safe; serializable (counters of
 * Spark tasks travel to the driver).
 *
 * <p>Counting: a label y in [0,1] adds y to the foreground count and 1 − y to the background count, so
 * soft labels count <em>fractionally</em> (the same soft counts the region losses use; a hard 0/1 mask
 * counts whole pixels). Pixels whose label equals the ignore value are counted only as ignored. Any
 * other value (outside [0,1], NaN) is an error naming the source. For {@link WeightMethod#MEDIAN} the
 * counter also keeps, per class, the number of counted pixels of the images in which the class is
 * present (count &gt; 0).
 */
public final class ClassPixelCounter implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  private final float ignoreValue;
  private double positive;
  private double negative;
  private long ignored;
  private long images;
  private double pixelsWherePositive;
  private double pixelsWhereNegative;

  /** A counter with no ignore value. */
  public ClassPixelCounter() {
    this(Double.NaN);
  }

  /** A counter that skips pixels whose label equals {@code ignoreValue} (NaN: none). */
  public ClassPixelCounter(double ignoreValue) {
    this.ignoreValue = (float) ignoreValue;
  }

  /** Adds one image (all of {@code labels}); {@code source} names it in error messages. */
  public ClassPixelCounter addImage(float[] labels, String source) {
    return addImage(labels, 0, labels.length, source);
  }

  /** Adds one image, the labels {@code [from, to)}. */
  public ClassPixelCounter addImage(float[] labels, int from, int to, String source) {
    boolean ign = !Float.isNaN(ignoreValue);
    double pos = 0;
    double neg = 0;
    long skipped = 0;
    for (int i = from; i < to; i++) {
      float v = labels[i];
      if (ign && v == ignoreValue) {
        skipped++;
        continue;
      }
      if (!(v >= 0f && v <= 1f)) {
        throw InvalidInputException.badLabel(source, v, i, ignoreValue);
      }
      pos += v;
      neg += 1.0 - v;
    }
    double counted = pos + neg;
    positive += pos;
    negative += neg;
    ignored += skipped;
    images++;
    if (pos > 0) pixelsWherePositive += counted;
    if (neg > 0) pixelsWhereNegative += counted;
    return this;
  }

  /** Adds every image of a batch {@code [N, ...]} (the first axis indexes images). */
  public ClassPixelCounter addBatch(Tensor masks, String source) {
    if (masks.size() == 0) throw new InvalidInputException(source + ": the array is empty " + Tensor.shapeString(masks.shape()));
    int m = masks.imageSize();
    for (int n = 0; n < masks.batch(); n++) addImage(masks.data(), n * m, (n + 1) * m, source);
    return this;
  }

  /** Adds the counts of another counter (same ignore value) to this one. */
  public ClassPixelCounter merge(ClassPixelCounter other) {
    positive += other.positive;
    negative += other.negative;
    ignored += other.ignored;
    images += other.images;
    pixelsWherePositive += other.pixelsWherePositive;
    pixelsWhereNegative += other.pixelsWhereNegative;
    return this;
  }

  /** Foreground count (sum of labels). */
  public double positive() {
    return positive;
  }

  /** Background count (sum of 1 − label). */
  public double negative() {
    return negative;
  }

  /** Pixels skipped because their label was the ignore value. */
  public long ignored() {
    return ignored;
  }

  /** Images added. */
  public long images() {
    return images;
  }

  /** Counted (non-ignored) pixels. */
  public double counted() {
    return positive + negative;
  }

  /** Counted pixels of the images that contain foreground (for median-frequency balancing). */
  public double pixelsWherePositive() {
    return pixelsWherePositive;
  }

  /** Counted pixels of the images that contain background. */
  public double pixelsWhereNegative() {
    return pixelsWhereNegative;
  }

  /** Weights by {@code method} ({@link WeightMethod#DEFAULT_BETA} for {@code effective}). */
  public ClassWeights weights(WeightMethod method) {
    return weights(method, WeightMethod.DEFAULT_BETA);
  }

  /**
   * Weights by {@code method}; {@code beta} in [0, 1) is used by {@link WeightMethod#EFFECTIVE} only.
   *
   * @throws InvalidInputException when a class has no pixels (its weight would be infinite)
   */
  public ClassWeights weights(WeightMethod method, double beta) {
    if (positive <= 0 || negative <= 0) {
      throw new InvalidInputException("no " + (positive <= 0 ? "foreground" : "background") + " pixels in "
          + images + (images == 1 ? " image" : " images") + " (" + fmtCount(counted()) + " counted pixels); class weights need both classes");
    }
    if (method == WeightMethod.EFFECTIVE && !(beta >= 0 && beta < 1)) {
      throw new InvalidInputException("beta: expected a value in [0, 1), got " + beta);
    }
    double n = positive + negative;
    double wPos;
    double wNeg;
    switch (method) {
      case INVERSE: {
        double fPos = positive / n;
        double fNeg = negative / n;
        double fMin = Math.min(fPos, fNeg);
        wPos = fMin / fPos;
        wNeg = fMin / fNeg;
        break;
      }
      case BALANCED:
        wPos = n / (2 * positive);
        wNeg = n / (2 * negative);
        break;
      case MEDIAN: {
        double freqPos = positive / pixelsWherePositive;
        double freqNeg = negative / pixelsWhereNegative;
        double median = (freqPos + freqNeg) / 2;
        wPos = median / freqPos;
        wNeg = median / freqNeg;
        break;
      }
      case EFFECTIVE: {
        double lnBeta = Math.log(beta);
        // (1 - beta) / (1 - beta^n), with 1 - beta^n = -expm1(n ln beta) for accuracy; beta = 0 gives 1
        double rPos = beta == 0 ? 1 : (1 - beta) / -Math.expm1(positive * lnBeta);
        double rNeg = beta == 0 ? 1 : (1 - beta) / -Math.expm1(negative * lnBeta);
        double sum = rPos + rNeg;
        wPos = 2 * rPos / sum;
        wNeg = 2 * rNeg / sum;
        break;
      }
      default:
        throw new AssertionError(method);
    }
    return new ClassWeights(method, method == WeightMethod.EFFECTIVE ? beta : Double.NaN, positive, negative, ignored, images, wPos, wNeg);
  }

  private static String fmtCount(double c) {
    return c == Math.rint(c) ? Long.toString((long) c) : Double.toString(c);
  }
}
