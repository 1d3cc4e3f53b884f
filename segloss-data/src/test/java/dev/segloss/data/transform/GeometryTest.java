package dev.segloss.data.transform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class GeometryTest {
  @Test
  void cropOrPadCentres() {
    float[] a = {1, 2, 3, 4}; // 2x2
    // 2 -> 3 rows: the extra row goes at the end; 2 -> 4 columns: one each side
    assertArrayEquals(new float[] {9, 1, 2, 9, 9, 3, 4, 9, 9, 9, 9, 9}, Geometry.cropOrPad(a, 2, 2, 3, 4, 9));
    float[] b = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}; // 4x4
    assertArrayEquals(new float[] {5, 6, 9, 10}, Geometry.cropOrPad(b, 4, 4, 2, 2, 0));
    assertArrayEquals(new float[] {0, 1, 2, 4, 5, 6, 8, 9, 10}, Geometry.cropOrPad(b, 4, 4, 3, 3, 0)); // extra pixel cut at the end
    assertEquals(32, Geometry.roundUp(17, 16));
    assertEquals(17, Geometry.roundUp(17, 1));
  }

  @Test
  void bilinearHalvingAveragesPairsAndKeepsConstants() {
    float[] ramp = new float[8 * 8];
    for (int y = 0; y < 8; y++) for (int x = 0; x < 8; x++) ramp[y * 8 + x] = x;
    float[] half = Geometry.resizeBilinear(ramp, 8, 8, 4, 4);
    // align_corners=false: output pixel x samples source x' = 2x + 0.5
    assertArrayEquals(new float[] {0.5f, 2.5f, 4.5f, 6.5f}, java.util.Arrays.copyOfRange(half, 0, 4), 1e-6f);
    float[] big = new float[100 * 60];
    java.util.Arrays.fill(big, 3.25f);
    for (float v : Geometry.resizeBilinear(big, 100, 60, 10, 7)) assertEquals(3.25f, v, 1e-5f); // box prefilter path
    float[] up = Geometry.resizeBilinear(new float[] {0, 4}, 1, 2, 1, 4);
    assertArrayEquals(new float[] {0, 1, 3, 4}, up, 1e-6f);
  }

  @Test
  void nearestKeepsMaskValues() {
    float[] m = {0, 1, 1, 0}; // 2x2
    assertArrayEquals(new float[] {0, 0, 1, 1, 0, 0, 1, 1, 1, 1, 0, 0, 1, 1, 0, 0}, Geometry.resizeNearest(m, 2, 2, 4, 4));
    assertArrayEquals(new float[] {0}, Geometry.resizeNearest(m, 2, 2, 1, 1));
  }
}
