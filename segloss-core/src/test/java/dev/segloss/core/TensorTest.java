package dev.segloss.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TensorTest {
  @Test
  void spatialShapeDropsTheBatchAndSingletonAxes() {
    int[][][] table = { // batch shape, spatial shape
        {{4, 1, 8, 9}, {8, 9}}, {{4, 8, 1, 9}, {8, 9}}, {{2, 3}, {3}}, {{2, 1, 1}, {1}}, {{5}, {1}}, {{1, 2, 3, 4}, {2, 3, 4}}};
    for (int[][] row : table) {
      assertArrayEquals(row[1], Tensor.spatialShape(row[0]), java.util.Arrays.toString(row[0]));
      assertArrayEquals(row[1], Tensor.zeros(row[0]).spatialShape());
      int[] image = java.util.Arrays.copyOfRange(row[0], 1, row[0].length);
      assertArrayEquals(row[1], Tensor.squeeze(image), "squeeze is spatialShape without the batch axis");
    }
  }

  @Test
  void shapeMustFitTheData() {
    Tensor t = Tensor.of(new float[6], 2, 3);
    assertEquals(2, t.batch());
    assertEquals(3, t.imageSize());
    assertThrows(InvalidInputException.class, () -> Tensor.of(new float[5], 2, 3));
    assertThrows(InvalidInputException.class, () -> Tensor.of(new float[0], 2, -1));
  }
}
