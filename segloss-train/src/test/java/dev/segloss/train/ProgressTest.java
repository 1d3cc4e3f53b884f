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
}
