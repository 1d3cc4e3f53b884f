package dev.segloss.core.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segloss.core.spec.LossSpec;
import dev.segloss.core.testkit.TestInput;
import java.util.Random;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * The peer conventions of issue 2, each reproduced by parameters: the peer's formula is written out here
 * from its source (MONAI 1.x, Keras 3, segmentation_models_pytorch) and compared with our loss, value
 * and gradient (the gradient against central differences of the peer's formula in double). Plus the
 * values the Keras documentation prints for its own examples.
 */
class PeerConventionsTest {
  static final int[] SHAPE = {3, 1, 4, 5}; // [B, C=1, H, W]

  /** Logits and labels with one image of each kind: mixed, small object, empty. */
  static TestInput logits(long seed) {
    Random r = new Random(seed);
    int n = 60;
    float[] y = new float[n];
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      int img = i / 20;
      y[i] = img == 0 ? (r.nextDouble() < 0.5 ? 1 : 0) : img == 1 ? (i % 20 < 3 ? 1 : 0) : 0;
      x[i] = (float) (-3 + 6 * r.nextDouble());
    }
    return new TestInput("peer logits", SHAPE, y, x, true, null, Float.NaN);
  }

  static TestInput probabilities(long seed) {
    TestInput l = logits(seed);
    float[] p = new float[l.x.length];
    for (int i = 0; i < p.length; i++) p[i] = (float) (1 / (1 + Math.exp(-l.x[i])));
    return l.withX(p, false);
  }

  static double sigmoid(double z) {
    return 1 / (1 + Math.exp(-z));
  }

  /** Our value and gradient equal the peer formula's value and its numerical gradient. */
  static void assertSame(SegLoss ours, ToDoubleFunction<double[]> peer, TestInput in, double tol) {
    double[] x = new double[in.x.length];
    for (int i = 0; i < x.length; i++) x[i] = in.x[i];
    LossResult r = ours.compute(in.lossInput(), true);
    assertEquals(peer.applyAsDouble(x), r.value(), tol, ours.toSpec() + " value");
    double scale = 0;
    double[] fd = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      double h = 1e-6;
      double xi = x[i];
      x[i] = xi + h;
      double fp = peer.applyAsDouble(x);
      x[i] = xi - h;
      double fm = peer.applyAsDouble(x);
      x[i] = xi;
      fd[i] = (fp - fm) / (2 * h);
      scale = Math.max(scale, Math.abs(fd[i]));
    }
    for (int i = 0; i < x.length; i++) {
      assertEquals(fd[i], r.gradient()[i], 1e-5 * scale, ours.toSpec() + " gradient at " + i);
    }
  }

  // ---------------------------------------------------------------- MONAI

  /** MONAI DiceLoss(sigmoid=True): per (batch, channel) 1 − (2I + smooth_nr)/(Σy + Σp + smooth_dr), then the mean. */
  static double monaiDice(TestInput in, double[] x) {
    int b = in.batch(), m = in.imageSize();
    double total = 0;
    for (int n = 0; n < b; n++) {
      double inter = 0, ground = 0, pred = 0;
      for (int i = n * m; i < (n + 1) * m; i++) {
        double p = sigmoid(x[i]);
        inter += p * in.y[i];
        ground += in.y[i];
        pred += p;
      }
      total += 1 - (2 * inter + 1e-5) / (ground + pred + 1e-5);
    }
    return total / b;
  }

  /** MONAI TverskyLoss(sigmoid=True): tp = Σp0·g0, fp = α·Σp0·g1, fn = β·Σp1·g0 (p0 the prediction, g0 the target). */
  static double monaiTversky(TestInput in, double[] x, double alpha, double beta) {
    int b = in.batch(), m = in.imageSize();
    double total = 0;
    for (int n = 0; n < b; n++) {
      double tp = 0, fp = 0, fn = 0;
      for (int i = n * m; i < (n + 1) * m; i++) {
        double p0 = sigmoid(x[i]), p1 = 1 - p0, g0 = in.y[i], g1 = 1 - g0;
        tp += p0 * g0;
        fp += alpha * p0 * g1;
        fn += beta * p1 * g0;
      }
      total += 1 - (tp + 1e-5) / (tp + fp + fn + 1e-5);
    }
    return total / b;
  }

  @Test
  void monaiDiceLossWithSigmoid() {
    TestInput in = logits(1);
    assertSame(LossSpec.parse("dice(smooth_nr=1e-5, smooth_dr=1e-5)"), x -> monaiDice(in, x), in, 1e-12);
  }

  @Test
  void monaiTverskyLoss() {
    TestInput in = logits(2);
    assertSame(LossSpec.parse("tversky(smooth_nr=1e-5, smooth_dr=1e-5)"), x -> monaiTversky(in, x, 0.5, 0.5), in, 1e-12);
    assertSame(LossSpec.parse("tversky(alpha=0.3, beta=0.7, smooth_nr=1e-5, smooth_dr=1e-5)"), x -> monaiTversky(in, x, 0.3, 0.7), in, 1e-12);
  }

  // ---------------------------------------------------------------- Keras 3

  /** keras.losses.Dice(axis=None): 1 − 2Σy·p / (Σy + Σp + epsilon) over the whole batch. */
  static double kerasDice(TestInput in, double[] p) {
    double inter = 0, sy = 0, sp = 0;
    for (int i = 0; i < p.length; i++) {
      inter += in.y[i] * p[i];
      sy += in.y[i];
      sp += p[i];
    }
    return 1 - 2 * inter / (sy + sp + 1e-7);
  }

  /**
   * keras.losses.Tversky(alpha, beta) after the fix: α on false positives, β on false negatives, over the
   * whole batch, 1 − TP/(TP + α·FP + β·FN + epsilon). {@code swapped} gives the formula Keras shipped
   * before (α multiplying Σ(1 − p)·y).
   */
  static double kerasTversky(TestInput in, double[] p, double alpha, double beta, boolean swapped) {
    double tp = 0, fp = 0, fn = 0;
    for (int i = 0; i < p.length; i++) {
      tp += in.y[i] * p[i];
      fp += (1 - in.y[i]) * p[i];
      fn += in.y[i] * (1 - p[i]);
    }
    return swapped ? 1 - tp / (tp + alpha * fn + beta * fp + 1e-7) : 1 - tp / (tp + alpha * fp + beta * fn + 1e-7);
  }

  @Test
  void kerasDiceIsBatchDiceWithoutNumeratorSmoothing() {
    TestInput in = probabilities(3);
    assertSame(LossSpec.parse("dice(smooth_nr=0, smooth_dr=1e-7, batch=true)"), p -> kerasDice(in, p), in, 1e-12);
  }

  @Test
  void kerasTverskyAlphaWeightsFalsePositives() {
    // asymmetric: the prediction covers a lot of background (many FP), misses little foreground (few FN)
    float[] y = {1, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0};
    float[] p = {0.9f, 0.8f, 0.7f, 0.6f, 0.8f, 0.5f, 0.95f, 0.6f, 0.7f, 0.4f, 0.9f, 0.3f};
    TestInput in = TestInput.probs("asymmetric", new int[] {2, 6}, y, p);
    SegLoss ours = LossSpec.parse("tversky(alpha=0.8, beta=0.2, smooth_nr=0, smooth_dr=1e-7, batch=true)");
    assertSame(ours, q -> kerasTversky(in, q, 0.8, 0.2, false), in, 1e-12);
    // the orientation matters here: the pre-fix formula gives a clearly different value ...
    double[] pd = new double[p.length];
    for (int i = 0; i < p.length; i++) pd[i] = p[i];
    double old = kerasTversky(in, pd, 0.8, 0.2, true);
    assertTrue(Math.abs(old - ours.value(in.lossInput()).value()) > 0.2, "alpha and beta must not be interchangeable here");
    // ... which is ours with alpha and beta exchanged
    SegLoss exchanged = LossSpec.parse("tversky(alpha=0.2, beta=0.8, smooth_nr=0, smooth_dr=1e-7, batch=true)");
    assertEquals(old, exchanged.value(in.lossInput()).value(), 1e-12);
    // and more weight on false positives raises the loss of this FP-heavy prediction
    assertTrue(ours.value(in.lossInput()).value() > exchanged.value(in.lossInput()).value());
  }

  /** keras.losses.BinaryCrossentropy: clip to [ε, 1 − ε] in float32, then the mean; on logits TF's stable form. */
  static double kerasBce(TestInput in, double[] x, boolean logits, double smoothing) {
    double s = 0;
    float eps = 1e-7f;
    for (int i = 0; i < x.length; i++) {
      double t = in.y[i] * (1 - smoothing) + 0.5 * smoothing;
      if (logits) {
        s += Math.max(x[i], 0) - x[i] * t + Math.log1p(Math.exp(-Math.abs(x[i]))); // sigmoid_cross_entropy_with_logits
      } else {
        double pc = Math.min(Math.max(x[i], eps), 1f - eps);
        s += -(t * Math.log(pc) + (1 - t) * Math.log(1 - pc));
      }
    }
    return s / x.length;
  }

  @Test
  void kerasBinaryCrossentropy() {
    TestInput pr = probabilities(4);
    assertSame(LossSpec.parse("bce"), x -> kerasBce(pr, x, false, 0), pr, 1e-12);
    assertSame(LossSpec.parse("bce(label_smoothing=0.1)"), x -> kerasBce(pr, x, false, 0.1), pr, 1e-12);
    TestInput lg = logits(4);
    assertSame(LossSpec.parse("bce"), x -> kerasBce(lg, x, true, 0), lg, 1e-12);
    assertSame(LossSpec.parse("bce(label_smoothing=0.2)"), x -> kerasBce(lg, x, true, 0.2), lg, 1e-12);
  }

  /** keras.losses.BinaryFocalCrossentropy: smoothed labels, sigmoid on logits, clipped BCE, (1 − p_t)^γ, α_t when balancing. */
  static double kerasFocal(TestInput in, double[] x, boolean logits, boolean balance, double alpha, double gamma, double smoothing) {
    double s = 0;
    float eps = 1e-7f;
    for (int i = 0; i < x.length; i++) {
      double t = in.y[i] * (1 - smoothing) + 0.5 * smoothing;
      double p = logits ? sigmoid(x[i]) : x[i];
      double pc = Math.min(Math.max(p, eps), 1f - eps);
      double bce = -(t * Math.log(pc) + (1 - t) * Math.log(1 - pc));
      double pt = t * p + (1 - t) * (1 - p);
      double l = Math.pow(1 - pt, gamma) * bce;
      if (balance) l *= t * alpha + (1 - t) * (1 - alpha);
      s += l;
    }
    return s / x.length;
  }

  @Test
  void kerasBinaryFocalCrossentropy() {
    TestInput pr = probabilities(5);
    assertSame(LossSpec.parse("focal(alpha=0.25)"), x -> kerasFocal(pr, x, false, true, 0.25, 2, 0), pr, 1e-12);
    assertSame(LossSpec.parse("focal"), x -> kerasFocal(pr, x, false, false, 0.25, 2, 0), pr, 1e-12);
    assertSame(LossSpec.parse("focal(alpha=0.25, gamma=3, label_smoothing=0.1)"), x -> kerasFocal(pr, x, false, true, 0.25, 3, 0.1), pr, 1e-12);
    // on logits Keras applies the sigmoid and the clipped formula; equal while p stays inside the clip bounds
    TestInput lg = logits(5);
    assertSame(LossSpec.parse("focal(alpha=0.25)"), x -> kerasFocal(lg, x, true, true, 0.25, 2, 0), lg, 1e-12);
  }

  /** The values printed in the Keras 3 documentation for its own examples (3 decimals). */
  @Test
  void kerasDocumentedExamples() {
    TestInput ex1 = new TestInput("keras example 1", new int[] {1, 4}, new float[] {0, 1, 0, 0},
        new float[] {-18.6f, 0.51f, 2.94f, -12.8f}, true, null, Float.NaN);
    assertEquals(0.865, LossSpec.parse("bce").value(ex1.lossInput()).value(), 5e-4); // BinaryCrossentropy(from_logits=True)
    assertEquals(0.691, LossSpec.parse("focal").value(ex1.lossInput()).value(), 5e-4); // BinaryFocalCrossentropy(gamma=2, from_logits=True)
    assertEquals(0.51, LossSpec.parse("focal(alpha=0.25)").value(ex1.lossInput()).value(), 5e-3); // apply_class_balancing=True
    TestInput ex2 = new TestInput("keras example 2", new int[] {2, 2}, new float[] {0, 1, 0, 0},
        new float[] {-18.6f, 0.51f, 2.94f, -12.8f}, true, new float[] {0.8f, 0.2f}, Float.NaN);
    assertEquals(0.243, LossSpec.parse("bce").value(ex2.lossInput()).value(), 1e-3); // sample_weight=[0.8, 0.2] (0.2436…, the docs print 0.243)
    TestInput ex3 = TestInput.probs("binary_focal_crossentropy example", new int[] {2, 2}, new float[] {0, 1, 0, 0},
        new float[] {0.6f, 0.4f, 0.4f, 0.6f});
    double[] perRow = LossSpec.parse("focal(reduction=none)").value(ex3.lossInput()).values();
    assertEquals(0.330, perRow[0], 5e-4);
    assertEquals(0.206, perRow[1], 5e-4);
  }

  // ---------------------------------------------------------------- segmentation_models_pytorch

  /**
   * smp DiceLoss(mode='binary', from_logits=True, smooth=0, eps=1e-7): p = exp(logsigmoid(x)), sums over
   * batch and pixels (dims (0, 2)), score = 2I / max(Σp + Σy, eps), loss = 1 − score, zeroed when the
   * target is empty.
   */
  static double smpDice(TestInput in, double[] x) {
    double inter = 0, card = 0, sy = 0;
    for (int i = 0; i < x.length; i++) {
      double p = sigmoid(x[i]);
      inter += p * in.y[i];
      card += p + in.y[i];
      sy += in.y[i];
    }
    double loss = 1 - 2 * inter / Math.max(card, 1e-7);
    return sy > 0 ? loss : 0;
  }

  /**
   * smp's binary Dice is ours with smooth_nr=0, smooth_dr=1e-7, batch=true up to two documented
   * differences: smp clamps the denominator at eps instead of adding it (a relative difference of at
   * most 1e-7/(Σp + Σy), nil once that sum exceeds eps: then it is exactly smooth_dr=0), and smp gives 0
   * when the whole batch has no foreground, where ours stays 1 − 0/(Σp + 1e-7) ≈ 1.
   */
  @Test
  void smpBinaryDiceLossAndItsEmptyTargetDifference() {
    TestInput in = logits(6);
    assertSame(LossSpec.parse("dice(smooth_nr=0, smooth_dr=1e-7, batch=true)"), x -> smpDice(in, x), in, 1e-8);
    assertSame(LossSpec.parse("dice(smooth_nr=0, smooth_dr=0, batch=true)"), x -> smpDice(in, x), in, 1e-14);
    // empty target: smp 0 (and no gradient), ours about 1 with a small gradient pushing p down
    TestInput empty = new TestInput("empty", new int[] {2, 5}, new float[10],
        new float[] {-1, 0.5f, 2, -3, 0, 1, -2, 0.25f, 1.5f, -0.5f}, true, null, Float.NaN);
    double[] x = new double[10];
    for (int i = 0; i < 10; i++) x[i] = empty.x[i];
    assertEquals(0.0, smpDice(empty, x), 0);
    LossResult ours = LossSpec.parse("dice(smooth_nr=0, smooth_dr=1e-7, batch=true)").compute(empty.lossInput(), true);
    assertEquals(1.0, ours.value(), 0);
    // 1 − 0/(Σp + 1e-7) is constant: the gradient of our value is 0 as well; the difference is the value only
    for (float g : ours.gradient()) assertEquals(0f, g, 0f);
  }
}
