package dev.segloss.tensorflow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segloss.core.InvalidInputException;
import dev.segloss.core.Tensor;
import dev.segloss.core.loss.BceLoss;
import dev.segloss.core.loss.FocalLoss;
import dev.segloss.core.loss.LossInput;
import dev.segloss.core.loss.LossResult;
import dev.segloss.core.loss.LossSpecException;
import dev.segloss.core.loss.TverskyLoss;
import dev.segloss.core.spec.LossSpec;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorflow.EagerSession;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.exceptions.TFInvalidArgumentException;
import org.tensorflow.framework.losses.BinaryCrossentropy;
import org.tensorflow.framework.losses.Reduction;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TUint8;

/** The TF loss API: drop-in use beside the built-ins, conventions, and every bad input. */
class TfLossApiTest {
  static final int[] SHAPE = {2, 4, 4, 1};
  static final float[] Y = random(1, 32, true);
  static final float[] P = random(2, 32, false);

  static float[] random(long seed, int n, boolean labels) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] v = new float[n];
    for (int i = 0; i < n; i++) v[i] = labels ? (r.nextDouble() < 0.3 ? 1f : 0f) : (float) (0.05 + 0.9 * r.nextDouble());
    return v;
  }

  /** Runs fetches of a graph built by {@code build}, returning the first as floats. */
  static float[] run(java.util.function.Function<Ops, Operand<?>> build) {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Operand<?> out = build.apply(tf);
      try (Result r = s.runner().fetch(out).run()) {
        Object t = r.get(0);
        if (t instanceof TFloat64) {
          TFloat64 d = (TFloat64) t;
          float[] f = new float[(int) d.shape().size()];
          for (int i = 0; i < f.length; i++) f[i] = (float) d.getDouble(d.shape().numDimensions() == 0 ? new long[0] : new long[] {i});
          return f;
        }
        return TfTensors.toArray((TFloat32) t);
      }
    }
  }

  static Operand<TFloat32> c(Ops tf, float[] v, int... shape) {
    return tf.constant(TfTensors.shape(shape), org.tensorflow.ndarray.buffer.DataBuffers.of(v));
  }

  @Test
  void shapeMismatchFailsAtGraphBuildNamingBothShapes() {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      InvalidInputException e = assertThrows(InvalidInputException.class,
          () -> TfLosses.fromSpec("dice", false).call(tf, c(tf, new float[40], 2, 4, 5, 1), c(tf, P, SHAPE), null));
      assertTrue(e.getMessage().contains("[2, 4, 4, 1]") && e.getMessage().contains("[2, 4, 5, 1]"), e.getMessage());
      assertTrue(e.getMessage().startsWith("predictions: shape"), e.getMessage());
      assertFalse(e.getMessage().contains("\n"));
    }
  }

  @Test
  void shapeMismatchWithUnknownDimensionsFailsAtRunTime() {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> y = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, -1, -1, 1)));
      Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, -1, -1, 1)));
      Operand<TFloat32> l = TfLosses.fromSpec("bce", false).call(tf, y, x, null);
      try (TFloat32 yt = TfTensors.of(new float[40], 2, 4, 5, 1); TFloat32 xt = TfTensors.of(P, SHAPE)) {
        TFInvalidArgumentException e = assertThrows(TFInvalidArgumentException.class,
            () -> s.runner().feed(y, yt).feed(x, xt).fetch(l).run().close());
        assertTrue(TfErrors.oneLine(e).startsWith("predictions: shape does not match labels shape"), TfErrors.oneLine(e));
        assertTrue(TfErrors.oneLine(e).contains("predictions 2 4 4 1 labels 2 4 5 1"), TfErrors.oneLine(e));
      }
    }
  }

  @Test
  void unknownSpecAndBadParametersAreTheCoreErrors() {
    LossSpecException e = assertThrows(LossSpecException.class, () -> TfLosses.fromSpec("dise", true));
    assertTrue(e.getMessage().contains("unknown loss 'dise'") && e.getMessage().contains("did you mean 'dice'"), e.getMessage());
    e = assertThrows(LossSpecException.class, () -> TfLosses.fromSpec("tversky(alfa=0.3)", true));
    assertTrue(e.getMessage().contains("unknown parameter 'alfa' for tversky at column 9"), e.getMessage());
    assertThrows(LossSpecException.class, () -> TverskyLoss.builder().alpha(-1));
    assertThrows(LossSpecException.class, () -> FocalLoss.builder().set("gama", 2));
  }

  @Test
  void probabilitiesOutsideUnitIntervalFailAtRunTimeSuggestingLogits() {
    float[] bad = P.clone();
    bad[3] = 1.5f;
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Operand<TFloat32> l = TfLosses.fromSpec("dice", false).call(tf, c(tf, Y, SHAPE), c(tf, bad, SHAPE), null);
      TFInvalidArgumentException e = assertThrows(TFInvalidArgumentException.class, () -> s.runner().fetch(l).run().close());
      String line = TfErrors.oneLine(e);
      assertTrue(line.startsWith("predictions: values outside [0,1]") || line.startsWith("predictions: values outside 0,1"), line);
      assertTrue(line.contains("fromLogits=true") && line.contains("1.5"), line);
    }
    // through the engine: the same message as an InvalidInputException
    LossInput in = LossInput.builder(Tensor.of(Y, SHAPE), Tensor.of(bad, SHAPE)).unchecked().build();
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> TfLossEngine.compute("bce", in, false));
    assertTrue(e.getMessage().contains("fromLogits=true"), e.getMessage());
    // the checks can be turned off (values are then whatever the formula gives)
    TfSegLoss unchecked = TfLosses.fromSpec("dice", false).withInputChecks(false);
    assertEquals(1, TfLossEngine.compute(unchecked, in, false).values().length);
    // logits are not range-checked
    assertEquals(1, TfLossEngine.compute("dice", LossInput.builder(Tensor.of(Y, SHAPE), Tensor.of(bad, SHAPE)).fromLogits(true).build(), false).values().length);
  }

  /** checkInputs: on by default (as on every engine), also for labels (except the ignore value) and logits. */
  @Test
  void inputChecksAreOnByDefaultAndCoverLabelsAndLogits() {
    assertTrue(TfLosses.fromSpec("dice", false).checkInputs());
    assertFalse(TfLosses.fromSpec("dice", false).withInputChecks(false).checkInputs());
    float[] badY = Y.clone();
    badY[5] = 2f;
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> TfLossEngine.compute("dice",
        LossInput.builder(Tensor.of(badY, SHAPE), Tensor.of(P, SHAPE)).unchecked().build(), false));
    assertTrue(e.getMessage().startsWith("labels: values outside 0 to 1 that are not the ignore value"), e.getMessage());
    float[] ignored = Y.clone();
    ignored[5] = 255f;
    assertEquals(1, TfLossEngine.compute("dice", LossInput.builder(Tensor.of(ignored, SHAPE), Tensor.of(P, SHAPE))
        .ignoreValue(255).build(), false).values().length);
    float[] nan = P.clone();
    nan[2] = Float.NaN;
    e = assertThrows(InvalidInputException.class, () -> TfLossEngine.compute("bce",
        LossInput.builder(Tensor.of(Y, SHAPE), Tensor.of(nan, SHAPE)).fromLogits(true).unchecked().build(), false));
    assertTrue(e.getMessage().startsWith("predictions: logits must be finite"), e.getMessage());
  }

  @Test
  void negativeWeightsFailAtRunTime() {
    float[] w = new float[] {1f, -2f};
    LossInput in = LossInput.builder(Tensor.of(Y, SHAPE), Tensor.of(P, SHAPE)).weights(Tensor.of(w, 2)).unchecked().build();
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> TfLossEngine.compute("bce", in, false));
    assertTrue(e.getMessage().startsWith("sampleWeights: weights must be finite and >= 0"), e.getMessage());
  }

  @Test
  void badWeightShapesAndRanksFailAtGraphBuild() {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      InvalidInputException e = assertThrows(InvalidInputException.class,
          () -> TfLosses.fromSpec("bce", false).call(tf, c(tf, Y, SHAPE), c(tf, P, SHAPE), c(tf, new float[3], 3)));
      assertTrue(e.getMessage().contains("sampleWeights: shape [3]"), e.getMessage());
      e = assertThrows(InvalidInputException.class,
          () -> TfLosses.fromSpec("bce", false).call(tf, c(tf, Y, SHAPE), c(tf, P, SHAPE), c(tf, new float[10], 2, 5)));
      assertTrue(e.getMessage().contains("sampleWeights: shape [2, 5]"), e.getMessage());
      e = assertThrows(InvalidInputException.class,
          () -> TfLosses.fromSpec("bce", false).call(tf, c(tf, Y, 32), c(tf, P, 32), null));
      assertTrue(e.getMessage().contains("expected shape [N, d1, ...]"), e.getMessage());
    }
  }

  @Test
  void boundaryWithoutDistanceMapsAndLovaszWithPixelWeightsAreRefused() {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      InvalidInputException e = assertThrows(InvalidInputException.class,
          () -> TfLosses.fromSpec("0.99*gdice + 0.01*boundary", false).call(tf, c(tf, Y, SHAPE), c(tf, P, SHAPE), null));
      assertTrue(e.getMessage().contains("withDistanceMaps"), e.getMessage());
      e = assertThrows(InvalidInputException.class,
          () -> TfLosses.fromSpec("lovasz", false).call(tf, c(tf, Y, SHAPE), c(tf, P, SHAPE), c(tf, P, SHAPE)));
      assertTrue(e.getMessage().contains("no per-pixel weights"), e.getMessage());
    }
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> TfLosses.fromSpec("dice(reduction=none) + dice(batch=true, reduction=none)", false));
    assertTrue(e.getMessage().contains("reduction=none"), e.getMessage());
  }

  /** With the defaults, our bce is TF's own BinaryCrossentropy, for every reduction and weight kind. */
  @ParameterizedTest(name = "logits={0} {1}")
  @CsvSource({"false, SUM_OVER_BATCH_SIZE", "true, SUM_OVER_BATCH_SIZE", "true, SUM", "false, AUTO", "true, AUTO"})
  void defaultBceEqualsTheBuiltIn(boolean logits, Reduction r) {
    float[] x = logits ? random(3, 32, false) : P;
    if (logits) for (int i = 0; i < x.length; i++) x[i] = (x[i] - 0.5f) * 8;
    float[] w = random(4, 32, false);
    for (boolean weighted : new boolean[] {false, true}) {
      float[] ours = run(tf -> TfLosses.of(BceLoss.create(), logits).withReduction(r)
          .call(tf, c(tf, Y, SHAPE), c(tf, x, SHAPE), weighted ? c(tf, w, SHAPE) : null));
      float[] theirs = run(tf -> new BinaryCrossentropy(logits, 0f, r)
          .call(tf, c(tf, Y, SHAPE), c(tf, x, SHAPE), weighted ? c(tf, w, SHAPE) : null));
      assertEquals(theirs[0], ours[0], 2e-6 * Math.abs(theirs[0]), "weighted=" + weighted);
    }
  }

  @Test
  void reductionsMapOneToOne() {
    assertEquals(Reduction.SUM_OVER_BATCH_SIZE, TfLosses.fromSpec("dice", true).getReduction());
    assertEquals(Reduction.SUM, TfLosses.fromSpec("dice(reduction=sum)", true).getReduction());
    assertEquals(Reduction.NONE, TfLosses.fromSpec("dice(reduction=none)", true).getReduction());
    TfSegLoss wm = TfLosses.fromSpec("bce(reduction=weighted_mean)", true);
    assertEquals(Reduction.SUM_OVER_BATCH_SIZE, wm.getReduction());
    assertEquals(dev.segloss.core.loss.Reduction.WEIGHTED_MEAN, wm.segReduction());
    TfSegLoss s = TfLosses.fromSpec("0.3*bce + 0.7*dice", true).withReduction(Reduction.SUM);
    assertEquals("0.3*bce(reduction=sum) + 0.7*dice(reduction=sum)", s.toSpec());
    assertEquals(dev.segloss.core.loss.Reduction.MEAN, TfSegLoss.fromTf(Reduction.AUTO));
    // NONE: one value per image for every loss, so that pixel and region terms add up
    float[] none = run(tf -> TfLosses.fromSpec("0.5*bce(reduction=none) + 0.5*dice(reduction=none)", false)
        .call(tf, c(tf, Y, SHAPE), c(tf, P, SHAPE), null));
    LossResult core = LossSpec.parse("0.5*bce(reduction=none) + 0.5*dice(reduction=none)")
        .compute(LossInput.of(Tensor.of(Y, SHAPE), Tensor.of(P, SHAPE)), false);
    assertEquals(2, none.length);
    for (int i = 0; i < 2; i++) assertEquals(core.values()[i], none[i], 1e-6);
  }

  @ParameterizedTest
  @ValueSource(strings = {"bce", "dice(batch=true, squared=true)", "tversky(alpha=0.3, beta=0.7, gamma=0.75)", "focal(alpha=0.25)",
      "lovasz(per_image=false)", "gdice(weighting=simple)", "mcc(smooth=0)", "topk(k=5)", "boundary", "logcosh_dice(log=true)",
      "combined(dice_weight=0.7, w_neg=0.2)", "0.3*bce(w_neg=0.11) + 0.7*dice"})
  void specsRoundTripThroughTheCore(String spec) {
    TfSegLoss l = TfLosses.fromSpec(spec, true);
    assertEquals(LossSpec.parse(spec).toSpec(), l.toSpec());
    assertEquals(LossSpec.parse(spec), l.toCore());
    assertEquals(l, TfLosses.fromSpec(l.toSpec(), true));
    assertEquals(l.getClass(), TfLosses.of(LossSpec.parse(spec), false).getClass());
    assertFalse(l.equals(TfLosses.fromSpec(spec, false)), "fromLogits is part of the identity");
  }

  @Test
  void everyCoreLossHasATfImplementation() {
    assertEquals(dev.segloss.core.loss.Losses.types().stream().map(t -> t.name()).toList(), List.copyOf(TfLosses.names()));
    assertInstanceOf(TfBceLoss.class, TfLosses.fromSpec("bce", true));
    // the region losses run the core loss's own formula, one class for all of them
    for (String region : List.of("dice", "jaccard", "tversky", "gdice", "logcosh_dice", "mcc")) {
      TfSegLoss l = TfLosses.fromSpec(region, true);
      assertInstanceOf(TfRegionLoss.class, l, region);
      assertEquals(region, ((TfRegionLoss) l).type().name());
    }
    assertInstanceOf(TfFocalLoss.class, TfLosses.fromSpec("focal", true));
    assertInstanceOf(TfLovaszLoss.class, TfLosses.fromSpec("lovasz", true));
    assertInstanceOf(TfTopKLoss.class, TfLosses.fromSpec("topk", true));
    assertInstanceOf(TfBoundaryLoss.class, TfLosses.fromSpec("boundary", true));
    assertInstanceOf(TfCombinedLoss.class, TfLosses.fromSpec("combined", true));
    assertInstanceOf(TfWeightedSumLoss.class, TfLosses.fromSpec("0.5*dice + 0.5*bce", true));
    assertInstanceOf(org.tensorflow.framework.losses.impl.AbstractLoss.class, TfLosses.fromSpec("mcc", true));
  }

  @Test
  void labelsWithoutTheTrailingChannelUint8LabelsAndFloat64Predictions() {
    float[] ref = run(tf -> TfLosses.fromSpec("0.5*bce + 0.5*dice", false).call(tf, c(tf, Y, SHAPE), c(tf, P, SHAPE), null));
    float[] squeezed = run(tf -> TfLosses.fromSpec("0.5*bce + 0.5*dice", false).call(tf, c(tf, Y, 2, 4, 4), c(tf, P, SHAPE), null));
    assertEquals(ref[0], squeezed[0], 0f);
    byte[] yb = new byte[Y.length];
    for (int i = 0; i < Y.length; i++) yb[i] = (byte) Y[i];
    float[] u8 = run(tf -> TfLosses.fromSpec("0.5*bce + 0.5*dice", false).call(tf,
        tf.constant(TfTensors.shape(SHAPE), org.tensorflow.ndarray.buffer.DataBuffers.of(yb)), c(tf, P, SHAPE), null));
    assertEquals(ref[0], u8[0], 0f);
    double[] p64 = new double[P.length];
    for (int i = 0; i < P.length; i++) p64[i] = P[i];
    float[] f64 = run(tf -> TfLosses.fromSpec("0.5*bce + 0.5*dice", false).call(tf, c(tf, Y, SHAPE),
        tf.constant(TfTensors.shape(SHAPE), org.tensorflow.ndarray.buffer.DataBuffers.of(p64)), null));
    double core = LossSpec.parse("0.5*bce + 0.5*dice").value(LossInput.of(Tensor.of(Y, SHAPE), Tensor.of(P, SHAPE))).value();
    assertEquals(core, f64[0], 1e-6);
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Operand<TFloat64> l = TfLosses.fromSpec("0.5*bce + 0.5*dice", false).call(tf, c(tf, Y, SHAPE),
          tf.constant(TfTensors.shape(SHAPE), org.tensorflow.ndarray.buffer.DataBuffers.of(p64)), null);
      assertEquals(TFloat64.class, l.type(), "float64 predictions give a float64 loss");
    }
  }

  @Test
  void unknownBatchSizeAndTwoCallsInOneGraph() {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> y = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 4, 4, 1)));
      Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, -1, 4, 1)));
      TfSegLoss loss = TfLosses.fromSpec("0.5*topk(reduction=sum) + 0.5*dice(reduction=sum)", false);
      Operand<TFloat32> a = loss.call(tf, y, x, null);
      Operand<TFloat32> b = loss.call(tf, y, x, null);
      Output<?>[] grad = g.addGradients(a.asOutput(), new Output<?>[] {x.asOutput()});
      try (TFloat32 yt = TfTensors.of(Y, SHAPE); TFloat32 xt = TfTensors.of(P, SHAPE);
          Result r = s.runner().feed(y, yt).feed(x, xt).fetch(a).fetch(b).fetch(grad[0]).run()) {
        LossResult want = LossSpec.parse("0.5*topk(reduction=sum) + 0.5*dice(reduction=sum)")
            .compute(LossInput.of(Tensor.of(Y, SHAPE), Tensor.of(P, SHAPE)), true);
        assertEquals(want.value(), ((TFloat32) r.get(0)).getFloat(), 1e-5 * Math.abs(want.value()));
        assertEquals(((TFloat32) r.get(0)).getFloat(), ((TFloat32) r.get(1)).getFloat(), 0f);
        assertArrayEquals(want.gradient(), TfTensors.toArray((TFloat32) r.get(2)), 1e-6f);
      }
    }
  }

  @Test
  void valuesWorkInEagerMode() {
    try (EagerSession es = EagerSession.create()) {
      Ops tf = Ops.create(es);
      Operand<TFloat32> l = TfLosses.fromSpec("combined(dice_weight=0.7, w_neg=0.2)", false)
          .call(tf, tf.constant(TfSeedExamplesTest.Y), tf.constant(TfSeedExamplesTest.P), null);
      assertEquals(0.1345654, l.asTensor().getFloat(), 1e-6);
      float[][][][] bad = {{{{0.9f}}, {{1.1f}}}, {{{0.2f}}, {{0.8f}}}};
      assertThrows(TFInvalidArgumentException.class,
          () -> TfLosses.fromSpec("dice", false).call(tf, tf.constant(TfSeedExamplesTest.Y), tf.constant(bad), null));
    }
  }

  @Test
  void pixelLossMapsHaveThePredictionsShape() {
    TfBceLoss bce = (TfBceLoss) TfLosses.of(BceLoss.builder().wNeg(0.2).build(), false);
    float[] map = run(tf -> bce.pixelLosses(tf, c(tf, Y, SHAPE), c(tf, P, SHAPE)));
    assertEquals(32, map.length);
    for (int i = 0; i < 32; i++) {
      double want = Y[i] == 1f ? -Math.log(P[i]) : -0.2 * Math.log(1 - P[i]);
      assertEquals(want, map[i], 1e-6);
    }
  }

  /** At z = 0 exactly (e.g. a zero-initialised head) the autodiff gradient is the true derivative. */
  @ParameterizedTest
  @ValueSource(strings = {"bce", "bce(w_pos=2, w_neg=0.5, label_smoothing=0.1)", "focal(alpha=0.25)", "focal(gamma=0.5)",
      "combined(dice_weight=0.7, w_neg=0.2)", "topk(k=50)"})
  void gradientAtZeroLogits(String spec) {
    LossInput in = LossInput.builder(Tensor.of(Y, SHAPE), Tensor.of(new float[32], SHAPE)).fromLogits(true).build();
    LossResult want = LossSpec.parse(spec).compute(in, true);
    LossResult got = TfLossEngine.compute(spec, in, true);
    assertEquals(want.value(), got.value(), 1e-6 * Math.abs(want.value()), spec);
    assertArrayEquals(want.gradient(), got.gradient(), 1e-7f, spec);
  }

  @Test
  void ignoredPixelsCountNowhere() {
    float[] y = Y.clone();
    y[0] = 255f;
    y[17] = 255f;
    LossInput in = LossInput.builder(Tensor.of(y, SHAPE), Tensor.of(P, SHAPE)).ignoreValue(255).build();
    for (String spec : new String[] {"bce", "dice", "lovasz", "topk"}) {
      LossResult r = TfLossEngine.compute(spec, in, true);
      assertEquals(0f, r.gradient()[0], spec);
      assertEquals(0f, r.gradient()[17], spec);
      assertEquals(LossSpec.parse(spec).value(in).value(), r.value(), 1e-5, spec);
    }
  }
}
