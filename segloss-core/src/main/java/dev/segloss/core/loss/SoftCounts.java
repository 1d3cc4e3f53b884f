package dev.segloss.core.loss;

/**
 * Indices of the weighted soft counts a region loss is a function of, accumulated per image (or per
 * batch) with pixel weights w (1 when absent) over counted pixels:
 *
 * <pre>
 *   PY  = &Sigma; w&middot;p&middot;y      (soft true positives)
 *   P   = &Sigma; w&middot;p
 *   Y   = &Sigma; w&middot;y
 *   PP  = &Sigma; w&middot;p&sup2;
 *   YY  = &Sigma; w&middot;y&sup2;
 *   ABS = &Sigma; w&middot;|p &minus; y|
 *   W   = &Sigma; w              (the pixel count when unweighted)
 * </pre>
 *
 * FP = P &minus; PY, FN = Y &minus; PY and TN = W &minus; P &minus; Y + PY follow. A region loss returns its
 * value and the derivative with respect to each count; the per-pixel gradient is then
 * {@code w·(dPY·y + dP + 2·dPP·p + dABS·sign(p − y))}, times p(1 − p) on logits.
 */
public final class SoftCounts {
  public static final int PY = 0;
  public static final int P = 1;
  public static final int Y = 2;
  public static final int PP = 3;
  public static final int YY = 4;
  public static final int ABS = 5;
  public static final int W = 6;
  public static final int SIZE = 7;

  /** Bit masks for {@link RegionLoss#neededCounts()}. */
  public static final int NEED_PY = 1 << PY;
  public static final int NEED_P = 1 << P;
  public static final int NEED_Y = 1 << Y;
  public static final int NEED_PP = 1 << PP;
  public static final int NEED_YY = 1 << YY;
  public static final int NEED_ABS = 1 << ABS;
  public static final int NEED_W = 1 << W;
  /** The counts of plain Dice, Jaccard and Tversky. */
  public static final int BASIC = NEED_PY | NEED_P | NEED_Y;

  private SoftCounts() {}

  /**
   * The soft intersection I of Dice, Jaccard and Tversky (their TP): &Sigma;w&middot;p&middot;y, or with
   * {@code soft} the L1 form (P + Y &minus; ABS)/2 of Wang et al. 2023 ("Dice semimetric losses"; MONAI's
   * {@code soft_label}), equal to &Sigma;p&middot;y on hard labels and reaching P = Y at p = y on soft labels.
   */
  static double intersection(double[] c, boolean soft) {
    return soft ? 0.5 * (c[P] + c[Y] - c[ABS]) : c[PY];
  }

  /** Adds dL/dI &middot; dI/d(count) to {@code d} for the intersection of {@link #intersection}. */
  static void addIntersectionDerivative(double[] d, double dI, boolean soft) {
    if (soft) {
      d[P] += 0.5 * dI;
      d[Y] += 0.5 * dI;
      d[ABS] -= 0.5 * dI;
    } else {
      d[PY] += dI;
    }
  }
}
