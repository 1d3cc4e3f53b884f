package dev.segloss.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segloss.core.io.Images;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.ThrowingSupplier;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reproducer of issue 9, item 6: in a folder of images, a directory, a symbolic link loop, a FIFO, a
 * link to /dev/zero or a dangling link named like x.png used to be skipped silently with exit 0. Each is
 * refused by {@code predict}, {@code weights}, {@code evaluate} and {@code train}, naming the path (one
 * line, exit 2); with --skip-bad, skipped and listed. A FIFO or device is never opened: every command
 * runs under a timeout.
 */
class FolderWalkTest {
  @TempDir static Path dir;
  static Path run;

  /** The kinds of entry, each made as NAME.png in {@code folder}, and the words the message uses. */
  static final List<String[]> KINDS = List.of(
      new String[] {"d", "a folder, not a regular file"},
      new String[] {"loop", "a symbolic link loop"},
      new String[] {"fifo", "a FIFO (named pipe), not a regular file"},
      new String[] {"zero", "a symbolic link (to /dev/zero) to a character device"},
      new String[] {"dangling", "a dangling symbolic link"});

  static void make(Path folder, String kind) throws Exception {
    make(folder, kind, ".png");
  }

  static void make(Path folder, String kind, String extension) throws Exception {
    Path p = folder.resolve(kind + extension);
    switch (kind) {
      case "d" -> Files.createDirectories(p);
      case "loop" -> Files.createSymbolicLink(p, p.getFileName());
      case "fifo" -> assertEquals(0, new ProcessBuilder("mkfifo", p.toString()).inheritIO().start().waitFor());
      case "zero" -> Files.createSymbolicLink(p, Path.of("/dev/zero"));
      case "dangling" -> Files.createSymbolicLink(p, Path.of("nowhere" + extension));
      default -> throw new IllegalArgumentException(kind);
    }
  }

  static Path masks(String name, String... kinds) throws Exception {
    Path f = Files.createDirectories(dir.resolve(name));
    float[] m = new float[16 * 16];
    for (int i = 0; i < m.length; i++) m[i] = i % 5 == 0 ? 1 : 0;
    Images.writeGrayPng(f.resolve("a.png"), m, 16, 16);
    for (String k : kinds) make(f, k);
    return f;
  }

  static <T> T quick(ThrowingSupplier<T> s) {
    return assertTimeoutPreemptively(Duration.ofSeconds(120), s, "hung: a FIFO or device was opened");
  }

  @BeforeAll
  static void model() {
    run = dir.resolve("run");
    Cli.run("train", "--data", "synthetic:size=16,n=30,fg=0.06", "--loss", "dice", "--epochs", "1", "--depth", "2", "--width", "4", "--out",
        run.toString()).ok();
  }

  @Test
  void predictRefusesEachKindNamingItAndSkipsThemWithSkipBad() throws Exception {
    for (String[] k : KINDS) {
      Path in = masks("predict-" + k[0], k[0]);
      Path out = dir.resolve("preds-" + k[0]);
      quick(() -> Cli.run("predict", "--model", run.toString(), "--input", in.toString(), "--out", out.toString()))
          .badInput("--input " + in.resolve(k[0] + ".png") + ": " + k[1], "--skip-bad skips such entries");
      assertFalse(Files.exists(out), "nothing written");
    }
    Path all = masks("predict-all", "d", "loop", "fifo", "zero", "dangling");
    Path out = dir.resolve("preds-all");
    Cli c = quick(() -> Cli.run("predict", "--model", run.toString(), "--input", all.toString(), "--out", out.toString(), "--skip-bad")).ok();
    assertTrue(c.out.contains("1 mask(s)"), c.out);
    assertTrue(c.err.contains("skipped 5 unreadable file(s):"), c.err);
    for (String[] k : KINDS) assertTrue(c.err.contains("  " + all.resolve(k[0] + ".png") + ": " + k[1]), c.err);
    assertTrue(Files.isRegularFile(out.resolve("a.png")));
  }

  @Test
  void weightsRefusesEachKindNamingItAndSkipsThemWithSkipBad() throws Exception {
    Path good = masks("weights-good");
    String expected = Cli.run("weights", "--masks", good.toString()).ok().out;
    for (String[] k : KINDS) {
      Path m = masks("weights-" + k[0], k[0]);
      quick(() -> Cli.run("weights", "--masks", m.toString())).badInput("--masks: " + m.resolve(k[0] + ".png") + ": " + k[1], "--skip-bad");
    }
    Path all = masks("weights-all", "d", "loop", "fifo", "zero", "dangling");
    Cli c = quick(() -> Cli.run("weights", "--masks", all.toString(), "--skip-bad")).ok();
    assertEquals(expected, c.out, "the counts of the one regular mask");
    assertTrue(c.err.startsWith("skipped 5 unreadable file(s):"), c.err);
    for (String[] k : KINDS) assertTrue(c.err.contains("  " + all.resolve(k[0] + ".png") + ": " + k[1]), c.err);
    // an unreadable mask file is skipped too, and listed
    Files.writeString(all.resolve("b.png"), "not a png");
    Cli d = Cli.run("weights", "--masks", all.toString(), "--skip-bad", "--json").ok();
    assertEquals(6, d.json().get("skipped").size(), d.out);
    assertTrue(d.err.contains("b.png: "), d.err);
    Cli.run("weights", "--masks", all.toString()).badInput("d.png");
  }

  @Test
  void aFileArgumentThatIsAFifoOrADeviceIsRefusedUnopened() throws Exception {
    Path f = Files.createDirectories(dir.resolve("args"));
    make(f, "fifo");
    String seed = Path.of(System.getProperty("user.dir")).resolveSibling("examples/seed").toString();
    Path fifo = f.resolve("fifo.png");
    Path npy = Files.move(fifo, f.resolve("fifo.npy"));
    quick(() -> Cli.run("loss", "--loss", "dice", "--y-true", npy.toString(), "--y-pred", seed + "/y_pred.npy"))
        .badInput("--y-true: " + npy + ": a FIFO (named pipe), not a regular file");
    quick(() -> Cli.run("weights", "--masks", "/dev/zero")).badInput("--masks: /dev/zero: a character device, not a regular file");
  }

  @Test
  void evaluateRefusesEachKindNamingIt() throws Exception {
    for (String[] k : KINDS) {
      Path t = masks("truth-" + k[0], k[0]);
      Path p = masks("pred-" + k[0]);
      quick(() -> Cli.run("evaluate", "--truth", t.toString(), "--pred", p.toString())).badInput("--truth: " + t.resolve(k[0] + ".png") + ": " + k[1]);
      quick(() -> Cli.run("evaluate", "--truth", p.toString(), "--pred", t.toString())).badInput("--pred: " + t.resolve(k[0] + ".png") + ": " + k[1]);
    }
  }

  @Test
  void evaluateOnNiftiFoldersRefusesEachKindNamingIt() throws Exception {
    double[] v = new double[4 * 3 * 2];
    v[5] = 1;
    for (String[] k : KINDS) {
      Path t = Files.createDirectories(dir.resolve("nii-truth-" + k[0]));
      Path p = Files.createDirectories(dir.resolve("nii-pred-" + k[0]));
      new dev.segloss.data.nifti.NiftiTestWriter().dims(4, 3, 2).write(t.resolve("a.nii.gz"), v);
      new dev.segloss.data.nifti.NiftiTestWriter().dims(4, 3, 2).write(p.resolve("a.nii.gz"), v);
      make(p, k[0], ".nii.gz");
      Path entry = p.resolve(k[0] + ".nii.gz");
      quick(() -> Cli.run("evaluate", "--truth", t.toString(), "--pred", p.toString())).badInput("--pred: " + entry + ": " + k[1]);
    }
  }

  @Test
  void trainOnAFolderRefusesEachKindAndSkipsThemWithSkipBad() throws Exception {
    Path data = Files.createDirectories(dir.resolve("data"));
    Path images = Files.createDirectories(data.resolve("images")), masks = Files.createDirectories(data.resolve("masks"));
    SplittableRandom rnd = new SplittableRandom(5);
    for (int k = 0; k < 12; k++) {
      float[] img = new float[16 * 16], m = new float[16 * 16];
      for (int i = 0; i < img.length; i++) {
        m[i] = (i / 16 - 8) * (i / 16 - 8) + (i % 16 - 8) * (i % 16 - 8) < 4 + k ? 1 : 0;
        img[i] = (float) (0.3 + 0.4 * m[i] + 0.1 * rnd.nextDouble());
      }
      Images.writeGrayPng(images.resolve("b" + k + ".png"), img, 16, 16);
      Images.writeGrayPng(masks.resolve("b" + k + ".png"), m, 16, 16);
    }
    for (String[] k : KINDS) {
      make(images, k[0]);
      Path out = dir.resolve("train-" + k[0]);
      quick(() -> Cli.run("train", "--data", data.toString(), "--loss", "dice", "--epochs", "1", "--out", out.toString()))
          .badInput("--data images: " + images.resolve(k[0] + ".png") + ": " + k[1], "(--skip-bad skips such entries)");
      assertFalse(Files.exists(out));
      Files.delete(images.resolve(k[0] + ".png")); // the entry itself, not what a link leads to
    }
    for (String[] k : KINDS) make(images, k[0]);
    make(masks, "fifo");
    Cli c = quick(() -> Cli.run("train", "--data", data.toString(), "--loss", "dice", "--epochs", "1", "--depth", "2", "--width", "4",
        "--skip-bad", "--out", dir.resolve("train-skip").toString())).ok();
    String tail = c.err.substring(c.err.indexOf("skipped 6 unreadable"));
    assertTrue(tail.startsWith("skipped 6 unreadable file(s):"), c.err);
    for (String[] k : KINDS) assertTrue(tail.contains("  " + images.resolve(k[0] + ".png") + ": " + k[1]), c.err);
    assertTrue(tail.contains("  " + masks.resolve("fifo.png") + ": a FIFO (named pipe), not a regular file"), c.err);
  }
}
