package dev.segloss.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.segloss.core.loss.LossInput;
import dev.segloss.core.metrics.SegmentationMetrics;
import dev.segloss.core.weights.ClassPixelCounter;
import org.junit.jupiter.api.Test;

/** Losses, metrics and class-weight counts reject the same bad values with the same words. */
class BadValueWordingTest {
  static final float[] GOOD_Y = {1, 0, 0, 1};
  static final float[] GOOD_P = {0.9f, 0.1f, 0.2f, 0.8f};

  private static String loss(float[] y, float[] p, double ignore) {
    return assertThrows(InvalidInputException.class,
        () -> LossInput.builder(Tensor.of(y, 2, 2), Tensor.of(p, 2, 2)).ignoreValue(ignore).names("T", "P", "W").build()).getMessage();
  }

  private static String metrics(float[] y, float[] p, double ignore) {
    SegmentationMetrics sm = SegmentationMetrics.builder().ignoreValue(ignore).build();
    return assertThrows(InvalidInputException.class, () -> sm.batch(Tensor.of(y, 2, 2), Tensor.of(p, 2, 2), "T", "P")).getMessage();
  }

  @Test
  void labelsAndPredictions() {
    float[] y = {1, 7, 0, 1};
    String expected = "T: 7.0 at flat index 1 is not a label in [0,1] (use --ignore-value for a void label)";
    assertEquals(expected, loss(y, GOOD_P, Double.NaN));
    assertEquals(expected, metrics(y, GOOD_P, Double.NaN));
    assertEquals(expected, assertThrows(InvalidInputException.class,
        () -> new ClassPixelCounter().addBatch(Tensor.of(y, 2, 2), "T")).getMessage());
    String withIgnore = "T: 7.0 at flat index 1 is not a label in [0,1] nor the ignore value 255.0";
    assertEquals(withIgnore, loss(y, GOOD_P, 255));
    assertEquals(withIgnore, metrics(y, GOOD_P, 255));
    assertEquals(withIgnore, assertThrows(InvalidInputException.class,
        () -> new ClassPixelCounter(255).addBatch(Tensor.of(y, 2, 2), "T")).getMessage());

    float[] nan = {0.9f, 0.1f, Float.NaN, 0.8f};
    assertEquals("P: NaN at flat index 2; predictions must be finite", loss(GOOD_Y, nan, Double.NaN));
    assertEquals(loss(GOOD_Y, nan, Double.NaN), metrics(GOOD_Y, nan, Double.NaN));
    float[] big = {0.9f, 1.5f, 0.2f, 0.8f};
    assertEquals("P: 1.5 at flat index 1 is not a probability in [0,1]; if these are logits, say so (--logits / fromLogits(true))",
        loss(GOOD_Y, big, Double.NaN));
    assertEquals(loss(GOOD_Y, big, Double.NaN), metrics(GOOD_Y, big, Double.NaN));
  }
}
