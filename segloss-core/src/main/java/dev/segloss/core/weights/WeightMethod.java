package dev.segloss.core.weights;

import dev.segloss.core.InvalidInputException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How class weights follow from pixel counts. With n<sub>pos</sub>, n<sub>neg</sub> the (soft) pixel counts
 * of foreground and background, N = n<sub>pos</sub> + n<sub>neg</sub> and f<sub>c</sub> = n<sub>c</sub>/N:
 *
 * <ul>
 *   <li>{@link #INVERSE} (default; the seed's rule): w<sub>c</sub> &prop; 1/f<sub>c</sub>, scaled so that the
 *       rarer class gets 1.0, i.e. w<sub>c</sub> = min(f)/f<sub>c</sub>. 90 % background / 10 % foreground
 *       gives w_pos = 1, w_neg = 0.111.
 *   <li>{@link #BALANCED}: w<sub>c</sub> = N / (2·n<sub>c</sub>), scikit-learn's
 *       {@code class_weight="balanced"} ({@code n_samples / (n_classes * bincount(y))}). 90/10 gives
 *       w_pos = 5, w_neg = 0.556.
 *   <li>{@link #MEDIAN}: median frequency balancing (Eigen &amp; Fergus, "Predicting Depth, Surface Normals
 *       and Semantic Labels with a Common Multi-Scale Convolutional Architecture", ICCV 2015):
 *       w<sub>c</sub> = median(freq)/freq<sub>c</sub>, where freq<sub>c</sub> is the number of pixels of class
 *       c divided by the total number of pixels in the images where c is present. With two classes the
 *       median is the mean of the two frequencies. It equals {@code balanced} when both classes occur in
 *       every image and gives the foreground less weight when many images have none.
 *   <li>{@link #EFFECTIVE}: effective number of samples (Cui et al., "Class-Balanced Loss Based on
 *       Effective Number of Samples", CVPR 2019): E<sub>c</sub> = (1 − &beta;<sup>n<sub>c</sub></sup>)/(1 − &beta;),
 *       w<sub>c</sub> &prop; 1/E<sub>c</sub>, normalised as in the paper (and its reference code) so that the
 *       weights sum to the number of classes, 2. Default &beta; = 0.9999 (the paper's largest setting).
 *       With pixel counts in the tens of thousands and more, &beta;<sup>n</sup> &asymp; 0 and the weights
 *       tend to 1 and 1: pixels are far from independent samples, so choose a smaller &beta; (or
 *       another method) for large images.
 * </ul>
 */
public enum WeightMethod {
  INVERSE,
  BALANCED,
  MEDIAN,
  EFFECTIVE;

  /** Default &beta; of {@link #EFFECTIVE}: 0.9999 (Cui et al. 2019). */
  public static final double DEFAULT_BETA = 0.9999;

  /** The lower-case word used on the command line. */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a word (case-insensitive); the error lists the valid words. */
  public static WeightMethod parse(String word) {
    for (WeightMethod m : values()) if (m.word().equalsIgnoreCase(word)) return m;
    throw new InvalidInputException("method: unknown class-weight method '" + word + "'; expected one of "
        + Arrays.stream(values()).map(WeightMethod::word).collect(Collectors.joining(", ")));
  }
}
