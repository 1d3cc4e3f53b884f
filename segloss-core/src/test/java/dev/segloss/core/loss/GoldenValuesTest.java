package dev.segloss.core.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segloss.core.spec.LossSpec;
import dev.segloss.core.testkit.TestInput;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden values: every loss and option, on small hand-made inputs (probabilities, logits, pixel and
 * image weights, ignored pixels, soft labels, empty images, a fully ignored image, 3-D images), under
 * every reduction, against the naive formulas of {@link Reference}. The references themselves are
 * anchored to values computed independently with numpy/scipy ({@code golden/golden_values.py}).
 */
class GoldenValuesTest {
  static final int[] SHAPE_A = {2, 1, 2, 3};
  static final float[] Y_A = {1, 0, 0, 1, 0, 0, 0, 1, 1, 0, 1, 0};
  static final float[] P_A = {0.8f, 0.3f, 0.1f, 0.6f, 0.2f, 0.4f, 0.3f, 0.7f, 0.9f, 0.2f, 0.6f, 0.35f};

  static TestInput a() {
    return TestInput.probs("A", SHAPE_A, Y_A, P_A);
  }

  /** The inputs every row runs on. */
  static List<TestInput> inputs() {
    List<TestInput> in = new ArrayList<>();
    TestInput a = a();
    in.add(a);
    in.add(a.withX(new float[] {1.4f, -0.9f, -2.1f, 0.45f, -1.3f, -0.35f, -0.8f, 0.9f, 2.2f, -1.4f, 0.3f, -0.55f}, true).named("A logits"));
    in.add(a.withWeights(new float[] {1, 0.5f, 2, 1.5f, 0.25f, 1, 3, 1, 0.5f, 2, 1, 0}).named("A pixel weights"));
    in.add(a.withWeights(new float[] {0.5f, 2}).named("A image weights"));
    in.add(new TestInput("A ignore", SHAPE_A, new float[] {1, 255, 0, 1, 0, 255, 255, 1, 1, 0, 1, 0}, P_A, false,
        new float[] {1.5f, 0.5f}, 255f));
    in.add(new TestInput("soft labels", SHAPE_A, new float[] {0.9f, 0.2f, 0, 0.7f, 0.1f, 0.35f, 0.05f, 0.8f, 1, 0.3f, 0.6f, 0.15f},
        P_A, false, new float[] {1, 0.5f, 2, 1.5f, 0.25f, 1, 3, 1, 0.5f, 2, 1, 0.75f}, Float.NaN));
    in.add(new TestInput("empty and full", SHAPE_A, new float[] {0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1},
        new float[] {0.5f, -1.5f, 0.25f, -0.75f, 1.25f, -2, 1.5f, -0.5f, 2, 0.75f, -1, 0.1f}, true, null, Float.NaN));
    in.add(new TestInput("ignored image", SHAPE_A, new float[] {9, 9, 9, 9, 9, 9, 0, 1, 1, 0, 1, 0}, P_A, false, null, 9f));
    float[] y3 = new float[36];
    float[] p3 = new float[36];
    float[] w3 = new float[36];
    for (int i = 0; i < 36; i++) {
      int img = i / 18;
      int j = i % 18;
      y3[i] = img == 0 ? (j == 4 || j == 13 || j == 14 ? 1 : 0) : 0;
      p3[i] = 0.05f + 0.9f * ((i * 7) % 17) / 16f;
      w3[i] = 0.5f + (i % 3) * 0.5f;
    }
    in.add(new TestInput("3-D", new int[] {2, 2, 3, 3}, y3, p3, false, w3, Float.NaN));
    return in;
  }

  interface Ref extends BiFunction<TestInput, Reduction, double[]> {}

  record Row(String spec, Ref ref) {}

  static Row row(String spec, Ref ref) {
    return new Row(spec, ref);
  }

  static Ref region(boolean pooled, java.util.function.ToDoubleFunction<List<Reference.Px>> f) {
    return (in, r) -> Reference.region(in, r, pooled, f);
  }

  static Ref pixel(Reference.PixelFn f) {
    return (in, r) -> Reference.pixel(in, r, f);
  }

  static Ref lovasz(boolean perImage, double eps) {
    return (in, r) -> perImage
        ? Reference.region(in, r, false, px -> Reference.lovasz(px, in.logits, eps))
        : new double[] {Reference.lovasz(Reference.pooled(in), in.logits, eps)};
  }

  static Ref sum(double c1, Ref r1, double c2, Ref r2) {
    return (in, r) -> {
      double[] a = r1.apply(in, r);
      double[] b = r2.apply(in, r);
      double[] out = new double[a.length];
      for (int i = 0; i < a.length; i++) out[i] = c1 * a[i] + c2 * b[i];
      return out;
    };
  }

  static final double NaN = Double.NaN;

  static List<Row> rows() {
    return List.of(
        row("bce", pixel((y, x, l) -> Reference.bce(y, x, l, 1, 1, 1e-7, 0))),
        row("bce(w_pos=2, w_neg=0.3)", pixel((y, x, l) -> Reference.bce(y, x, l, 2, 0.3, 1e-7, 0))),
        row("bce(label_smoothing=0.1)", pixel((y, x, l) -> Reference.bce(y, x, l, 1, 1, 1e-7, 0.1))),
        row("bce(eps=0.15)", pixel((y, x, l) -> Reference.bce(y, x, l, 1, 1, 0.15, 0))),
        row("dice", region(false, px -> Reference.dice(px, 1e-7, 1e-7, false, false, false))),
        row("dice(batch=true)", region(true, px -> Reference.dice(px, 1e-7, 1e-7, false, false, false))),
        row("dice(squared=true)", region(false, px -> Reference.dice(px, 1e-7, 1e-7, true, false, false))),
        row("dice(log=true)", region(false, px -> Reference.dice(px, 1e-7, 1e-7, false, true, false))),
        row("dice(soft=true)", region(false, px -> Reference.dice(px, 1e-7, 1e-7, false, false, true))),
        row("dice(smooth_nr=1e-5, smooth_dr=0.001)", region(false, px -> Reference.dice(px, 1e-5, 1e-3, false, false, false))),
        row("jaccard", region(false, px -> Reference.jaccard(px, 1e-7, 1e-7, false, false))),
        row("jaccard(batch=true)", region(true, px -> Reference.jaccard(px, 1e-7, 1e-7, false, false))),
        row("jaccard(log=true)", region(false, px -> Reference.jaccard(px, 1e-7, 1e-7, true, false))),
        row("jaccard(smooth_nr=0.5, smooth_dr=1, soft=true)", region(false, px -> Reference.jaccard(px, 0.5, 1, false, true))),
        row("tversky", region(false, px -> Reference.tversky(px, 0.5, 0.5, 1, 1e-7, 1e-7, false))),
        row("tversky(alpha=0.3, beta=0.7)", region(false, px -> Reference.tversky(px, 0.3, 0.7, 1, 1e-7, 1e-7, false))),
        row("tversky(alpha=0.7, beta=0.3, gamma=0.75)", region(false, px -> Reference.tversky(px, 0.7, 0.3, 0.75, 1e-7, 1e-7, false))),
        row("tversky(gamma=2, batch=true)", region(true, px -> Reference.tversky(px, 0.5, 0.5, 2, 1e-7, 1e-7, false))),
        row("tversky(alpha=0.2, beta=0.9, soft=true)", region(false, px -> Reference.tversky(px, 0.2, 0.9, 1, 1e-7, 1e-7, true))),
        row("focal", pixel((y, x, l) -> Reference.focal(y, x, l, 2, NaN, 1e-7, 0))),
        row("focal(alpha=0.25)", pixel((y, x, l) -> Reference.focal(y, x, l, 2, 0.25, 1e-7, 0))),
        row("focal(gamma=0)", pixel((y, x, l) -> Reference.focal(y, x, l, 0, NaN, 1e-7, 0))),
        row("focal(gamma=0.5, label_smoothing=0.1)", pixel((y, x, l) -> Reference.focal(y, x, l, 0.5, NaN, 1e-7, 0.1))),
        row("focal(alpha=0.6, eps=0.15)", pixel((y, x, l) -> Reference.focal(y, x, l, 2, 0.6, 0.15, 0))),
        row("lovasz", lovasz(true, 1e-7)),
        row("lovasz(per_image=false)", lovasz(false, 1e-7)),
        row("lovasz(eps=0.15)", lovasz(true, 0.15)),
        row("gdice", region(false, px -> Reference.gdice(px, "square", 1e-5, 1e-5))),
        row("gdice(weighting=simple)", region(false, px -> Reference.gdice(px, "simple", 1e-5, 1e-5))),
        row("gdice(weighting=uniform, batch=true)", region(true, px -> Reference.gdice(px, "uniform", 1e-5, 1e-5))),
        row("gdice(smooth_nr=0, smooth_dr=0.001)", region(false, px -> Reference.gdice(px, "square", 0, 1e-3))),
        row("logcosh_dice", region(false, px -> Reference.logCoshDice(px, 1e-7, 1e-7, false, false, false))),
        row("logcosh_dice(batch=true, squared=true)", region(true, px -> Reference.logCoshDice(px, 1e-7, 1e-7, true, false, false))),
        row("logcosh_dice(log=true, soft=true)", region(false, px -> Reference.logCoshDice(px, 1e-7, 1e-7, false, true, true))),
        row("mcc", region(false, px -> Reference.mcc(px, 1e-7))),
        row("mcc(smooth=0.5)", region(false, px -> Reference.mcc(px, 0.5))),
        row("mcc(batch=true)", region(true, px -> Reference.mcc(px, 1e-7))),
        row("mcc(smooth=0)", region(false, px -> Reference.mcc(px, 0))),
        row("topk", (in, r) -> Reference.topk(in, r, 10, 1, 1)),
        row("topk(k=50)", (in, r) -> Reference.topk(in, r, 50, 1, 1)),
        row("topk(k=33.3)", (in, r) -> Reference.topk(in, r, 33.3, 1, 1)),
        row("topk(k=100, w_pos=2, w_neg=0.5)", (in, r) -> Reference.topk(in, r, 100, 2, 0.5)),
        row("boundary", Reference::boundary),
        row("combined", sum(0.5, pixel((y, x, l) -> Reference.bce(y, x, l, 1, 1, 1e-7, 0)),
            0.5, region(false, px -> Reference.dice(px, 1e-7, 1e-7, false, false, false)))),
        row("combined(dice_weight=0.7, w_neg=0.2)", sum(0.3, pixel((y, x, l) -> Reference.bce(y, x, l, 1, 0.2, 1e-7, 0)),
            0.7, region(false, px -> Reference.dice(px, 1e-7, 1e-7, false, false, false)))),
        row("0.3*bce(w_neg=0.11) + 0.7*dice(smooth_nr=1e-5)", sum(0.3, pixel((y, x, l) -> Reference.bce(y, x, l, 1, 0.11, 1e-7, 0)),
            0.7, region(false, px -> Reference.dice(px, 1e-5, 1e-7, false, false, false)))),
        row("0.5*focal(alpha=0.25) + 2*boundary", sum(0.5, pixel((y, x, l) -> Reference.focal(y, x, l, 2, 0.25, 1e-7, 0)),
            2, Reference::boundary)),
        row("0.9*mcc + 0.1*lovasz", sum(0.9, region(false, px -> Reference.mcc(px, 1e-7)), 0.1, lovasz(true, 1e-7))));
  }

  @TestFactory
  Stream<DynamicTest> everyLossOptionInputAndReductionMatchesTheFormula() {
    List<TestInput> inputs = inputs();
    return rows().stream().map(row -> DynamicTest.dynamicTest(row.spec(), () -> {
      int checked = 0;
      for (TestInput in : inputs) {
        if (Specs.rejects(row.spec(), in)) continue; // rejection is tested in LovaszHingeLossTest
        for (Reduction r : Reduction.values()) {
          double[] expected = row.ref().apply(in, r);
          double[] actual = Specs.parse(row.spec(), r).value(in.lossInput()).values();
          assertEquals(expected.length, actual.length, row.spec() + " on " + in + " with " + r.word());
          for (int i = 0; i < expected.length; i++) {
            assertTrue(Double.isFinite(actual[i]), row.spec() + " on " + in + ": " + actual[i]);
            assertEquals(expected[i], actual[i], 1e-9 * Math.max(1, Math.abs(expected[i])),
                row.spec() + " on " + in + " with " + r.word() + " at " + i + ": " + Arrays.toString(actual));
          }
          checked++;
        }
      }
      assertTrue(checked >= 16, "too few inputs checked: " + checked);
    }));
  }

  /**
   * Values computed with numpy/scipy from the formulas ({@code src/test/resources/golden/golden_values.py})
   * on input A: they anchor both the library and the Java references.
   */
  @Test
  void independentlyComputedValuesOnInputA() {
    Object[][] table = {
        {"jaccard", 0.48095236448730944},
        {"tversky(alpha=0.3, beta=0.7)", 0.30496885001673646},
        {"tversky(alpha=0.7, beta=0.3, gamma=0.75)", 0.4347788825598047},
        {"focal", 0.03526282159187553},
        {"focal(alpha=0.25)", 0.017882771912335702},
        {"lovasz", 0.3582820683935972},
        {"lovasz(per_image=false)", 0.35598887724447403},
        {"gdice(weighting=square)", 0.29622811899361945},
        {"gdice(weighting=simple)", 0.2838407627292444},
        {"gdice(weighting=uniform)", 0.2708331082599582},
        {"logcosh_dice", 0.05072299725322394},
        {"mcc", 0.5584624204221895},
        {"topk(k=50)", 0.4461016051031654},
        {"boundary", 0.19583333656191826},
    };
    LossInput in = a().lossInput();
    for (Object[] row : table) {
      String spec = (String) row[0];
      double expected = (Double) row[1];
      assertEquals(expected, LossSpec.parse(spec).value(in).value(), 1e-12, spec);
      Row ref = rows().stream().filter(r -> LossSpec.parse(r.spec()).equals(LossSpec.parse(spec))).findFirst().orElse(null);
      if (ref != null) assertEquals(expected, ref.ref().apply(a(), Reduction.MEAN)[0], 1e-12, "reference " + spec);
    }
  }

  /** A few values small enough to check by hand. */
  @Test
  void handComputedValues() {
    // one image, y = [1, 0], p = [0.5, 0.5]
    TestInput in = TestInput.probs("tiny", new int[] {1, 2}, new float[] {1, 0}, new float[] {0.5f, 0.5f});
    LossInput li = in.lossInput();
    // TP = 0.5, FP = 0.5, FN = 0.5, TN = 0.5: MCC = (0.25 − 0.25)/… = 0
    assertEquals(1.0, LossSpec.parse("mcc(smooth=0)").value(li).value(), 1e-15);
    // jaccard: 1 − 0.5/(1 + 1 − 0.5) = 2/3
    assertEquals(2.0 / 3, LossSpec.parse("jaccard(smooth_nr=0, smooth_dr=0)").value(li).value(), 1e-15);
    // tversky α = 1, β = 0: TI = 0.5/(0.5 + 0.5) = 0.5; γ = 2 → 0.25
    assertEquals(0.25, LossSpec.parse("tversky(alpha=1, beta=0, gamma=2, smooth_nr=0, smooth_dr=0)").value(li).value(), 1e-15);
    // focal γ = 2: (1 − 0.5)² · log 2 per pixel
    assertEquals(0.25 * Math.log(2), LossSpec.parse("focal").value(li).value(), 1e-15);
    // lovasz: z = 0, errors 1 and 1, J: first (pos) 1/1 → g = [1, 0] whichever first... both errors 1 → loss 1
    assertEquals(1.0, LossSpec.parse("lovasz").value(li).value(), 1e-12);
    // topk(k=50): one of the two log 2 values
    assertEquals(Math.log(2), LossSpec.parse("topk(k=50)").value(li).value(), 1e-15);
    // boundary on [1, 0]: φ = [−(1 − 1), 1] = [0, 1] → (0.5·0 + 0.5·1)/2
    assertEquals(0.25, LossSpec.parse("boundary").value(li).value(), 1e-15);
    // gdice uniform: volumes 1 and 1; Σ_c Σp_c·y_c = 0.5 + 0.5; Σ_c Σ(p_c + y_c) = 2 + 2 → 1 − 2/4
    assertEquals(0.5, LossSpec.parse("gdice(weighting=uniform, smooth_nr=0, smooth_dr=0)").value(li).value(), 1e-15);
  }
}
