package dev.segloss.train;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * The training progress line on stderr: epoch, a bar, the running loss, the last validation Dice (and the
 * best so far) and the estimated time left. On a terminal the line is redrawn in place (at most five
 * times a second); otherwise one line is printed per epoch, so logs stay readable.
 */
public final class Progress {
  private static final int BAR = 20;
  private final PrintWriter out;
  private final String prefix;
  private final boolean live;
  private final boolean epochLines;
  private long lastDraw;
  private int lastLen;
  private int rateEpoch = -1;
  private long rateStart;
  private int rateFirstStep;

  /**
   * @param out where to draw (null: nothing is drawn)
   * @param prefix put before every line, e.g. {@code "dice seed 2 "}
   * @param live redraw in place (a terminal) instead of one line per epoch
   */
  public Progress(PrintWriter out, String prefix, boolean live) {
    this(out, prefix, live, true);
  }

  /**
   * @param epochLines print a line per epoch and the run's messages; when false (a caller such as {@code
   *     compare} that prints its own line per run) a live line is only redrawn, and cleared at the end
   */
  public Progress(PrintWriter out, String prefix, boolean live, boolean epochLines) {
    this.out = out;
    this.prefix = prefix == null ? "" : prefix;
    this.live = live;
    this.epochLines = epochLines;
  }

  /**
   * Whether stderr is an interactive terminal. The {@code ./segloss} launcher passes its own stderr's state
   * as {@code -Dsegloss.stderr.terminal=true|false} (Java's stderr is then the launcher's filter pipe);
   * without it, Java's console (a terminal on stdin and stdout) stands in. A {@code TERM} of {@code dumb} or
   * none means no redrawing.
   */
  public static boolean stderrIsTerminal() {
    return stderrIsTerminal(System.getenv("TERM"), System.getProperty("segloss.stderr.terminal"), System.console() != null);
  }

  static boolean stderrIsTerminal(String term, String launcherSays, boolean console) {
    if (term == null || term.isEmpty() || "dumb".equals(term)) return false;
    if (launcherSays != null) return Boolean.parseBoolean(launcherSays);
    return console;
  }

  void step(int epoch, int epochs, int step, int steps, double loss, double valDice, double etaSeconds) {
    if (out == null || !live) return;
    long now = System.nanoTime();
    // steps per second over the epoch so far, timed from the end of its first reported step
    if (epoch != rateEpoch) {
      rateEpoch = epoch;
      rateStart = now;
      rateFirstStep = step;
    }
    if (now - lastDraw < 200_000_000L && step < steps) return;
    lastDraw = now;
    int filled = (int) Math.round(BAR * step / (double) Math.max(1, steps));
    String line = String.format(Locale.ROOT, "%sepoch %d/%d [%s%s] %s  loss %.4f  val dice %s  left %s", prefix, epoch, epochs,
        "#".repeat(filled), ".".repeat(BAR - filled), rate(step - rateFirstStep, now - rateStart), loss, fmtDice(valDice),
        duration(etaSeconds));
    draw(line);
  }

  void epochEnd(EpochStats s, int epochs, int bestEpoch, double bestDice, double etaSeconds) {
    if (out == null) return;
    if (!epochLines) {
      if (live) step(s.epoch(), epochs, 1, 1, s.trainLoss(), s.valDice(), etaSeconds);
      return;
    }
    String line = String.format(Locale.ROOT, "%sepoch %d/%d  loss %.4f  val loss %.4f  val dice %s (best %s @%d)  %.1f s  left %s", prefix,
        s.epoch(), epochs, s.trainLoss(), s.valLoss(), fmtDice(s.valDice()), fmtDice(bestDice), bestEpoch, s.seconds(),
        duration(etaSeconds));
    if (live) {
      draw(line);
      out.println();
      lastLen = 0;
    } else {
      out.println(line);
    }
    out.flush();
  }

  /** Prints a message on its own line. */
  public void message(String text) {
    if (out == null) return;
    if (!epochLines) {
      if (live && lastLen > 0) {
        // a carriage return on its own: the CLI's terminal-safe writer passes it (inside text it is escaped)
        out.print('\r');
        out.print(" ".repeat(lastLen));
        out.print('\r');
        out.flush();
      }
      lastLen = 0;
      return;
    }
    if (live && lastLen > 0) out.println();
    lastLen = 0;
    out.println(prefix + text);
    out.flush();
  }

  /**
   * The run has ended: a live line still on screen is cleared (the caller prints the run's outcome once,
   * on stdout for {@code train}, in its table for {@code compare}).
   */
  public void finish() {
    if (out == null) return;
    if (live && lastLen > 0) {
      if (epochLines) out.println();
      else out.print("\r" + " ".repeat(lastLen) + "\r");
      out.flush();
    }
    lastLen = 0;
  }

  private void draw(String line) {
    StringBuilder sb = new StringBuilder(line);
    for (int i = line.length(); i < lastLen; i++) sb.append(' ');
    lastLen = line.length();
    out.print('\r'); // on its own: see message()
    out.print(sb);
    out.flush();
  }

  /** "12.3 steps/s" ("- steps/s" until two steps have been timed). */
  static String rate(int steps, long nanos) {
    if (steps <= 0 || nanos <= 0) return "- steps/s";
    double r = steps / (nanos / 1e9);
    return String.format(Locale.ROOT, r >= 10 ? "%.0f steps/s" : "%.1f steps/s", r);
  }

  private static String fmtDice(double d) {
    return Double.isNaN(d) || Double.isInfinite(d) ? "-" : String.format(Locale.ROOT, "%.4f", d);
  }

  /** "42 s", "3 min 05 s", "1 h 02 min". */
  public static String duration(double seconds) {
    if (!(seconds >= 0) || Double.isInfinite(seconds)) return "?";
    long s = Math.round(seconds);
    if (s < 60) return s + " s";
    if (s < 3600) return String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
    return String.format(Locale.ROOT, "%d h %02d min", s / 3600, (s % 3600) / 60);
  }
}
