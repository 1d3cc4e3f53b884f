package dev.segloss.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segloss.core.io.Images;
import dev.segloss.core.testkit.ReadOnlyFolder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Outputs that cannot be written are one line naming the file or folder, exit 2, found before the work:
 * a read-only folder for {@code evaluate --csv}, {@code loss --grad}, {@code train --resume}, {@code train
 * --out}, {@code predict --out} and {@code compare --out}; and a full disk ({@code ulimit -f}: writes fail
 * as on a full disk) while {@code predict} writes its images.
 */
class UnwritableOutputTest {
  @TempDir static Path dir;
  static Path run;
  static Path images;

  @BeforeAll
  static void model() throws Exception {
    run = dir.resolve("run");
    Cli.run("train", "--data", "synthetic:size=32,n=30,fg=0.06", "--loss", "dice", "--epochs", "1", "--depth", "2", "--width", "4",
        "--out", run.toString()).ok();
    images = Files.createDirectories(dir.resolve("images"));
    SplittableRandom rnd = new SplittableRandom(3);
    float[] a = new float[96 * 96];
    for (int i = 0; i < a.length; i++) a[i] = (float) rnd.nextDouble();
    Images.writeGrayPng(images.resolve("a.png"), a, 96, 96);
  }

  @Test
  void readOnlyFoldersAreRefusedBeforeAnyWork() throws Exception {
    Path ro = Files.createDirectories(dir.resolve("ro"));
    String seed = Path.of(System.getProperty("user.dir")).resolveSibling("examples/seed").toString();
    try (ReadOnlyFolder r = ReadOnlyFolder.of(ro)) {
      Cli.run("evaluate", "--truth", seed + "/y_true.npy", "--pred", seed + "/y_pred.npy", "--csv", ro.resolve("m.csv").toString())
          .badInput("--csv: cannot write " + ro.resolve("m.csv") + ", its folder " + ro.toAbsolutePath() + " is not writable (");
      Cli.run("loss", "--loss", "dice", "--y-true", seed + "/y_true.npy", "--y-pred", seed + "/y_pred.npy", "--grad", ro.resolve("g.npy").toString())
          .badInput("--grad: cannot write " + ro.resolve("g.npy") + ", its folder");
      Cli.run("train", "--data", "synthetic:size=32,n=30", "--loss", "dice", "--epochs", "1", "--out", ro.toString(), "--overwrite")
          .badInput("--out " + ro + ": folder is not writable (");
      Cli.run("predict", "--model", run.toString(), "--input", images.toString(), "--out", ro.toString(), "--overwrite")
          .badInput("--out " + ro + ": folder is not writable (");
      Cli.run("compare", "--data", "synthetic:size=32,n=30", "--losses", "dice; bce", "--out", ro.toString(), "--overwrite")
          .badInput("--out " + ro + ": folder is not writable (");
    }
    assertEquals(List.of(), SameRun.names(ro));
  }

  @Test
  void resumeOnAReadOnlyRunFolderFailsBeforeTraining() throws Exception {
    // a run killed during its second epoch's checkpoint (resumable from epoch 1), then made read-only
    Path cut = dir.resolve("cut");
    try (ChildCli child = ChildCli.start("checkpoint.bin#2", "train", "--data", "synthetic:size=32,n=30,fg=0.06", "--loss", "dice",
        "--epochs", "3", "--depth", "2", "--width", "4", "--out", cut.toString())) {
      child.awaitErr("HALTED", 120);
      child.kill();
    }
    List<String> before = SameRun.names(cut);
    byte[] checkpoint = Files.readAllBytes(cut.resolve("checkpoint.bin"));
    try (ReadOnlyFolder r = ReadOnlyFolder.of(cut)) {
      Cli c = Cli.run("train", "--resume", cut.toString());
      c.badInput("--resume " + cut + ": folder is not writable (");
      assertFalse(c.err.contains("loss: "), "refused before the data was loaded: " + c.err);
    }
    assertEquals(before, SameRun.names(cut));
    assertTrue(java.util.Arrays.equals(checkpoint, Files.readAllBytes(cut.resolve("checkpoint.bin"))));
    // writable again, the same folder resumes
    Cli ok = Cli.run("train", "--resume", cut.toString()).ok();
    assertTrue(ok.err.contains("resuming after epoch 1 of 3"), ok.err);
  }

  @Test
  void aFullDiskWhilePredictWritesIsOneLineExit2() throws Exception {
    // a file-size limit of 1 KiB makes every write past it fail (EFBIG) as a full disk does (ENOSPC);
    // the 16-bit probability map of a 96x96 noise image is far larger
    Path out = dir.resolve("full");
    List<String> java = ChildCli.command("-", "predict", "--model", run.toString(), "--input", images.toString(), "--out", out.toString(),
        "--probabilities");
    StringBuilder sh = new StringBuilder("ulimit -f 1 && exec");
    for (String a : java) sh.append(" '").append(a.replace("'", "'\\''")).append('\'');
    List<String> cmd = new ArrayList<>(List.of("bash", "-c", sh.toString()));
    try (ChildCli child = ChildCli.start(cmd)) {
      assertEquals(2, child.waitFor(120), child.err());
      String err = child.err().strip();
      assertFalse(err.contains("\n"), "one line:\n" + err);
      assertFalse(err.contains("Exception") || err.contains("\tat "), err);
      assertTrue(err.startsWith("segloss predict: " + out.resolve("probabilities/a.png") + ": cannot write (File too large)"), err);
      assertEquals("", child.out());
    }
    // the mask was written before the probability map failed; no temporary is left, nor the empty
    // probabilities/ folder and the lock file this call created
    assertEquals(List.of("a.png"), SameRun.names(out));
  }
}
