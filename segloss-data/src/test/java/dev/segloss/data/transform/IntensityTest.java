package dev.segloss.data.transform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.segloss.data.Messages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IntensityTest {
  /** NumPy: np.percentile(np.arange(1, 11), p) (linear interpolation). */
  @ParameterizedTest
  @CsvSource({"0, 1", "0.5, 1.045", "50, 5.5", "99.5, 9.955", "100, 10", "25, 3.25"})
  void percentilesMatchNumpy(double p, double expected) {
    float[] v = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    assertEquals(expected, Intensity.percentileSorted(v, p), 1e-5);
  }

  @Test
  void zscoreOfClippedValues() {
    // {1,2,3,4}: clip to [1.015, 3.985], mean 2.5, std sqrt(1.2276125)
    float[] v = Intensity.normalize(new float[] {1, 2, 3, 4}, Intensity.Mode.ZSCORE);
    double std = Math.sqrt(1.2276125);
    assertArrayEquals(new float[] {(float) (-1.485 / std), (float) (-0.5 / std), (float) (0.5 / std), (float) (1.485 / std)}, v, 1e-5f);
  }

  @Test
  void minmaxOfClippedValues() {
    float[] v = Intensity.normalize(new float[] {1, 2, 3, 4}, Intensity.Mode.MINMAX);
    assertArrayEquals(new float[] {0, (float) (0.985 / 2.97), (float) (1.985 / 2.97), 1}, v, 1e-5f);
  }

  @Test
  void anOutlierDoesNotSetTheScale() {
    float[] v = new float[1000];
    for (int i = 0; i < v.length; i++) v[i] = i % 2;
    v[7] = 1e6f;
    Intensity.normalize(v, Intensity.Mode.MINMAX);
    assertEquals(1f, v[7]);
    assertEquals(1f, v[1]); // the ordinary bright pixels still reach the top
    assertEquals(0f, v[0]);
  }

  @Test
  void constantImagesAndSelectionsAndNone() {
    assertArrayEquals(new float[] {0, 0, 0}, Intensity.normalize(new float[] {5, 5, 5}, Intensity.Mode.ZSCORE));
    assertArrayEquals(new float[] {5, -2}, Intensity.normalize(new float[] {5, -2}, Intensity.Mode.NONE));
    // statistics from the selected values only; the others are clipped into their range
    // selected {10, 20}: clipping range [10.05, 19.95]
    float[] v = {0, 0, 10, 20, 15};
    Intensity.Transform t = Intensity.fit(v, new boolean[] {false, false, true, true, false}, Intensity.Mode.MINMAX);
    t.applyInPlace(v);
    assertArrayEquals(new float[] {0, 0, 0, 1, (float) (4.95 / 9.9)}, v, 1e-5f);
    assertEquals(0f, t.floor(), 1e-6f);
    Messages.assertMessage(() -> Intensity.normalize(new float[] {1, Float.NaN}, Intensity.Mode.ZSCORE), "NaN");
  }
}
