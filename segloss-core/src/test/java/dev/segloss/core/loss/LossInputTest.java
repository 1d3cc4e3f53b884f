package dev.segloss.core.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.segloss.core.InvalidInputException;
import dev.segloss.core.Tensor;
import dev.segloss.core.spec.LossSpec;
import org.junit.jupiter.api.Test;

/** Bad input: each a one-line {@link InvalidInputException} naming the argument and what was expected. */
class LossInputTest {
  static Tensor t(float[] v, int... shape) {
    return Tensor.of(v, shape);
  }

  static String error(LossInput.Builder b) {
    String m = assertThrows(InvalidInputException.class, b::build).getMessage();
    assertFalse(m.contains("\n"), "one line: " + m);
    return m;
  }

  static final float[] Y = {1, 0, 0, 1, 0, 0, 1, 1};
  static final float[] P = {0.9f, 0.1f, 0.2f, 0.8f, 0.3f, 0.4f, 0.6f, 0.7f};

  @Test
  void shapeMismatchNamesBothShapes() {
    assertEquals("y_pred: shape [2, 2, 2] does not match y_true shape [2, 4]",
        error(LossInput.builder(t(Y, 2, 4), t(P, 2, 2, 2))));
    assertEquals("pred.npy: shape [4, 2] does not match mask.npy shape [2, 4]",
        error(LossInput.builder(t(Y, 2, 4), t(P, 4, 2)).names("mask.npy", "pred.npy", "w.npy")));
    assertEquals("weights: shape [3] is neither the shape of y_true [2, 4] nor [2] (one weight per image)",
        error(LossInput.builder(t(Y, 2, 4), t(P, 2, 4)).weights(t(new float[3], 3))));
    assertEquals("y_true: expected shape [N, d1, ...] with a batch axis and at least one image axis, got [8]",
        error(LossInput.builder(t(Y, 8), t(P, 8))));
  }

  @Test
  void nonFiniteValuesInPredictionsOrWeights() {
    float[] p = P.clone();
    p[3] = Float.NaN;
    assertEquals("y_pred: NaN at flat index 3; predictions must be finite", error(LossInput.builder(t(Y, 2, 4), t(p, 2, 4))));
    p[3] = Float.POSITIVE_INFINITY;
    assertEquals("y_pred: Infinity at flat index 3; predictions must be finite",
        error(LossInput.builder(t(Y, 2, 4), t(p, 2, 4)).fromLogits(true)));
    assertEquals("weights: NaN at flat index 1; weights must be finite and >= 0",
        error(LossInput.builder(t(Y, 2, 4), t(P, 2, 4)).weights(t(new float[] {1, Float.NaN}, 2))));
    float[] w = new float[8];
    w[5] = Float.NEGATIVE_INFINITY;
    assertEquals("weights: -Infinity at flat index 5; weights must be finite and >= 0",
        error(LossInput.builder(t(Y, 2, 4), t(P, 2, 4)).weights(t(w, 2, 4))));
  }

  @Test
  void probabilitiesOutsideZeroOneSuggestLogits() {
    float[] p = P.clone();
    p[2] = 1.5f;
    assertEquals("y_pred: 1.5 at flat index 2 is not a probability in [0,1]; if these are logits, say so (--logits / fromLogits(true))",
        error(LossInput.builder(t(Y, 2, 4), t(p, 2, 4))));
    p[2] = -0.25f;
    assertEquals("y_pred: -0.25 at flat index 2 is not a probability in [0,1]; if these are logits, say so (--logits / fromLogits(true))",
        error(LossInput.builder(t(Y, 2, 4), t(p, 2, 4))));
    // the same values are fine as logits
    LossInput.builder(t(Y, 2, 4), t(p, 2, 4)).fromLogits(true).build();
  }

  @Test
  void labelsOutsideZeroOneUnlessIgnored() {
    float[] y = Y.clone();
    y[1] = 2;
    assertEquals("y_true: 2.0 at flat index 1 is not a label in [0,1] (use --ignore-value for a void label)",
        error(LossInput.builder(t(y, 2, 4), t(P, 2, 4))));
    y[1] = 255;
    LossInput ok = LossInput.builder(t(y, 2, 4), t(P, 2, 4)).ignoreValue(255).build();
    assertFalse(ok.counted(1));
    y[4] = 2;
    assertEquals("y_true: 2.0 at flat index 4 is not a label in [0,1] nor the ignore value 255.0",
        error(LossInput.builder(t(y, 2, 4), t(P, 2, 4)).ignoreValue(255)));
    y[4] = Float.NaN;
    assertEquals("y_true: NaN at flat index 4 is not a label in [0,1] nor the ignore value 255.0",
        error(LossInput.builder(t(y, 2, 4), t(P, 2, 4)).ignoreValue(255)));
  }

  @Test
  void negativeWeights() {
    assertEquals("weights: -0.5 at flat index 0; weights must be finite and >= 0",
        error(LossInput.builder(t(Y, 2, 4), t(P, 2, 4)).weights(t(new float[] {-0.5f, 1}, 2))));
    float[] w = {1, 1, 1, 1, 1, 1, 1, -2};
    assertEquals("w.npy: -2.0 at flat index 7; weights must be finite and >= 0",
        error(LossInput.builder(t(Y, 2, 4), t(P, 2, 4)).weights(t(w, 2, 4)).names("y.npy", "p.npy", "w.npy")));
  }

  @Test
  void emptyArrays() {
    assertEquals("y_true: the array is empty [0, 4]", error(LossInput.builder(t(new float[0], 0, 4), t(new float[0], 0, 4))));
    assertEquals("y_true: the array is empty [3, 0, 2]", error(LossInput.builder(t(new float[0], 3, 0, 2), t(new float[0], 3, 0, 2))));
  }

  @Test
  void lovaszRejectsPixelWeightsAndPooledImageWeights() {
    LossInput pixel = LossInput.builder(t(Y, 2, 4), t(P, 2, 4)).weights(t(new float[8], 2, 4)).build();
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> LovaszHingeLoss.create().value(pixel));
    assertEquals("weights: lovasz takes no per-pixel weights (the Lovász hinge ranks the errors, it is not a sum over pixels);"
        + " give one weight per image, shape [2]", e.getMessage());
    LossInput image = LossInput.builder(t(Y, 2, 4), t(P, 2, 4)).weights(t(new float[] {1, 2}, 2)).build();
    e = assertThrows(InvalidInputException.class, () -> LossSpec.parse("lovasz(per_image=false)").value(image));
    assertEquals("weights: lovasz(per_image=false) computes one hinge over the whole batch, so per-image weights have"
        + " nothing to weight; use per_image=true or drop the weights", e.getMessage());
    // per-image weights with per_image=true weight the image values
    double[] each = LossSpec.parse("lovasz(reduction=none)").value(LossInput.of(t(Y, 2, 4), t(P, 2, 4))).values();
    assertEquals(1 * each[0] + 2 * each[1], LossSpec.parse("lovasz(reduction=sum)").value(image).value(), 1e-12);
  }
}
