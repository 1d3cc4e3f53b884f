package dev.segloss.tensorflow;

import dev.segloss.core.loss.CombinedLoss;
import org.tensorflow.Operand;
import org.tensorflow.types.family.TNumber;

/**
 * The seed's third loss in TensorFlow Java, the core's {@code combined}:
 *
 * <pre>
 *   L = (1 − dice_weight)·bce(w_pos, w_neg) + dice_weight·dice()
 * </pre>
 *
 * with the seed's defaults for both terms (clip eps 1e-7, Dice smooth 1e-7, Dice per image then the
 * mean). Defaults as the core: {@code dice_weight=0.5, w_pos=1, w_neg=1}; the seed's example uses
 * {@code dice_weight=0.7}. The two terms are taken from the core's own decomposition
 * ({@link CombinedLoss#asWeightedSum()}) and share the reduction and the probabilities.
 */
public final class TfCombinedLoss extends TfSingleLoss {
  private final TfSegLoss sum;

  TfCombinedLoss(CombinedLoss core, Config c) {
    super(core, c);
    this.sum = TfLosses.of(core.asWeightedSum(), c.name(null));
  }

  @Override
  <T extends TNumber> Operand<T> value(Batch<T> b) {
    return sum.value(b);
  }
}
