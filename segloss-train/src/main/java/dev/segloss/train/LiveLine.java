package dev.segloss.train;

import java.io.PrintWriter;

/**
 * One line on a terminal that is redrawn in place: {@code \r}, the new text, spaces over what is left of a
 * longer previous text. The text is cut to the terminal's width ({@link #columns()} − 1 characters, so the
 * cursor never reaches the last column and the line never wraps: a wrapped line cannot be redrawn with
 * {@code \r}). Every carriage return is written on its own ({@code print('\r')}), which the CLI's
 * terminal-safe writer passes through while it escapes one inside text. Not thread-safe: callers that draw
 * from several threads hold one lock around every call.
 */
public final class LiveLine {
  /** The terminal width assumed when neither {@code COLUMNS} nor the launcher tells it. */
  public static final int DEFAULT_COLUMNS = 120;

  private final PrintWriter out;
  private final int width;
  private int shown;

  /** @param columns the terminal's width (at least 2); lines are cut to {@code columns - 1} characters */
  public LiveLine(PrintWriter out, int columns) {
    this.out = out;
    this.width = Math.max(1, columns - 1);
  }

  /**
   * The terminal's width in columns: the {@code COLUMNS} environment variable when it is a positive number
   * (shells set it but rarely export it), else {@code -Dsegloss.columns} (the {@code ./segloss} launcher
   * passes its terminal's width there when stderr is a terminal), else {@value #DEFAULT_COLUMNS}.
   */
  public static int columns() {
    return columns(System.getenv("COLUMNS"), System.getProperty("segloss.columns"));
  }

  static int columns(String env, String launcherSays) {
    for (String s : new String[] {env, launcherSays}) {
      if (s == null) continue;
      try {
        int c = Integer.parseInt(s.strip());
        if (c > 1) return c;
      } catch (NumberFormatException e) {
        // not a width: the next source
      }
    }
    return DEFAULT_COLUMNS;
  }

  /** {@code text} cut to at most {@code max} characters. */
  public static String cut(String text, int max) {
    return text.length() <= max ? text : text.substring(0, Math.max(0, max));
  }

  /** The longest text drawn whole. */
  public int width() {
    return width;
  }

  /** Redraws the line with {@code text} (cut to the width). */
  public void draw(String text) {
    String t = cut(text, width);
    out.print('\r');
    out.print(t);
    if (shown > t.length()) out.print(" ".repeat(shown - t.length()));
    shown = t.length();
    out.flush();
  }

  /** Clears the line and leaves the cursor at its start (nothing is written when nothing is shown). */
  public void clear() {
    if (shown > 0) {
      out.print('\r');
      out.print(" ".repeat(shown));
      out.print('\r');
      out.flush();
    }
    shown = 0;
  }

  /** Ends the line as it is shown (a newline), so that it stays on the screen. */
  public void keep() {
    if (shown > 0) {
      out.println();
      out.flush();
    }
    shown = 0;
  }

  /**
   * Replaces the line with {@code text}, whole (it may wrap: it is not redrawn), and ends it with a newline,
   * so that it stays on the screen.
   */
  public void keep(String text) {
    out.print('\r');
    out.print(text);
    if (shown > text.length()) out.print(" ".repeat(shown - text.length()));
    out.println();
    out.flush();
    shown = 0;
  }

  /** Whether a line is shown. */
  public boolean shown() {
    return shown > 0;
  }
}
