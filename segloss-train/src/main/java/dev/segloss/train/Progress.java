package dev.segloss.train;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * The training progress line on stderr: epoch, a bar, steps per second, the running loss, the last
 * validation Dice (and the best so far) and the estimated time left. On a terminal the line is redrawn in
 * place ({@link LiveLine}: at most five times a second, and at the last step of each epoch); otherwise one
 * line is printed per epoch, so logs stay readable. A {@link Listener} is told the same {@link State}s (at
 * most five times a second), for a caller that shows them elsewhere ({@code compare --workers}: a child JVM
 * sends them to the parent, which draws one line for all its runs).
 *
 * <p>The one place for the pieces of every progress text: {@link #bar}, {@link #rate(double)}, {@link
 * #duration}, {@link #dice}.
 */
public final class Progress {
  private static final int BAR = 20;
  /** The least time between two reports (draws or listener calls): five a second. */
  private static final long REPORT_NANOS = 200_000_000L;

  /**
   * Where a training is.
   *
   * @param epoch the epoch being trained (1-based)
   * @param epochs the run's epochs
   * @param step steps done in this epoch
   * @param steps steps of an epoch
   * @param loss the epoch's running mean training loss
   * @param valDice the last validation Dice (NaN before the first validation)
   * @param secondsLeft the estimated time left of the run's training (NaN when unknown)
   * @param stepsPerSecond the epoch's speed so far (the previous epoch's until two steps of this one have been
   *     timed; NaN before that)
   */
  public record State(int epoch, int epochs, int step, int steps, double loss, double valDice, double secondsLeft, double stepsPerSecond) {}

  /** Told a training's {@link State} at most five times a second (from the training's thread). */
  @FunctionalInterface
  public interface Listener {
    void update(State state);
  }

  private final PrintWriter out;
  private final String prefix;
  private final boolean epochLines;
  private final LiveLine screen; // null unless drawing live
  private Listener listener;
  private boolean drawn;
  private long lastDraw;
  private boolean sent;
  private long lastSent;
  private int rateEpoch = -1;
  private long rateStart;
  private int rateFirstStep;
  private int lastSteps = 1;
  private double lastRate = Double.NaN;

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
    this.epochLines = epochLines;
    this.screen = out != null && live ? new LiveLine(out, LiveLine.columns()) : null;
  }

  /** Also tells {@code l} (null: nobody) each state, at most five times a second; returns this. */
  public Progress listener(Listener l) {
    this.listener = l;
    return this;
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
    if (screen == null && listener == null) return;
    long now = System.nanoTime();
    // steps per second over the epoch so far, timed from the end of its first reported step
    if (epoch != rateEpoch) {
      rateEpoch = epoch;
      rateStart = now;
      rateFirstStep = step;
    }
    lastSteps = steps;
    // until two steps of this epoch are timed, the previous epoch's speed stands (none before the first)
    if (step > rateFirstStep && now > rateStart) lastRate = (step - rateFirstStep) / ((now - rateStart) / 1e9);
    State s = new State(epoch, epochs, step, steps, loss, valDice, etaSeconds, lastRate);
    tell(s, now);
    // on screen the last step of an epoch is always drawn (a full bar while the epoch is validated)
    if (screen != null && (!drawn || now - lastDraw >= REPORT_NANOS || step >= steps)) {
      drawn = true;
      lastDraw = now;
      screen.draw(prefix + line(s));
    }
  }

  private void tell(State s, long now) {
    if (listener != null && (!sent || now - lastSent >= REPORT_NANOS)) {
      sent = true;
      lastSent = now;
      listener.update(s);
    }
  }

  /** A state as the live line shows it: {@code epoch 5/39 [####....] 17 steps/s  loss 0.2100  val dice 0.8000  left 42 s}. */
  public static String line(State s) {
    return String.format(Locale.ROOT, "epoch %d/%d %s %s  loss %.4f  val dice %s  left %s", s.epoch(), s.epochs(), bar(s.step(), s.steps(), BAR),
        rate(s.stepsPerSecond()), s.loss(), dice(s.valDice()), duration(s.secondsLeft()));
  }

  void epochEnd(EpochStats s, int epochs, int bestEpoch, double bestDice, double etaSeconds) {
    // the epoch's last step with its validation Dice, at the epoch's speed
    State end = new State(s.epoch(), epochs, lastSteps, lastSteps, s.trainLoss(), s.valDice(), etaSeconds, lastRate);
    tell(end, System.nanoTime());
    if (out == null) return;
    if (!epochLines) {
      if (screen != null) screen.draw(prefix + line(end));
      return;
    }
    String text = String.format(Locale.ROOT, "%sepoch %d/%d  loss %.4f  val loss %.4f  val dice %s (best %s @%d)  %.1f s  left %s", prefix,
        s.epoch(), epochs, s.trainLoss(), s.valLoss(), dice(s.valDice()), dice(bestDice), bestEpoch, s.seconds(), duration(etaSeconds));
    if (screen != null) screen.keep(text);
    else out.println(text);
    out.flush();
  }

  /** Prints a message on its own line. */
  public void message(String text) {
    if (out == null) return;
    if (!epochLines) {
      if (screen != null) screen.clear();
      return;
    }
    if (screen != null) screen.keep();
    out.println(prefix + text);
    out.flush();
  }

  /**
   * The run has ended: a live line still on screen is cleared (the caller prints the run's outcome once,
   * on stdout for {@code train}, in its table for {@code compare}).
   */
  public void finish() {
    if (screen == null) return;
    if (epochLines) screen.keep();
    else screen.clear();
  }

  /** "[#####.....]": {@code step} of {@code steps} as a bar of {@code width} characters between brackets. */
  public static String bar(int step, int steps, int width) {
    int filled = steps <= 0 ? 0 : (int) Math.round(width * Math.min(1.0, Math.max(0, step) / (double) steps));
    return "[" + "#".repeat(filled) + ".".repeat(width - filled) + "]";
  }

  /** "12.3 steps/s" ("- steps/s" until two steps have been timed). */
  static String rate(int steps, long nanos) {
    return rate(steps <= 0 || nanos <= 0 ? Double.NaN : steps / (nanos / 1e9));
  }

  /** "2.5 steps/s", "34 steps/s" (whole numbers from 10 on); "- steps/s" when unknown (NaN, infinite or not positive). */
  public static String rate(double perSecond) {
    return rate(perSecond, "steps");
  }

  /** As {@link #rate(double)} for another unit (plural): "85 files/s". */
  public static String rate(double perSecond, String unit) {
    if (!(perSecond > 0) || Double.isInfinite(perSecond)) return "- " + unit + "/s";
    // (9.95 and up would print as "10.0" with one decimal)
    return String.format(Locale.ROOT, perSecond >= 9.95 ? "%.0f %s/s" : "%.1f %s/s", perSecond, unit);
  }

  /** "0.8123", or "-" when not a number. */
  public static String dice(double d) {
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
