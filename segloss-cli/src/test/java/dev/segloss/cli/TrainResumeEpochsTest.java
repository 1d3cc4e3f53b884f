package dev.segloss.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.segloss.train.ModelFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code segloss train --resume runs/NAME --epochs N}: a finished run extended, through the CLI in-process. */
class TrainResumeEpochsTest {
  @TempDir Path dir;

  static Map<String, byte[]> files(Path d) throws Exception {
    Map<String, byte[]> m = new TreeMap<>();
    try (Stream<Path> s = Files.list(d)) {
      for (Path f : s.toList()) m.put(f.getFileName().toString(), Files.readAllBytes(f));
    }
    return m;
  }

  static void assertSameFiles(Map<String, byte[]> a, Map<String, byte[]> b) {
    assertEquals(a.keySet(), b.keySet());
    for (String k : a.keySet()) assertArrayEquals(a.get(k), b.get(k), k);
  }

  @Test
  void aFinishedRunIsExtendedToALargerBudget() throws Exception {
    Path run = dir.resolve("runs/small");
    String r = run.toString();
    Cli.run("train", "--data", "synthetic:size=32,n=24", "--loss", "dice", "--epochs", "2", "--depth", "1", "--width", "4", "--threads", "1",
        "--out", r).ok();
    String history2 = Files.readString(run.resolve("history.csv"));

    // refusals: one line, exit 2, nothing written
    Map<String, byte[]> before = files(run);
    Cli.run("train", "--resume", r, "--epochs", "2").badInput("--epochs 2: " + r + " has trained 2 epochs already (completed); with --resume,"
        + " --epochs is the new total and must be larger than 2");
    Cli.run("train", "--resume", r, "--epochs", "4", "--lr", "0.1", "--seed", "3").badInput("--resume: --lr, --seed cannot be given with"
        + " --resume; the run continues with the settings of its config.json (only --epochs, --patience, --device and --dry-run may be given)");
    Cli.run("train", "--resume", r, "--patience", "3").badInput("--patience: " + r + " completed all its 2 epochs; nothing is left to train"
        + " with another patience (give --epochs larger than 2 to continue it)");
    // --dry-run says what the resume would do and writes nothing
    Cli dry = Cli.run("train", "--resume", r, "--epochs", "4", "--dry-run").ok();
    // 16 training images, batch 16: one step per epoch
    assertEquals("dry run: epochs 3..4 of 4: up to 2 epochs x 1 step = 2 updates at batch 16 (early stopping after 10 epochs without a"
        + " validation-Dice gain); nothing trained or written\n", dry.out);
    assertTrue(dry.err.contains("reopening the run (completed after 2 epochs; best val dice "), dry.err);
    assertTrue(dry.err.contains("; config.json: epochs 2 -> 4\n"), dry.err);
    assertTrue(dry.err.contains("learning rate: the cosine schedule of 4 epochs from epoch 3 on: "), dry.err);
    assertSameFiles(before, files(run));

    Cli ext = Cli.run("train", "--resume", r, "--epochs", "4").ok();
    assertTrue(ext.err.contains("reopening the run (completed after 2 epochs; best val dice "), ext.err);
    assertTrue(ext.out.startsWith(r + ": completed 4 epochs; best validation Dice "), ext.out);
    String history4 = Files.readString(run.resolve("history.csv"));
    assertTrue(history4.startsWith(history2), "past rows kept as they were:\n" + history2 + "\n" + history4);
    List<String> rows = history4.lines().skip(1).toList();
    assertEquals(4, rows.size());
    // summary.json: the new end, the best epoch over all four
    JsonNode summary = ModelFiles.json().readTree(run.resolve("summary.json").toFile());
    assertEquals("completed", summary.get("status").asText());
    assertEquals(4, summary.get("epochs_run").asInt());
    int best = 0;
    double bestDice = Double.NEGATIVE_INFINITY;
    for (String row : rows) {
      String[] c = row.split(",");
      double d = c[4].equals("nan") ? 1.0 : Double.parseDouble(c[4]);
      if (d > bestDice) {
        bestDice = d;
        best = Integer.parseInt(c[0]);
      }
    }
    assertEquals(best, summary.get("best_epoch").asInt());
    assertEquals(bestDice, summary.get("best_val_dice").asDouble());
    JsonNode cfg = ModelFiles.json().readTree(run.resolve("config.json").toFile());
    assertEquals(4, cfg.get("train").get("epochs").asInt());
    assertEquals(2, cfg.get("budget_changes").get(0).get("epochs").get("from").asInt());

    // a plain --resume is as before: the run has ended
    Cli again = Cli.run("train", "--resume", r).ok();
    assertTrue(again.err.contains("run already ended (completed): completed 4 epochs"), again.err);
    assertEquals("dry run: " + r + " completed after 4 epochs; nothing to train (give --epochs larger than 4 to continue it); nothing"
        + " trained or written\n", Cli.run("train", "--resume", r, "--dry-run").ok().out);
  }
}
