package dev.segloss.core.loss;

import static dev.segloss.core.loss.SoftCounts.ABS;
import static dev.segloss.core.loss.SoftCounts.DERIVATIVES;
import static dev.segloss.core.loss.SoftCounts.MIN;
import static dev.segloss.core.loss.SoftCounts.P;
import static dev.segloss.core.loss.SoftCounts.PP;
import static dev.segloss.core.loss.SoftCounts.PY;
import static dev.segloss.core.loss.SoftCounts.W;
import static dev.segloss.core.loss.SoftCounts.Y;
import static dev.segloss.core.loss.SoftCounts.YY;

/**
 * The core's {@link RegionOps}: one group's counts in double, each value carrying its derivatives with
 * respect to the counts (forward-mode differentiation: every operation applies its own analytic
 * derivative). It also records which counts a formula reads, so that the first pass over the pixels
 * accumulates only those.
 */
final class DualOps implements RegionOps<DualOps.Dual> {
  /** A value and its derivatives with respect to the counts ({@code d == null}: a constant). */
  static final class Dual {
    final double v;
    final double[] d;

    Dual(double v, double[] d) {
      this.v = v;
      this.d = d;
    }

    /** The derivative with respect to count (or {@link SoftCounts#MIN}) j. */
    double derivative(int j) {
      return d == null ? 0 : d[j];
    }
  }

  private final double[] c;
  /** Bit mask ({@link SoftCounts#NEED_PY}, ...) of the counts the formula read. */
  int used;

  DualOps(double[] counts) {
    this.c = counts;
  }

  private Dual count(int j) {
    used |= 1 << j;
    double[] d = new double[DERIVATIVES];
    d[j] = 1;
    return new Dual(c[j], d);
  }

  @Override
  public Dual py() {
    return count(PY);
  }

  @Override
  public Dual p() {
    return count(P);
  }

  @Override
  public Dual y() {
    return count(Y);
  }

  @Override
  public Dual pp() {
    return count(PP);
  }

  @Override
  public Dual yy() {
    return count(YY);
  }

  @Override
  public Dual w() {
    return count(W);
  }

  /** Valued (P + Y − ABS)/2 from the counts, differentiated as &Sigma;w·min(p, y) (see {@link SoftCounts}). */
  @Override
  public Dual softIntersection() {
    used |= SoftCounts.NEED_P | SoftCounts.NEED_Y | SoftCounts.NEED_ABS;
    double[] d = new double[DERIVATIVES];
    d[MIN] = 1;
    return new Dual(0.5 * (c[P] + c[Y] - c[ABS]), d);
  }

  @Override
  public Dual constant(double v) {
    return new Dual(v, null);
  }

  /** a·da + b·db (null when both are constants). */
  private static double[] lin(double a, double[] da, double b, double[] db) {
    if (da == null && db == null) return null;
    double[] out = new double[DERIVATIVES];
    for (int j = 0; j < DERIVATIVES; j++) out[j] = (da == null ? 0 : a * da[j]) + (db == null ? 0 : b * db[j]);
    return out;
  }

  @Override
  public Dual add(Dual a, Dual b) {
    return new Dual(a.v + b.v, lin(1, a.d, 1, b.d));
  }

  @Override
  public Dual sub(Dual a, Dual b) {
    return new Dual(a.v - b.v, lin(1, a.d, -1, b.d));
  }

  @Override
  public Dual mul(Dual a, Dual b) {
    return new Dual(a.v * b.v, lin(b.v, a.d, a.v, b.d));
  }

  @Override
  public Dual div(Dual a, Dual b) {
    double q = a.v / b.v;
    return new Dual(q, lin(1 / b.v, a.d, -q / b.v, b.d));
  }

  @Override
  public Dual neg(Dual a) {
    return new Dual(-a.v, lin(-1, a.d, 0, null));
  }

  @Override
  public Dual log(Dual a) {
    return new Dual(Math.log(a.v), lin(1 / a.v, a.d, 0, null));
  }

  @Override
  public Dual sqrt(Dual a) {
    double s = Math.sqrt(a.v);
    return new Dual(s, lin(0.5 / s, a.d, 0, null));
  }

  @Override
  public Dual logCosh(Dual a) {
    return new Dual(Functions.logCosh(a.v), lin(Math.tanh(a.v), a.d, 0, null));
  }

  @Override
  public Dual powPositivePart(Dual a, double e) {
    if (!(a.v > 0)) return new Dual(0.0, null);
    return new Dual(Math.pow(a.v, e), lin(e * Math.pow(a.v, e - 1), a.d, 0, null));
  }

  @Override
  public Dual where(Dual test, Dual ifPositive, Dual otherwise) {
    return test.v > 0 ? ifPositive : otherwise;
  }

  @Override
  public Dual add(Dual a, double k) {
    return new Dual(a.v + k, a.d);
  }

  @Override
  public Dual mul(double k, Dual a) {
    return new Dual(k * a.v, lin(k, a.d, 0, null));
  }

  @Override
  public Dual sub(double k, Dual a) {
    return new Dual(k - a.v, lin(-1, a.d, 0, null));
  }

  @Override
  public Dual div(double k, Dual a) {
    double q = k / a.v;
    return new Dual(q, lin(-q / a.v, a.d, 0, null));
  }
}
