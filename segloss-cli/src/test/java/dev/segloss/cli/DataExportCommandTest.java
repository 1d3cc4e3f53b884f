package dev.segloss.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code segloss data export}, then the commands that read folders on what it wrote. */
class DataExportCommandTest {
  @TempDir Path dir;

  @Test
  void exportsAFolderTheOtherCommandsRead() throws IOException {
    Path out = dir.resolve("data");
    Cli c = Cli.run("data", "export", "--data", "synthetic:n=40,size=32", "--out", out.toString()).ok();
    assertEquals(out + ": 28 train, 6 val, 6 test image/mask pairs of 32x32 from "
        + "synthetic:fg=0.02,size=32,n=40,seed=7,empty=0.15,contrast=1,clutter=1,norm=zscore", c.out.strip());
    try (Stream<Path> s = Files.list(out.resolve("train/masks"))) {
      assertEquals(28, s.count());
    }
    // weights reads the masks: two-valued, mostly background, no warning
    Cli w = Cli.run("weights", "--masks", out.resolve("train/masks").toString()).ok();
    assertEquals("", w.err);
    assertTrue(w.out.contains("images: 28, counted pixels: 28672"), w.out);
    // evaluate reads them (a mask against itself: dice 1 wherever there is foreground)
    JsonNode e = Cli.run("evaluate", "--truth", out.resolve("test/masks").toString(), "--pred", out.resolve("test/masks").toString(),
        "--json").ok().json();
    assertEquals(6, e.get("per_image").size());
    assertEquals(1.0, e.get("micro").get("dice").asDouble(), 0);
    // the same split again with the same seed: byte-identical files; a refused second export leaves the first alone
    Cli.run("data", "export", "--data", "synthetic:n=40,size=32", "--out", out.toString())
        .badInput("--out", out.toString(), "folder exists and is not empty");
    Path again = dir.resolve("again");
    Cli.run("data", "export", "--data", "synthetic:n=40,size=32", "--out", again.toString()).ok();
    for (String f : new String[] {"train/images/synthetic-0000.png", "test/masks/synthetic-0039.png", "export.json"}) {
      if (Files.exists(out.resolve(f))) assertTrue(java.util.Arrays.equals(Files.readAllBytes(out.resolve(f)), Files.readAllBytes(again.resolve(f))), f);
    }
    // loading the export back gives a data set of the same split
    Cli.run("data", "export", "--data", out.toString(), "--out", dir.resolve("third").toString()).ok();
  }

  @Test
  void badInput() {
    Cli.run("data").badInput("expected a subcommand: export");
    Cli.run("data", "export", "--data", "synthetic:n=2", "--out", dir.resolve("x").toString()).badInput("--data", "option 'n'");
    Cli.run("data", "export", "--data", dir.resolve("nothing").toString(), "--out", dir.resolve("y").toString()).badInput("--data", "no such directory");
    assertFalse(Files.exists(dir.resolve("x")));
    assertFalse(Files.exists(dir.resolve("y")));
  }
}
