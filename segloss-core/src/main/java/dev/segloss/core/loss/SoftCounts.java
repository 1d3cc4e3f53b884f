package dev.segloss.core.loss;

/**
 * Indices of the weighted soft counts the core accumulates per image (or per batch) for a region loss,
 * with pixel weights w (1 when absent) over counted pixels:
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
 * and of the derivatives of a region loss, which have one more entry: {@code MIN}, the derivative with
 * respect to the soft intersection &Sigma;w&middot;min(p, y) = (P + Y &minus; ABS)/2 (see {@link
 * RegionOps#softIntersection()}). The per-pixel gradient is then
 * {@code w·(dPY·y + dP + 2·dPP·p + dABS·sign(p − y) + dMIN·[p < y])} ({@code [p < y]} is 1, 0, or ½ at p = y),
 * times p(1 − p) on logits: the intersection's derivative reaches only the pixels where p &lt; y, instead of
 * ±½·dMIN reaching every pixel through P, Y and ABS and cancelling there.
 */
public final class SoftCounts {
  public static final int PY = 0;
  public static final int P = 1;
  public static final int Y = 2;
  public static final int PP = 3;
  public static final int YY = 4;
  public static final int ABS = 5;
  public static final int W = 6;
  /** Number of counts. */
  public static final int SIZE = 7;
  /** Index of the derivative with respect to the soft intersection (derivative arrays only). */
  public static final int MIN = 7;
  /** Length of a derivative array: the counts and {@link #MIN}. */
  public static final int DERIVATIVES = 8;

  /** Bit masks of the counts a formula reads. */
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
}
