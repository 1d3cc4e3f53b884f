package dev.segloss.djl;

import ai.djl.ndarray.NDArray;
import dev.segloss.core.loss.AbstractSegLoss;
import dev.segloss.core.loss.SoftCounts;

/**
 * {@code tversky(alpha=0.5, beta=0.5, gamma=1, smooth_nr=1e-7, smooth_dr=1e-7, batch=false, soft=false)}
 * in DJL, the core's {@code TverskyLoss} (Salehi et al. 2017; focal exponent of Abraham &amp; Khan 2019),
 * per image (or pooled batch):
 *
 * <pre>
 *   TP = &Sigma;p·y (soft=true: &Sigma;min(p, y)),  FP = &Sigma;p − TP,  FN = &Sigma;y − TP
 *   TI = (TP + smooth_nr) / (TP + α·FP + β·FN + smooth_dr)
 *   L  = (1 − TI)^γ
 * </pre>
 *
 * <b>α weights false positives, β false negatives.</b> For γ &ne; 1 the base is clamped at 0 (when
 * smooth_nr &gt; smooth_dr lets TI exceed 1) and the gradient at base 0 is 0, as in the core.
 */
public final class DjlTverskyLoss extends DjlRegionLoss {
  private final double alpha;
  private final double beta;
  private final double gamma;
  private final double smoothNr;
  private final double smoothDr;
  private final boolean batch;
  private final boolean soft;

  DjlTverskyLoss(AbstractSegLoss core, DjlLossOptions options) {
    super(core, options);
    alpha = params().number("alpha");
    beta = params().number("beta");
    gamma = params().number("gamma");
    smoothNr = params().number("smooth_nr");
    smoothDr = params().number("smooth_dr");
    batch = params().bool("batch");
    soft = params().bool("soft");
  }

  @Override
  int neededCounts() {
    return soft ? SoftCounts.NEED_P | SoftCounts.NEED_Y | Counts.NEED_MIN : SoftCounts.BASIC;
  }

  @Override
  boolean pooled() {
    return batch;
  }

  @Override
  NDArray regionValues(Counts c) {
    NDArray tp = soft ? c.min : c.py;
    // TP + α(P − TP) + β(Y − TP)
    NDArray den = tp.mul(1 - alpha - beta).add(c.p.mul(alpha)).add(c.y.mul(beta)).add(smoothDr);
    NDArray ti = tp.add(smoothNr).div(den);
    NDArray base = ti.neg().add(1);
    return gamma == 1 ? base : Ops.safePow(ai.djl.nn.Activation.relu(base), gamma);
  }
}
