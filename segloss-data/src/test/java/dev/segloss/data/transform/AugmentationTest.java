package dev.segloss.data.transform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segloss.data.Rng;
import dev.segloss.data.Messages;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AugmentationTest {
  static final float[] IMG = {0, 1, 2, 3, 4, 5, 6, 7, 8}; // 3x3, row-major

  /** (flipH, flipV, k, expected) — numpy: np.rot90(np.flip(a, axes), k). */
  @ParameterizedTest
  @CsvSource(delimiter = ';', value = {
    "false; false; 0; 0 1 2 3 4 5 6 7 8",
    "false; false; 1; 2 5 8 1 4 7 0 3 6",
    "false; false; 2; 8 7 6 5 4 3 2 1 0",
    "false; false; 3; 6 3 0 7 4 1 8 5 2",
    "true; false; 0; 2 1 0 5 4 3 8 7 6",
    "false; true; 0; 6 7 8 3 4 5 0 1 2",
    "true; false; 1; 0 3 6 1 4 7 2 5 8",
    "true; true; 0; 8 7 6 5 4 3 2 1 0",
  })
  void geometricTransformsMatchNumpy(boolean flipH, boolean flipV, int k, String expected) {
    float[] out = new float[9];
    Augmentation.geometric(IMG, 3, 3, flipH, flipV, k, out);
    String[] e = expected.split(" ");
    float[] exp = new float[9];
    for (int i = 0; i < 9; i++) exp[i] = Float.parseFloat(e[i]);
    assertArrayEquals(exp, out);
  }

  @Test
  void sameStreamSameResultAndMaskFollowsImage() {
    Augmentation a = Augmentation.defaults();
    float[] img = new float[8 * 8];
    float[] mask = new float[8 * 8];
    for (int i = 0; i < img.length; i++) {
      img[i] = i;
      mask[i] = (i * 7) % 3 == 0 ? 1 : 0;
    }
    for (long seed = 0; seed < 50; seed++) {
      float[] i1 = new float[64];
      float[] m1 = new float[64];
      float[] i2 = new float[64];
      float[] m2 = new float[64];
      a.apply(img, mask, 8, 8, new SplittableRandom(seed), i1, m1);
      a.apply(img, mask, 8, 8, new SplittableRandom(seed), i2, m2);
      assertArrayEquals(i1, i2);
      assertArrayEquals(m1, m2);
      // geometric only: the mask moves exactly like an image equal to it
      float[] mi = new float[64];
      float[] mm = new float[64];
      Augmentation.none().toBuilder().flips(true).rot90(true).build().apply(mask, mask, 8, 8, new SplittableRandom(seed), mi, mm);
      assertArrayEquals(mi, mm);
      float fg = 0;
      for (float v : m1) {
        assertTrue(v == 0f || v == 1f);
        fg += v;
      }
      float fg0 = 0;
      for (float v : mask) fg0 += v;
      assertEquals(fg0, fg);
    }
  }

  @Test
  void nonSquareImagesOnlyRotateByHalfTurns() {
    Augmentation a = Augmentation.none().toBuilder().rot90(true).build();
    float[] img = {0, 1, 2, 3, 4, 5}; // 2x3
    boolean sawHalfTurn = false;
    for (long seed = 0; seed < 40; seed++) {
      float[] out = new float[6];
      a.apply(img, img, 2, 3, new SplittableRandom(seed), out, new float[6]);
      boolean same = java.util.Arrays.equals(out, img);
      boolean half = java.util.Arrays.equals(out, new float[] {5, 4, 3, 2, 1, 0});
      assertTrue(same || half, java.util.Arrays.toString(out));
      sawHalfTurn |= half;
    }
    assertTrue(sawHalfTurn);
  }

  @Test
  void intensityJitterIsWhatItSays() {
    float[] img = {-1, 0, 1, 2};
    float[] out = new float[4];
    float[] m = new float[4];
    Augmentation gain = Augmentation.none().toBuilder().gain(1, 2, 2).build();
    gain.apply(img, m, 2, 2, new SplittableRandom(1), out, m.clone());
    assertArrayEquals(new float[] {-2, 0, 2, 4}, out);
    Augmentation bias = Augmentation.none().toBuilder().bias(1, 0.5).build();
    bias.apply(img, m, 2, 2, new SplittableRandom(1), out, m.clone());
    double shift = out[0] + 1;
    assertTrue(Math.abs(shift) <= 0.5);
    for (int i = 0; i < 4; i++) assertEquals(img[i] + shift, out[i], 1e-6);
    // gamma 2 on [-1, 2]: rescaled to [0,1], squared, mapped back
    Augmentation gamma = Augmentation.none().toBuilder().gamma(1, 2, 2).build();
    gamma.apply(img, m, 2, 2, new SplittableRandom(1), out, m.clone());
    assertArrayEquals(new float[] {-1, -1 + 3f / 9, -1 + 3 * 4f / 9, 2}, out, 1e-6f);
    Augmentation noise = Augmentation.none().toBuilder().noise(1, 0.1).build();
    noise.apply(img, m, 2, 2, new SplittableRandom(1), out, m.clone());
    assertFalse(java.util.Arrays.equals(img, out));
    for (int i = 0; i < 4; i++) assertEquals(img[i], out[i], 1.5); // sigma <= 0.32
  }

  @Test
  void defaultProbabilitiesShowInFrequencies() {
    Augmentation a = Augmentation.defaults();
    float[] img = {0, 1, 2, 3};
    int flippedH = 0;
    int scaled = 0;
    int n = 4000;
    for (int s = 0; s < n; s++) {
      float[] out = new float[4];
      Augmentation.none().toBuilder().flips(true).build().apply(img, img, 2, 2, Rng.stream(3, s), out, new float[4]);
      if (out[0] == 1 || out[0] == 3) flippedH++; // [1,0,3,2] or, flipped vertically too, [3,2,1,0]
      Augmentation.none().toBuilder().gain(0.15, 0.75, 1.25).build().apply(img, img, 2, 2, Rng.stream(3, s), out, new float[4]);
      if (out[3] != 3) scaled++;
    }
    assertEquals(0.5, flippedH / (double) n, 0.03);
    assertEquals(0.15, scaled / (double) n, 0.02);
    assertFalse(a.isIdentity());
    assertTrue(Augmentation.none().isIdentity());
  }

  @Test
  void parsesNamedSubsets() {
    Augmentation f = Augmentation.parse("flip+gamma");
    assertTrue(f.toString().startsWith("flips=true, rot90=false"), f.toString());
    assertTrue(f.toString().contains("gamma(p=0.30"), f.toString());
    assertTrue(Augmentation.parse("none").isIdentity());
    Messages.assertMessage(() -> Augmentation.parse("flip+warp"), "unknown augmentation 'warp'");
  }
}
