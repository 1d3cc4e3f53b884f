package dev.segloss.data.batch;

import static dev.segloss.data.Messages.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segloss.data.Sample;
import dev.segloss.data.transform.Augmentation;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Patches with foreground oversampling: sizes, contents cut from the (augmented) image, the forced third, determinism. */
class BatchLoaderPatchTest {
  static final int H = 48, W = 40;

  /** Images whose pixel value encodes its position (y·W + x), with one small foreground square in a corner. */
  static List<Sample> samples(int n) {
    List<Sample> out = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      float[] img = new float[H * W], m = new float[H * W];
      for (int i = 0; i < img.length; i++) img[i] = i;
      for (int y = 40; y < 44; y++) for (int x = 34; x < 38; x++) m[y * W + x] = 1;
      out.add(new Sample("s" + k, H, W, img, m, -1));
    }
    return out;
  }

  @Test
  void patchesAreCutFromTheImageAndTheLastThirdHoldsForeground() {
    BatchLoader.Config cfg = BatchLoader.Config.builder().batchSize(6).seed(3).patch(16, 16, 1 / 3.0).build();
    try (BatchLoader l = new BatchLoader(samples(24), cfg)) {
      int forcedWithFg = 0;
      for (int b = 0; b < l.batchesPerEpoch(); b++) {
        Batch batch = l.batch(2, b);
        assertEquals(16, batch.height());
        assertEquals(16, batch.width());
        for (int j = 0; j < batch.size(); j++) {
          // a 16×16 window of the position-coded image: consecutive values along rows, W apart down columns
          int base = j * 256;
          float corner = batch.images()[base];
          int y0 = (int) corner / W, x0 = (int) corner % W;
          assertTrue(y0 + 16 <= H && x0 + 16 <= W, "inside the image");
          for (int r = 0; r < 16; r++) for (int c = 0; c < 16; c++) assertEquals(corner + r * W + c, batch.images()[base + r * 16 + c], 0f);
          boolean fg = false;
          for (int i = 0; i < 256; i++) fg |= batch.masks()[base + i] == 1f;
          // positions 4 and 5 of 6 (j ≥ round(6 · 2/3)) are centred on foreground
          if (j >= 4) {
            assertTrue(fg, "batch " + b + " position " + j + " should hold foreground");
            forcedWithFg++;
          }
        }
      }
      assertEquals(8, forcedWithFg);
      // deterministic: the same batch again, and the same through the background workers
      assertArrayEquals(l.batch(2, 1).images(), l.batch(2, 1).images());
      try (BatchLoader.Epoch e = l.epoch(2)) {
        assertArrayEquals(l.batch(2, 0).images(), e.next().images());
      }
    }
  }

  @Test
  void augmentedPatchesStayConsistentWithTheirMasks() {
    // with augmentation (flips, rotations of square images are skipped here: 48×40) the mask moves with the image
    BatchLoader.Config cfg = BatchLoader.Config.builder().batchSize(3).seed(9).augmentation(Augmentation.defaults()).patch(16, 16, 1.0).build();
    try (BatchLoader l = new BatchLoader(samples(6), cfg)) {
      for (int b = 0; b < 2; b++) {
        Batch batch = l.batch(0, b);
        for (int j = 0; j < batch.size(); j++) {
          int n = 0;
          for (int i = 0; i < 256; i++) n += batch.masks()[j * 256 + i] == 1f ? 1 : 0;
          assertTrue(n > 0, "every patch is forced onto the 4×4 foreground square");
        }
      }
    }
  }

  @Test
  void aPatchAsLargeAsTheImageIsTheWholeImage() {
    BatchLoader.Config cfg = BatchLoader.Config.builder().batchSize(2).shuffle(false).patch(64, 64, 0.33).build();
    try (BatchLoader l = new BatchLoader(samples(2), cfg)) {
      Batch b = l.batch(0, 0);
      assertEquals(H, b.height());
      assertEquals(W, b.width());
      assertArrayEquals(samples(1).get(0).image(), java.util.Arrays.copyOf(b.images(), H * W));
    }
    assertMessage(() -> BatchLoader.Config.builder().patch(16, 0, 0.3), "--patch: expected a size HxW");
    assertMessage(() -> BatchLoader.Config.builder().patch(16, 16, 1.5), "--patch: the foreground share must be in [0, 1]");
  }
}
