package dev.segloss.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressTest {
  @Test
  void terminalDecisionTable() {
    // TERM unset or dumb: never redraw, whatever else says
    assertFalse(Progress.stderrIsTerminal(null, "true", true));
    assertFalse(Progress.stderrIsTerminal("dumb", "true", true));
    assertFalse(Progress.stderrIsTerminal("", "true", true));
    // the launcher knows its stderr; it wins over Java's console (stdin/stdout)
    assertTrue(Progress.stderrIsTerminal("xterm", "true", false));
    assertFalse(Progress.stderrIsTerminal("xterm", "false", true));
    // no launcher: Java's console stands in
    assertTrue(Progress.stderrIsTerminal("xterm", null, true));
    assertFalse(Progress.stderrIsTerminal("xterm", null, false));
  }

  @Test
  void rateText() {
    assertEquals("- steps/s", Progress.rate(0, 1_000_000_000L));
    assertEquals("2.5 steps/s", Progress.rate(5, 2_000_000_000L));
    assertEquals("40 steps/s", Progress.rate(40, 1_000_000_000L));
  }

  @Test
  void liveLineIsRedrawnWithCarriageReturnAndShowsRate() {
    StringWriter s = new StringWriter();
    Progress p = new Progress(new PrintWriter(s), "dice seed 1 ", true, false);
    p.step(1, 3, 1, 4, 0.5, Double.NaN, 12);
    p.step(1, 3, 4, 4, 0.4, Double.NaN, 10); // the last step of an epoch is always drawn
    String text = s.toString();
    assertTrue(text.startsWith("\rdice seed 1 epoch 1/3 [#####...............] - steps/s  loss 0.5000  val dice -  left 12 s"), text);
    assertTrue(text.contains("\rdice seed 1 epoch 1/3 [####################] "), text);
    assertTrue(text.matches("(?s).*\\] [0-9.]+ steps/s  loss 0\\.4000.*"), text);
    assertFalse(text.contains("\n"), "a live line has no newline until the run ends");
    p.finish();
    assertTrue(s.toString().endsWith("\r"), "finish clears the live line with spaces and returns to its start");
  }

  @Test
  void notLiveDrawsNoStepLines() {
    StringWriter s = new StringWriter();
    Progress p = new Progress(new PrintWriter(s), "", false);
    p.step(1, 3, 1, 4, 0.5, Double.NaN, 12);
    p.finish();
    assertEquals("", s.toString());
  }

  @Test
  void piecesOfEveryProgressText() {
    assertEquals("[..........]", Progress.bar(0, 40, 10));
    assertEquals("[##........]", Progress.bar(8, 40, 10));
    assertEquals("[###.......]", Progress.bar(5, 20, 10), "rounded: 2.5 of 10 gives 3");
    assertEquals("[##########]", Progress.bar(40, 40, 10));
    assertEquals("[##########]", Progress.bar(41, 40, 10), "never more than full");
    assertEquals("[....]", Progress.bar(3, 0, 4), "no steps: an empty bar");
    assertEquals("- steps/s", Progress.rate(Double.NaN));
    assertEquals("- steps/s", Progress.rate(0.0));
    assertEquals("- steps/s", Progress.rate(Double.POSITIVE_INFINITY));
    assertEquals("9.9 steps/s", Progress.rate(9.94));
    assertEquals("10 steps/s", Progress.rate(9.96));
    assertEquals("34 steps/s", Progress.rate(34.4));
    assertEquals("0.8123", Progress.dice(0.81234));
    assertEquals("-", Progress.dice(Double.NaN));
    assertEquals("epoch 5/39 [#####...............] 17 steps/s  loss 0.2100  val dice 0.8000  left 1 min 05 s",
        Progress.line(new Progress.State(5, 39, 10, 40, 0.21, 0.8, 65, 17.2)));
    assertEquals("epoch 1/3 [....................] - steps/s  loss 0.5000  val dice -  left ?",
        Progress.line(new Progress.State(1, 3, 0, 4, 0.5, Double.NaN, Double.NaN, Double.NaN)));
  }

  @Test
  void aListenerIsToldTheFirstStateThenAtMostFiveTimesASecond() throws InterruptedException {
    java.util.List<Progress.State> told = new java.util.ArrayList<>();
    java.util.List<Long> at = new java.util.ArrayList<>();
    Progress p = new Progress(null, "", false, false).listener(s -> {
      told.add(s);
      at.add(System.nanoTime());
    });
    long guard = System.nanoTime() + 10_000_000_000L; // a hang guard, not a timing assertion
    for (int i = 1; told.size() < 4 && System.nanoTime() < guard; i++) {
      p.step(1, 2, i, 1000, 1.0 / i, Double.NaN, 1000 - i);
      Thread.sleep(20);
    }
    p.epochEnd(new EpochStats(1, 1e-3f, 0.25, 0.3, 0.7, 0.6, 0), 2, 1, 0.7, 1);
    assertEquals(new Progress.State(1, 2, 1, 1000, 1.0, Double.NaN, 999, Double.NaN), told.get(0), "the first step is told at once");
    assertTrue(told.size() >= 4, told.toString());
    // steps every ~20 ms, told at most every 200 ms (the epoch's end included; timed here in the listener, a
    // few microseconds after Progress's own clock, hence the margin)
    for (int k = 1; k < at.size(); k++) assertTrue(at.get(k) - at.get(k - 1) >= 190_000_000L, "told " + (at.get(k) - at.get(k - 1)) + " ns apart");
    for (Progress.State s : told.subList(1, told.size())) assertTrue(s.stepsPerSecond() > 0, "a speed once two steps are timed: " + s);
  }

  @Test
  void compareLineAtTheEndOfAnEpochKeepsTheEpochsSpeedAndShowsItsDice() {
    StringWriter s = new StringWriter();
    Progress p = new Progress(new PrintWriter(s), "[1/2] dice, seed 1: ", true, false);
    p.step(1, 2, 1, 4, 0.5, Double.NaN, 12);
    p.step(1, 2, 4, 4, 0.4, Double.NaN, 10);
    String before = s.toString();
    String speed = before.substring(before.lastIndexOf("] ") + 2, before.indexOf("  loss", before.lastIndexOf("] ")));
    assertTrue(speed.matches("[0-9.]+ steps/s"), speed);
    p.epochEnd(new EpochStats(1, 1e-3f, 0.4, 0.3, 0.7, 0.6, 0), 2, 1, 0.7, 5);
    String last = s.toString().substring(s.toString().lastIndexOf('\r') + 1);
    assertEquals("[1/2] dice, seed 1: epoch 1/2 [####################] " + speed + "  loss 0.4000  val dice 0.7000  left 5 s", last.strip());
    // the next epoch's first step reported (its last, which is always drawn): no step of it timed yet, the
    // previous epoch's speed stands
    p.step(2, 2, 4, 4, 0.3, 0.7, 4);
    last = s.toString().substring(s.toString().lastIndexOf('\r') + 1);
    assertEquals("[1/2] dice, seed 1: epoch 2/2 [####################] " + speed + "  loss 0.3000  val dice 0.7000  left 4 s", last.strip());
  }

  @Test
  void carriageReturnsAreWrittenOnTheirOwn() {
    // the CLI's terminal-safe writer passes a carriage return only when it comes alone
    LiveLineTest.Screen screen = new LiveLineTest.Screen();
    Progress p = new Progress(new PrintWriter(screen), "x ", true, false);
    p.step(1, 1, 1, 2, 0.5, Double.NaN, 1);
    p.message("ignored in compare mode: clears");
    p.step(1, 1, 2, 2, 0.5, Double.NaN, 1);
    p.finish();
    String t = screen.text.toString();
    assertTrue(t.endsWith("\r"), t);
    assertEquals("", t.substring(t.lastIndexOf("\r", t.length() - 2) + 1).strip(), "finish leaves a cleared line");
    LiveLineTest.Screen train = new LiveLineTest.Screen();
    Progress q = new Progress(new PrintWriter(train), "", true, true);
    q.step(1, 1, 1, 2, 0.5, Double.NaN, 1);
    q.epochEnd(new EpochStats(1, 1e-3f, 0.4, 0.3, 0.7, 0.6, 0), 1, 1, 0.7, 0);
    q.message("done");
    q.finish();
    assertTrue(train.text.toString().contains("epoch 1/1  loss 0.4000  val loss 0.3000  val dice 0.7000 (best 0.7000 @1)"), train.text.toString());
  }
}
