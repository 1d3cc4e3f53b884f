package dev.segloss.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class FileProgressTest {
  /** Redrawn in place at most every 200 ms of the clock, never for the last item, erased at the end. */
  @Test
  void throttledRedrawsErasedAtTheEnd() {
    StringWriter w = new StringWriter();
    AtomicLong now = new AtomicLong();
    try (FileProgress p = new FileProgress(new PrintWriter(w), "evaluate", "files", 10, now::get)) {
      long[] at = {50, 100, 250, 300, 460, 500, 1000, 1100, 1150, 1190}; // ms when items 1..10 finish
      for (long ms : at) {
        now.set(ms * 1_000_000L);
        p.advance();
      }
      assertEquals(10, p.done());
    }
    String s = w.toString();
    // drawn at 250 ms (item 3), 460 (5) and 1000 (7); 1150 is less than 200 ms after 1000, item 10 is the end
    String l3 = "evaluate: 3/10 files (30 %), 12 files/s, left 1 s";
    String l5 = "evaluate: 5/10 files (50 %), 11 files/s, left 0 s";
    String l7 = "evaluate: 7/10 files (70 %), 7.0 files/s, left 0 s";
    assertEquals("\r" + l3 + "\r" + l5 + "\r" + l7 + "\r" + " ".repeat(l7.length()) + "\r", s);
  }

  /** Through the CLI's terminal-safe writer the carriage returns stay raw (one inside text would be shown escaped). */
  @Test
  void carriageReturnsReachTheTerminal() {
    StringWriter w = new StringWriter();
    AtomicLong now = new AtomicLong();
    try (FileProgress p = new FileProgress(new PrintWriter(new TerminalSafeWriter(w, false), true), "weights", "files", 3, now::get)) {
      now.set(1_000_000_000L);
      p.advance();
    }
    String line = "weights: 1/3 files (33 %), 1.0 files/s, left 2 s";
    assertEquals("\r" + line + "\r" + " ".repeat(line.length()) + "\r", w.toString());
  }

  @Test
  void nothingWhenNotATerminal() {
    for (boolean terminal : new boolean[] {false, true}) {
      StringWriter w = new StringWriter();
      AtomicLong now = new AtomicLong();
      try (FileProgress p = FileProgress.onTerminal(new PrintWriter(w), "weights", "files", 3, terminal, now::get)) {
        for (int i = 1; i <= 3; i++) {
          now.set(i * 1_000_000_000L);
          p.advance();
        }
      }
      assertEquals(terminal, !w.toString().isEmpty(), w.toString());
    }
    // in the tests' JVM stderr is not a terminal: the command's own progress writes nothing either
    assertTrue(Cli.run("weights", "--masks", "../examples/seed/y_true.npy").ok().err.isEmpty());
  }
}
