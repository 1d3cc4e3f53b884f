package dev.segloss.tensorflow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.segloss.core.loss.BceLoss;
import dev.segloss.core.loss.CombinedLoss;
import dev.segloss.core.loss.DiceLoss;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The seed's three TF2 examples, written as the seed writes them (constants of shape (2,2,1,1) in a
 * graph), through our TF losses: the seed's values within 1e-6.
 */
class TfSeedExamplesTest {
  static final float[][][][] Y = {{{{1f}}, {{0f}}}, {{{0f}}, {{1f}}}};
  static final float[][][][] P = {{{{0.9f}}, {{0.1f}}}, {{{0.2f}}, {{0.8f}}}};

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = ';', value = {
      "bce(w_pos=1, w_neg=0.2); 0.0985512",
      "dice; 0.1500000",
      "combined(dice_weight=0.7, w_pos=1, w_neg=0.2); 0.1345654",
      "0.3*bce(w_pos=1, w_neg=0.2) + 0.7*dice(); 0.1345654",
  })
  void seedExample(String spec, double expected) {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Operand<TFloat32> loss = TfLosses.fromSpec(spec, false).call(tf, tf.constant(Y), tf.constant(P), null);
      try (TFloat32 v = (TFloat32) s.runner().fetch(loss).run().get(0)) {
        assertEquals(0, v.rank());
        assertEquals(expected, v.getFloat(), 1e-6);
      }
    }
  }

  @ParameterizedTest(name = "typed builder {0}")
  @CsvSource({"bce, 0.0985512", "dice, 0.15", "combined, 0.1345654"})
  void seedExampleFromBuilders(String which, double expected) {
    TfSegLoss loss;
    switch (which) {
      case "bce": loss = TfLosses.of(BceLoss.builder().wPos(1).wNeg(0.2).build(), false); break;
      case "dice": loss = TfLosses.of(DiceLoss.create(), false); break;
      default: loss = TfLosses.of(CombinedLoss.builder().diceWeight(0.7).wNeg(0.2).build(), false);
    }
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Operand<TFloat32> l = loss.call(tf, tf.constant(Y), tf.constant(P));
      try (TFloat32 v = (TFloat32) s.runner().fetch(l).run().get(0)) {
        assertEquals(expected, v.getFloat(), 1e-6);
      }
    }
  }
}
