package dev.segloss.cli;

import dev.segloss.train.LiveLine;
import dev.segloss.train.Progress;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A progress line on stderr for commands that go over many files ({@code evaluate}, {@code weights}):
 * {@code "evaluate: 1234/10000 files (12 %), 85 files/s, left 1 min 43 s"}, redrawn in place ({@link
 * LiveLine}, as the training progress line) at most every {@value #INTERVAL_MS} ms (the rate of the
 * training progress line) and erased at the end, so that it never mixes with the results on stdout. Only on a terminal
 * ({@link Progress#stderrIsTerminal()}): when stderr goes to a file or a pipe nothing is written.
 * Thread-safe ({@link #advance} may be called from worker threads).
 */
final class FileProgress implements AutoCloseable {
  /** Least time between two redraws, ms. */
  static final long INTERVAL_MS = 200;

  private final LiveLine out; // null: nothing drawn
  private final String prefix;
  private final String unit;
  private final int total;
  private final LongSupplier clock;
  private final long start;
  private long lastDraw;
  private int done;

  /**
   * @param out where to draw; null draws nothing
   * @param prefix e.g. {@code "evaluate"}
   * @param unit plural noun, e.g. {@code "files"}
   * @param clock nanoseconds ({@code System::nanoTime})
   */
  FileProgress(PrintWriter out, String prefix, String unit, int total, LongSupplier clock) {
    this.out = out == null ? null : new LiveLine(out, LiveLine.columns());
    this.prefix = prefix;
    this.unit = unit;
    this.total = total;
    this.clock = clock;
    this.start = clock.getAsLong();
    this.lastDraw = start;
  }

  /** On {@code err} when stderr is a terminal, else nothing. */
  static FileProgress onTerminal(PrintWriter err, String prefix, String unit, int total) {
    return onTerminal(err, prefix, unit, total, Progress.stderrIsTerminal(), System::nanoTime);
  }

  /** On {@code err} when {@code terminal}, else nothing. */
  static FileProgress onTerminal(PrintWriter err, String prefix, String unit, int total, boolean terminal, LongSupplier clock) {
    return new FileProgress(terminal ? err : null, prefix, unit, total, clock);
  }

  /** One more item done. */
  synchronized void advance() {
    done++;
    if (out == null) return;
    long now = clock.getAsLong();
    if (now - lastDraw < INTERVAL_MS * 1_000_000L || done >= total) return;
    lastDraw = now;
    double seconds = (now - start) / 1e9;
    double rate = done / seconds;
    out.draw(String.format(Locale.ROOT, "%s: %d/%d %s (%d %%), %s, left %s", prefix, done, total, unit, (int) (100L * done / Math.max(1, total)),
        Progress.rate(rate, unit), Progress.duration((total - done) / rate)));
  }

  /** Items done so far. */
  synchronized int done() {
    return done;
  }

  /** Erases the line, if one was drawn. */
  @Override
  public synchronized void close() {
    if (out != null) out.clear();
  }
}
