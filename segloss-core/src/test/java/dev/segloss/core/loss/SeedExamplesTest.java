package dev.segloss.core.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.segloss.core.Tensor;
import dev.segloss.core.spec.LossSpec;
import org.junit.jupiter.api.Test;

/** The seed's three worked examples (shape (2,2,1,1)), tolerance 1e-6. */
class SeedExamplesTest {
  static final Tensor Y = Tensor.of(new float[] {1, 0, 0, 1}, 2, 2, 1, 1);
  static final Tensor P = Tensor.of(new float[] {0.9f, 0.1f, 0.2f, 0.8f}, 2, 2, 1, 1);

  @Test
  void weightedBce() {
    SegLoss l = BceLoss.builder().wPos(1).wNeg(0.2).build();
    assertEquals(0.0985512, l.value(LossInput.of(Y, P)).value(), 1e-6);
  }

  @Test
  void dice() {
    assertEquals(0.1500000, DiceLoss.create().value(LossInput.of(Y, P)).value(), 1e-6);
  }

  @Test
  void combined() {
    SegLoss l = CombinedLoss.builder().diceWeight(0.7).wPos(1).wNeg(0.2).build();
    assertEquals(0.1345654, l.value(LossInput.of(Y, P)).value(), 1e-6);
  }

  @Test
  void fromSpecs() {
    LossInput in = LossInput.of(Y, P);
    assertEquals(0.0985512, LossSpec.parse("bce(w_neg=0.2)").value(in).value(), 1e-6);
    assertEquals(0.1345654, LossSpec.parse("combined(dice_weight=0.7, w_neg=0.2)").value(in).value(), 1e-6);
    assertEquals(0.1345654, LossSpec.parse("0.3*bce(w_pos=1, w_neg=0.2) + 0.7*dice").value(in).value(), 1e-6);
  }
}
