package dev.segloss.core.metrics;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The per-image metrics, with their keys in JSON and CSV ({@link #key()}). With TP, FP, FN, TN the
 * counts of {@link Confusion} and &beta; the F-score's beta:
 *
 * <ul>
 *   <li>{@code dice} = 2TP/(2TP + FP + FN); {@code iou} = TP/(TP + FP + FN)
 *   <li>{@code precision} = TP/(TP + FP); {@code recall} = TP/(TP + FN); {@code specificity} = TN/(TN + FP)
 *   <li>{@code f_beta} = (1 + &beta;²)TP/((1 + &beta;²)TP + &beta;²FN + FP) (&beta; = 1 gives Dice)
 *   <li>{@code accuracy} = (TP + TN)/(TP + FP + FN + TN)
 *   <li>{@code balanced_accuracy} = (recall + specificity)/2; when the truth holds one class only, the
 *       recall of that class (scikit-learn's {@code balanced_accuracy_score}: the mean recall over the
 *       classes present in the truth)
 *   <li>{@code mcc} = (TP·TN − FP·FN)/&radic;((TP+FP)(TP+FN)(TN+FP)(TN+FN)) (Matthews 1975)
 *   <li>{@code hd}, {@code hd95}, {@code assd}: surface distances, see {@link SurfaceDistances}
 * </ul>
 *
 * The value of a 0/0 is set by the {@link EmptyPolicy}.
 */
public enum Metric {
  DICE,
  IOU,
  PRECISION,
  RECALL,
  SPECIFICITY,
  F_BETA,
  ACCURACY,
  BALANCED_ACCURACY,
  MCC,
  HD,
  HD95,
  ASSD;

  /** The metrics computed from counts alone (the ones a micro average pools). */
  public static final Set<Metric> COUNT_METRICS = EnumSet.range(DICE, MCC);
  /** The surface-distance metrics. */
  public static final Set<Metric> DISTANCE_METRICS = EnumSet.range(HD, ASSD);

  /** JSON/CSV key: the lower-case name, e.g. {@code balanced_accuracy}. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  public boolean isDistance() {
    return DISTANCE_METRICS.contains(this);
  }
}
