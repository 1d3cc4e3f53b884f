package dev.segloss.train.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.segloss.core.InvalidInputException;
import org.junit.jupiter.api.Test;

class PixelShuffleTest {

  @Test
  void shapeAndOrderingMatchTheDefinition() {
    int n = 2, c = 3, r = 2, h = 3, w = 4;
    float[] in = new float[n * c * r * r * h * w];
    for (int i = 0; i < in.length; i++) in[i] = i;
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.create(in, new Shape(n, c * r * r, h, w));
      NDArray y = PixelShuffle.apply(x, r);
      assertEquals(new Shape(n, c, h * r, w * r), y.getShape());
      assertEquals(PixelShuffle.outputShape(x.getShape(), r), y.getShape());
      float[] out = y.toFloatArray();
      // out[b, ch, hh*r + i, ww*r + j] = in[b, ch*r*r + i*r + j, hh, ww]
      for (int b = 0; b < n; b++)
        for (int ch = 0; ch < c; ch++)
          for (int hh = 0; hh < h; hh++)
            for (int ww = 0; ww < w; ww++)
              for (int i = 0; i < r; i++)
                for (int j = 0; j < r; j++) {
                  int src = ((b * c * r * r + ch * r * r + i * r + j) * h + hh) * w + ww;
                  int dst = ((b * c + ch) * h * r + hh * r + i) * w * r + ww * r + j;
                  assertEquals(in[src], out[dst], 0f, "b" + b + " c" + ch + " h" + hh + " w" + ww + " i" + i + " j" + j);
                }
    }
  }

  @Test
  void handWorkedExampleWithFactorTwo() {
    // one image, four channels of one pixel each → one 2×2 channel read row by row
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.create(new float[] {10, 20, 30, 40}, new Shape(1, 4, 1, 1));
      assertArrayEquals(new float[] {10, 20, 30, 40}, PixelShuffle.apply(x, 2).toFloatArray());
      // two pixels side by side: channel k holds (a_k, b_k); the output row 0 is a0 a1 b0 b1
      NDArray x2 = m.create(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, new Shape(1, 4, 1, 2));
      assertArrayEquals(new float[] {1, 3, 2, 4, 5, 7, 6, 8}, PixelShuffle.apply(x2, 2).toFloatArray());
    }
  }

  @Test
  void factorThreeAndOneAndBadChannels() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.arange(0f, 2 * 9 * 2 * 2).reshape(1, 18, 2, 2);
      assertEquals(new Shape(1, 2, 6, 6), PixelShuffle.apply(x, 3).getShape());
      assertEquals(x, PixelShuffle.apply(x, 1));
      InvalidInputException e = assertThrows(InvalidInputException.class, () -> PixelShuffle.apply(m.zeros(new Shape(1, 6, 2, 2)), 2));
      assertEquals("pixel shuffle: channels 6 not divisible by r^2 = 4", e.getMessage());
    }
  }
}
