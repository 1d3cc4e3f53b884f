package dev.segloss.core.metrics;

/**
 * Pixel counts of a thresholded prediction against the truth: true positives, false positives, false
 * negatives, true negatives (ignored pixels are in none of them). Immutable; {@link #plus} pools counts
 * for micro averages.
 */
public final class Confusion implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  /** No pixels. */
  public static final Confusion ZERO = new Confusion(0, 0, 0, 0);

  private final long tp;
  private final long fp;
  private final long fn;
  private final long tn;

  public Confusion(long tp, long fp, long fn, long tn) {
    if (tp < 0 || fp < 0 || fn < 0 || tn < 0) throw new IllegalArgumentException("negative count");
    this.tp = tp;
    this.fp = fp;
    this.fn = fn;
    this.tn = tn;
  }

  public long tp() {
    return tp;
  }

  public long fp() {
    return fp;
  }

  public long fn() {
    return fn;
  }

  public long tn() {
    return tn;
  }

  /** Foreground pixels of the truth, TP + FN. */
  public long truthPositive() {
    return tp + fn;
  }

  /** Foreground pixels of the prediction, TP + FP. */
  public long predictedPositive() {
    return tp + fp;
  }

  /** Counted pixels. */
  public long total() {
    return tp + fp + fn + tn;
  }

  /** Pooled counts. */
  public Confusion plus(Confusion o) {
    return new Confusion(tp + o.tp, fp + o.fp, fn + o.fn, tn + o.tn);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Confusion)) return false;
    Confusion c = (Confusion) o;
    return c.tp == tp && c.fp == fp && c.fn == fn && c.tn == tn;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(tp) * 31 * 31 * 31 + Long.hashCode(fp) * 31 * 31 + Long.hashCode(fn) * 31 + Long.hashCode(tn);
  }

  @Override
  public String toString() {
    return "TP=" + tp + " FP=" + fp + " FN=" + fn + " TN=" + tn;
  }
}
