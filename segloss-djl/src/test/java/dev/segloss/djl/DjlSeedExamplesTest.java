package dev.segloss.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.loss.Loss;
import ai.djl.training.loss.SigmoidBinaryCrossEntropyLoss;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * The seed's three examples through DJL (shape (2,2,1,1), tolerance 1e-6), on probabilities and on the
 * equivalent logits, and why this module exists: DJL's own BCE on probabilities has the wrong sign.
 */
class DjlSeedExamplesTest {
  static final float[] Y = {1, 0, 0, 1};
  static final float[] P = {0.9f, 0.1f, 0.2f, 0.8f};
  static NDManager manager;

  @BeforeAll
  static void open() {
    manager = NDManager.newBaseManager();
  }

  @AfterAll
  static void close() {
    manager.close();
  }

  static NDArray array(float[] v) {
    return manager.create(v, new Shape(2, 2, 1, 1));
  }

  static float[] logits(float[] p) {
    float[] z = new float[p.length];
    for (int i = 0; i < p.length; i++) z[i] = (float) Math.log(p[i] / (1.0 - p[i]));
    return z;
  }

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource(delimiter = ';', value = {
    "bce(w_pos=1, w_neg=0.2); 0.0985512",
    "dice; 0.1500000",
    "combined(dice_weight=0.7, w_pos=1, w_neg=0.2); 0.1345654",
    "0.3*bce(w_neg=0.2) + 0.7*dice; 0.1345654",
  })
  void seedExamples(String spec, double expected) {
    Loss onProbs = DjlLosses.fromSpec(spec, false);
    assertEquals(expected, onProbs.evaluate(new NDList(array(Y)), new NDList(array(P))).getFloat(), 1e-6, spec);
    Loss onLogits = DjlLosses.fromSpec(spec, true);
    assertEquals(expected, onLogits.evaluate(new NDList(array(Y)), new NDList(array(logits(P)))).getFloat(), 1e-6,
        spec + " on logits");
  }

  /**
   * DJL's {@code SigmoidBinaryCrossEntropyLoss(fromSigmoid=true)} computes mean(y·log p + (1−y)·log(1−p)),
   * without the minus sign: on the seed's example it returns −0.164252 instead of the BCE 0.164252, so
   * minimising it would push predictions away from the labels. Ours gives the BCE and its gradient
   * −y/p + (1−y)/(1−p) divided by the 4 pixels.
   */
  @Test
  void djlBuiltInBceOnProbabilitiesHasTheWrongSign() {
    double bce = 0;
    for (int i = 0; i < 4; i++) bce += -(Y[i] * Math.log(P[i]) + (1 - Y[i]) * Math.log(1 - P[i])) / 4;
    assertEquals(0.164252, bce, 1e-6);

    Loss djl = new SigmoidBinaryCrossEntropyLoss("djl", 1f, true);
    float theirs = djl.evaluate(new NDList(array(Y)), new NDList(array(P))).getFloat();
    assertEquals(-bce, theirs, 1e-6, "DJL returns the negative BCE on probabilities");

    NDArray x = array(P);
    x.setRequiresGradient(true);
    float ours;
    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      NDArray v = DjlLosses.fromSpec("bce", false).evaluate(new NDList(array(Y)), new NDList(x));
      ours = v.getFloat();
      gc.backward(v);
    }
    assertEquals(bce, ours, 1e-6);
    float[] expectedGrad = new float[4];
    for (int i = 0; i < 4; i++) expectedGrad[i] = (float) ((-Y[i] / P[i] + (1 - Y[i]) / (1 - P[i])) / 4);
    assertArrayEquals(expectedGrad, x.getGradient().toFloatArray(), 1e-6f);

    // on logits DJL's built-in is right, and agrees with ours
    Loss builtInLogits = new SigmoidBinaryCrossEntropyLoss("djl", 1f, false);
    NDArray z = array(logits(P));
    assertEquals(bce, builtInLogits.evaluate(new NDList(array(Y)), new NDList(z)).getFloat(), 1e-6);
    assertEquals(bce, DjlLosses.fromSpec("bce", true).evaluate(new NDList(array(Y)), new NDList(z)).getFloat(), 1e-6);
  }
}
