package dev.segloss.spark;

import dev.segloss.core.io.Images;
import dev.segloss.core.io.Npy;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** Generated mask / prediction folders and an in-process CLI run for the Spark tests. */
final class Folders {
  private Folders() {}

  /** Exit code, stdout and stderr of one CLI run. */
  record Run(int code, String out, String err) {
    Run ok() {
      if (code != 0) throw new AssertionError("exit " + code + "\nstderr: " + err + "\nstdout: " + out);
      return this;
    }

    /** stderr without the "spark: ..." line the Spark route prints. */
    String errWithoutSpark() {
      return err.lines().filter(l -> !l.startsWith("spark: ")).reduce("", (a, b) -> a + b + "\n");
    }
  }

  static Run cli(String... args) {
    StringWriter o = new StringWriter();
    StringWriter e = new StringWriter();
    int code = dev.segloss.cli.Segloss.run(new PrintWriter(o), new PrintWriter(e), args);
    return new Run(code, o.toString(), e.toString());
  }

  /**
   * {@code n} masks (PNG, a few BMP) of varying sizes with blobs of foreground, their predictions (8- and
   * 16-bit probability PNGs), and, when {@code softNpy}, a few .npy masks with soft labels and .npy
   * probability predictions. Deterministic in {@code seed}.
   */
  static void write(Path masks, Path preds, int n, boolean softNpy, long seed) throws IOException {
    Files.createDirectories(masks);
    Files.createDirectories(preds);
    Random r = new Random(seed);
    for (int i = 0; i < n; i++) {
      int h = 6 + r.nextInt(20);
      int w = 6 + r.nextInt(20);
      float[] m = new float[h * w];
      float[] p = new float[h * w];
      int cy = r.nextInt(h);
      int cx = r.nextInt(w);
      int rad = r.nextInt(Math.min(h, w) / 2 + 1);
      boolean empty = i % 7 == 3;
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          boolean fg = !empty && (y - cy) * (y - cy) + (x - cx) * (x - cx) <= rad * rad;
          m[y * w + x] = fg ? 1f : 0f;
          float q = (float) Math.min(1, Math.max(0, (fg ? 0.7 : 0.2) + 0.35 * r.nextGaussian()));
          p[y * w + x] = q;
        }
      }
      String stem = String.format("case%03d", i);
      if (softNpy && i % 5 == 1) {
        float[] soft = new float[h * w];
        for (int k = 0; k < soft.length; k++) soft[k] = m[k] == 1f ? 1f - 0.3f * r.nextFloat() : 0.3f * r.nextFloat();
        Npy.write(masks.resolve(stem + ".npy"), soft, h, w);
        Npy.write(preds.resolve(stem + ".npy"), p, h, w);
      } else {
        Images.writeGrayPng(masks.resolve(stem + (i % 9 == 4 ? ".png" : ".png")), m, h, w);
        Images.writePng(preds.resolve(stem + ".png"), p, h, w, 1, i % 2 == 0 ? 8 : 16);
      }
    }
    // not listed by either route: hidden files and other extensions
    Files.writeString(masks.resolve(".hidden.png"), "not an image");
    Files.writeString(masks.resolve("notes.txt"), "ignored");
  }
}
