package dev.segloss.train.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.segloss.core.InvalidInputException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class UNetTest {

  @ParameterizedTest
  @CsvSource({"1,1,4,2,8,8", "1,2,4,3,16,24", "3,3,8,1,32,16", "2,3,16,2,64,64"})
  void outputShapeIsOneLogitChannelAtInputSize(int cin, int depth, int width, int n, int h, int w) {
    try (NDManager m = NDManager.newBaseManager()) {
      UNet net = new UNet(new UNetConfig(cin, depth, width));
      Shape in = new Shape(n, cin, h, w);
      net.initialize(m, DataType.FLOAT32, in);
      net.initializeWeights(1);
      NDArray x = m.randomUniform(0, 1, in);
      NDArray y = net.forward(new ParameterStore(m, false), new NDList(x), false).singletonOrThrow();
      assertEquals(new Shape(n, 1, h, w), y.getShape());
      assertEquals(new Shape(n, 1, h, w), net.getOutputShapes(new Shape[] {in})[0]);
      long params = 0;
      for (var p : net.getParameters()) if (p.getValue().requiresGradient()) params += p.getValue().getArray().size();
      assertEquals(new UNetConfig(cin, depth, width).parameterCount(), params);
      for (float v : y.toFloatArray()) assertTrue(Float.isFinite(v));
    }
  }

  @Test
  void sameSeedSameWeightsOtherSeedOtherWeights() {
    try (NDManager m = NDManager.newBaseManager()) {
      float[][] a = weights(m, 7), b = weights(m, 7), c = weights(m, 8);
      assertEquals(a.length, b.length);
      boolean anyDiff = false;
      for (int i = 0; i < a.length; i++) {
        assertArrayEquals(a[i], b[i]);
        if (!java.util.Arrays.equals(a[i], c[i])) anyDiff = true;
      }
      assertTrue(anyDiff);
    }
  }

  @Test
  void upsamplingStartsAsNearestNeighbour() {
    // ICNR: the four sub-pixel kernels of every up-convolution are equal at initialisation
    try (NDManager m = NDManager.newBaseManager()) {
      UNet net = new UNet(new UNetConfig(1, 2, 4));
      net.initialize(m, DataType.FLOAT32, new Shape(1, 1, 8, 8));
      net.initializeWeights(3);
      int ups = 0;
      for (var p : net.getParameters()) {
        if (!p.getKey().matches("\\d\\dup\\d+_weight")) continue;
        ups++;
        NDArray wArr = p.getValue().getArray();
        int out = (int) wArr.getShape().get(0);
        int fan = (int) (wArr.size() / out);
        float[] v = wArr.toFloatArray();
        for (int o = 0; o < out; o++)
          for (int f = 0; f < fan; f++) assertEquals(v[(o / 4 * 4) * fan + f], v[o * fan + f], 0f);
      }
      assertEquals(2, ups);
    }
  }

  @Test
  void badInputShapesAreRefusedWithTheReason() {
    try (NDManager m = NDManager.newBaseManager()) {
      UNet net = new UNet(new UNetConfig(1, 3, 4));
      net.initialize(m, DataType.FLOAT32, new Shape(1, 1, 16, 16));
      ParameterStore ps = new ParameterStore(m, false);
      InvalidInputException e = assertThrows(InvalidInputException.class,
          () -> net.forward(ps, new NDList(m.zeros(new Shape(1, 1, 12, 16))), false));
      assertEquals("U-Net input: height and width must be multiples of 2^depth = 8, got 12×16", e.getMessage());
      e = assertThrows(InvalidInputException.class, () -> net.forward(ps, new NDList(m.zeros(new Shape(1, 3, 16, 16))), false));
      assertTrue(e.getMessage().contains("expected 1 channel(s)"), e.getMessage());
      assertThrows(InvalidInputException.class, () -> new UNetConfig(1, 0, 16));
      assertFalse(new UNetConfig(1, 3, 16).parameterCount() <= 0);
    }
  }

  private static float[][] weights(NDManager m, long seed) {
    UNet net = new UNet(new UNetConfig(1, 2, 4));
    net.initialize(m, DataType.FLOAT32, new Shape(1, 1, 8, 8));
    net.initializeWeights(seed);
    return net.getParameters().stream().map(p -> p.getValue().getArray().toFloatArray()).toArray(float[][]::new);
  }
}
