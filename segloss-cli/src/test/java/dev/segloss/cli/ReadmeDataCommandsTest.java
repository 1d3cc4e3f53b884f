package dev.segloss.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's {@code data export} + {@code weights} example runs as written and prints what the README
 * shows: every {@code $ ./segloss ...} line of that block is run (with {@code data/} in a temporary
 * folder) and its output compared line by line with the lines under it.
 */
class ReadmeDataCommandsTest {
  @TempDir Path dir;

  @Test
  void exportThenWeightsPrintWhatTheReadmeShows() throws IOException {
    Path readme = Path.of("").toAbsolutePath().getParent().resolve("README.md");
    List<String> lines = Files.readAllLines(readme);
    int start = lines.indexOf("$ ./segloss data export --data synthetic:n=60,fg=0.1 --out data/");
    assertTrue(start > 0, "the README's export example");
    List<String> commands = new ArrayList<>();
    List<List<String>> outputs = new ArrayList<>();
    for (int i = start; !lines.get(i).startsWith("```"); i++) {
      String l = lines.get(i);
      if (l.startsWith("$ ./segloss ")) {
        commands.add(l.substring("$ ./segloss ".length()));
        outputs.add(new ArrayList<>());
      } else {
        outputs.get(outputs.size() - 1).add(l);
      }
    }
    assertEquals(2, commands.size(), commands.toString());
    String data = dir.resolve("data").toString();
    for (int c = 0; c < commands.size(); c++) {
      String[] args = commands.get(c).replace("data/", data + "/").split(" +");
      Cli r = Cli.run(args).ok();
      List<String> shown = outputs.get(c).stream().map(l -> l.replace("data:", data + ":")).toList();
      assertEquals(shown, r.out.strip().lines().toList(), commands.get(c));
      assertEquals("", r.err, commands.get(c));
    }
  }
}
