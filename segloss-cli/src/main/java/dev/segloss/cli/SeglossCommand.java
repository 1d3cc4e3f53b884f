package dev.segloss.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.segloss.core.InvalidInputException;
import dev.segloss.core.Tensor;
import dev.segloss.core.io.AtomicFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Base of every segloss subcommand: the output writers of the command line (so tests capture them),
 * JSON helpers ({@code null} for NaN and infinities), and input readers whose errors name the option.
 * Subclasses implement {@link #call()} and return 0; bad input is thrown as {@link
 * InvalidInputException} and becomes one line on stderr with exit code 2 (see {@link Segloss}).
 */
public abstract class SeglossCommand implements Callable<Integer> {
  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @Spec protected CommandSpec spec;

  protected PrintWriter out() {
    return spec.commandLine().getOut();
  }

  protected PrintWriter err() {
    return spec.commandLine().getErr();
  }

  /**
   * Parses a word with a core parser whose error names a generic key (e.g. {@code "method: unknown
   * class-weight method 'x'; expected one of ..."}) and rethrows its error naming the option instead.
   */
  protected static <T> T choice(String option, String word, java.util.function.Function<String, T> parse) {
    try {
      return parse.apply(word);
    } catch (InvalidInputException e) {
      String m = String.valueOf(e.getMessage());
      int colon = m.indexOf(": ");
      throw new InvalidInputException(option + ": " + (colon >= 0 ? m.substring(colon + 2) : m), e);
    }
  }

  /** A new JSON object. */
  protected static ObjectNode object() {
    return JsonNodeFactory.instance.objectNode();
  }

  /** A new JSON array. */
  protected static ArrayNode array() {
    return JsonNodeFactory.instance.arrayNode();
  }

  /** A JSON number, or {@code null} for NaN and infinities. */
  protected static JsonNode number(double v) {
    return Double.isFinite(v) ? JsonNodeFactory.instance.numberNode(v) : JsonNodeFactory.instance.nullNode();
  }

  /** Prints a JSON document (indented) on stdout. */
  protected void printJson(JsonNode node) {
    try {
      out().println(MAPPER.writeValueAsString(node));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    out().flush();
  }

  /**
   * The text given for {@code option} as typed, or null when it was not given: a Hadoop URI such as {@code
   * hdfs://nn/x} survives only here (as a {@link Path} its {@code //} is folded to {@code /}).
   */
  protected String typed(String option) {
    picocli.CommandLine.Model.OptionSpec o = spec.commandLine().getParseResult().matchedOption(option);
    return o == null ? null : o.stringValues().get(o.stringValues().size() - 1);
  }

  /** Reads a .npy file given to {@code option}; errors read "{@code option: file: problem}". */
  protected static Tensor readNpy(String option, Path file) {
    return Inputs.npy(option, file);
  }

  /** Says on stderr that an existing file was replaced (files are never overwritten silently). */
  protected void noteReplaced(boolean replaced, Path file) {
    if (replaced) {
      err().println(spec.qualifiedName() + ": replaced the existing file " + file);
      err().flush();
    }
  }

  /**
   * Checks an output file named by {@code option} before any work is done: its folder must exist, it
   * must not be a folder, and it must not be one of the command's {@code inputs} (option &rarr; path; null
   * paths are skipped) &mdash; writing there would destroy the data the result was computed from. The folder
   * must be writable (tried by creating a file); stale temporaries of earlier, killed writes of this file
   * are removed.
   *
   * @throws InvalidInputException naming {@code option}, the file and, for a clash, the input option
   */
  protected static void checkOutput(String option, Path output, Map<String, Path> inputs) {
    Path abs = output.toAbsolutePath().normalize();
    if (Files.isDirectory(abs)) throw new InvalidInputException(option + ": " + output + " is a directory; expected a file name");
    Path parent = abs.getParent();
    if (parent == null || !Files.isDirectory(parent)) {
      throw new InvalidInputException(option + ": cannot write " + output + ", the directory " + parent + " does not exist");
    }
    for (Map.Entry<String, Path> in : inputs.entrySet()) {
      if (in.getValue() != null && sameFile(abs, in.getValue())) {
        throw new InvalidInputException(option + ": " + output + " is the " + in.getKey() + " input; writing there would destroy it,"
            + " choose another file");
      }
    }
    // a read-only folder is refused now, not after the work (the permission bits alone do not tell)
    String problem = AtomicFiles.writeProblem(parent);
    if (problem != null) throw new InvalidInputException(option + ": cannot write " + output + ", its " + problem.replaceFirst("^folder", "folder " + parent));
    // what an earlier, killed write of this file left (.NAME.tmp-HEX, never one a live writer holds)
    AtomicFiles.removeStaleTemporaries(parent, abs.getFileName().toString());
  }

  /** True when both paths name the same file (following links when both exist). */
  private static boolean sameFile(Path a, Path b) {
    try {
      if (Files.exists(a) && Files.exists(b)) return Files.isSameFile(a, b);
    } catch (IOException e) {
      // fall back to comparing the names
    }
    return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
  }

  /**
   * Runs {@code write} (an atomic writer that returns true when it replaced a file), prefixing its
   * bad-input errors with {@code option}, and says on stderr when an existing file was replaced.
   */
  protected void writeOutput(String option, Path output, BooleanSupplier write) {
    boolean replaced;
    try {
      replaced = write.getAsBoolean();
    } catch (InvalidInputException e) {
      throw new InvalidInputException(option + ": " + e.getMessage(), e);
    }
    noteReplaced(replaced, output);
  }

  /** Formats a number for text output: 7 significant digits, "nan" for NaN. */
  protected static String fmt(double v) {
    if (Double.isNaN(v)) return "nan";
    if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
    if (v == Math.rint(v) && Math.abs(v) < 1e9) return Long.toString((long) v);
    String s = String.format(java.util.Locale.ROOT, "%.7g", v);
    if (s.contains("e") || s.contains("E")) return s;
    if (s.contains(".")) {
      s = s.replaceAll("0+$", "");
      if (s.endsWith(".")) s = s.substring(0, s.length() - 1);
    }
    return s;
  }
}
