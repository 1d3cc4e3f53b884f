package dev.segloss.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.loss.Loss;
import dev.segloss.core.InvalidInputException;
import dev.segloss.core.Tensor;
import dev.segloss.core.loss.LossInput;
import dev.segloss.core.loss.LossSpecException;
import dev.segloss.core.spec.LossSpec;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** How the DJL losses read their inputs: shapes, weights, dtypes, ignore value, checks, errors. */
class DjlLossInputsTest {
  static NDManager manager;
  static final SplittableRandom R = new SplittableRandom(7);

  @BeforeAll
  static void open() {
    manager = NDManager.newBaseManager();
  }

  @AfterAll
  static void close() {
    manager.close();
  }

  static float[] random(int n, boolean binary) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) v[i] = binary ? (R.nextDouble() < 0.4 ? 1f : 0f) : (float) R.nextDouble();
    return v;
  }

  static float value(Loss loss, NDList labels, NDArray pred) {
    return loss.evaluate(labels, new NDList(pred)).getFloat();
  }

  @Test
  void labelsWithoutTheChannelAxisGoWithNchwPredictions() {
    float[] y = random(2 * 4 * 5, true);
    float[] p = random(2 * 4 * 5, false);
    Loss loss = DjlLosses.fromSpec("combined(dice_weight=0.7)", false);
    float same = value(loss, new NDList(manager.create(y, new Shape(2, 1, 4, 5))), manager.create(p, new Shape(2, 1, 4, 5)));
    float squeezed = value(loss, new NDList(manager.create(y, new Shape(2, 4, 5))), manager.create(p, new Shape(2, 1, 4, 5)));
    assertEquals(same, squeezed, 0f);
    double core = LossSpec.parse("combined(dice_weight=0.7)").value(LossInput.of(Tensor.of(y, 2, 1, 4, 5), Tensor.of(p, 2, 1, 4, 5))).value();
    assertEquals(core, same, 1e-6 * core);
  }

  @Test
  void integerMasksAreAccepted() {
    float[] y = random(3 * 16, true);
    byte[] yb = new byte[y.length];
    for (int i = 0; i < y.length; i++) yb[i] = (byte) y[i];
    float[] p = random(3 * 16, false);
    Loss loss = DjlLosses.fromSpec("dice", false);
    NDArray pred = manager.create(p, new Shape(3, 1, 4, 4));
    assertEquals(value(loss, new NDList(manager.create(y, new Shape(3, 1, 4, 4))), pred),
        value(loss, new NDList(manager.create(yb, new Shape(3, 1, 4, 4)).toType(DataType.UINT8, false)), pred), 0f);
  }

  @Test
  void shapeMismatchNamesBothShapes() {
    Loss loss = DjlLosses.fromSpec("bce", false);
    InvalidInputException e = assertThrows(InvalidInputException.class, () ->
        loss.evaluate(new NDList(manager.zeros(new Shape(2, 1, 4, 5))), new NDList(manager.zeros(new Shape(2, 1, 5, 4)))));
    assertEquals("y_true: shape [2, 1, 4, 5] does not match y_pred shape [2, 1, 5, 4]", e.getMessage());
    e = assertThrows(InvalidInputException.class, () ->
        loss.evaluate(new NDList(manager.zeros(new Shape(2, 4)), manager.ones(new Shape(3))), new NDList(manager.zeros(new Shape(2, 4)))));
    assertEquals("weights: shape [3] is neither the shape of y_true [2, 4] nor [2] (one weight per image)", e.getMessage());
    e = assertThrows(InvalidInputException.class, () -> loss.evaluate(new NDList(manager.zeros(new Shape(4))), new NDList(manager.zeros(new Shape(4)))));
    assertTrue(e.getMessage().startsWith("y_pred: expected shape [N, d1, ...]"), e.getMessage());
    e = assertThrows(InvalidInputException.class, () -> loss.evaluate(new NDList(), new NDList(manager.zeros(new Shape(2, 4)))));
    assertTrue(e.getMessage().startsWith("labels: expected NDList(y_true) or NDList(y_true, weights)"), e.getMessage());
  }

  @Test
  void inputChecksUseTheCoreMessagesByDefault() {
    NDList labels = new NDList(manager.create(new float[] {0, 1, 1, 0}, new Shape(2, 2)));
    NDList logits = new NDList(manager.create(new float[] {-2, 3, 0.5f, 1.5f}, new Shape(2, 2)));
    // checked by default (checkInputs: the same name and default on every engine)
    assertTrue(DjlLossOptions.probabilities().checkInputs() && DjlLossOptions.logits().checkInputs());
    assertThrows(InvalidInputException.class, () -> DjlLosses.fromSpec("bce", false).evaluate(labels, logits));
    // unchecked on request: no error, a meaningless value
    DjlLosses.fromSpec("bce", DjlLossOptions.probabilities().withInputChecks(false)).evaluate(labels, logits);
    Loss checked = DjlLosses.fromSpec("bce", DjlLossOptions.probabilities());
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> checked.evaluate(labels, logits));
    assertTrue(e.getMessage().contains("is not a probability in [0,1]; if these are logits, say so"), e.getMessage());
    NDList badLabels = new NDList(manager.create(new float[] {0, 2, 1, 0}, new Shape(2, 2)));
    e = assertThrows(InvalidInputException.class, () -> checked.evaluate(badLabels, new NDList(manager.zeros(new Shape(2, 2)))));
    assertTrue(e.getMessage().startsWith("y_true: 2.0 at flat index 1 is not a label in [0,1]"), e.getMessage());
    NDList negativeWeights = new NDList(labels.get(0), manager.create(new float[] {1, -1}, new Shape(2)));
    e = assertThrows(InvalidInputException.class, () -> checked.evaluate(negativeWeights, new NDList(manager.zeros(new Shape(2, 2)))));
    assertTrue(e.getMessage().startsWith("weights: -1.0 at flat index 1"), e.getMessage());
    // logits: only non-finite values are wrong; the ignore value is a valid label
    Loss onLogits = DjlLosses.fromSpec("bce", DjlLossOptions.logits().withIgnoreValue(255));
    NDList nanLogit = new NDList(manager.create(new float[] {-2, Float.NaN, 0.5f, 1.5f}, new Shape(2, 2)));
    e = assertThrows(InvalidInputException.class, () -> onLogits.evaluate(labels, nanLogit));
    assertTrue(e.getMessage().startsWith("y_pred: NaN at flat index 1"), e.getMessage());
    NDList ignored = new NDList(manager.create(new float[] {0, 255, 1, 0}, new Shape(2, 2)));
    assertTrue(Float.isFinite(onLogits.evaluate(ignored, logits).getFloat()));
  }

  @Test
  void unknownLossesAndParametersFailWithTheCoreMessages() {
    LossSpecException e = assertThrows(LossSpecException.class, () -> DjlLosses.fromSpec("dice(smoth_nr=1)", false));
    assertTrue(e.getMessage().startsWith("unknown parameter 'smoth_nr' for dice at column 6"), e.getMessage());
    e = assertThrows(LossSpecException.class, () -> DjlLosses.fromSpec("dise", false));
    assertTrue(e.getMessage().contains("did you mean 'dice'"), e.getMessage());
  }

  @Test
  void ignoredPixelsContributeNothingAndGetNoGradient() {
    float[] y = random(2 * 12, true);
    float[] p = random(2 * 12, false);
    float[] yIgnored = y.clone();
    float[] pChanged = p.clone();
    for (int i = 0; i < y.length; i += 5) {
      yIgnored[i] = 255;
      pChanged[i] = 1 - p[i];
    }
    for (String spec : new String[] {"bce", "dice", "combined"}) {
      Loss loss = DjlLosses.fromSpec(spec, DjlLossOptions.probabilities().withIgnoreValue(255));
      NDList labels = new NDList(manager.create(yIgnored, new Shape(2, 12)));
      NDArray x = manager.create(p, new Shape(2, 12));
      x.setRequiresGradient(true);
      float v;
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDArray out = loss.evaluate(labels, new NDList(x));
        v = out.getFloat();
        gc.backward(out);
      }
      float[] g = x.getGradient().toFloatArray();
      for (int i = 0; i < y.length; i += 5) assertEquals(0f, g[i], spec + " gradient at an ignored pixel");
      assertEquals(v, value(loss, labels, manager.create(pChanged, new Shape(2, 12))), 1e-6f, spec + ": ignored predictions matter");
    }
  }

  @Test
  void perImageWeightsWeightTheImages() {
    float[] y = random(3 * 10, true);
    float[] p = random(3 * 10, false);
    float[] w = {0.5f, 2f, 0f};
    NDArray pred = manager.create(p, new Shape(3, 10));
    NDList labels = new NDList(manager.create(y, new Shape(3, 10)), manager.create(w, new Shape(3)));
    float[] perImage = DjlLosses.fromSpec("dice(reduction=none)", false)
        .evaluate(new NDList(manager.create(y, new Shape(3, 10))), new NDList(pred)).toFloatArray();
    double weighted = 0;
    for (int i = 0; i < 3; i++) weighted += w[i] * perImage[i];
    assertEquals(weighted / 3, value(DjlLosses.fromSpec("dice", false), labels, pred), 1e-6);
    assertEquals(weighted / 2.5, value(DjlLosses.fromSpec("dice(reduction=weighted_mean)", false), labels, pred), 1e-6);
    assertEquals(weighted, value(DjlLosses.fromSpec("dice(reduction=sum)", false), labels, pred), 1e-6);
    float[] none = DjlLosses.fromSpec("dice(reduction=none)", false).evaluate(labels, new NDList(pred)).toFloatArray();
    for (int i = 0; i < 3; i++) assertEquals(w[i] * perImage[i], none[i], 1e-6);
  }

  @Test
  void reductionNoneGivesOneValuePerImageAndTheGradientOfTheirSum() {
    float[] y = random(4 * 9, true);
    float[] p = random(4 * 9, false);
    LossInput in = LossInput.of(Tensor.of(y, 4, 9), Tensor.of(p, 4, 9));
    for (String spec : new String[] {"bce(reduction=none)", "dice(reduction=none)", "combined(reduction=none)"}) {
      var r = DjlLossEngine.compute(spec, in, true);
      assertEquals(4, r.values().length, spec);
      var sum = DjlLossEngine.compute(spec.replace("none", "sum"), in, true);
      if (spec.startsWith("dice")) { // for pixel losses sum is the sum over pixels, not over images
        assertEquals(sum.value(), r.total(), 1e-6, spec);
        assertArrayEquals(sum.gradient(), r.gradient(), 1e-6f, spec);
      }
    }
  }

  @Test
  void nameIsTheCanonicalSpec() {
    assertEquals("bce(w_neg=0.2)", DjlLosses.fromSpec("bce(w_pos=1, w_neg=0.2)", true).getName());
    String spec = "0.3*bce(w_neg=0.11)+0.7*dice(smooth_nr=0.00001)";
    assertEquals(LossSpec.parse(spec).toSpec(), DjlLosses.fromSpec(spec, true).getName());
    assertTrue(DjlLosses.fromSpec(spec, true).getName().startsWith("0.3*bce(w_neg=0.11) + 0.7*dice(smooth_nr="));
    Loss combined = DjlLosses.fromSpec("combined(dice_weight=0.7)", true);
    assertEquals("combined(dice_weight=0.7)", combined.getName());
    assertEquals(2, DjlLosses.termEvaluators(combined).size());
    assertEquals("loss_bce", DjlLosses.termEvaluators(combined).get(0).getName());
    assertEquals("loss_dice", DjlLosses.termEvaluators(combined).get(1).getName());
    List<String> twice = DjlLosses.termEvaluators(DjlLosses.fromSpec("0.5*dice + 0.5*dice", true)).stream().map(e -> e.getName()).toList();
    assertEquals(List.of("loss_dice", "loss_dice#2"), twice);
    assertEquals(0, DjlLosses.termEvaluators(DjlLosses.fromSpec("dice", true)).size());
  }
}
