package dev.segloss.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A train stopped by a signal tells the user how to continue it. */
class TrainInterruptTest {
  @TempDir Path dir;

  @Test
  void hintQuotesPathsForTheShell() {
    assertEquals("segloss train: interrupted; continue from the last finished epoch with: segloss train --resume runs/dice",
        TrainCommand.interruptedHint(Path.of("runs/dice")));
    assertEquals("'my runs/it'\\''s'", TrainCommand.shellWord("my runs/it's"));
  }

  @Tag("slow")
  @Test
  void sigtermDuringTrainingPrintsTheResumeCommand() throws Exception {
    Path out = dir.resolve("run");
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1", "-Dai.djl.pytorch.num_interop_threads=1",
        "-cp", System.getProperty("java.class.path"), "dev.segloss.cli.Segloss", "train",
        "--data", "synthetic:n=64,size=32", "--loss", "dice", "--epochs", "1000", "--patience", "0", "--batch", "4",
        "--threads", "1", "--out", out.toString()));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().remove("TERM"); // one line per epoch
    Process p = pb.start();
    StringBuilder seen = new StringBuilder();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        seen.append(line).append('\n');
        if (line.contains("epoch 1/1000")) break; // the first epoch has ended: the run is under way
      }
      assertTrue(seen.toString().contains("epoch 1/1000"), seen.toString());
      p.toHandle().destroy(); // SIGTERM (Process.destroy would also close our end of its output), as the launcher passes on Ctrl-C / kill / a closed terminal
      while ((line = r.readLine()) != null) seen.append(line).append('\n');
    }
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertTrue(seen.toString().contains("segloss train: interrupted; continue from the last finished epoch with: segloss train --resume "
        + out), seen.toString());
  }
}
