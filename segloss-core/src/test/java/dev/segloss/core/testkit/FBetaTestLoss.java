package dev.segloss.core.testkit;

import dev.segloss.core.loss.LossParams;
import dev.segloss.core.loss.LossType;
import dev.segloss.core.loss.Param;
import dev.segloss.core.loss.RegionLoss;
import dev.segloss.core.loss.RegionOps;
import java.util.List;

/**
 * A loss that exists only in the tests, to prove that a region loss is written once: the soft F<sub>β</sub>
 * loss (van Rijsbergen's F-measure; β = 1 is Dice on hard labels), defined here by its formula over soft
 * counts and nothing else. It is not registered with the spec language; the core, DJL and TensorFlow all
 * compute it from this one definition and must agree with each other and with a naive reference on every
 * scenario of the conformance table.
 *
 * <pre>
 *   TP = &Sigma;w·p·y (soft: &Sigma;w·min(p, y)),  FP = &Sigma;w·p(1 − y),  FN = &Sigma;w·(1 − p)y   (soft: &Sigma;w·p − TP, &Sigma;w·y − TP)
 *   score = ((1 + β²)·TP + s) / ((1 + β²)·TP + β²·FN + FP + s)
 *   L = 1 − score   (log: −log(score))
 * </pre>
 */
public final class FBetaTestLoss extends RegionLoss<FBetaTestLoss.Params> {
  static final Param BETA = Param.number("beta", 1, 0, Double.POSITIVE_INFINITY, "weight of recall over precision");
  static final Param SMOOTH = Param.number("smooth", 1e-7, 0, Double.POSITIVE_INFINITY, "added to numerator and denominator");
  static final Param SOFT = Param.bool("soft", false, "TP = sum min(p, y)");
  static final Param LOG = Param.bool("log", false, "-log(score) instead of 1 - score");
  static final Param BATCH = Param.bool("batch", false, "pool the counts over the batch");

  /** The parameters. */
  public record Params(double beta, double smooth, boolean soft, boolean log, boolean batch) implements RegionLoss.Batched {}

  /** Its family; not registered with {@code Losses}, so no spec names it. */
  public static final LossType TYPE = new LossType("fbeta_test", "soft F-beta loss (test only)",
      List.of(BETA, SMOOTH, SOFT, LOG, BATCH), FBetaTestLoss::new);

  private FBetaTestLoss(LossParams v) {
    super(v, new Params(v.number(BETA), v.number(SMOOTH), v.bool(SOFT), v.bool(LOG), v.bool(BATCH)));
  }

  /** The loss with these parameters (reduction mean). */
  public static FBetaTestLoss of(double beta, double smooth, boolean soft, boolean log, boolean batch) {
    LossParams v = TYPE.defaults().with(BETA.name(), beta).with(SMOOTH.name(), smooth).with(SOFT.name(), soft)
        .with(LOG.name(), log).with(BATCH.name(), batch);
    return (FBetaTestLoss) TYPE.create(v);
  }

  @Override
  public <V> V formula(RegionOps<V> o) {
    Params p = params();
    V tp = p.soft() ? o.softIntersection() : o.py();
    V fp = p.soft() ? o.sub(o.p(), tp) : o.falsePositives();
    V fn = p.soft() ? o.sub(o.y(), tp) : o.falseNegatives();
    double b2 = p.beta() * p.beta();
    V weighted = o.mul(1 + b2, tp);
    V score = o.div(o.add(weighted, p.smooth()), o.add(o.add(o.add(weighted, o.mul(b2, fn)), fp), p.smooth()));
    return p.log() ? o.neg(o.log(score)) : o.sub(1, score);
  }

  /**
   * The reference: the score of pixels [from, to) from plain double loops; with {@code weighImages} each
   * pixel also carries its image's weight (the pooled counts of {@code batch=true}).
   */
  public static double reference(Params q, TestInput in, int from, int to, boolean weighImages) {
    double tp = 0, ps = 0, ys = 0, fpDirect = 0, fnDirect = 0;
    for (int i = from; i < to; i++) {
      if (!in.counted(i)) continue;
      double w = in.w(i) * (weighImages ? in.iw(i / in.imageSize()) : 1);
      double pi = in.p(i);
      double yi = in.y[i];
      tp += w * (q.soft() ? Math.min(pi, yi) : pi * yi);
      ps += w * pi;
      ys += w * yi;
      fpDirect += w * pi * (1 - yi);
      fnDirect += w * (1 - pi) * yi;
    }
    double fp = q.soft() ? ps - tp : fpDirect;
    double fn = q.soft() ? ys - tp : fnDirect;
    double b2 = q.beta() * q.beta();
    double score = ((1 + b2) * tp + q.smooth()) / ((1 + b2) * tp + b2 * fn + fp + q.smooth());
    return q.log() ? -Math.log(score) : 1 - score;
  }
}
