package dev.segloss.tensorflow;

import dev.segloss.core.loss.TopKLoss;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.nn.TopK;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TNumber;

/**
 * Top-k cross-entropy in TensorFlow Java, the core's {@code topk} (nnU-Net's {@code TopKLoss}): per image,
 * the weighted BCE v_i = w_i·bce_i (w_pos, w_neg; clip eps 1e-7, stable on logits) of the k_n =
 * max(1, ⌊n·k/100⌋) hardest counted pixels (ties to the lower index), reduced like a pixel loss over the
 * selected pixels: {@code mean} = &Sigma;_S v / &Sigma;k_n, {@code weighted_mean} = &Sigma;_S v / &Sigma;_S w,
 * {@code sum} = &Sigma;_S v, {@code none} = per image &Sigma;_{S_n} v / k_n.
 *
 * <p>The selection comes from {@code TopKV2} on a {@code stopGradient} copy of v (TopKV2 has no gradient);
 * v itself is gathered at the selected indices, so autodiff flows through the selected pixels only, as
 * in the core. Without an ignore value k_n is the same for every image and {@code TopKV2} takes exactly
 * k_n per row ({@link TopKLoss#selected} gives it, so the count is the core's); with one, each row is
 * sorted and a rank mask keeps the first k_n. Defaults as the core: {@code k=10, w_pos=1, w_neg=1}.
 */
public final class TfTopKLoss extends TfSingleLoss {
  private final TopKLoss core;
  private final double lo;
  private final double hi;
  private final double k;
  private final double wPos;
  private final double wNeg;

  TfTopKLoss(TopKLoss core, Config c) {
    super(core, c);
    this.core = core;
    TopKLoss.Params p = core.params();
    k = p.k();
    wPos = p.wPos();
    wNeg = p.wNeg();
    lo = p.lo(); // bce's default clip bound
    hi = p.hi();
  }

  @Override
  <T extends TNumber> Operand<T> value(Batch<T> b) {
    Ops tf = b.tf;
    Class<T> type = b.type;
    Operand<T> v = b.weighted(TfBceLoss.shared(b, wPos, wNeg, lo, hi, 0),
        b.allPixelWeights());
    Operand<T> w = b.allPixelWeights();
    Operand<TFloat64> selectedSum;
    Operand<TFloat64> kept;
    Operand<TFloat64> selectedWeight;
    long m = v.shape().numDimensions() == 2 ? v.shape().get(1) : -1;
    if (b.mask == null) {
      Operand<TInt32> kk;
      Operand<TFloat64> k64;
      if (m >= 0) {
        int kn = core.selected((int) m);
        kk = tf.constant(kn);
        k64 = tf.constant((double) kn);
      } else {
        k64 = keptCount(tf, b.pixelsPerImage());
        kk = tf.dtypes.cast(k64, TInt32.class);
      }
      Operand<TInt32> idx = tf.nn.topK(tf.stopGradient(v), kk, new TopK.Options[0]).indices();
      selectedSum = b.rowSum64(TfLovaszLoss.gatherRows(tf, v, idx));
      kept = tf.math.mul(k64, tf.fill(b.batchShape(), tf.constant(1.0)));
      selectedWeight = w == null ? kept : b.rowSum64(TfLovaszLoss.gatherRows(tf, full(b, w), idx));
    } else {
      Operand<T> key = tf.select(tf.math.greater(b.mask, TfOps.constant(tf, 0, type)), tf.stopGradient(v),
          TfOps.constant(tf, -1, type));
      Operand<TInt32> idx = tf.nn.topK(key, TfLovaszLoss.rowLength(tf, v), new TopK.Options[0]).indices();
      kept = keptCount(tf, TfPixelLoss.counted(b)); // [N]
      Operand<TFloat64> rank = tf.dtypes.cast(tf.range(tf.constant(0), TfLovaszLoss.rowLength(tf, v), tf.constant(1)), TFloat64.class);
      Operand<T> take = tf.dtypes.cast(tf.math.less(rank, tf.expandDims(kept, tf.constant(-1))), type); // [N, M]
      selectedSum = b.rowSum64(tf.math.mul(TfLovaszLoss.gatherRows(tf, v, idx), take));
      Operand<T> wf = w == null ? b.mask : full(b, w);
      selectedWeight = b.rowSum64(tf.math.mul(TfLovaszLoss.gatherRows(tf, wf, idx), take));
    }
    return TfReductions.reduce(b, config.reduction, selectedSum, kept, selectedWeight);
  }

  /** k_n = max(1, min(n, ⌊n·k/100⌋)), 0 when n = 0: the core's {@link TopKLoss#selected}, in the graph. */
  private Operand<TFloat64> keptCount(Ops tf, Operand<TFloat64> counted) {
    Operand<TFloat64> kn = tf.math.floor(tf.math.div(tf.math.mul(counted, tf.constant(k)), tf.constant(100.0)));
    kn = tf.math.maximum(tf.constant(1.0), tf.math.minimum(counted, kn));
    return tf.select(tf.math.greater(counted, tf.constant(0.0)), kn, tf.constant(0.0));
  }

  /** Weights broadcast to the full [N, M] shape (to gather them). */
  private static <T extends TNumber> Operand<T> full(Batch<T> b, Operand<T> w) {
    if (w.shape().equals(b.x.shape()) && !w.shape().hasUnknownDimension()) return w;
    return b.tf.broadcastTo(w, b.tf.shape(b.x));
  }
}
