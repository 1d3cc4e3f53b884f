package dev.segloss.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segloss.core.InvalidInputException;
import dev.segloss.core.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MetricsTest {
  static final double NAN = Double.NaN;

  private static void assertValue(double expected, double actual, String what) {
    if (Double.isNaN(expected)) assertTrue(Double.isNaN(actual), what + ": expected NaN, got " + actual);
    else assertEquals(expected, actual, 1e-12, what);
  }

  /**
   * Hand-computed count metrics. Columns: policy, TP, FP, FN, TN, then dice, iou, precision, recall,
   * specificity, f1, accuracy, balanced_accuracy, mcc.
   * Row 1: dice 6/9, iou 3/6, precision 3/4, recall 3/5, specificity 4/5, accuracy 7/10,
   * balanced (0.6+0.8)/2, mcc (12-2)/sqrt(4*5*5*6).
   */
  @ParameterizedTest
  @CsvSource({
      // ordinary image
      "nan,                3, 1, 2, 4,  0.6666666666666666, 0.5, 0.75, 0.6, 0.8, 0.6666666666666666, 0.7, 0.7, 0.408248290463863",
      // truth and prediction both empty
      "nan,                0, 0, 0, 10, NaN, NaN, NaN, NaN, 1, NaN, 1, 1, NaN",
      "nan_if_truth_empty, 0, 0, 0, 10, NaN, NaN, NaN, NaN, 1, NaN, 1, 1, NaN",
      "one,                0, 0, 0, 10, 1,   1,   1,   1,   1, 1,   1, 1, 1",
      "zero,               0, 0, 0, 10, 0,   0,   0,   0,   1, 0,   1, 1, 0",
      // empty truth, two false positives
      "nan,                0, 2, 0, 8,  0,   0,   0,   NaN, 0.8, 0,  0.8, 0.8, 0",
      "nan_if_truth_empty, 0, 2, 0, 8,  NaN, NaN, NaN, NaN, 0.8, NaN, 0.8, 0.8, NaN",
      "one,                0, 2, 0, 8,  0,   0,   0,   1,   0.8, 0,  0.8, 0.8, 0",
      // nothing predicted, three false negatives
      "nan,                0, 0, 3, 7,  0,   0,   NaN, 0,   1,   0,  0.7, 0.5, 0",
      "one,                0, 0, 3, 7,  0,   0,   1,   0,   1,   0,  0.7, 0.5, 0",
      "zero,               0, 0, 3, 7,  0,   0,   0,   0,   1,   0,  0.7, 0.5, 0",
      // all foreground, perfect
      "nan,                4, 0, 0, 0,  1,   1,   1,   1,   NaN, 1,  1,   1,   NaN",
      "one,                4, 0, 0, 0,  1,   1,   1,   1,   1,   1,  1,   1,   1",
      "zero,               4, 0, 0, 0,  1,   1,   1,   1,   0,   1,  1,   1,   0",
      // all wrong
      "nan,                0, 5, 5, 0,  0,   0,   0,   0,   0,   0,  0,   0,   -1"})
  void countMetrics(String policy, long tp, long fp, long fn, long tn, double dice, double iou, double precision, double recall,
      double specificity, double f1, double accuracy, double balanced, double mcc) {
    SegmentationMetrics sm = SegmentationMetrics.builder().emptyPolicy(EmptyPolicy.parse(policy)).build();
    double[] v = sm.countMetrics(new Confusion(tp, fp, fn, tn));
    double[] expected = {dice, iou, precision, recall, specificity, f1, accuracy, balanced, mcc};
    Metric[] order = {Metric.DICE, Metric.IOU, Metric.PRECISION, Metric.RECALL, Metric.SPECIFICITY, Metric.F_BETA,
        Metric.ACCURACY, Metric.BALANCED_ACCURACY, Metric.MCC};
    for (int i = 0; i < order.length; i++) assertValue(expected[i], v[order[i].ordinal()], policy + " " + order[i].key());
  }

  @Test
  void fBeta() {
    // beta 2: 5*3 / (5*3 + 4*2 + 1) = 15/24; beta 0.5: 1.25*3 / (1.25*3 + 0.25*2 + 1) = 3.75/5.25
    Confusion c = new Confusion(3, 1, 2, 4);
    assertEquals(0.625, SegmentationMetrics.builder().beta(2).build().countMetrics(c)[Metric.F_BETA.ordinal()], 1e-12);
    assertEquals(3.75 / 5.25, SegmentationMetrics.builder().beta(0.5).build().countMetrics(c)[Metric.F_BETA.ordinal()], 1e-12);
  }

  @Test
  void thresholdsOnProbabilitiesAndLogits() {
    float[] truth = {0.5f, 0.49f, 1f, 0f, 1f, 0f};
    float[] probs = {0.5f, 0.5f, 0.49999f, 0.51f, 0.9f, 0f};
    ImageMetrics m = SegmentationMetrics.defaults().image("x", truth, probs, 0, new int[] {6}, "t", "p");
    // truth fg: 0,2,4 (0.5 counts); pred fg: 0,1,3,4 -> TP 0,4; FP 1,3; FN 2; TN 5
    assertEquals(new Confusion(2, 2, 1, 1), m.counts());
    float[] logits = {0f, 0f, -1e-4f, 0.04f, 2.2f, -30f};
    ImageMetrics l = SegmentationMetrics.builder().fromLogits(true).build().image("x", truth, logits, 0, new int[] {6}, "t", "p");
    assertEquals(m.counts(), l.counts());
    // t = 0.8: logit(0.8) = ln 4 = 1.3862944
    SegmentationMetrics t8 = SegmentationMetrics.builder().threshold(0.8).fromLogits(true).build();
    assertTrue(t8.predictedForeground(1.3863f));
    assertTrue(!t8.predictedForeground(1.3862f));
    SegmentationMetrics p8 = SegmentationMetrics.builder().threshold(0.8).build();
    assertTrue(p8.predictedForeground(0.8f));
    assertTrue(!p8.predictedForeground(0.7999f));
  }

  @Test
  void ignoredPixelsCountNowhere() {
    float[] truth = {1, 255, 0, 255};
    float[] pred = {1, 1, 0, 0};
    ImageMetrics m = SegmentationMetrics.builder().ignoreValue(255).build().image("x", truth, pred, 0, new int[] {2, 2}, "t", "p");
    assertEquals(new Confusion(1, 0, 0, 1), m.counts());
    assertEquals(1.0, m.get(Metric.DICE));
    assertEquals(0.0, m.get(Metric.HD), "the ignored predicted pixel is background for distances");
  }

  /** 1-D: A = [0, 5) has surface {0, 4}; B = [2, 7) + {15} has surface {2, 6, 15}. */
  @Test
  void distances1dByHand() {
    float[] a = new float[20];
    float[] b = new float[20];
    for (int i = 0; i < 5; i++) a[i] = 1;
    for (int i = 2; i < 7; i++) b[i] = 1;
    b[15] = 1;
    ImageMetrics m = SegmentationMetrics.defaults().image("x", a, b, 0, new int[] {20}, "t", "p");
    // directed: 0->2: 2, 4->2|6: 2; 2->0|4: 2, 6->4: 2, 15->4: 11. pooled [2,2,2,2,11]
    assertEquals(11.0, m.get(Metric.HD), 1e-12);
    assertEquals(2 + 0.8 * 9, m.get(Metric.HD95), 1e-12, "95th percentile at position 3.8 of 5 values");
    assertEquals((2.0 + 5.0) / 2, m.get(Metric.ASSD), 1e-12);
    // spacing 0.5
    ImageMetrics s = SegmentationMetrics.builder().spacing(0.5).build().image("x", a, b, 0, new int[] {20}, "t", "p");
    assertEquals(5.5, s.get(Metric.HD), 1e-12);
    assertEquals(4.6, s.get(Metric.HD95), 1e-12);
  }

  @Test
  void distances2dWithSpacingAndSingletonAxes() {
    float[] a = new float[25];
    float[] b = new float[25];
    a[5 + 1] = 1;
    b[5 + 4] = 1;
    ImageMetrics m = SegmentationMetrics.defaults().image("x", a, b, 0, new int[] {5, 5}, "t", "p");
    assertEquals(3.0, m.get(Metric.HD), 1e-12);
    assertEquals(3.0, m.get(Metric.HD95), 1e-12);
    assertEquals(3.0, m.get(Metric.ASSD), 1e-12);
    for (double[] sp : new double[][] {{2, 0.5}, {7, 2, 0.5}}) {
      ImageMetrics s = SegmentationMetrics.builder().spacing(sp).build().image("x", a, b, 0, new int[] {1, 5, 5}, "t", "p");
      assertEquals(1.5, s.get(Metric.HD), 1e-12, "3 columns of 0.5");
    }
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> SegmentationMetrics.builder().spacing(1, 1, 1, 1).build().image("x", a, b, 0, new int[] {1, 5, 5}, "t", "p"));
    assertTrue(e.getMessage().startsWith("spacing: 4 values"), e.getMessage());
  }

  /** A 4x4 square against a 4x5 block one column to the right that touches the image border. */
  @Test
  void distances2dBlobsAgreeWithScipyMedpyDefinition() {
    float[] a = new float[6 * 7];
    float[] b = new float[6 * 7];
    for (int r = 1; r < 5; r++) {
      for (int c = 1; c < 5; c++) a[r * 7 + c] = 1;
      for (int c = 2; c < 7; c++) b[r * 7 + c] = 1;
    }
    // reference values from scipy.ndimage (binary_erosion with border 0, distance_transform_edt), MedPy's recipe
    ImageMetrics m = SegmentationMetrics.defaults().image("x", a, b, 0, new int[] {6, 7}, "t", "p");
    assertEquals(2.0, m.get(Metric.HD), 1e-12);
    assertEquals(2.0, m.get(Metric.HD95), 1e-12);
    assertEquals(0.6785714285714286, m.get(Metric.ASSD), 1e-12);
    ImageMetrics s = SegmentationMetrics.builder().spacing(1.5, 0.7).build().image("x", a, b, 0, new int[] {6, 7}, "t", "p");
    assertEquals(1.4, s.get(Metric.HD), 1e-12);
    assertEquals(0.5333333333333332, s.get(Metric.ASSD), 1e-12);
  }

  /** A full 3x3x3 cube (surface: all but the centre) against its centre voxel. */
  @Test
  void distances3dByHand() {
    float[] a = new float[27];
    float[] b = new float[27];
    java.util.Arrays.fill(a, 1);
    b[13] = 1;
    ImageMetrics m = SegmentationMetrics.defaults().image("x", a, b, 0, new int[] {3, 3, 3}, "t", "p");
    // cube surface to centre: 6 faces at 1, 12 edges at sqrt 2, 8 corners at sqrt 3; centre to surface: 1
    assertEquals(Math.sqrt(3), m.get(Metric.HD), 1e-12);
    assertEquals(Math.sqrt(3), m.get(Metric.HD95), 1e-12, "27 values, position 24.7 lies among the corners");
    double meanAB = (6 + 12 * Math.sqrt(2) + 8 * Math.sqrt(3)) / 26;
    assertEquals((meanAB + 1) / 2, m.get(Metric.ASSD), 1e-12);
    ImageMetrics s = SegmentationMetrics.builder().spacing(2, 1, 1).build().image("x", a, b, 0, new int[] {3, 3, 3}, "t", "p");
    assertEquals(Math.sqrt(6), s.get(Metric.HD), 1e-12);
    assertEquals(1.4834868463799253, s.get(Metric.ASSD), 1e-12);
  }

  @Test
  void distancesWithAnEmptySideAreNaNUnderEveryPolicy() {
    float[] empty = new float[9];
    float[] one = new float[9];
    one[4] = 1;
    for (EmptyPolicy p : EmptyPolicy.values()) {
      SegmentationMetrics sm = SegmentationMetrics.builder().emptyPolicy(p).build();
      for (ImageMetrics m : new ImageMetrics[] {
          sm.image("a", empty, one, 0, new int[] {3, 3}, "t", "p"),
          sm.image("b", one, empty, 0, new int[] {3, 3}, "t", "p"),
          sm.image("c", empty, empty, 0, new int[] {3, 3}, "t", "p")}) {
        assertTrue(Double.isNaN(m.get(Metric.HD)) && Double.isNaN(m.get(Metric.HD95)) && Double.isNaN(m.get(Metric.ASSD)), p + " " + m);
      }
    }
    ImageMetrics off = SegmentationMetrics.builder().distances(false).build().image("a", one, one, 0, new int[] {3, 3}, "t", "p");
    assertTrue(Double.isNaN(off.get(Metric.HD)));
    assertEquals(1.0, off.get(Metric.DICE));
  }

  @Test
  void microAndMacroSummaries() {
    // image 0: TP 2 FP 0 FN 2 TN 0 (dice 2/3); image 1: both empty (dice NaN); image 2: TP 1 FP 1 FN 0 TN 2 (dice 2/3)
    float[] t = {1, 1, 1, 1, 0, 0, 0, 0, 1, 0, 0, 0};
    float[] p = {1, 1, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0};
    SegmentationMetrics sm = SegmentationMetrics.builder().distances(false).build();
    List<ImageMetrics> per = sm.batch(Tensor.of(t, 3, 2, 2), Tensor.of(p, 3, 2, 2));
    assertEquals("1", per.get(1).name());
    assertTrue(Double.isNaN(per.get(1).get(Metric.DICE)));
    MetricsSummary s = sm.summarize(per);
    assertEquals(3, s.images());
    assertEquals(new Confusion(3, 1, 2, 6), s.pooled());
    assertEquals(6.0 / 9, s.micro(Metric.DICE), 1e-12);
    assertEquals(3.0 / 6, s.micro(Metric.IOU), 1e-12);
    assertTrue(Double.isNaN(s.micro(Metric.HD)));
    MetricsSummary.Stat dice = s.macro(Metric.DICE);
    assertEquals(2, dice.n(), "the NaN of the empty image is left out");
    assertEquals(2.0 / 3, dice.mean(), 1e-12);
    assertEquals(0.0, dice.std(), 1e-12);
    // recall: image 0 0.5, image 1 NaN (0/0), image 2 1 -> mean 0.75, population std 0.25
    MetricsSummary.Stat recall = s.macro(Metric.RECALL);
    assertEquals(0.75, recall.mean(), 1e-12);
    assertEquals(0.25, recall.std(), 1e-12);
    assertEquals(2, recall.n());
    // accuracy is defined everywhere: 0.5, 1, 0.75
    assertEquals(3, s.macro(Metric.ACCURACY).n());
    assertEquals(0.75, s.macro(Metric.ACCURACY).mean(), 1e-12);
    assertEquals(0, s.macro(Metric.HD).n());
    assertTrue(Double.isNaN(s.macro(Metric.HD).mean()));
    // policy one: the empty image counts as dice 1
    SegmentationMetrics one = SegmentationMetrics.builder().distances(false).emptyPolicy(EmptyPolicy.ONE).build();
    MetricsSummary s1 = one.summarize(one.batch(Tensor.of(t, 3, 2, 2), Tensor.of(p, 3, 2, 2)));
    assertEquals(3, s1.macro(Metric.DICE).n());
    assertEquals((2.0 / 3 * 2 + 1) / 3, s1.macro(Metric.DICE).mean(), 1e-12);
  }

  @Test
  void badInputNamesTheArgument() {
    SegmentationMetrics sm = SegmentationMetrics.defaults();
    Tensor t = Tensor.of(new float[] {1, 0, 0, 1}, 2, 2);
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> sm.batch(t, Tensor.of(new float[] {1, 0, 0}, 3), "--truth", "--pred"));
    assertTrue(e.getMessage().contains("[3]") && e.getMessage().contains("[2, 2]"), e.getMessage());
    e = assertThrows(InvalidInputException.class, () -> sm.batch(t, Tensor.of(new float[] {1, 0, 2, 1}, 2, 2), "--truth", "--pred"));
    assertTrue(e.getMessage().startsWith("--pred: 2.0 at flat index 2") && e.getMessage().contains("--logits"), e.getMessage());
    e = assertThrows(InvalidInputException.class, () -> sm.batch(Tensor.of(new float[] {1, 0, 3, 1}, 2, 2), t, "--truth", "--pred"));
    assertTrue(e.getMessage().startsWith("--truth: 3.0 at flat index 2"), e.getMessage());
    e = assertThrows(InvalidInputException.class, () -> sm.batch(t, Tensor.of(new float[] {1, Float.NaN, 0, 1}, 2, 2), "--truth", "--pred"));
    assertTrue(e.getMessage().contains("finite"), e.getMessage());
    assertThrows(InvalidInputException.class, () -> SegmentationMetrics.builder().threshold(1.5));
    assertThrows(InvalidInputException.class, () -> SegmentationMetrics.builder().beta(0));
    assertThrows(InvalidInputException.class, () -> SegmentationMetrics.builder().spacing(1, -1));
    e = assertThrows(InvalidInputException.class, () -> EmptyPolicy.parse("nil"));
    assertTrue(e.getMessage().contains("nan, nan_if_truth_empty, one, zero"), e.getMessage());
  }

  @Test
  void metricKeys() {
    assertEquals("balanced_accuracy", Metric.BALANCED_ACCURACY.key());
    assertEquals("hd95", Metric.HD95.key());
    assertEquals(9, Metric.COUNT_METRICS.size());
    assertTrue(Metric.ASSD.isDistance());
  }
}
