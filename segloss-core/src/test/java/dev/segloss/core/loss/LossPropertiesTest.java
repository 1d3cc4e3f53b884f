package dev.segloss.core.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segloss.core.Tensor;
import dev.segloss.core.spec.LossSpec;
import dev.segloss.core.testkit.TestInput;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Properties of every registered loss over random parameters and inputs (jqwik): the documented
 * minimum, reached by a perfect prediction; invariance to pixel permutations within an image;
 * {@code batch=false} is the mean of the single-image losses; the gradient of a weighted sum is the
 * weighted sum of the gradients; threads change nothing; specs round-trip.
 */
class LossPropertiesTest {
  /** A seed for java.util.Random: jqwik picks it, so failures are reproducible and shrink to small seeds. */
  @Provide
  Arbitrary<Long> seeds() {
    return Arbitraries.longs();
  }

  static boolean isBoundary(SegLoss l) {
    return l instanceof BoundaryLoss;
  }

  // ---------------------------------------------------------------- minimum

  /**
   * The documented minimum: 0 for every loss (with smooth_nr ≤ smooth_dr for the region losses) except
   * {@code boundary}, whose minimum over p is at p = [y ≥ 0.5] (φ ≤ 0 exactly there).
   */
  @Property(tries = 400)
  void lossIsAtLeastItsDocumentedMinimum(@ForAll("seeds") long seed) {
    Random r = new Random(seed);
    LossType t = Gen.type(r);
    Reduction red = Reduction.values()[r.nextInt(4)];
    LossParams params = Gen.tame(Gen.params(t, r), red);
    SegLoss loss = t.create(params);
    TestInput in = Gen.compatible(Gen.input(r, r.nextBoolean(), r.nextInt(3), r.nextBoolean(), r.nextBoolean()), loss);
    double[] v = loss.value(in.lossInput()).values();
    double[] min;
    if (isBoundary(loss)) {
      float[] best = new float[in.x.length];
      for (int i = 0; i < best.length; i++) best[i] = in.y[i] >= 0.5f ? (in.logits ? 40f : 1f) : (in.logits ? -40f : 0f);
      min = loss.value(in.withX(best, in.logits).lossInput()).values();
    } else {
      min = new double[v.length];
    }
    for (int i = 0; i < v.length; i++) {
      assertTrue(v[i] >= min[i] - 1e-12 * Math.max(1, Math.abs(min[i])),
          loss + " on " + Arrays.toString(in.shape) + ": " + v[i] + " < minimum " + min[i]);
    }
  }

  /** A perfect prediction (p = y on hard labels) reaches the minimum, up to the documented clip bound. */
  @Property(tries = 400)
  void perfectPredictionReachesTheMinimum(@ForAll("seeds") long seed) {
    Random r = new Random(seed);
    LossType t = Gen.type(r);
    Reduction red = r.nextBoolean() ? Reduction.MEAN : Reduction.NONE;
    LossParams p = Gen.tame(Gen.params(t, r), red);
    if (t.param("smooth_dr") != null) p = p.with("smooth_nr", p.number("smooth_dr"));
    if (t.param("label_smoothing") != null) p = p.with("label_smoothing", 0.0);
    if (t.param("eps") != null && p.number("eps") > 1e-3) p = p.with("eps", 1e-7);
    if (t.param("smooth") != null) p = p.with("smooth", r.nextBoolean() ? 0.0 : 1e-7);
    SegLoss loss = t.create(p);
    boolean mcc = loss instanceof MccLoss;
    TestInput in = Gen.compatible(Gen.input(r, false, 0, false, false), loss);
    if (mcc) in = withBothClasses(in); // MCC is undefined on an image holding one class only
    TestInput perfect = in.withX(in.y.clone(), false);
    double[] v = loss.value(perfect.lossInput()).values();
    // clipped BCE terms keep −log(1 − eps) ≈ eps per pixel, times the class weights
    double eps = t.param("eps") != null ? p.number("eps") : 1e-7;
    double wMax = 1;
    if (t.param("w_pos") != null) wMax = Math.max(p.number("w_pos"), p.number("w_neg"));
    double hi = Functions.upperClip(eps);
    double lo = Functions.lowerClip(eps);
    double clipFloor = -Math.log(Math.min(hi, 1 - lo)) * wMax * 1.001 + 1e-12;
    double tol = mcc ? 1e-5 : (loss instanceof BceLoss || loss instanceof FocalLoss || loss instanceof TopKLoss
        || loss instanceof CombinedLoss) ? clipFloor : isBoundary(loss) ? 1e-7 * maxAbs(v) : 1e-12; // φ as float32
    double[] min = new double[v.length];
    if (isBoundary(loss)) {
      double[] perImage = boundaryMinimum(in);
      min = red == Reduction.NONE ? perImage : new double[] {Arrays.stream(perImage).average().orElse(0)};
    }
    assertEquals(min.length, v.length);
    for (int i = 0; i < v.length; i++) {
      assertTrue(Math.abs(v[i] - min[i]) <= tol + 1e-12 * Math.abs(min[i]), loss + ": perfect prediction gives " + v[i] + ", minimum " + min[i]);
    }
  }

  /** Soft labels: the soft variants of Dice, Jaccard and Tversky reach 0 at p = y (Wang et al. 2023). */
  @Property(tries = 200)
  void softVariantsReachZeroOnSoftLabels(@ForAll("seeds") long seed) {
    Random r = new Random(seed);
    String[] specs = {"dice(soft=true)", "jaccard(soft=true)", "tversky(soft=true, alpha=0.3, beta=0.9, gamma=2)",
        "logcosh_dice(soft=true)", "dice(soft=true, log=true, batch=true)"};
    SegLoss loss = LossSpec.parse(specs[r.nextInt(specs.length)]);
    TestInput in = Gen.input(r, true, r.nextInt(2), false, false);
    double v = loss.value(in.withX(in.y.clone(), false).lossInput()).value();
    assertEquals(0.0, v, 1e-12, loss.toSpec());
  }

  static TestInput withBothClasses(TestInput in) {
    float[] y = in.y.clone();
    int m = in.imageSize();
    if (m < 2) {
      return withBothClasses(new TestInput(in.name, new int[] {in.batch(), 2}, new float[2 * in.batch()],
          new float[2 * in.batch()], in.logits, null, in.ignore));
    }
    for (int img = 0; img < in.batch(); img++) {
      y[img * m] = 1;
      y[img * m + 1] = 0;
    }
    return new TestInput(in.name, in.shape, y, in.x, in.logits, in.weights, in.ignore);
  }

  /** Σ_{y ≥ 0.5} φ / n per image, with φ from {@link BoundaryLoss#signedDistanceMap}. */
  static double[] boundaryMinimum(TestInput in) {
    float[] phi = BoundaryLoss.signedDistanceMap(Tensor.of(in.y, in.shape), in.ignore);
    int m = in.imageSize();
    double[] v = new double[in.batch()];
    for (int img = 0; img < in.batch(); img++) {
      double s = 0;
      for (int i = img * m; i < (img + 1) * m; i++) if (in.y[i] >= 0.5f) s += phi[i];
      v[img] = s / m;
    }
    return v;
  }

  // ---------------------------------------------------------------- invariances

  @Property(tries = 400)
  void permutingPixelsWithinAnImageChangesNothing(@ForAll("seeds") long seed) {
    Random r = new Random(seed);
    LossType t = Gen.type(r);
    if (t == BoundaryLoss.TYPE) t = DiceLoss.TYPE; // boundary depends on the geometry
    Reduction red = Reduction.values()[r.nextInt(4)];
    SegLoss loss = t.create(Gen.tame(Gen.params(t, r), red));
    TestInput in = Gen.compatible(Gen.input(r, r.nextBoolean(), r.nextInt(3), r.nextBoolean(), r.nextBoolean()), loss);
    int m = in.imageSize();
    int[] perm = new int[in.y.length];
    for (int img = 0; img < in.batch(); img++) {
      List<Integer> idx = new ArrayList<>();
      for (int j = 0; j < m; j++) idx.add(img * m + j);
      java.util.Collections.shuffle(idx, r);
      for (int j = 0; j < m; j++) perm[img * m + j] = idx.get(j);
    }
    TestInput permuted = new TestInput(in.name, in.shape, permute(in.y, perm), permute(in.x, perm), in.logits,
        in.pixelWeights() ? permute(in.weights, perm) : in.weights, in.ignore);
    LossResult a = loss.compute(in.lossInput(), true);
    LossResult b = loss.compute(permuted.lossInput(), true);
    assertFinite(loss, in, a);
    assertArrayEquals(a.values(), b.values(), 1e-9 * Math.max(1, maxAbs(a.values())), loss.toSpec());
    // the gradient moves with the pixels (Lovász and top-k may break exact ties differently)
    if (!(loss instanceof LovaszHingeLoss) && !(loss instanceof TopKLoss)) {
      float[] ga = a.gradient();
      float[] gb = b.gradient();
      double scale = 0;
      for (float g : ga) scale = Math.max(scale, Math.abs(g));
      for (int i = 0; i < perm.length; i++) {
        assertEquals(ga[perm[i]], gb[i], 1e-6 * scale + 1e-30, loss.toSpec() + " gradient at " + i);
      }
    }
  }

  /** Values and gradients are finite for parameters in the documented domain ({@link Gen#tame}). */
  static void assertFinite(SegLoss loss, TestInput in, LossResult r) {
    for (double v : r.values()) {
      assertTrue(Double.isFinite(v), loss + " on y=" + Arrays.toString(in.y) + " x=" + Arrays.toString(in.x)
          + " logits=" + in.logits + " w=" + Arrays.toString(in.weights) + ": " + r);
    }
    if (r.gradient() != null) {
      for (float g : r.gradient()) {
        assertTrue(Float.isFinite(g), loss + " gradient on y=" + Arrays.toString(in.y) + " x=" + Arrays.toString(in.x)
            + " logits=" + in.logits + ": " + Arrays.toString(r.gradient()));
      }
    }
  }

  static float[] permute(float[] a, int[] perm) {
    float[] out = new float[a.length];
    for (int i = 0; i < a.length; i++) out[i] = a[perm[i]];
    return out;
  }

  static double maxAbs(double[] v) {
    double m = 0;
    for (double d : v) m = Math.max(m, Math.abs(d));
    return m;
  }

  @Property(tries = 400)
  void batchFalseIsTheMeanOfSingleImageLosses(@ForAll("seeds") long seed) {
    Random r = new Random(seed);
    LossType t = Gen.type(r);
    LossParams p = Gen.tame(Gen.params(t, r), Reduction.MEAN);
    if (t.param("batch") != null) p = p.with("batch", false);
    if (t.param("per_image") != null) p = p.with("per_image", true);
    SegLoss loss = t.create(p);
    TestInput in = Gen.input(r, r.nextBoolean(), 0, false, r.nextBoolean());
    double batchValue = loss.value(in.lossInput()).value();
    double mean = 0;
    double[] singles = new double[in.batch()];
    for (int n = 0; n < in.batch(); n++) {
      singles[n] = loss.value(in.image(n).lossInput()).value();
      mean += singles[n] / in.batch();
    }
    assertEquals(mean, batchValue, 1e-9 * Math.max(1, Math.abs(mean)), loss.toSpec());
    // and reduction none gives exactly those values
    SegLoss none = t.create(p.with("reduction", Reduction.NONE));
    assertArrayEquals(singles, none.value(in.lossInput()).values(), 1e-9 * Math.max(1, maxAbs(singles)), none.toSpec());
  }

  @Property(tries = 300)
  void weightedSumGradientIsTheWeightedSumOfGradients(@ForAll("seeds") long seed) {
    Random r = new Random(seed);
    Reduction red = Reduction.values()[r.nextInt(3)]; // none may mix pooled and per-image terms
    int k = 2 + r.nextInt(2);
    List<WeightedSumLoss.Term> terms = new ArrayList<>();
    for (int j = 0; j < k; j++) {
      LossType t = Gen.type(r);
      double c = Math.round((-2 + 4 * r.nextDouble()) * 1000) / 1000.0;
      terms.add(new WeightedSumLoss.Term(c, t.create(Gen.tame(Gen.params(t, r), red))));
    }
    WeightedSumLoss sum = new WeightedSumLoss(terms);
    TestInput in = Gen.compatible(Gen.input(r, r.nextBoolean(), r.nextInt(3), r.nextBoolean(), r.nextBoolean()), sum);
    LossInput li = in.lossInput();
    LossResult total = sum.compute(li, true);
    assertFinite(sum, in, total);
    double value = 0;
    double[] grad = new double[in.x.length];
    double[] bound = new double[in.x.length];
    for (WeightedSumLoss.Term t : terms) {
      LossResult part = t.loss().compute(li, true);
      value += t.coefficient() * part.value();
      for (int i = 0; i < grad.length; i++) {
        grad[i] += t.coefficient() * part.gradient()[i];
        bound[i] += Math.abs(t.coefficient() * part.gradient()[i]);
      }
    }
    assertEquals(value, total.value(), 1e-12 * Math.max(1, Math.abs(value)), sum.toSpec());
    for (int i = 0; i < grad.length; i++) {
      assertEquals(grad[i], total.gradient()[i], 1e-6 * bound[i] + 1e-30, sum.toSpec() + " at " + i);
    }
  }

  @Property(tries = 200)
  void threadsGiveIdenticalResults(@ForAll("seeds") long seed) {
    Random r = new Random(seed);
    LossType t = Gen.type(r);
    SegLoss loss = t.create(Gen.tame(Gen.params(t, r), Reduction.values()[r.nextInt(4)]));
    TestInput in = Gen.compatible(Gen.input(r, r.nextBoolean(), r.nextInt(3), r.nextBoolean(), r.nextBoolean()), loss);
    LossInput one = in.lossInput();
    LossInput two = LossInput.builder(one.yTrue(), one.yPred()).fromLogits(in.logits).threads(2)
        .ignoreValue(in.ignore).weights(one.weights()).build();
    LossResult a = loss.compute(one, true);
    LossResult b = loss.compute(two, true);
    assertArrayEquals(a.values(), b.values(), 0, loss.toSpec());
    assertArrayEquals(a.gradient(), b.gradient(), 0f, loss.toSpec());
  }

  // ---------------------------------------------------------------- specs

  @Property(tries = 1000)
  void everyLossPrintsAsASpecThatParsesBackToAnEqualLoss(@ForAll("seeds") long seed) {
    Random r = new Random(seed);
    SegLoss loss;
    if (r.nextInt(4) == 0) {
      Reduction red = Reduction.values()[r.nextInt(3)];
      List<WeightedSumLoss.Term> terms = new ArrayList<>();
      int k = 2 + r.nextInt(3);
      for (int j = 0; j < k; j++) {
        LossType t = Gen.type(r);
        double c = r.nextBoolean() ? 1.0 : r.nextInt(3) == 0 ? -r.nextDouble() : r.nextDouble() * 10;
        terms.add(new WeightedSumLoss.Term(c, t.create(Gen.params(t, r).with("reduction", red))));
      }
      loss = new WeightedSumLoss(terms);
    } else {
      loss = Gen.loss(Gen.type(r), r);
    }
    String spec = loss.toSpec();
    SegLoss back = LossSpec.parse(spec);
    assertEquals(loss, back, spec);
    assertEquals(loss.hashCode(), back.hashCode(), spec);
    assertEquals(spec, back.toSpec());
  }
}
