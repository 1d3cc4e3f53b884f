package dev.segloss.core.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.segloss.core.metrics.EmptyPolicy;
import dev.segloss.core.metrics.ImageMetrics;
import dev.segloss.core.metrics.Metric;
import dev.segloss.core.metrics.SegmentationMetrics;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The results that cross Spark (segloss-spark) survive Java serialization whole: a counter, weights, per-image
 * metrics and the metrics settings come back equal to the last bit and work as before.
 */
class SerializableResultsTest {
  @SuppressWarnings("unchecked")
  static <T> T roundTrip(T o) throws IOException, ClassNotFoundException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(b)) {
      out.writeObject(o);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(b.toByteArray()))) {
      return (T) in.readObject();
    }
  }

  @Test
  void countersAndWeights() throws Exception {
    Random r = new Random(3);
    float[] soft = new float[200];
    for (int i = 0; i < soft.length; i++) soft[i] = i % 17 == 0 ? 255f : r.nextFloat();
    ClassPixelCounter c = new ClassPixelCounter(255).addImage(soft, "a").addImage(new float[] {0, 1, 1, 0}, "b");
    ClassPixelCounter back = roundTrip(c);
    assertEquals(c.positive(), back.positive());
    assertEquals(c.negative(), back.negative());
    assertEquals(c.ignored(), back.ignored());
    assertEquals(c.images(), back.images());
    assertEquals(c.pixelsWherePositive(), back.pixelsWherePositive());
    assertEquals(c.pixelsWhereNegative(), back.pixelsWhereNegative());
    // the ignore value travels too: a deserialized counter still skips 255
    back.addImage(new float[] {255, 1}, "c");
    assertEquals(c.ignored() + 1, back.ignored());
    ClassWeights w = c.weights(WeightMethod.MEDIAN);
    ClassWeights wb = roundTrip(w);
    assertEquals(w.wPos(), wb.wPos());
    assertEquals(w.wNeg(), wb.wNeg());
    assertEquals(w.toSpecFragment(), wb.toSpecFragment());
  }

  @Test
  void metricsAndTheirSettings() throws Exception {
    SegmentationMetrics sm = SegmentationMetrics.builder().threshold(0.4).beta(2).spacing(0.5, 2).emptyPolicy(EmptyPolicy.ONE).ignoreValue(7).build();
    float[] t = {1, 1, 0, 0, 7, 0, 1, 0, 0};
    float[] p = {0.9f, 0.3f, 0.5f, 0.1f, 0.8f, 0f, 0.41f, 0.2f, 0.39f};
    ImageMetrics m = sm.image("x", t, p, 0, new int[] {3, 3}, "truth", "pred");
    ImageMetrics mb = roundTrip(m);
    assertEquals(m.name(), mb.name());
    assertEquals(m.counts(), mb.counts());
    for (Metric k : Metric.values()) assertEquals(Double.doubleToRawLongBits(m.get(k)), Double.doubleToRawLongBits(mb.get(k)), k.key());
    SegmentationMetrics smb = roundTrip(sm);
    ImageMetrics again = smb.image("x", t, p, 0, new int[] {3, 3}, "truth", "pred");
    double[] a = new double[Metric.values().length];
    double[] b = new double[a.length];
    for (Metric k : Metric.values()) {
      a[k.ordinal()] = m.get(k);
      b[k.ordinal()] = again.get(k);
    }
    assertArrayEquals(a, b, "settings (threshold, beta, spacing, policy, ignore value) survive");
  }
}
