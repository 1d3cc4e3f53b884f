package dev.segloss.tensorflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tensorflow.EagerSession;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;

/**
 * The streaming metrics against the core's {@link SegmentationMetrics} (macro and micro summaries) on
 * batches fed one after another: every metric, empty policy and aggregation, thresholds with values
 * exactly at the cut, logits, ignored pixels, images with empty truth and/or prediction.
 */
class TfSegMetricTest {
  static final int[] SHAPE = {4, 6, 5, 1};
  static final Metric[] METRICS = {Metric.DICE, Metric.IOU, Metric.PRECISION, Metric.RECALL};

  /** One batch: image kinds 0 both empty, 1 truth empty only, 2 prediction empty only, 3 random. */
  static float[][] batch(long seed, boolean logits, double t, boolean ignore) {
    SplittableRandom r = new SplittableRandom(seed);
    int m = 30;
    float[] y = new float[4 * m];
    float[] x = new float[4 * m];
    float cut = logits ? (float) Math.log(t / (1 - t)) : (float) t;
    for (int img = 0; img < 4; img++) {
      int kind = (int) ((seed + img) % 4);
      for (int i = 0; i < m; i++) {
        int j = img * m + i;
        boolean truth = kind >= 2 ? r.nextDouble() < 0.3 : false;
        if (kind == 2 && i == 0) truth = true;
        boolean pred = kind == 0 || kind == 2 ? false : r.nextDouble() < 0.4;
        if (kind == 1 && i == 0) pred = true;
        y[j] = truth ? 1f : 0f;
        if (kind == 3 && r.nextDouble() < 0.1) y[j] = r.nextDouble() < 0.5 ? 0.5f : 0.49f; // soft labels at the cut
        float v = logits ? (float) (r.nextDouble() * 4 + 0.01) : (float) (r.nextDouble() * 0.45 + 0.01);
        x[j] = pred ? (logits ? cut + v : Math.min(1f, cut + v)) : (logits ? cut - v : Math.max(0f, cut - v));
        if (pred && r.nextDouble() < 0.2) x[j] = cut; // exactly at the threshold: foreground
        if (ignore && r.nextDouble() < 0.1) y[j] = 255f;
      }
    }
    return new float[][] {y, x};
  }

  @ParameterizedTest(name = "logits={0} t={1} ignore={2}")
  @CsvSource({"false, 0.5, false", "true, 0.5, false", "false, 0.3, true", "true, 0.3, true", "true, 0.9, false"})
  void streamingEqualsTheCoreSummary(boolean logits, double t, boolean ignore) {
    List<TfSegMetric> metrics = new ArrayList<>();
    for (Metric m : METRICS) {
      for (EmptyPolicy p : EmptyPolicy.values()) {
        for (TfSegMetric.Aggregation a : TfSegMetric.Aggregation.values()) {
          TfSegMetric.Builder b = TfSegMetric.builder(m).threshold(t).fromLogits(logits).emptyPolicy(p).aggregation(a);
          if (ignore) b.ignoreValue(255);
          metrics.add(b.build());
        }
      }
    }
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> y = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 6, 5, 1)));
      Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 6, 5, 1)));
      List<Op> updates = new ArrayList<>();
      List<Operand<TFloat64>> results = new ArrayList<>();
      List<Op> resets = new ArrayList<>();
      for (TfSegMetric m : metrics) {
        updates.add(m.updateState(tf, y, x));
        results.add(m.result(tf, TFloat64.class));
        resets.add(m.resetStates(tf));
      }
      List<float[]> ys = new ArrayList<>();
      List<float[]> xs = new ArrayList<>();
      for (long seed = 1; seed <= 3; seed++) {
        float[][] bt = batch(seed * 7 + (logits ? 1 : 0), logits, t, ignore);
        ys.add(bt[0]);
        xs.add(bt[1]);
        feedAndUpdate(s, y, x, bt, updates);
      }
      check(s, metrics, results, ys, xs, "after 3 batches");
      Session.Runner reset = s.runner();
      for (Op r : resets) reset.addTarget(r);
      reset.run();
      for (int i = 0; i < metrics.size(); i++) {
        double v = fetch(s, results.get(i));
        TfSegMetric m = metrics.get(i);
        boolean nanExpected = m.aggregation() == TfSegMetric.Aggregation.MACRO || m.toString().contains("empty=nan");
        if (nanExpected) assertTrue(Double.isNaN(v), m + " after reset: " + v);
        else assertEquals(m.toString().contains("empty=one") ? 1.0 : 0.0, v, 0.0, m + " after reset (0/0)");
      }
      float[][] bt = batch(99, logits, t, ignore);
      feedAndUpdate(s, y, x, bt, updates);
      check(s, metrics, results, List.of(bt[0]), List.of(bt[1]), "after reset and one batch");
    }
  }

  private static void feedAndUpdate(Session s, Placeholder<TFloat32> y, Placeholder<TFloat32> x, float[][] bt, List<Op> updates) {
    try (TFloat32 yt = TfTensors.of(bt[0], SHAPE); TFloat32 xt = TfTensors.of(bt[1], SHAPE)) {
      Session.Runner r = s.runner().feed(y, yt).feed(x, xt);
      for (Op u : updates) r.addTarget(u);
      r.run();
    }
  }

  private static double fetch(Session s, Operand<TFloat64> op) {
    try (TFloat64 v = (TFloat64) s.runner().fetch(op).run().get(0)) {
      return v.getDouble();
    }
  }

  private static void check(Session s, List<TfSegMetric> metrics, List<Operand<TFloat64>> results, List<float[]> ys,
      List<float[]> xs, String when) {
    for (int i = 0; i < metrics.size(); i++) {
      TfSegMetric m = metrics.get(i);
      double got = fetch(s, results.get(i));
      double want = expected(m, ys, xs);
      String what = m + " " + m.aggregation() + " " + when;
      if (Double.isNaN(want)) assertTrue(Double.isNaN(got), what + ": expected NaN, got " + got);
      else assertEquals(want, got, 1e-12, what);
    }
  }

  /** The core's value: macro mean or micro value over all images of all batches. */
  private static double expected(TfSegMetric m, List<float[]> ys, List<float[]> xs) {
    String s = m.toString();
    EmptyPolicy p = EmptyPolicy.parse(s.substring(s.indexOf("empty=") + 6, s.length() - 1));
    double t = Double.parseDouble(s.substring(s.indexOf("t=") + 2, s.indexOf(s.contains(", logits") ? ", logits" : ", empty")));
    SegmentationMetrics core = SegmentationMetrics.builder().threshold(t).fromLogits(s.contains(", logits")).emptyPolicy(p)
        .ignoreValue(ys.stream().anyMatch(a -> contains(a, 255f)) ? 255 : Double.NaN).distances(false).build();
    List<ImageMetrics> per = new ArrayList<>();
    for (int b = 0; b < ys.size(); b++) per.addAll(core.batch(Tensor.of(ys.get(b), SHAPE), Tensor.of(xs.get(b), SHAPE)));
    MetricsSummary sum = core.summarize(per);
    return m.aggregation() == TfSegMetric.Aggregation.MICRO ? sum.micro(m.metric()) : sum.macro(m.metric()).mean();
  }

  private static boolean contains(float[] a, float v) {
    for (float f : a) if (f == v) return true;
    return false;
  }

  /** Integer weights act as repeated pixels (micro) and repeated images (macro). */
  @Test
  void weightsActAsRepetitions() {
    float[][] bt = batch(5, false, 0.5, false);
    SplittableRandom r = new SplittableRandom(3);
    float[] pixelW = new float[120];
    List<Float> ey = new ArrayList<>();
    List<Float> ex = new ArrayList<>();
    for (int i = 0; i < 120; i++) {
      pixelW[i] = r.nextInt(4);
      for (int k = 0; k < pixelW[i]; k++) {
        ey.add(bt[0][i]);
        ex.add(bt[1][i]);
      }
    }
    float[] imageW = {2f, 0f, 1f, 3f};
    List<float[]> ry = new ArrayList<>();
    List<float[]> rx = new ArrayList<>();
    for (int img = 0; img < 4; img++) {
      for (int k = 0; k < imageW[img]; k++) {
        float[] yy = new float[30];
        float[] xx = new float[30];
        System.arraycopy(bt[0], img * 30, yy, 0, 30);
        System.arraycopy(bt[1], img * 30, xx, 0, 30);
        ry.add(yy);
        rx.add(xx);
      }
    }
    SegmentationMetrics core = SegmentationMetrics.builder().distances(false).emptyPolicy(EmptyPolicy.ONE).build();
    for (Metric mt : METRICS) {
      TfSegMetric micro = TfSegMetric.builder(mt).aggregation(TfSegMetric.Aggregation.MICRO).emptyPolicy(EmptyPolicy.ONE).build();
      TfSegMetric macro = TfSegMetric.builder(mt).emptyPolicy(EmptyPolicy.ONE).build();
      double[] got = new double[2];
      try (Graph g = new Graph(); Session s = new Session(g)) {
        Ops tf = Ops.create(g);
        Operand<TFloat32> y = tf.constant(TfTensors.shape(SHAPE), org.tensorflow.ndarray.buffer.DataBuffers.of(bt[0]));
        Operand<TFloat32> x = tf.constant(TfTensors.shape(SHAPE), org.tensorflow.ndarray.buffer.DataBuffers.of(bt[1]));
        Op u1 = micro.updateState(tf, y, x, tf.constant(TfTensors.shape(SHAPE), org.tensorflow.ndarray.buffer.DataBuffers.of(pixelW)));
        Op u2 = macro.updateState(tf, y, x, tf.constant(imageW));
        s.runner().addTarget(u1).addTarget(u2).run();
        got[0] = fetch(s, micro.result(tf, TFloat64.class));
        got[1] = fetch(s, macro.result(tf, TFloat64.class));
      }
      float[] fy = new float[ey.size()];
      float[] fx = new float[ex.size()];
      for (int i = 0; i < fy.length; i++) {
        fy[i] = ey.get(i);
        fx[i] = ex.get(i);
      }
      double wantMicro = core.summarize(core.batch(Tensor.of(fy, 1, fy.length), Tensor.of(fx, 1, fx.length))).micro(mt);
      List<ImageMetrics> per = new ArrayList<>();
      for (int i = 0; i < ry.size(); i++) per.addAll(core.batch(Tensor.of(ry.get(i), 1, 30), Tensor.of(rx.get(i), 1, 30)));
      double wantMacro = core.summarize(per).macro(mt).mean();
      assertEquals(wantMicro, got[0], 1e-12, mt + " micro with pixel weights");
      assertEquals(wantMacro, got[1], 1e-12, mt + " macro with image weights");
    }
  }

  @Test
  void callOnceAndMisuse() {
    float[][] bt = batch(11, false, 0.5, false);
    TfSegMetric dice = TfSegMetric.dice();
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Operand<TFloat32> y = tf.constant(TfTensors.shape(SHAPE), org.tensorflow.ndarray.buffer.DataBuffers.of(bt[0]));
      Operand<TFloat32> x = tf.constant(TfTensors.shape(SHAPE), org.tensorflow.ndarray.buffer.DataBuffers.of(bt[1]));
      Operand<TFloat64> once = dice.callOnce(tf, y, x, TFloat64.class);
      SegmentationMetrics core = SegmentationMetrics.builder().distances(false).build();
      double want = core.summarize(core.batch(Tensor.of(bt[0], SHAPE), Tensor.of(bt[1], SHAPE))).macro(Metric.DICE).mean();
      assertEquals(want, fetch(s, once), 1e-12);
      try (Graph other = new Graph()) {
        assertThrows(IllegalStateException.class, () -> dice.result(Ops.create(other), TFloat32.class));
      }
    }
    try (EagerSession e = EagerSession.create()) {
      assertThrows(IllegalStateException.class, () -> TfSegMetric.iou().result(Ops.create(e), TFloat32.class));
    }
    assertThrows(InvalidInputException.class, () -> TfSegMetric.builder(Metric.HD95));
    assertThrows(InvalidInputException.class, () -> TfSegMetric.builder(Metric.DICE).threshold(1.5));
  }

  @Test
  void probabilitiesOutsideUnitIntervalFailAtRunTime() {
    float[][] bt = batch(12, false, 0.5, false);
    bt[1][7] = 1.25f;
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Op u = TfSegMetric.recall().updateState(tf, tf.constant(TfTensors.shape(SHAPE), org.tensorflow.ndarray.buffer.DataBuffers.of(bt[0])),
          tf.constant(TfTensors.shape(SHAPE), org.tensorflow.ndarray.buffer.DataBuffers.of(bt[1])));
      Exception ex = assertThrows(Exception.class, () -> s.runner().addTarget(u).run());
      assertTrue(TfErrors.oneLine(ex).contains("fromLogits=true"), TfErrors.oneLine(ex));
    }
  }
}
