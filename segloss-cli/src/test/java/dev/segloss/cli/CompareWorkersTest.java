package dev.segloss.cli;

import static dev.segloss.cli.Comparisons.concat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code compare --workers 2}: two trainings at once in child JVMs give the comparison of the runs one after
 * another, number for number: the same per-image table, the same ranking table (but for the measured
 * training seconds), the same model weights byte for byte.
 */
@Tag("slow")
class CompareWorkersTest {
  @TempDir Path dir;

  static final String[] SMALL = {"compare", "--data", "synthetic:size=32,n=60", "--losses", "dice; bce", "--seeds", "2", "--updates", "12",
      "--batch", "8", "--depth", "2", "--width", "4", "--threads", "1", "--folds", "1", "--device", "cpu"};

  @Test
  void workersGiveTheSequentialComparison() throws IOException {
    Path seq = dir.resolve("seq");
    Path par = dir.resolve("par");
    Cli s = Cli.run(concat(SMALL, "--out", seq.toString(), "--workers", "1")).ok();
    assertTrue(s.err.contains("runs: 2 losses × 2 seeds = 4, one after another (--workers 1)"), s.err);
    Cli w = Cli.run(concat(SMALL, "--out", par.toString(), "--workers", "2")).ok();
    assertTrue(w.err.contains("runs: 2 losses × 2 seeds = 4, 2 at once in worker JVMs (--workers 2)"), w.err);
    assertTrue(w.err.contains("[4/4] bce, seed 2: "), w.err);
    Comparisons.assertSame(seq, par, 4, "\n--- sequential:\n" + s.err + "\n--- workers:\n" + w.err);
    assertEquals(2, dev.segloss.train.ModelFiles.json().readTree(par.resolve("results.json").toFile()).get("budget").get("workers").asInt());
    for (String bad : new String[] {"0", "-1", "two", "257", ""}) {
      Cli.run(concat(SMALL, "--out", dir.resolve("x").toString(), "--workers", bad)).badInput("--workers: expected auto or 1..256, got '" + bad + "'");
    }
  }
}
