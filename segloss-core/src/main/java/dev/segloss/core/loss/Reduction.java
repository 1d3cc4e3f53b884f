package dev.segloss.core.loss;

import java.util.Locale;

/**
 * How per-pixel or per-image values become the reported loss. With w the weights (1 when absent) and
 * only counted (non-ignored) pixels:
 *
 * <ul>
 *   <li>pixel losses ({@code bce}, {@code focal}, {@code topk}) with per-pixel values l: {@code MEAN} =
 *       &Sigma;w&middot;l / n with n the counted pixels (Keras divides by the element count),
 *       {@code WEIGHTED_MEAN} = &Sigma;w&middot;l / &Sigma;w, {@code SUM} = &Sigma;w&middot;l, {@code NONE} =
 *       one value per image, &Sigma;<sub>image</sub> w&middot;l / n<sub>image</sub>.
 *   <li>region losses (all others) with one value L<sub>n</sub> per image and per-image weights
 *       w<sub>n</sub>: {@code MEAN} = &Sigma;w<sub>n</sub>L<sub>n</sub>/N, {@code WEIGHTED_MEAN} =
 *       &Sigma;w<sub>n</sub>L<sub>n</sub>/&Sigma;w<sub>n</sub>, {@code SUM} =
 *       &Sigma;w<sub>n</sub>L<sub>n</sub>, {@code NONE} = the vector of L<sub>n</sub>.
 * </ul>
 *
 * Default {@code MEAN}: the seed's {@code tf.reduce_mean} and Keras' {@code sum_over_batch_size}.
 */
public enum Reduction {
  MEAN,
  WEIGHTED_MEAN,
  SUM,
  NONE;

  /** The spec word: {@code mean}, {@code weighted_mean}, {@code sum}, {@code none}. */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }
}
