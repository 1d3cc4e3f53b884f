package dev.segloss.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code segloss} command that README.md and docs/*.md show runs as written: bash runs the text of
 * the command in a copy of the repository's example files, through the real {@code ./segloss} launcher
 * (with {@code SEGLOSS_CLASSPATH} set to this test's class path instead of building the jar). In
 * {@code console} blocks the lines after a {@code $ command} are its expected output (stdout and stderr as
 * a terminal shows them; a line {@code ...} stands for any lines); it must match exactly. Commands run
 * in document order per file, so a later command sees what an earlier one wrote, and {@code cd} carries
 * over, as for a reader typing them. Lines of other blocks that are not segloss commands ({@code mvn},
 * {@code java}, {@code bash scripts/...}) are not run here.
 *
 * <p>A command whose run is long by design ({@code compare} on the default budget, a long {@code train})
 * is marked in the document with the HTML comment {@code <!-- docs-test: dry-run -->} before its block:
 * its train and compare commands then run with {@code --dry-run} (every check is made and the plan
 * printed, nothing is trained or written); the block's other commands run as they are.
 */
@Tag("slow")
class DocsCommandsTest {
  @TempDir Path tmp;

  static final Path REPO = Path.of(System.getProperty("user.dir")).getParent();

  record Command(String file, int line, String text, List<String> expected, boolean console, boolean dryRun) {}

  @TestFactory
  Stream<DynamicTest> documentedCommandsRunAsWritten() throws IOException {
    List<Path> docs = new ArrayList<>();
    docs.add(REPO.resolve("README.md"));
    try (Stream<Path> s = Files.list(REPO.resolve("docs"))) {
      s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
    }
    List<DynamicTest> tests = new ArrayList<>();
    for (Path doc : docs) {
      List<Command> cmds = commands(doc);
      if (cmds.isEmpty()) continue;
      Path root = tmp.resolve(doc.getFileName().toString().replace(".md", ""));
      String[] cwd = {"."};
      for (Command c : cmds) {
        tests.add(DynamicTest.dynamicTest(c.file() + ":" + c.line() + " " + c.text(), () -> {
          if (!Files.exists(root.resolve("segloss"))) layout(root);
          cwd[0] = run(root, cwd[0], c);
        }));
      }
    }
    return tests.stream();
  }

  /** The segloss and cd commands of a Markdown file, with their expected output where a console block shows it. */
  static List<Command> commands(Path doc) throws IOException {
    List<String> lines = Files.readAllLines(doc, StandardCharsets.UTF_8);
    List<Command> out = new ArrayList<>();
    String name = REPO.relativize(doc).toString();
    boolean dryRunNext = false;
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i);
      if (l.strip().equals("<!-- docs-test: dry-run -->")) {
        dryRunNext = true;
        continue;
      }
      if (!l.startsWith("```")) continue;
      String lang = l.substring(3).strip();
      boolean console = lang.equals("console");
      boolean shell = console || lang.equals("bash") || lang.equals("sh") || lang.isEmpty();
      int j = i + 1;
      List<String> block = new ArrayList<>();
      while (j < lines.size() && !lines.get(j).startsWith("```")) block.add(lines.get(j++));
      boolean dryRun = dryRunNext;
      dryRunNext = false;
      if (shell) {
        for (int k = 0; k < block.size(); k++) {
          String b = block.get(k);
          int at = i + 2 + k;
          if (console && !b.startsWith("$ ")) continue;
          StringBuilder text = new StringBuilder(console ? b.substring(2) : b);
          while (text.toString().endsWith("\\") && k + 1 < block.size()) text.append('\n').append(block.get(++k));
          String t = text.toString().strip();
          if (!isSeglossOrCd(t)) continue;
          List<String> expected = new ArrayList<>();
          if (console) {
            while (k + 1 < block.size() && !block.get(k + 1).startsWith("$ ")) expected.add(block.get(++k));
          }
          out.add(new Command(name, at, t, expected, console && !expected.isEmpty(), dryRun));
        }
      }
      i = j;
    }
    return out;
  }

  static boolean isSeglossOrCd(String t) {
    String first = t.replaceAll("^([A-Z_][A-Z0-9_]*=\\S*\\s+)*", "").split("\\s+", 2)[0];
    return first.equals("cd") || first.endsWith("/segloss");
  }

  void layout(Path root) throws IOException {
    Files.createDirectories(root.resolve("scripts"));
    Files.copy(REPO.resolve("segloss"), root.resolve("segloss"), StandardCopyOption.COPY_ATTRIBUTES);
    Files.copy(REPO.resolve("scripts/stderr-filter.pl"), root.resolve("scripts/stderr-filter.pl"));
    try (Stream<Path> s = Files.walk(REPO.resolve("examples"))) {
      for (Path p : (Iterable<Path>) s::iterator) {
        Path to = root.resolve(REPO.relativize(p).toString());
        if (Files.isDirectory(p)) Files.createDirectories(to);
        else Files.copy(p, to);
      }
    }
    Path fixtures = REPO.resolve(".fixtures");
    if (Files.exists(fixtures)) Files.createSymbolicLink(root.resolve(".fixtures"), fixtures.toRealPath());
  }

  /** Runs one command with bash in cwd (relative to root); returns the cwd after it. */
  String run(Path root, String cwd, Command c) throws Exception {
    String text = c.text();
    boolean dry = c.dryRun() && text.matches("(?s).*segloss\\s+(train|compare)\\b.*") && !text.contains("--resume");
    if (dry) text = text.replaceAll("(\\s*#[^'\"\\n]*)?$", "") + " --dry-run";
    String script = "cd " + quote(cwd) + " && " + text + "\n__rc=$?\nprintf '\\n__CWD=%s\\n' \"$(realpath --relative-to=" + quote(root.toString())
        + " .)\"\nexit $__rc\n";
    ProcessBuilder pb = new ProcessBuilder("bash", "-c", script).directory(root.toFile()).redirectErrorStream(true);
    pb.environment().put("SEGLOSS_CLASSPATH", System.getProperty("java.class.path"));
    pb.environment().put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
    pb.environment().remove("TERM");
    Process p = pb.start();
    byte[] all = p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(30, TimeUnit.MINUTES), "ended");
    String output = new String(all, StandardCharsets.UTF_8);
    int mark = output.lastIndexOf("\n__CWD=");
    String newCwd = output.substring(mark + 7).strip();
    output = output.substring(0, mark);
    boolean expectFailure = c.console() && c.expected().size() == 1 && c.expected().get(0).startsWith("segloss ")
        && c.expected().get(0).contains(": ") && p.exitValue() == 2;
    assertTrue(p.exitValue() == 0 || expectFailure, c.file() + ":" + c.line() + " exit " + p.exitValue() + "\n" + output);
    if (c.console() && !dry) {
      List<String> got = output.lines().map(String::stripTrailing).toList();
      assertTrue(matches(c.expected().stream().map(String::stripTrailing).toList(), got),
          c.file() + ":" + c.line() + " output differs from the document.\n--- document:\n" + String.join("\n", c.expected())
              + "\n--- actual:\n" + String.join("\n", got));
    }
    return newCwd;
  }

  /** Line by line; a line "..." in the document matches any number of lines. */
  static boolean matches(List<String> doc, List<String> got) {
    return matches(doc, 0, got, 0);
  }

  private static boolean matches(List<String> doc, int i, List<String> got, int j) {
    if (i == doc.size()) return j == got.size();
    if (doc.get(i).strip().equals("...")) {
      for (int k = j; k <= got.size(); k++) if (matches(doc, i + 1, got, k)) return true;
      return false;
    }
    return j < got.size() && doc.get(i).equals(got.get(j)) && matches(doc, i + 1, got, j + 1);
  }

  private static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }
}
