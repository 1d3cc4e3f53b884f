package dev.segloss.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segloss.core.io.Images;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9: every kill during a write left a hidden {@code .NAME.tmp-<hex>} that nothing removed. The next
 * command that writes the same folder (or the same file) removes the stale temporaries of segloss's own
 * naming pattern, and nothing else.
 */
class StaleTemporariesTest {
  @TempDir Path dir;

  @Test
  void theNextWriteIntoAFolderRemovesItsOwnStaleTemporariesOnly() throws Exception {
    Path run = dir.resolve("run");
    String[] train = {"train", "--data", "synthetic:size=32,n=30,fg=0.06", "--loss", "dice", "--epochs", "1", "--depth", "2", "--width", "4",
        "--out", run.toString()};
    Cli.run(train).ok();
    Files.writeString(run.resolve(".model.params.tmp-1a2b3c"), "killed");
    Files.writeString(run.resolve(".my-notes.txt"), "the user's: not a temporary");
    Cli again = Cli.run(java.util.stream.Stream.concat(java.util.Arrays.stream(train), java.util.stream.Stream.of("--overwrite"))
        .toArray(String[]::new)).ok();
    assertTrue(again.err.contains("note: removed 1 temporary file(s) an interrupted write left in " + run + ": .model.params.tmp-1a2b3c"),
        again.err);
    assertEquals(List.of(".my-notes.txt", ".segloss.lock", "checkpoint.bin", "config.json", "curves.png", "history.csv", "model.params",
        "summary.json"), SameRun.names(run));

    // predict --out (and its probabilities/ folder)
    Path images = Files.createDirectories(dir.resolve("images"));
    Images.writeGrayPng(images.resolve("a.png"), new float[32 * 32], 32, 32);
    Path preds = Files.createDirectories(dir.resolve("preds/probabilities")).getParent();
    Files.writeString(preds.resolve(".a.png.tmp-ff"), "");
    Files.writeString(preds.resolve("probabilities/.a.png.tmp-0"), "");
    Cli.run("predict", "--model", run.toString(), "--input", images.toString(), "--out", preds.toString(), "--overwrite", "--probabilities")
        .ok();
    assertEquals(List.of(".segloss.lock", "a.png", "probabilities"), SameRun.names(preds));
    assertEquals(List.of("a.png"), SameRun.names(preds.resolve("probabilities")));

    // a single output file: the stale temporaries of that file, not of others
    Path csvDir = Files.createDirectories(dir.resolve("csv"));
    Files.writeString(csvDir.resolve(".m.csv.tmp-77"), "");
    Files.writeString(csvDir.resolve(".other.csv.tmp-77"), "");
    String seed = Path.of(System.getProperty("user.dir")).resolveSibling("examples/seed").toString();
    Cli.run("evaluate", "--truth", seed + "/y_true.npy", "--pred", seed + "/y_pred.npy", "--csv", csvDir.resolve("m.csv").toString()).ok();
    assertEquals(List.of(".other.csv.tmp-77", "m.csv"), SameRun.names(csvDir));
  }
}
