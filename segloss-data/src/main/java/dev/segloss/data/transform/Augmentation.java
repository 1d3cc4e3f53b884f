package dev.segloss.data.transform;

import dev.segloss.core.InvalidInputException;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Random augmentation of an image and its mask, applied by the {@link dev.segloss.data.batch.BatchLoader} to training batches.
 * Immutable; {@link #defaults()}, {@link #none()}, {@link #parse(String)} or {@link #builder()}.
 *
 * <p>Geometric (image and mask alike): a horizontal and a vertical flip, each with probability 0.5
 * (nnU-Net's mirroring); a rotation by k x 90 degrees, k uniform in {0,1,2,3} (MONAI's {@code
 * RandRotate90}); for non-square images only k in {0, 2}, so the shape is kept.
 *
 * <p>Intensity (image only), with nnU-Net's probabilities and ranges (Isensee et al. 2021, supplementary
 * "data augmentation"): multiplicative gain in [0.75, 1.25] (p 0.15); gamma in [0.7, 1.5] (p 0.3), applied
 * to the image rescaled to [0, 1] by its min and max and mapped back; Gaussian noise of variance in [0,
 * 0.1] (p 0.1). Plus an additive bias in [-0.1, 0.1] (p 0.15; our addition, in normalised units).
 *
 * <p>Deterministic: what a sample gets depends only on the random stream it is given, which the batch
 * loader derives from (seed, epoch, sample index) — never from thread timing.
 */
public final class Augmentation {
  private final boolean flips;
  private final boolean rot90;
  private final double gainProb;
  private final double gainLo;
  private final double gainHi;
  private final double biasProb;
  private final double biasRange;
  private final double gammaProb;
  private final double gammaLo;
  private final double gammaHi;
  private final double noiseProb;
  private final double noiseMaxVariance;

  private Augmentation(Builder b) {
    flips = b.flips;
    rot90 = b.rot90;
    gainProb = b.gainProb;
    gainLo = b.gainLo;
    gainHi = b.gainHi;
    biasProb = b.biasProb;
    biasRange = b.biasRange;
    gammaProb = b.gammaProb;
    gammaLo = b.gammaLo;
    gammaHi = b.gammaHi;
    noiseProb = b.noiseProb;
    noiseMaxVariance = b.noiseMaxVariance;
  }

  /** Everything on, with the defaults above. */
  public static Augmentation defaults() {
    return builder().build();
  }

  /** No augmentation (for validation and test). */
  public static Augmentation none() {
    return builder().flips(false).rot90(false).gain(0, 1, 1).bias(0, 0).gamma(0, 1, 1).noise(0, 0).build();
  }

  /**
   * {@code default}, {@code none}, or a '+'-separated subset of {@code flip, rot90, gain, bias, gamma,
   * noise} (each with its default setting).
   */
  public static Augmentation parse(String text) {
    String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    if (t.equals("default") || t.equals("all")) return defaults();
    if (t.equals("none") || t.isEmpty()) return none();
    Builder b = none().toBuilder();
    Builder d = builder();
    for (String part : t.split("[+,]")) {
      switch (part.trim()) {
        case "flip": case "flips": b.flips(true); break;
        case "rot90": b.rot90(true); break;
        case "gain": b.gain(d.gainProb, d.gainLo, d.gainHi); break;
        case "bias": b.bias(d.biasProb, d.biasRange); break;
        case "gamma": b.gamma(d.gammaProb, d.gammaLo, d.gammaHi); break;
        case "noise": b.noise(d.noiseProb, d.noiseMaxVariance); break;
        default:
          throw new InvalidInputException("--augment: unknown augmentation '" + part.trim()
              + "' (expected default, none, or flip+rot90+gain+bias+gamma+noise)");
      }
    }
    return b.build();
  }

  /** True when this never changes anything. */
  public boolean isIdentity() {
    return !flips && !rot90 && gainProb == 0 && biasProb == 0 && gammaProb == 0 && noiseProb == 0;
  }

  /**
   * Augments one sample into {@code outImage}/{@code outMask} ({@code h x w}, same shape as input).
   * Draws from {@code rng} in a fixed order whatever the settings.
   */
  public void apply(float[] image, float[] mask, int h, int w, SplittableRandom rng, float[] outImage, float[] outMask) {
    boolean flipH = rng.nextBoolean();
    boolean flipV = rng.nextBoolean();
    int k = rng.nextInt(4);
    double uGain = rng.nextDouble();
    double gain = gainLo + (gainHi - gainLo) * rng.nextDouble();
    double uBias = rng.nextDouble();
    double bias = biasRange * (2 * rng.nextDouble() - 1);
    double uGamma = rng.nextDouble();
    double gamma = gammaLo + (gammaHi - gammaLo) * rng.nextDouble();
    double uNoise = rng.nextDouble();
    double sigma = Math.sqrt(noiseMaxVariance * rng.nextDouble());
    long noiseSeed = rng.nextLong();

    if (!flips) {
      flipH = false;
      flipV = false;
    }
    if (!rot90) k = 0;
    else if (h != w) k = (k & 1) == 0 ? k : (k + 1) & 3; // only 0 or 180 degrees for non-square
    geometric(image, h, w, flipH, flipV, k, outImage);
    geometric(mask, h, w, flipH, flipV, k, outMask);

    if (uGain < gainProb) for (int i = 0; i < outImage.length; i++) outImage[i] *= (float) gain;
    if (uBias < biasProb) for (int i = 0; i < outImage.length; i++) outImage[i] += (float) bias;
    if (uGamma < gammaProb) gamma(outImage, gamma);
    if (uNoise < noiseProb && sigma > 0) {
      SplittableRandom nr = new SplittableRandom(noiseSeed);
      for (int i = 0; i < outImage.length; i++) outImage[i] += (float) (sigma * nr.nextGaussian());
    }
  }

  /** Flip then rotate counter-clockwise by k x 90 degrees (the output is h x w: k odd only if h == w). */
  static void geometric(float[] src, int h, int w, boolean flipH, boolean flipV, int k, float[] dst) {
    if (!flipH && !flipV && k == 0) {
      System.arraycopy(src, 0, dst, 0, src.length);
      return;
    }
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        // destination (y, x) <- source of the rotated then flipped image
        int sy;
        int sx;
        switch (k) {
          case 1: sy = x; sx = w - 1 - y; break; // rot90 CCW: dst[y][x] = src[x][n-1-y]
          case 2: sy = h - 1 - y; sx = w - 1 - x; break;
          case 3: sy = h - 1 - x; sx = y; break;
          default: sy = y; sx = x;
        }
        if (flipV) sy = h - 1 - sy;
        if (flipH) sx = w - 1 - sx;
        dst[y * w + x] = src[sy * w + sx];
      }
    }
  }

  static void gamma(float[] a, double gamma) {
    float min = Float.POSITIVE_INFINITY;
    float max = Float.NEGATIVE_INFINITY;
    for (float v : a) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    double range = (double) max - min;
    if (!(range > 0)) return;
    for (int i = 0; i < a.length; i++) a[i] = (float) (min + range * Math.pow((a[i] - min) / range, gamma));
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.flips = flips;
    b.rot90 = rot90;
    b.gainProb = gainProb;
    b.gainLo = gainLo;
    b.gainHi = gainHi;
    b.biasProb = biasProb;
    b.biasRange = biasRange;
    b.gammaProb = gammaProb;
    b.gammaLo = gammaLo;
    b.gammaHi = gammaHi;
    b.noiseProb = noiseProb;
    b.noiseMaxVariance = noiseMaxVariance;
    return b;
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String toString() {
    if (isIdentity()) return "none";
    return String.format(Locale.ROOT,
        "flips=%b, rot90=%b, gain(p=%.2f, %.2f..%.2f), bias(p=%.2f, +-%.2f), gamma(p=%.2f, %.2f..%.2f), noise(p=%.2f, var<=%.2f)",
        flips, rot90, gainProb, gainLo, gainHi, biasProb, biasRange, gammaProb, gammaLo, gammaHi, noiseProb, noiseMaxVariance);
  }

  public static final class Builder {
    private boolean flips = true;
    private boolean rot90 = true;
    private double gainProb = 0.15;
    private double gainLo = 0.75;
    private double gainHi = 1.25;
    private double biasProb = 0.15;
    private double biasRange = 0.1;
    private double gammaProb = 0.3;
    private double gammaLo = 0.7;
    private double gammaHi = 1.5;
    private double noiseProb = 0.1;
    private double noiseMaxVariance = 0.1;

    private Builder() {}

    public Builder flips(boolean on) {
      flips = on;
      return this;
    }

    public Builder rot90(boolean on) {
      rot90 = on;
      return this;
    }

    public Builder gain(double prob, double lo, double hi) {
      check("gain", prob, lo, hi, 0);
      gainProb = prob;
      gainLo = lo;
      gainHi = hi;
      return this;
    }

    public Builder bias(double prob, double range) {
      check("bias", prob, 0, range, 0);
      biasProb = prob;
      biasRange = range;
      return this;
    }

    public Builder gamma(double prob, double lo, double hi) {
      check("gamma", prob, lo, hi, 1e-6);
      gammaProb = prob;
      gammaLo = lo;
      gammaHi = hi;
      return this;
    }

    public Builder noise(double prob, double maxVariance) {
      check("noise", prob, 0, maxVariance, 0);
      noiseProb = prob;
      noiseMaxVariance = maxVariance;
      return this;
    }

    private static void check(String name, double prob, double lo, double hi, double min) {
      if (!(prob >= 0 && prob <= 1)) throw new InvalidInputException("augmentation " + name + ": probability must be in [0,1], got " + prob);
      if (!(lo >= min && hi >= lo && Double.isFinite(hi))) {
        throw new InvalidInputException("augmentation " + name + ": expected " + min + " <= lo <= hi, got " + lo + ", " + hi);
      }
    }

    public Augmentation build() {
      return new Augmentation(this);
    }
  }
}
