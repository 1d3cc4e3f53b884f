package dev.segloss.core.weights;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Class weights computed from pixel counts ({@link ClassPixelCounter#weights}), with the counts they
 * came from. {@link #toSpecFragment()} prints them for the loss-spec language: {@code w_pos=1, w_neg=0.111}
 * (three significant digits), ready for {@code bce(w_pos=1, w_neg=0.111)}.
 */
public final class ClassWeights implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  private final WeightMethod method;
  private final double beta;
  private final double positive;
  private final double negative;
  private final long ignored;
  private final long images;
  private final double wPos;
  private final double wNeg;

  ClassWeights(WeightMethod method, double beta, double positive, double negative, long ignored, long images, double wPos, double wNeg) {
    this.method = method;
    this.beta = beta;
    this.positive = positive;
    this.negative = negative;
    this.ignored = ignored;
    this.images = images;
    this.wPos = wPos;
    this.wNeg = wNeg;
  }

  public WeightMethod method() {
    return method;
  }

  /** &beta; of the effective-number method, NaN for the others. */
  public double beta() {
    return beta;
  }

  /** Foreground pixel count. */
  public double positive() {
    return positive;
  }

  /** Background pixel count. */
  public double negative() {
    return negative;
  }

  public long ignored() {
    return ignored;
  }

  public long images() {
    return images;
  }

  /** Foreground frequency n_pos / (n_pos + n_neg). */
  public double positiveFrequency() {
    return positive / (positive + negative);
  }

  /** Background frequency. */
  public double negativeFrequency() {
    return negative / (positive + negative);
  }

  /** Weight of the foreground class (the {@code w_pos} of bce, topk, combined; focal weights by its alpha instead). */
  public double wPos() {
    return wPos;
  }

  /** Weight of the background class ({@code w_neg}). */
  public double wNeg() {
    return wNeg;
  }

  /** {@code w_pos=…, w_neg=…} with three significant digits, e.g. {@code w_pos=1, w_neg=0.111}. */
  public String toSpecFragment() {
    return toSpecFragment(3);
  }

  /** {@code w_pos=…, w_neg=…} with the given number of significant digits (trailing zeros dropped). */
  public String toSpecFragment(int significantDigits) {
    return "w_pos=" + round(wPos, significantDigits) + ", w_neg=" + round(wNeg, significantDigits);
  }

  static String round(double v, int digits) {
    BigDecimal b = new BigDecimal(v).round(new MathContext(digits, RoundingMode.HALF_EVEN)).stripTrailingZeros();
    return b.scale() < 0 ? b.setScale(0).toPlainString() : b.toPlainString();
  }

  @Override
  public String toString() {
    return method.word() + ": " + toSpecFragment();
  }
}
