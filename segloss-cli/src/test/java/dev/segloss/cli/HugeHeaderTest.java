package dev.segloss.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segloss.core.io.Images;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9: {@code train --skip-bad} with one image whose header claims 100000x100000 pixels refused the
 * whole data set ("12 pairs at 32x32 need 596 GiB") without naming the file. Now the file is named:
 * refused without --skip-bad, skipped and listed with it; its pixels are never decoded.
 */
class HugeHeaderTest {
  @TempDir Path dir;

  private Path data(boolean hugeMask) throws Exception {
    Path data = dir.resolve(hugeMask ? "both" : "image-only");
    Path images = Files.createDirectories(data.resolve("images")), masks = Files.createDirectories(data.resolve("masks"));
    SplittableRandom rnd = new SplittableRandom(5);
    for (int k = 0; k < 12; k++) {
      float[] img = new float[32 * 32], m = new float[32 * 32];
      for (int i = 0; i < img.length; i++) {
        m[i] = (i / 32 - 16) * (i / 32 - 16) + (i % 32 - 16) * (i % 32 - 16) < 9 + 2 * k ? 1 : 0;
        img[i] = (float) (0.3 + 0.4 * m[i] + 0.1 * rnd.nextDouble());
      }
      Images.writeGrayPng(images.resolve("b" + k + ".png"), img, 32, 32);
      Images.writeGrayPng(masks.resolve("b" + k + ".png"), m, 32, 32);
    }
    Files.write(images.resolve("huge.png"), TrainPredictCompareCommandTest.pngHeaderOnly(100_000, 100_000));
    if (hugeMask) Files.write(masks.resolve("huge.png"), TrainPredictCompareCommandTest.pngHeaderOnly(100_000, 100_000));
    else Images.writeGrayPng(masks.resolve("huge.png"), new float[32 * 32], 32, 32);
    return data;
  }

  private static String[] train(Path data, Path out, boolean skipBad) {
    java.util.List<String> a = new java.util.ArrayList<>(java.util.List.of("train", "--data", data.toString(), "--loss", "dice", "--epochs",
        "1", "--depth", "2", "--width", "4", "--out", out.toString()));
    if (skipBad) a.add("--skip-bad");
    return a.toArray(String[]::new);
  }

  @Test
  void anImageWhoseHeaderClaimsTooManyPixelsIsNamedAndSkipped() throws Exception {
    Path data = data(true);
    Path huge = data.resolve("images/huge.png");
    Cli.run(train(data, dir.resolve("r1"), false)).badInput(huge + ": an image of 100000x100000 pixels (decoded with its mask) needs about",
        "GiB", "--skip-bad skips it");
    assertFalse(Files.exists(dir.resolve("r1")));
    Cli c = Cli.run(train(data, dir.resolve("r2"), true)).ok();
    assertTrue(c.out.contains("completed 1 epoch"), c.out);
    String tail = c.err.substring(c.err.indexOf("skipped 1 unreadable file(s):"));
    assertTrue(tail.contains("  " + huge + ": an image of 100000x100000 pixels (decoded with its mask) needs about"), c.err);
    assertFalse(c.err.contains("12 image/mask pairs") || c.err.contains("13 image/mask pairs"), c.err);
  }

  @Test
  void aHugeHeaderWithAMaskOfAnotherSizeIsNamedBeforeAnythingIsDecoded() throws Exception {
    Path data = data(false);
    Path huge = data.resolve("images/huge.png");
    Cli.run(train(data, dir.resolve("r1"), false)).badInput(huge + ": the image is 100000x100000 but its mask "
        + data.resolve("masks/huge.png") + " is 32x32");
    Cli c = Cli.run(train(data, dir.resolve("r2"), true)).ok();
    assertTrue(c.err.contains("  " + huge + ": the image is 100000x100000 but its mask"), c.err);
  }
}
