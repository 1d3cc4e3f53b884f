package dev.segloss.train.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segloss.train.Progress;
import dev.segloss.train.TrainConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one live line of {@code compare --workers}: its text, how it is cut, its time left, and how lines are printed around it. */
class StatusLineTest {
  static final double NAN = Double.NaN;

  static Progress.State at(int epoch, int epochs, int step, int steps, double rate) {
    return new Progress.State(epoch, epochs, step, steps, 0.3, 0.7, 10, rate);
  }

  static final StatusLine.Segment DICE = new StatusLine.Segment("dice s1", at(5, 39, 16, 40, 17.2));
  static final StatusLine.Segment BCE = new StatusLine.Segment("bce s2", at(3, 39, 8, 40, 16.9));
  static final StatusLine.Segment TV = new StatusLine.Segment("tversky(alpha=0.7) s1 f3", null);

  record Case(int done, int total, List<StatusLine.Segment> runs, double rate, double left, int width, String expected) {}

  @Test
  void formatAndCutToTheWidth() {
    String full = "1/6 done · 2 running · dice s1 epoch 5/39 [####......] · bce s2 epoch 3/39 [##........] · 34 steps/s · left 2 min 10 s";
    List<Case> cases = List.of(
        new Case(1, 6, List.of(DICE, BCE), 34.1, 130, 200, full),
        // exactly as wide as allowed: whole
        new Case(1, 6, List.of(DICE, BCE), 34.1, 130, full.length(), full),
        // one character less: shorter runs
        new Case(1, 6, List.of(DICE, BCE), 34.1, 130, full.length() - 1,
            "1/6 done · 2 running · dice s1 e5/39 [##...] · bce s2 e3/39 [#....] · 34 steps/s · left 2 min 10 s"),
        new Case(1, 6, List.of(DICE, BCE), 34.1, 130, 98,
            "1/6 done · 2 running · dice s1 e5/39 [##...] · bce s2 e3/39 [#....] · 34 steps/s · left 2 min 10 s"),
        // then without bars
        new Case(1, 6, List.of(DICE, BCE), 34.1, 130, 97, "1/6 done · 2 running · dice s1 e5/39 · bce s2 e3/39 · 34 steps/s · left 2 min 10 s"),
        new Case(1, 6, List.of(DICE, BCE), 34.1, 130, 82, "1/6 done · 2 running · dice s1 e5/39 · bce s2 e3/39 · 34 steps/s · left 2 min 10 s"),
        // then the last run gives way
        new Case(1, 6, List.of(DICE, BCE), 34.1, 130, 81, "1/6 done · 2 running · dice s1 e5/39 · +1 more · 34 steps/s · left 2 min 10 s"),
        new Case(1, 6, List.of(DICE, BCE), 34.1, 130, 77, "1/6 done · 2 running · dice s1 e5/39 · +1 more · 34 steps/s · left 2 min 10 s"),
        new Case(1, 6, List.of(DICE, BCE), 34.1, 130, 76, "1/6 done · 2 running · +2 more · 34 steps/s · left 2 min 10 s"),
        new Case(1, 6, List.of(DICE, BCE), 34.1, 130, 61, "1/6 done · 2 running · +2 more · 34 steps/s · left 2 min 10 s"),
        new Case(1, 6, List.of(DICE, BCE), 34.1, 130, 60, "1/6 done · 2 running · +2 more · 34 steps/s · left 2 min 10 "),
        // not even that fits: cut
        new Case(1, 6, List.of(DICE, BCE), 34.1, 130, 29, "1/6 done · 2 running · +2 mor"),
        // unknown speed and time left; a run not yet reporting; a fold
        new Case(0, 3, List.of(TV, DICE), NAN, NAN, 119,
            "0/3 done · 2 running · tversky(alpha=0.7) s1 f3 starting · dice s1 epoch 5/39 [####......] · - steps/s"),
        new Case(5, 6, List.of(BCE), 16.9, 4, 119, "5/6 done · 1 running · bce s2 epoch 3/39 [##........] · 17 steps/s · left 4 s"),
        new Case(6, 6, List.of(), NAN, 0, 119, "6/6 done · 0 running · - steps/s · left 0 s"));
    for (Case c : cases) {
      String got = StatusLine.format(c.done(), c.total(), c.runs(), c.rate(), c.left(), c.width());
      assertEquals(c.expected(), got, c.toString());
      assertTrue(got.length() <= c.width(), got);
    }
  }

  @Test
  void labels() {
    TrainConfig tc = TrainConfig.builder().loss("dice").build();
    assertEquals("dice s2", StatusLine.label(new RunSpec(0, 0, "dice", 2, 0, "runs/dice/seed-2", tc, List.of(), List.of(), List.of(), new int[0], false)));
    assertEquals("bce(w_pos=auto) s1 f3",
        StatusLine.label(new RunSpec(0, 0, "bce(w_pos=auto)", 1, 3, "runs/bce/seed-1/fold-3", tc, List.of(), List.of(), List.of(), new int[0], false)));
  }

  record Left(double[] running, int queued, int slots, double runSeconds, double expected) {}

  @Test
  void timeLeftFillsTheFreeWorkersWithTheQueuedRuns() {
    List<Left> cases = List.of(
        // two running, nothing queued: the later one
        new Left(new double[] {10, 30}, 0, 2, NAN, 30),
        // two queued runs of 100 s: each starts when a worker is free (10 s, 30 s)
        new Left(new double[] {10, 30}, 2, 2, 100, 130),
        // three queued: the third after the first queued one (10 + 100 + 100)
        new Left(new double[] {10, 30}, 3, 2, 100, 210),
        // a free worker slot starts at once
        new Left(new double[] {50}, 1, 2, 40, 50),
        new Left(new double[] {50}, 2, 2, 40, 80),
        // one worker: one after another
        new Left(new double[] {5}, 3, 1, 10, 35),
        // unknown: a running run's time left, or the run length when runs are queued
        new Left(new double[] {NAN, 30}, 0, 2, 100, NAN),
        new Left(new double[] {10, 30}, 1, 2, NAN, NAN),
        new Left(new double[] {}, 0, 2, NAN, 0));
    for (Left c : cases) assertEquals(c.expected(), StatusLine.secondsLeft(c.running(), c.queued(), c.slots(), c.runSeconds()), 1e-9, c.toString());
  }

  static RunSpec run(int index, String loss, long seed) {
    return new RunSpec(index, 0, loss, seed, 0, "runs/" + loss + "/seed-" + seed, TrainConfig.builder().loss(loss).build(), List.of(), List.of(),
        List.of(), new int[0], false);
  }

  /** What a terminal shows: each line as left after its carriage returns overwrote it, trailing spaces dropped. */
  static List<String> rendered(String text) {
    List<String> lines = new java.util.ArrayList<>();
    for (String raw : text.split("\n", -1)) {
      StringBuilder line = new StringBuilder();
      int col = 0;
      for (char ch : raw.toCharArray()) {
        if (ch == '\r') {
          col = 0;
          continue;
        }
        if (col < line.length()) line.setCharAt(col, ch);
        else line.append(ch);
        col++;
      }
      lines.add(line.toString().stripTrailing());
    }
    while (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) lines.remove(lines.size() - 1);
    return lines;
  }

  @Test
  void linesPrintedWhileRunsTrainStandAloneAndTheLiveLineIsGoneAtTheEnd() {
    StringWriter s = new StringWriter();
    PrintWriter err = new PrintWriter(s);
    StatusLine st = new StatusLine(err, true, 200, 3, 2);
    RunSpec a = run(0, "dice", 1), b = run(1, "bce", 1), c = run(2, "dice", 2);
    st.started(a);
    st.started(b);
    assertTrue(s.toString().endsWith("\r0/3 done · 2 running · dice s1 starting · bce s1 starting · - steps/s"), s.toString());
    st.progress(a, at(1, 2, 3, 4, 10));
    st.progress(b, at(1, 2, 1, 4, 5));
    String shown = s.toString().substring(s.toString().lastIndexOf('\r') + 1);
    assertTrue(shown.startsWith("0/3 done · 2 running · dice s1 epoch 1/2 [########..] · bce s1 epoch 1/2 [###.......] · 15 steps/s · left "), shown);
    st.println("a worker's warning");
    st.finished(a, () -> err.println("[1/3] dice, seed 1: completed"));
    st.started(c);
    st.progress(run(7, "other", 1), at(1, 2, 1, 4, 5)); // not running: ignored
    st.finished(b, () -> err.println("[2/3] bce, seed 1: completed"));
    st.finished(c, () -> err.println("[3/3] dice, seed 2: completed"));
    st.close();
    st.println("after the runs");
    assertEquals(List.of("a worker's warning", "[1/3] dice, seed 1: completed", "[2/3] bce, seed 1: completed", "[3/3] dice, seed 2: completed",
        "after the runs"), rendered(s.toString()));
    assertTrue(s.toString().contains("\r1/3 done · 2 running · bce s1 epoch 1/2 [###.......] · dice s2 starting · 5.0 steps/s · left "), s.toString());
  }

  @Test
  void notLiveOnlyTheLinesArePrinted() {
    StringWriter s = new StringWriter();
    PrintWriter err = new PrintWriter(s);
    StatusLine st = new StatusLine(err, false, 200, 1, 2);
    RunSpec a = run(0, "dice", 1);
    st.started(a);
    st.progress(a, at(1, 2, 3, 4, 10));
    st.finished(a, () -> err.println("[1/1] dice, seed 1: completed"));
    st.close();
    err.flush();
    assertEquals("[1/1] dice, seed 1: completed" + System.lineSeparator(), s.toString());
  }
}
