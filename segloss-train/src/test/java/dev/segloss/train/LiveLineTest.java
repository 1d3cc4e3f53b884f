package dev.segloss.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import org.junit.jupiter.api.Test;

class LiveLineTest {
  /**
   * Records what is written and fails when a carriage return comes inside text: the CLI's terminal-safe
   * writer passes only a carriage return written on its own and shows one inside text as the two characters
   * backslash, r.
   */
  static final class Screen extends Writer {
    final StringBuilder text = new StringBuilder();

    @Override
    public void write(int c) {
      text.append((char) c);
    }

    @Override
    public void write(char[] cbuf, int off, int len) {
      String s = new String(cbuf, off, len);
      if (s.length() > 1 && s.indexOf('\r') >= 0) throw new AssertionError("a carriage return inside text: [" + s + "]");
      text.append(s);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }

  @Test
  void redrawsInPlaceCutToTheWidthAndClears() {
    Screen s = new Screen();
    LiveLine l = new LiveLine(new PrintWriter(s), 11); // lines of at most 10 characters
    assertEquals(10, l.width());
    l.draw("abcdefghijklmnop");
    assertEquals("\rabcdefghij", s.text.toString());
    l.draw("xyz");
    assertEquals("\rabcdefghij\rxyz       ", s.text.toString(), "a shorter line overwrites what is left of the longer one");
    l.clear();
    assertEquals("\rabcdefghij\rxyz       \r   \r", s.text.toString());
    assertFalse(l.shown());
    l.clear();
    assertEquals("\rabcdefghij\rxyz       \r   \r", s.text.toString(), "nothing shown: nothing to clear");
  }

  @Test
  void keepEndsTheLineOrReplacesItWithAWholeLine() {
    Screen s = new Screen();
    LiveLine l = new LiveLine(new PrintWriter(s), 6);
    l.draw("12345");
    l.keep();
    l.keep(); // nothing shown: no empty line
    l.draw("ab");
    l.keep("a long line, never cut");
    assertEquals("\r12345" + System.lineSeparator() + "\rab\ra long line, never cut" + System.lineSeparator(), s.text.toString());
    StringWriter w = new StringWriter();
    LiveLine m = new LiveLine(new PrintWriter(w), 80);
    m.draw("a long progress line");
    m.keep("short");
    assertEquals("\ra long progress line\rshort               " + System.lineSeparator(), w.toString(), "spaces over the longer line");
  }

  @Test
  void columnsFromTheEnvironmentThenTheLauncherThen120() {
    assertEquals(80, LiveLine.columns("80", "200"));
    assertEquals(200, LiveLine.columns(null, "200"));
    assertEquals(200, LiveLine.columns("wide", "200"));
    assertEquals(200, LiveLine.columns("0", " 200 "));
    assertEquals(120, LiveLine.columns(null, null));
    assertEquals(120, LiveLine.columns("", "-3"));
    assertEquals(120, LiveLine.columns("1", null));
  }

  @Test
  void cut() {
    assertEquals("abc", LiveLine.cut("abc", 3));
    assertEquals("ab", LiveLine.cut("abc", 2));
    assertEquals("", LiveLine.cut("abc", 0));
    assertTrue(LiveLine.cut("", 5).isEmpty());
  }
}
