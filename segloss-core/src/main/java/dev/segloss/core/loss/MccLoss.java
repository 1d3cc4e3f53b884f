package dev.segloss.core.loss;

import java.util.List;

/**
 * Matthews correlation coefficient loss (Abhishek &amp; Hamarneh 2021, "Matthews correlation coefficient
 * loss for deep convolutional networks: application to skin lesion segmentation"), per image n:
 *
 * <pre>
 *   TP = &Sigma;p·y + s,  FP = &Sigma;p·(1 − y) + s,  FN = &Sigma;(1 − p)·y + s,  TN = &Sigma;(1 − p)·(1 − y) + s
 *   MCC = (TP·TN − FP·FN) / √((TP + FP)(TP + FN)(TN + FP)(TN + FN))
 *   L_n = 1 − MCC
 * </pre>
 *
 * with s = {@code smooth}, then reduced over the images. A zero denominator (possible only with
 * {@code smooth=0}, e.g. an image without foreground) gives MCC = 0, i.e. loss 1, with a zero gradient.
 * {@code batch=true} pools the counts over the whole batch. Per-pixel weights enter every count.
 *
 * <ul>
 *   <li>Default {@code smooth = 1e-7} (the seed's smoothing; the paper adds none).
 *   <li>Unlike Dice, MCC also rewards true negatives, so it stays informative on images where the
 *       foreground is small.
 * </ul>
 *
 * Range: [0, 2]. A perfect prediction on hard labels gives 0 up to the smoothing (about s/min(&Sigma;y,
 * &Sigma;(1 − y))) when the image (or the pooled batch) holds both classes. With one class absent the MCC is
 * undefined: with s &gt; 0 a perfect prediction then scores MCC ≈ 1/2 (loss ≈ 1/2), with s = 0 the
 * denominator is 0 (loss 1) — use {@code batch=true} or combine with another loss when many images have
 * no foreground. Input: y_true in [0,1], y_pred
 * probabilities or logits, shape [N, ...].
 */
public final class MccLoss extends RegionLoss<MccLoss.Params> {
  static final Param SMOOTH = Param.number("smooth", 1e-7, 0, Double.POSITIVE_INFINITY, "added to each of TP, FP, FN, TN");
  static final Param BATCH = Param.bool("batch", false, "pool the counts over the whole batch");

  /** The parameters of {@code mcc}. */
  public record Params(double smooth, boolean batch) implements RegionLoss.Batched {
    static Params of(LossParams v) {
      return new Params(v.number(SMOOTH), v.bool(BATCH));
    }
  }

  public static final LossType TYPE = new LossType("mcc", "1 - soft Matthews correlation coefficient (Abhishek & Hamarneh 2021)",
      List.of(SMOOTH, BATCH), MccLoss::new);


  private MccLoss(LossParams v) {
    super(v, Params.of(v));
  }

  public static Builder builder() {
    return new Builder();
  }

  public static MccLoss create() {
    return builder().build();
  }



  /**
   * 1 − MCC of each group's counts; 1 (with a zero derivative) where the denominator is 0. TN is
   * (&Sigma;w − &Sigma;w·y) − FP, so that it is exactly 0 on an image without background (W − W − P + P could
   * leave a rounding residue there).
   */
  @Override
  public <V> V formula(RegionOps<V> o) {
    Params p = params();
    double s = p.smooth();
    V tp = o.add(o.py(), s);
    V fp = o.add(o.falsePositives(), s);
    V fn = o.add(o.falseNegatives(), s);
    V tn = o.add(o.trueNegatives(), s);
    V prod = o.mul(o.mul(o.mul(o.add(tp, fp), o.add(tp, fn)), o.add(tn, fp)), o.add(tn, fn));
    V one = o.constant(1);
    V safe = o.where(prod, prod, one); // the square root never sees 0: no infinite derivative in the unused branch
    V mcc = o.div(o.sub(o.mul(tp, tn), o.mul(fp, fn)), o.sqrt(safe));
    return o.where(prod, o.sub(1, mcc), one);
  }

  /** Builds an {@link MccLoss}; parameters as in the spec language, camelCase. */
  public static final class Builder extends LossBuilder<Builder, MccLoss> {
    Builder() {
      super(TYPE);
    }

    public Builder smooth(double v) {
      return set(SMOOTH, v);
    }

    public Builder batch(boolean v) {
      return set(BATCH, v);
    }
  }
}
