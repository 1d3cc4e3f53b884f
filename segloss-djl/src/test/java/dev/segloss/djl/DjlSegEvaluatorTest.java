package dev.segloss.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.segloss.core.InvalidInputException;
import dev.segloss.core.Tensor;
import dev.segloss.core.metrics.EmptyPolicy;
import dev.segloss.core.metrics.ImageMetrics;
import dev.segloss.core.metrics.Metric;
import dev.segloss.core.metrics.MetricsSummary;
import dev.segloss.core.metrics.SegmentationMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The DJL evaluators against the core's metrics: accumulated over several batches of different sizes
 * (with empty truths, empty predictions and both), micro from the pooled counts and macro as the
 * nanmean over every image, for each metric, empty policy, threshold, logits and the ignore value.
 */
class DjlSegEvaluatorTest {
  static NDManager manager;

  @BeforeAll
  static void open() {
    manager = NDManager.newBaseManager();
  }

  @AfterAll
  static void close() {
    manager.close();
  }

  /** One batch: labels and predictions of shape [n, 1, 6, 5]. */
  static final class Batch {
    final float[] y;
    final float[] x;
    final int n;

    Batch(float[] y, float[] x, int n) {
      this.y = y;
      this.x = x;
      this.n = n;
    }

    NDList labels() {
      return new NDList(manager.create(y, new Shape(n, 1, 6, 5)));
    }

    NDList predictions() {
      return new NDList(manager.create(x, new Shape(n, 1, 6, 5)));
    }
  }

  static List<Batch> batches(long seed, boolean logits, boolean ignore) {
    SplittableRandom r = new SplittableRandom(seed);
    List<Batch> out = new ArrayList<>();
    int image = 0;
    for (int n : new int[] {3, 1, 4}) {
      float[] y = new float[n * 30];
      float[] x = new float[n * 30];
      for (int i = 0; i < n; i++, image++) {
        int kind = image % 5; // 0 random, 1 empty truth, 2 empty prediction, 3 both empty, 4 full truth
        for (int j = 0; j < 30; j++) {
          int k = i * 30 + j;
          y[k] = kind == 1 || kind == 3 ? 0f : kind == 4 ? 1f : (r.nextDouble() < 0.3 ? 1f : 0f);
          if (r.nextDouble() < 0.1) y[k] = (float) r.nextDouble(); // soft labels are thresholded at 0.5
          double p = kind == 2 || kind == 3 ? r.nextDouble() * 0.2 : r.nextDouble();
          x[k] = logits ? (float) Math.log(p / (1 - p)) : (float) p;
          if (ignore && r.nextDouble() < 0.15) y[k] = 255f;
        }
      }
      out.add(new Batch(y, x, n));
    }
    return out;
  }

  @TestFactory
  Stream<DynamicTest> accumulatesLikeTheCoreAcrossBatches() {
    List<DynamicTest> tests = new ArrayList<>();
    long seed = 11;
    for (Metric metric : new Metric[] {Metric.DICE, Metric.IOU, Metric.PRECISION, Metric.RECALL, Metric.F_BETA, Metric.MCC}) {
      for (EmptyPolicy policy : EmptyPolicy.values()) {
        for (double threshold : new double[] {0.5, 0.3}) {
          for (boolean logits : new boolean[] {false, true}) {
            for (boolean ignore : new boolean[] {false, true}) {
              long s = seed++;
              String name = metric.key() + " empty=" + policy.word() + " t=" + threshold + (logits ? " logits" : "") + (ignore ? " ignore" : "");
              tests.add(DynamicTest.dynamicTest(name, () -> check(metric, policy, threshold, logits, ignore, s)));
            }
          }
        }
      }
    }
    return tests.stream();
  }

  static void check(Metric metric, EmptyPolicy policy, double threshold, boolean logits, boolean ignore, long seed) {
    List<Batch> batches = batches(seed, logits, ignore);
    SegmentationMetrics.Builder cb = SegmentationMetrics.builder().threshold(threshold).fromLogits(logits).emptyPolicy(policy)
        .beta(2).distances(false);
    if (ignore) cb.ignoreValue(255);
    SegmentationMetrics core = cb.build();
    List<ImageMetrics> all = new ArrayList<>();
    for (Batch b : batches) all.addAll(core.batch(Tensor.of(b.y, b.n, 1, 6, 5), Tensor.of(b.x, b.n, 1, 6, 5)));
    MetricsSummary summary = core.summarize(all);

    for (DjlSegEvaluator.Aggregation agg : DjlSegEvaluator.Aggregation.values()) {
      DjlSegEvaluator.Builder b = DjlSegEvaluator.builder(metric).threshold(threshold).fromLogits(logits).emptyPolicy(policy)
          .beta(2).aggregation(agg);
      if (ignore) b.ignoreValue(255);
      DjlSegEvaluator e = b.build();
      String key = "train/epoch";
      e.addAccumulator(key);
      int seen = 0;
      for (Batch batch : batches) {
        // the batch alone, through evaluate
        List<ImageMetrics> own = all.subList(seen, seen + batch.n);
        double alone = agg == DjlSegEvaluator.Aggregation.MICRO ? core.summarize(own).micro(metric) : core.summarize(own).macro(metric).mean();
        assertEquals((float) alone, e.evaluate(batch.labels(), batch.predictions()).getFloat(), 1e-6f, "evaluate, " + agg);
        e.updateAccumulator(key, batch.labels(), batch.predictions());
        seen += batch.n;
        List<ImageMetrics> sofar = all.subList(0, seen);
        double expected = agg == DjlSegEvaluator.Aggregation.MICRO ? core.summarize(sofar).micro(metric)
            : core.summarize(sofar).macro(metric).mean();
        assertEquals((float) expected, e.getAccumulator(key), 1e-6f, agg + " after " + seen + " images");
      }
      double expected = agg == DjlSegEvaluator.Aggregation.MICRO ? summary.micro(metric) : summary.macro(metric).mean();
      assertEquals((float) expected, e.getAccumulator(key), 1e-6f, agg.toString());
      e.resetAccumulator(key);
      assertTrue(Float.isNaN(e.getAccumulator(key)) || agg == DjlSegEvaluator.Aggregation.MICRO, "reset");
    }
  }

  @Test
  void countsMatchTheCoreImageByImage() {
    for (boolean ignore : new boolean[] {false, true}) {
      for (Batch b : batches(3, false, ignore)) {
        DjlSegEvaluator e = DjlSegEvaluator.builder(Metric.DICE).ignoreValue(ignore ? 255 : Double.NaN).build();
        SegmentationMetrics core = SegmentationMetrics.builder().ignoreValue(ignore ? 255 : Double.NaN).distances(false).build();
        List<ImageMetrics> per = core.batch(Tensor.of(b.y, b.n, 1, 6, 5), Tensor.of(b.x, b.n, 1, 6, 5));
        long[][] counts = e.confusion(b.labels(), b.predictions());
        for (int i = 0; i < b.n; i++) {
          var c = per.get(i).counts();
          assertArrayEquals(new long[] {c.tp(), c.fp(), c.fn(), c.tn()}, counts[i]);
        }
      }
    }
  }

  /** The threshold is compared as the core compares a float prediction with the double threshold. */
  @Test
  void thresholdIsExactAtTheBoundary() {
    for (double t : new double[] {0.3, 0.1, 0.5, 0.7, 1e-3}) {
      float at = (float) t;
      float[] x = {Math.nextDown(at), at, Math.nextUp(at), (float) t};
      float[] y = {1, 1, 1, 1};
      SegmentationMetrics core = SegmentationMetrics.builder().threshold(t).distances(false).build();
      long tpCore = core.batch(Tensor.of(y, 1, 4), Tensor.of(x, 1, 4)).get(0).counts().tp();
      DjlSegEvaluator e = DjlSegEvaluator.builder(Metric.RECALL).threshold(t).build();
      long tp = e.confusion(new NDList(manager.create(y, new Shape(1, 4))), new NDList(manager.create(x, new Shape(1, 4))))[0][0];
      assertEquals(tpCore, tp, "threshold " + t);
    }
  }

  @Test
  void namesAndErrors() {
    assertEquals("dice", DjlSegEvaluator.dice(true).getName());
    assertEquals("iou_micro", DjlSegEvaluator.builder(Metric.IOU).micro().build().getName());
    assertEquals("val_dice", DjlSegEvaluator.builder(Metric.DICE).name("val_dice").build().getName());
    assertEquals(Metric.PRECISION, DjlSegEvaluator.precision(false).metric());
    assertEquals(Metric.RECALL, DjlSegEvaluator.recall(false).metric());
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> DjlSegEvaluator.builder(Metric.HD95));
    assertTrue(e.getMessage().startsWith("metric: expected one of the count metrics"), e.getMessage());
    e = assertThrows(InvalidInputException.class, () -> DjlSegEvaluator.builder(Metric.DICE).threshold(1.5));
    assertEquals("threshold: expected a probability in [0,1], got 1.5", e.getMessage());
    DjlSegEvaluator d = DjlSegEvaluator.dice(false);
    e = assertThrows(InvalidInputException.class, () -> d.evaluate(new NDList(manager.zeros(new Shape(2, 3))), new NDList(manager.zeros(new Shape(2, 4)))));
    assertEquals("y_true: shape [2, 3] does not match y_pred shape [2, 4]", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> d.getAccumulator("never/added"));
  }
}
