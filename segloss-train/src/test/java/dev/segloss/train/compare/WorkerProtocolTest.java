package dev.segloss.train.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.segloss.train.ImageSet;
import dev.segloss.train.ModelFiles;
import dev.segloss.train.Progress;
import dev.segloss.train.RunResult;
import dev.segloss.train.RunState;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stdout protocol between {@link LocalWorkers} and its {@link RunWorker} children: progress lines
 * written by the child are read back by the parent; a progress line that cannot be read is dropped and the
 * run goes on, while an outcome that cannot be read fails the run as before.
 */
class WorkerProtocolTest {
  @TempDir Path tmp;

  static final ObjectMapper JSON = ModelFiles.json().copy().disable(SerializationFeature.INDENT_OUTPUT);
  static final Progress.State STATE = new Progress.State(2, 39, 17, 40, 0.2345, 0.8123, 65.5, 17.25);

  /** The text after the protocol's line prefix. */
  static String answer(String line) {
    assertTrue(line.startsWith(RunWorker.LINE), line);
    return line.substring(RunWorker.LINE.length());
  }

  @Test
  void progressLinesRoundTrip() {
    String line = RunWorker.progressLine(JSON, 3, STATE);
    assertFalse(line.contains("\n"), line);
    assertEquals(
        "segloss-run progress {\"run\":3,\"state\":{\"epoch\":2,\"epochs\":39,\"step\":17,\"steps\":40,\"loss\":0.2345,\"valDice\":0.8123,"
            + "\"secondsLeft\":65.5,\"stepsPerSecond\":17.25}}",
        line);
    assertEquals(STATE, RunWorker.parseProgress(JSON, answer(line), 3));
    // before the first validation and the first timed steps: NaN survives
    Progress.State first = new Progress.State(1, 2, 1, 40, 0.7, Double.NaN, Double.NaN, Double.NaN);
    assertEquals(first, RunWorker.parseProgress(JSON, answer(RunWorker.progressLine(JSON, 0, first)), 0));
  }

  @Test
  void malformedOrImpossibleProgressIsDropped() {
    String ok = answer(RunWorker.progressLine(JSON, 3, STATE));
    String body = ok.substring(RunWorker.PROGRESS.length());
    List<String> bad = List.of(
        "progress ",
        "progress {",
        "progress null",
        "progress []",
        "progress {\"run\":3}",
        "progress {\"run\":3,\"state\":null}",
        ok + " trailing",
        ok + "{}",
        "progress " + body.replace("\"epoch\":2", "\"epoch\":0"),
        "progress " + body.replace("\"epoch\":2", "\"epoch\":40"),
        "progress " + body.replace("\"epochs\":39", "\"epochs\":0").replace("\"epoch\":2", "\"epoch\":0"),
        "progress " + body.replace("\"step\":17", "\"step\":41"),
        "progress " + body.replace("\"step\":17", "\"step\":-1"),
        "progress " + body.replace("\"steps\":40", "\"steps\":0").replace("\"step\":17", "\"step\":0"),
        "progress " + body.replace("\"loss\":0.2345,", ""),
        "progress " + body.replace("\"epoch\":2", "\"epoch\":\"two\""),
        "outcome " + body);
    for (String a : bad) assertNull(RunWorker.parseProgress(JSON, a, 3), a);
    assertNull(RunWorker.parseProgress(JSON, ok, 4), "another run's progress");
    assertEquals(STATE, RunWorker.parseProgress(JSON, ok, 3));
  }

  /** A stand-in child: reads one run description, writes {@code lines} on stdout, exits with {@code code}. */
  Process child(List<String> lines, int code) throws Exception {
    Path out = tmp.resolve("lines-" + System.nanoTime());
    Files.write(out, lines);
    return new ProcessBuilder("bash", "-c", "read -r spec; cat '" + out + "'; exit " + code).start();
  }

  record Served(RunOutcome[] outcomes, String[] failures, boolean[] bad, List<String> done, String err) {}

  Served serve(List<String> lines, int code) throws Exception {
    RunSpec run = StatusLineTest.run(0, "dice", 1);
    RunOutcome[] outcomes = new RunOutcome[1];
    String[] failures = new String[1];
    boolean[] bad = new boolean[1];
    List<String> done = new ArrayList<>();
    StringWriter s = new StringWriter();
    PrintWriter err = new PrintWriter(s);
    StatusLine status = new StatusLine(err, true, 200, 1, 1);
    Process p = child(lines, code);
    LocalWorkers.serve(p, new ConcurrentLinkedQueue<>(List.of(run)), new AtomicBoolean(), outcomes, failures, bad,
        (r, o, secs) -> done.add(r.label() + " " + o.status()), status);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    status.close();
    return new Served(outcomes, failures, bad, done, s.toString());
  }

  static RunOutcome outcome() {
    RunSpec run = new RunSpec(0, 0, "dice", 1, 0, "runs/dice/seed-1", dev.segloss.train.TrainConfig.builder().loss("dice").build(), List.of("a"),
        List.of("b"), List.of(), new int[0], false);
    RunResult rr = new RunResult(Path.of("runs/dice/seed-1"), RunState.Status.DIVERGED, "loss became NaN", 1, 0, Double.NaN, 1.5, List.of(), "dice");
    return RunExecutor.evaluate(run, rr, ImageSet.of(List.of()));
  }

  @Test
  void theParentSkipsOtherOutputAndBadProgressAndReadsTheOutcome() throws Exception {
    RunOutcome o = outcome();
    String outcomeJson = JSON.writeValueAsString(o);
    Served s = serve(List.of(
        "a library writing to stdout",
        "segloss-run progress {not json",
        RunWorker.progressLine(JSON, 0, new Progress.State(9, 2, 1, 4, 0.5, Double.NaN, 1, 1)),
        RunWorker.progressLine(JSON, 5, new Progress.State(1, 2, 3, 4, 0.5, Double.NaN, 1, 1)),
        RunWorker.progressLine(JSON, 0, new Progress.State(1, 2, 2, 4, 0.5, Double.NaN, 1, 12)),
        "segloss-run outcome " + outcomeJson), 0);
    assertNull(s.failures()[0], s.failures()[0]);
    assertEquals(outcomeJson, JSON.writeValueAsString(s.outcomes()[0]));
    assertEquals(List.of("dice, seed 1 diverged"), s.done());
    assertTrue(s.err().contains("\r0/1 done · 1 running · dice s1 starting · - steps/s"), s.err());
    assertTrue(s.err().contains("\r0/1 done · 1 running · dice s1 epoch 1/2 [#####.....] · 12 steps/s · left 1 s"), s.err());
    assertFalse(s.err().contains("epoch 9/2"), s.err());
    assertFalse(s.err().contains("[########..]"), "another run's progress is not this run's: " + s.err());
  }

  @Test
  void anOutcomeThatCannotBeReadStillFailsTheRun() throws Exception {
    Served s = serve(List.of(RunWorker.progressLine(JSON, 0, STATE), "segloss-run outcome {\"index\":"), 0);
    assertTrue(s.failures()[0] != null && s.failures()[0].startsWith("talking to a worker JVM: "), s.failures()[0]);
    assertFalse(s.bad()[0]);
    assertNull(s.outcomes()[0]);
    assertEquals(List.of(), s.done());
  }

  @Test
  void answersOtherThanOutcome() throws Exception {
    Served bad = serve(List.of("segloss-run progress {", "segloss-run bad --data: no such folder"), 0);
    assertEquals("--data: no such folder", bad.failures()[0]);
    assertTrue(bad.bad()[0]);
    Served error = serve(List.of("segloss-run error java.lang.OutOfMemoryError: Java heap space"), 0);
    assertEquals("java.lang.OutOfMemoryError: Java heap space", error.failures()[0]);
    assertFalse(error.bad()[0]);
    Served gone = serve(List.of(RunWorker.progressLine(JSON, 0, STATE)), 3);
    assertEquals("the worker JVM ended unexpectedly (exit code 3)", gone.failures()[0]);
  }
}
