package dev.segloss.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every command's help has examples; the commands of issue 2 also have a one-sentence summary (a picocli
 * header) that {@code segloss --help} shows whole.
 */
class HelpTest {
  static Map<String, CommandLine> commands() {
    Map<String, CommandLine> m = new java.util.LinkedHashMap<>(
        Segloss.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter())).getSubcommands());
    m.remove("help");
    return m;
  }

  /** The commands of issue 2 (train, predict and compare belong to issue 4). */
  static final java.util.List<String> ISSUE_2 = java.util.List.of("loss", "losses", "weights", "evaluate");

  @Test
  void topLevelHelpListsEveryCommandWithAWholeSentence() {
    String top = Cli.run("--help").ok().out;
    for (Map.Entry<String, CommandLine> c : commands().entrySet()) {
      if (!ISSUE_2.contains(c.getKey())) continue;
      String[] header = c.getValue().getCommandSpec().usageMessage().header();
      assertTrue(header.length == 1, c.getKey() + ": a one-line header, the summary the command list shows");
      String summary = header[0];
      assertTrue(summary.endsWith(".") && summary.length() <= 80, c.getKey() + ": a whole sentence of at most 80 characters: " + summary);
      String line = top.lines().filter(l -> l.startsWith("  " + c.getKey() + " ")).findFirst().orElse("");
      assertTrue(line.endsWith(" " + summary), "segloss --help shows the whole summary of " + c.getKey() + ":\n" + top);
    }
  }

  @Test
  void everyCommandsHelpHasExamples() {
    for (String name : commands().keySet()) {
      Cli h = Cli.run(name, "--help").ok();
      assertTrue(h.out.contains("Examples:") && h.out.contains("./segloss " + name + " "), name + ":\n" + h.out);
      assertFalse(h.out.isBlank());
    }
  }

  /**
   * Every line of every footer (the examples) is printed as written: picocli wraps a line longer than the
   * usage width, which would split an example command in two and break copying it into a shell.
   */
  @Test
  void everyExampleLineIsPrintedWholeSoItCanBeCopied() {
    Map<String, CommandLine> all = new java.util.LinkedHashMap<>(commands());
    all.put("", Segloss.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter())));
    for (Map.Entry<String, CommandLine> c : all.entrySet()) {
      Cli h = c.getKey().isEmpty() ? Cli.run("--help").ok() : Cli.run(c.getKey(), "--help").ok();
      java.util.Set<String> printed = new java.util.HashSet<>(h.out.lines().map(String::stripTrailing).toList());
      for (String line : c.getValue().getCommandSpec().usageMessage().footer()) {
        assertFalse(line.contains("%"), "a footer line with a format specifier: " + line);
        assertTrue(printed.contains(line.stripTrailing()), "segloss " + c.getKey() + " --help wraps the line\n" + line + "\n" + h.out);
      }
    }
  }
}
