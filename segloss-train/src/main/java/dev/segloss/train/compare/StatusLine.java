package dev.segloss.train.compare;

import dev.segloss.train.LiveLine;
import dev.segloss.train.Progress;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.PriorityQueue;
import java.util.TreeMap;

/**
 * The live line of {@code compare --workers} on a terminal: one line for all the runs training at once,
 * redrawn in place on stderr, e.g. {@code 1/4 done · 2 running · dice s1 epoch 5/39 [####......] · bce s1
 * epoch 3/39 [##........] · 34 steps/s · left 2 min 10 s}, cut to the terminal's width ({@link #format}).
 *
 * <p>Every method holds this object's lock: the threads that serve the worker JVMs report through it, and
 * every line printed while runs train (a finished run's line, a worker's message) is printed through it,
 * after the live line has been cleared, and the live line is drawn again below it; so printed lines never
 * mix with the live line. Not live (stderr is not a terminal), nothing is drawn and the lines are printed
 * as they come.
 */
final class StatusLine {
  /** Bar width of one run in the line. */
  static final int BAR = 10;
  private static final String SEP = " · ";

  private final PrintWriter err;
  private final LiveLine screen; // null: not live
  private final int total;
  private final int slots;
  private final TreeMap<Integer, Running> running = new TreeMap<>(); // plan order
  private int finished;
  private double finishedSeconds;
  private boolean closed;

  private static final class Running {
    final RunSpec run;
    final long start = System.nanoTime();
    Progress.State state;

    Running(RunSpec run) {
      this.run = run;
    }
  }

  /**
   * @param err where lines go (null: nowhere)
   * @param live draw the live line (a terminal)
   * @param columns the terminal's width
   * @param total runs in the plan
   * @param slots runs at once (the workers)
   */
  StatusLine(PrintWriter err, boolean live, int columns, int total, int slots) {
    this.err = err;
    this.screen = live && err != null ? new LiveLine(err, columns) : null;
    this.total = total;
    this.slots = Math.max(1, slots);
  }

  boolean live() {
    return screen != null;
  }

  /** A run was handed to a worker. */
  synchronized void started(RunSpec run) {
    running.put(run.index(), new Running(run));
    draw();
  }

  /** A running run's progress. */
  synchronized void progress(RunSpec run, Progress.State state) {
    Running r = running.get(run.index());
    if (r == null) return;
    r.state = state;
    draw();
  }

  /** A run has finished: {@code print} prints its line (the live line cleared first, drawn again after). */
  synchronized void finished(RunSpec run, Runnable print) {
    if (screen != null) screen.clear();
    print.run();
    Running r = running.remove(run.index());
    if (r != null) {
      finished++;
      finishedSeconds += (System.nanoTime() - r.start) / 1e9;
    }
    draw();
  }

  /** A run has failed: it no longer trains (the comparison reports the failure once the workers have stopped). */
  synchronized void failed(RunSpec run) {
    running.remove(run.index());
    draw();
  }

  /** Prints a line (a worker JVM's own output) above the live line. */
  synchronized void println(String text) {
    if (err == null) return;
    if (screen != null) screen.clear();
    err.println(text);
    err.flush();
    draw();
  }

  /** Clears the live line for good: what is printed next starts on a clean line. */
  synchronized void close() {
    closed = true;
    if (screen != null) screen.clear();
  }

  private void draw() {
    if (screen == null || closed) return;
    long now = System.nanoTime();
    List<Segment> segs = new ArrayList<>();
    double rate = 0;
    boolean anyRate = false;
    double[] left = new double[running.size()];
    double sumRun = 0;
    int known = 0;
    int i = 0;
    for (Running r : running.values()) {
      segs.add(new Segment(label(r.run), r.state));
      double elapsed = (now - r.start) / 1e9;
      left[i++] = r.state == null ? Double.NaN : r.state.secondsLeft();
      if (r.state != null && r.state.stepsPerSecond() > 0 && Double.isFinite(r.state.stepsPerSecond())) {
        rate += r.state.stepsPerSecond();
        anyRate = true;
      }
      if (r.state != null && Double.isFinite(r.state.secondsLeft()) && r.state.secondsLeft() >= 0) {
        sumRun += elapsed + r.state.secondsLeft();
        known++;
      }
    }
    // a run's length: the mean of the finished ones (start-up and testing included), else the running ones' estimate
    double runSeconds = finished > 0 ? finishedSeconds / finished : known > 0 ? sumRun / known : Double.NaN;
    i = 0;
    for (Running r : running.values()) {
      if (!(left[i] >= 0) && runSeconds >= 0) left[i] = Math.max(0, runSeconds - (now - r.start) / 1e9);
      i++;
    }
    int queued = Math.max(0, total - finished - running.size());
    double eta = secondsLeft(left, queued, slots, runSeconds);
    screen.draw(format(finished, total, segs, anyRate ? rate : Double.NaN, eta, screen.width()));
  }

  /** One running run in the line; {@code state} null until its first report. */
  record Segment(String label, Progress.State state) {
    /**
     * Level 0: {@code dice s1 epoch 5/39 [####......]}; 1: {@code dice s1 e5/39 [##...]}; 2: {@code dice s1
     * e5/39}.
     */
    String text(int level) {
      if (state == null) return label + " starting";
      String epoch = (level == 0 ? " epoch " : " e") + state.epoch() + "/" + state.epochs();
      return label + epoch + (level >= 2 ? "" : " " + Progress.bar(state.step(), state.steps(), level == 0 ? BAR : BAR / 2));
    }
  }

  /** {@code dice s2}, {@code bce(w_pos=auto) s1 f3}: the loss as given, the seed, the fold. */
  static String label(RunSpec run) {
    return run.loss() + " s" + run.seed() + (run.fold() > 0 ? " f" + run.fold() : "");
  }

  /**
   * The line: {@code D/T done · R running}, each running run ({@link Segment#text}), the summed speed of
   * the running runs and the estimated time left. The first of these that fits in {@code width} characters:
   * every run in full; every run shorter ({@code e5/39} for {@code epoch 5/39}, a bar half as long); every
   * run without its bar; the runs at the end giving way to {@code +K more}; when even no run fits, the line
   * cut at {@code width}.
   */
  static String format(int done, int total, List<Segment> runs, double stepsPerSecond, double secondsLeft, int width) {
    String head = String.format(Locale.ROOT, "%d/%d done%s%d running", done, total, SEP, runs.size());
    String tail = Progress.rate(stepsPerSecond) + (secondsLeft >= 0 && Double.isFinite(secondsLeft) ? SEP + "left " + Progress.duration(secondsLeft) : "");
    String line = null;
    for (int level = 0; level <= 2; level++) {
      line = compose(head, runs, runs.size(), level, tail);
      if (line.length() <= width) return line;
    }
    for (int shown = runs.size() - 1; shown >= 0; shown--) {
      line = compose(head, runs, shown, 2, tail);
      if (line.length() <= width) return line;
    }
    return LiveLine.cut(line, width);
  }

  private static String compose(String head, List<Segment> runs, int shown, int level, String tail) {
    StringBuilder sb = new StringBuilder(head);
    for (int k = 0; k < shown; k++) sb.append(SEP).append(runs.get(k).text(level));
    if (shown < runs.size()) sb.append(SEP).append('+').append(runs.size() - shown).append(" more");
    return sb.append(SEP).append(tail).toString();
  }

  /**
   * The time until every run has finished: the running runs end after their {@code runningLeft} seconds;
   * each of the {@code queued} runs then takes {@code runSeconds} on the first of the {@code slots} workers to
   * be free. NaN when a needed figure is unknown (NaN).
   */
  static double secondsLeft(double[] runningLeft, int queued, int slots, double runSeconds) {
    PriorityQueue<Double> free = new PriorityQueue<>();
    for (double l : runningLeft) {
      if (!(l >= 0) || Double.isInfinite(l)) return Double.NaN;
      free.add(l);
    }
    if (queued > 0 && !(runSeconds >= 0 && Double.isFinite(runSeconds))) return Double.NaN;
    while (free.size() < slots) free.add(0.0);
    double end = 0;
    for (double l : free) end = Math.max(end, l);
    for (int q = 0; q < queued; q++) {
      double t = free.poll() + runSeconds;
      free.add(t);
      end = Math.max(end, t);
    }
    return end;
  }
}
