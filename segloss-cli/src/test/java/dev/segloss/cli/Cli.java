package dev.segloss.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/** Runs the CLI in-process and captures its exit code, stdout and stderr. */
final class Cli {
  final int code;
  final String out;
  final String err;

  private Cli(int code, String out, String err) {
    this.code = code;
    this.out = out;
    this.err = err;
  }

  static Cli run(String... args) {
    StringWriter o = new StringWriter();
    StringWriter e = new StringWriter();
    int code = Segloss.run(new PrintWriter(o), new PrintWriter(e), args);
    return new Cli(code, o.toString(), e.toString());
  }

  JsonNode json() {
    try {
      return new ObjectMapper().readTree(out);
    } catch (Exception ex) {
      throw new UncheckedIOException(new java.io.IOException("not JSON: " + out + " / stderr: " + err, ex));
    }
  }

  /** Asserts success and returns this. */
  Cli ok() {
    assertEquals(0, code, () -> "exit code; stderr: " + err + " stdout: " + out);
    return this;
  }

  /**
   * Asserts the bad-input contract: exit code 2, exactly one line on stderr, no stack trace, and the
   * line contains every fragment (the argument or file it names, what was expected).
   */
  String badInput(String... fragments) {
    assertEquals(2, code, () -> "exit code; stderr: " + err + " stdout: " + out);
    String line = err.strip();
    assertFalse(line.isEmpty(), "a message on stderr");
    assertFalse(line.contains("\n"), () -> "one line on stderr, got:\n" + err);
    assertFalse(err.contains("\tat ") || err.contains("Exception"), () -> "no stack trace / exception class: " + err);
    for (String f : fragments) assertTrue(line.contains(f), () -> "stderr should contain '" + f + "': " + line);
    assertTrue(out.isEmpty(), () -> "nothing on stdout: " + out);
    return line;
  }
}
