package dev.segloss.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The commands of a Markdown document and how to run them as written, shared by {@link DocsCommandsTest}
 * (README.md and docs/*.md on the CLI's class path) and segloss-spark's {@code SparkDocsCommandsTest}
 * (docs/SPARK.md, with Spark on the class path); segloss-spark gets it through segloss-cli's test-jar.
 *
 * <p>Shell blocks ({@code bash}, {@code sh}, {@code console}, or no language; a fence may be indented, as in a
 * list item) are read in document order. A {@code segloss} or {@code cd} command of such a block is a
 * {@link Command}; in {@code console} blocks the lines after a {@code $ command} are its expected output. An
 * HTML comment right before a block says how the block is run:
 * <ul>
 *   <li>{@code <!-- docs-test: dry-run -->}: its train and compare commands run with {@code --dry-run};
 *   <li>{@code <!-- docs-test: cluster template -->}, {@code <!-- docs-test: gpu template -->},
 *       {@code <!-- docs-test: build step -->}: the block is not run ({@link NotRun}, with the reason in
 *       {@link #NOT_RUN_REASONS}); each marker is checked against the block (a cluster template must name a
 *       cluster, a GPU template a GPU, a build step may hold only {@code mvn} and {@code ls}), so that it
 *       cannot hide a command that could run here.
 * </ul>
 * Any other {@code docs-test:} comment is an error. Other command lines of unmarked shell blocks
 * ({@code mvn}, {@code java}, ...) are listed in {@link Doc#otherLines()}.
 */
public final class DocsCommands {
  private DocsCommands() {}

  public record Command(String file, int line, String text, List<String> expected, boolean console, boolean dryRun) {}

  /** A block that is not run, why, and its command lines. */
  public record NotRun(String file, int line, String marker, String reason, List<String> commands) {}

  /** A command line of an unmarked shell block that is neither a segloss nor a cd command. */
  public record OtherLine(String file, int line, String text) {}

  public record Doc(List<Command> commands, List<NotRun> notRun, List<OtherLine> otherLines) {}

  /** The markers of blocks that are not run, and why. */
  public static final Map<String, String> NOT_RUN_REASONS = Map.of(
      "cluster template", "a template for a real cluster (a cluster manager's master URL or a cluster file system); there is none here",
      "gpu template", "needs a GPU and a CUDA build of the engine; there is none here",
      "build step", "a Maven build of the source tree, not a segloss command; too costly to repeat inside a test");

  private static final Pattern MARKER = Pattern.compile("<!--\\s*docs-test:\\s*(.*?)\\s*-->");
  /** What names a cluster: a master URL other than local, or a cluster file system. */
  private static final Pattern CLUSTER = Pattern.compile("spark://|k8s://|--master\\s+yarn|hdfs://|s3a://");

  /** The segloss and cd commands of a Markdown file (its path shown relative to repo). */
  public static List<Command> commands(Path repo, Path doc) throws IOException {
    return parse(repo, doc).commands();
  }

  public static Doc parse(Path repo, Path doc) throws IOException {
    List<String> lines = Files.readAllLines(doc, StandardCharsets.UTF_8);
    String name = repo.relativize(doc).toString();
    List<Command> out = new ArrayList<>();
    List<NotRun> notRun = new ArrayList<>();
    List<OtherLine> other = new ArrayList<>();
    String marker = null;
    int markerLine = 0;
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i);
      Matcher m = MARKER.matcher(l.strip());
      if (m.matches()) {
        marker = m.group(1);
        markerLine = i + 1;
        if (!marker.equals("dry-run") && !NOT_RUN_REASONS.containsKey(marker)) {
          throw new IllegalStateException(name + ":" + markerLine + ": unknown marker 'docs-test: " + marker + "' (known: dry-run, "
              + String.join(", ", NOT_RUN_REASONS.keySet()) + ")");
        }
        continue;
      }
      String stripped = l.stripLeading();
      if (!stripped.startsWith("```")) {
        if (marker != null && !l.isBlank()) {
          throw new IllegalStateException(name + ":" + markerLine + ": 'docs-test: " + marker + "' is not right before a code block");
        }
        continue;
      }
      int indent = l.length() - stripped.length();
      String lang = stripped.substring(3).strip();
      boolean console = lang.equals("console");
      boolean shell = console || lang.equals("bash") || lang.equals("sh") || lang.isEmpty();
      int j = i + 1;
      List<String> block = new ArrayList<>();
      while (j < lines.size() && !lines.get(j).stripLeading().startsWith("```")) {
        String b = lines.get(j++);
        block.add(b.length() >= indent && b.substring(0, indent).isBlank() ? b.substring(indent) : b.stripLeading());
      }
      String blockMarker = marker;
      marker = null;
      if (shell) {
        List<String[]> cmds = commandLines(block, console, i + 2);
        if (blockMarker != null && NOT_RUN_REASONS.containsKey(blockMarker)) {
          List<String> texts = cmds.stream().map(c -> c[1]).toList();
          check(name, i + 1, blockMarker, texts);
          notRun.add(new NotRun(name, i + 1, blockMarker, NOT_RUN_REASONS.get(blockMarker), texts));
        } else {
          boolean dryRun = "dry-run".equals(blockMarker);
          for (String[] c : cmds) {
            int at = Integer.parseInt(c[0]);
            String t = c[1];
            if (isSeglossOrCd(t)) {
              List<String> expected = console ? List.of(c).subList(2, c.length) : List.of();
              out.add(new Command(name, at, t, expected, console && !expected.isEmpty(), dryRun));
            } else {
              other.add(new OtherLine(name, at, t));
            }
          }
        }
      } else if (blockMarker != null) {
        throw new IllegalStateException(name + ":" + markerLine + ": 'docs-test: " + blockMarker + "' before a block that is not a shell block");
      }
      i = j;
    }
    return new Doc(out, notRun, other);
  }

  /**
   * The commands of a shell block: {line, text, expected output lines...}. Continuation lines (ending in a
   * backslash) are joined; blank lines and comment lines are not commands; in a console block only lines
   * starting with "$ " are.
   */
  private static List<String[]> commandLines(List<String> block, boolean console, int firstLine) {
    List<String[]> out = new ArrayList<>();
    for (int k = 0; k < block.size(); k++) {
      String b = block.get(k);
      int at = firstLine + k;
      if (console && !b.startsWith("$ ")) continue;
      StringBuilder text = new StringBuilder(console ? b.substring(2) : b);
      while (text.toString().endsWith("\\") && k + 1 < block.size()) text.append('\n').append(block.get(++k));
      String t = text.toString().strip();
      if (t.isEmpty() || t.startsWith("#")) continue;
      List<String> row = new ArrayList<>(List.of(Integer.toString(at), t));
      if (console) {
        while (k + 1 < block.size() && !block.get(k + 1).startsWith("$ ")) row.add(block.get(++k));
      }
      out.add(row.toArray(String[]::new));
    }
    return out;
  }

  /** A not-run marker must fit its block. */
  public static void check(String name, int line, String marker, List<String> cmds) {
    String where = name + ":" + line + ": 'docs-test: " + marker + "' ";
    if (cmds.isEmpty()) throw new IllegalStateException(where + "before a block without commands");
    for (String c : cmds) {
      String first = firstWord(c);
      boolean assignment = c.matches("(?s)[A-Za-z_][A-Za-z0-9_]*=\\S*") || first.equals("export");
      boolean ok = switch (marker) {
        case "cluster template" -> assignment || CLUSTER.matcher(c).find();
        case "gpu template" -> assignment || c.matches("(?s).*--device\\s+gpu\\b.*");
        case "build step" -> first.equals("mvn") || first.equals("ls");
        default -> false;
      };
      if (!ok) throw new IllegalStateException(where + "does not fit the command '" + c + "'");
    }
    if (marker.equals("gpu template") && cmds.stream().noneMatch(c -> c.contains("--device gpu"))) {
      throw new IllegalStateException(where + "before a block that uses no GPU");
    }
  }

  private static String firstWord(String t) {
    return t.replaceAll("^([A-Z_][A-Z0-9_]*=\\S*\\s+)*", "").split("\\s+", 2)[0];
  }

  public static boolean isSeglossOrCd(String t) {
    String first = firstWord(t);
    return first.equals("cd") || first.endsWith("/segloss");
  }

  /** The launcher, its stderr filter, and the example files of repo, copied to root (a stand-in for a fresh clone). */
  public static void layout(Path repo, Path root) throws IOException {
    Files.createDirectories(root.resolve("scripts"));
    Files.copy(repo.resolve("segloss"), root.resolve("segloss"), StandardCopyOption.COPY_ATTRIBUTES);
    Files.copy(repo.resolve("scripts/stderr-filter.pl"), root.resolve("scripts/stderr-filter.pl"));
    try (Stream<Path> s = Files.walk(repo.resolve("examples"))) {
      for (Path p : (Iterable<Path>) s::iterator) {
        Path to = root.resolve(repo.relativize(p).toString());
        if (Files.isDirectory(p)) Files.createDirectories(to);
        else Files.copy(p, to);
      }
    }
    Path fixtures = repo.resolve(".fixtures");
    if (Files.exists(fixtures)) Files.createSymbolicLink(root.resolve(".fixtures"), fixtures.toRealPath());
  }

  /**
   * Runs one command with bash in cwd (relative to root), the launcher running Java from this JVM's class
   * path, with env added to the environment; checks its exit code (0, or 2 where a console block shows a
   * one-line error) and, in a console block, its output. Returns the cwd after it.
   */
  public static String run(Path root, String cwd, Command c, Map<String, String> env) throws Exception {
    String text = c.text();
    boolean dry = c.dryRun() && text.matches("(?s).*segloss\\s+(train|compare)\\b.*") && !text.contains("--resume");
    if (dry) text = text.replaceAll("(\\s*#[^'\"\\n]*)?$", "") + " --dry-run";
    String script = "cd " + quote(cwd) + " && " + text + "\n__rc=$?\nprintf '\\n__CWD=%s\\n' \"$(realpath --relative-to=" + quote(root.toString())
        + " .)\"\nexit $__rc\n";
    ProcessBuilder pb = new ProcessBuilder("bash", "-c", script).directory(root.toFile()).redirectErrorStream(true);
    Map<String, String> e = new LinkedHashMap<>();
    e.put("SEGLOSS_CLASSPATH", System.getProperty("java.class.path"));
    e.put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
    e.putAll(env);
    pb.environment().putAll(e);
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
  public static boolean matches(List<String> doc, List<String> got) {
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
