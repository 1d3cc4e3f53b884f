package dev.segloss.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.segloss.core.InvalidInputException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train --resume runs/NAME --epochs N / --patience N} ({@link ResumeChange}): a finished, early-stopped
 * or interrupted run continued to a new budget. With the constant schedule the extension equals a run
 * trained with the larger budget from the start, bit for bit (weights, Adam state, history, best model);
 * with cosine the schedule is the new budget's from the next epoch on.
 */
class RunExtensionTest {
  @TempDir static Path tmp;
  /** A 5-epoch and a 3-epoch run, constant schedule, no early stopping. */
  static Path straight5, done3;

  static TrainConfig.Builder constant() {
    return TrainingRunTest.tiny().schedule("constant");
  }

  static final class Log {
    final StringWriter text = new StringWriter();

    TrainingRun.Options options() {
      return new TrainingRun.Options().progress(new PrintWriter(text, true), "", false);
    }
  }

  static RunResult train(TrainConfig cfg, Path dir) throws Exception {
    OutputFiles.prepareOutputDir(dir, false, "--out");
    return TrainingRun.run(cfg, TrainingRunTest.bce(), loader(), val(), dir, false, new TrainingRun.Options());
  }

  static RunResult resume(Path dir, ResumeChange change, TrainingRun.Options opts) {
    return TrainingRun.run(TrainingRun.readConfig(dir), TrainingRunTest.bce(), loader(), val(), dir, true, opts.change(change));
  }

  static dev.segloss.data.batch.BatchLoader loader() {
    return TinyData.loader(TinyData.samples(24, 16, 1), 8, 3);
  }

  static List<dev.segloss.data.Sample> val() {
    return TinyData.samples(8, 16, 2);
  }

  @BeforeAll
  static void runs() throws Exception {
    straight5 = tmp.resolve("straight5");
    assertEquals(RunState.Status.COMPLETED, train(constant().epochs(5).build(), straight5).status());
    done3 = tmp.resolve("done3");
    assertEquals(RunState.Status.COMPLETED, train(constant().epochs(3).build(), done3).status());
  }

  static Path copy(Path from, String name) throws Exception {
    Path d = Files.createDirectories(tmp.resolve(name));
    try (Stream<Path> s = Files.list(from)) {
      for (Path f : s.toList()) Files.copy(f, d.resolve(f.getFileName()));
    }
    return d;
  }

  /** history.csv without its two timing columns (seconds, data_wait_seconds): what two equal runs share. */
  static String untimed(Path dir) throws Exception {
    return Files.readAllLines(dir.resolve(ModelFiles.HISTORY)).stream().map(l -> String.join(",", Arrays.copyOf(l.split(","), 5)))
        .collect(Collectors.joining("\n"));
  }

  /** The checkpoint after its bookkeeping (which holds timings): architecture, weights, Adam state; CRC left out. */
  static byte[] weightsAndAdam(Path dir) throws Exception {
    byte[] all = Files.readAllBytes(dir.resolve(ModelFiles.CHECKPOINT));
    int json = ByteBuffer.wrap(all, 16, 4).getInt();
    return Arrays.copyOfRange(all, 20 + json, all.length - 8);
  }

  static JsonNode json(Path file) throws Exception {
    return ModelFiles.JSON.readTree(file.toFile());
  }

  static JsonNode untimedSummary(Path dir) throws Exception {
    ObjectNode s = (ObjectNode) json(dir.resolve(ModelFiles.SUMMARY));
    s.remove("seconds");
    return s;
  }

  /** The extended run and the straight one hold the same model, optimizer state, history and summary. */
  static void assertSameRun(Path straight, Path extended) throws Exception {
    assertEquals(untimed(straight), untimed(extended));
    assertArrayEquals(Files.readAllBytes(straight.resolve(ModelFiles.MODEL)), Files.readAllBytes(extended.resolve(ModelFiles.MODEL)), "model.params");
    assertArrayEquals(weightsAndAdam(straight), weightsAndAdam(extended), "the last epoch's weights and Adam state");
    assertEquals(untimedSummary(straight), untimedSummary(extended));
    assertEquals(TrainingRun.readConfig(straight), TrainingRun.readConfig(extended));
  }

  @Test
  void constantScheduleExtendedFrom3To5EpochsEqualsA5EpochRunBitForBit() throws Exception {
    Path d = copy(done3, "ext5");
    String before = Files.readString(d.resolve(ModelFiles.HISTORY));
    Log log = new Log();
    RunResult r = resume(d, new ResumeChange(5, null), log.options());
    assertEquals(RunState.Status.COMPLETED, r.status());
    assertEquals(5, r.epochsRun());
    assertSameRun(straight5, d);
    // the past rows are kept as they were, timings included: the file grew by two rows
    String after = Files.readString(d.resolve(ModelFiles.HISTORY));
    assertTrue(after.startsWith(before), after);
    assertEquals(before.split("\n").length + 2, after.split("\n").length);
    // the best epoch is tracked over old and new epochs: the highest validation Dice of the five
    double best = r.history().stream().mapToDouble(EpochStats::valDice).max().orElseThrow();
    assertEquals(best, r.bestValDice());
    assertEquals(best, json(d.resolve(ModelFiles.SUMMARY)).get("best_val_dice").asDouble());
    assertEquals("completed", json(d.resolve(ModelFiles.SUMMARY)).get("status").asText());
    // config.json: the new budget, and the change recorded
    JsonNode cfg = json(d.resolve(ModelFiles.CONFIG));
    assertEquals(5, cfg.get("train").get("epochs").asInt());
    JsonNode change = cfg.get("budget_changes");
    assertEquals(1, change.size());
    assertEquals(3, change.get(0).get("after_epoch").asInt());
    assertEquals("completed", change.get(0).get("status").asText());
    assertEquals(3, change.get(0).get("epochs").get("from").asInt());
    assertEquals(5, change.get(0).get("epochs").get("to").asInt());
    assertEquals(0, change.get(0).get("patience").get("from").asInt());
    assertEquals(0, change.get(0).get("patience").get("to").asInt());
    // the environment of the run's start is kept
    assertEquals(json(done3.resolve(ModelFiles.CONFIG)).get("environment"), cfg.get("environment"));
    RunState three = ModelFiles.readCheckpointState(done3.resolve(ModelFiles.CHECKPOINT));
    assertTrue(log.text.toString().startsWith(String.format(java.util.Locale.ROOT,
        "reopening the run (completed after 3 epochs; best val dice %.4f at epoch %d): continuing to 5 epochs; config.json: epochs 3 -> 5\n",
        three.bestValDice, three.bestEpoch)), log.text.toString());
    assertFalse(log.text.toString().contains("learning rate:"), "constant: no schedule note");

    // extended once more: the history keeps growing, the list of changes too
    RunResult again = resume(d, new ResumeChange(6, null), new Log().options());
    assertEquals(6, again.epochsRun());
    assertTrue(Files.readString(d.resolve(ModelFiles.HISTORY)).startsWith(after));
    assertEquals(2, json(d.resolve(ModelFiles.CONFIG)).get("budget_changes").size());
  }

  @Test
  void cosineScheduleIsTheNewBudgetsFromTheNextEpoch() throws Exception {
    Path d = tmp.resolve("cos3");
    train(TrainingRunTest.tiny().epochs(3).build(), d);
    String before = Files.readString(d.resolve(ModelFiles.HISTORY));
    Log log = new Log();
    resume(d, new ResumeChange(5, null), log.options());
    String after = Files.readString(d.resolve(ModelFiles.HISTORY));
    assertTrue(after.startsWith(before), "the first three rows are unchanged");
    // lr 1e-2, 3 updates per epoch, warm-up 3 updates, cosine to 1 % at the last update; the lr column holds
    // each epoch's last update (step 3e-1), lr·(0.01 + 0.99·(1 + cos(π·t))/2) with t = (step − 3)/(span − 1):
    // 3 epochs (span 6): epoch 1 in warm-up, 1e-2·3/4; epoch 2 t = 2/5; epoch 3 t = 1, the floor 1e-4.
    // 5 epochs (span 12): epoch 4 t = 8/11 (back up from 1e-4), epoch 5 t = 1.
    List<String> lr = after.lines().skip(1).map(l -> l.split(",")[1]).toList();
    assertEquals(List.of("0.0075", "0.0065796343", "0.0001", "0.0018084394", "0.0001"), lr);
    // the first update of epoch 4 (step 9, t = 6/11) is printed before it runs
    assertTrue(log.text.toString().contains(
        "learning rate: the cosine schedule of 5 epochs from epoch 4 on: 0.0043455414 at its first update (epoch 3 ended at 0.0001)\n"),
        log.text.toString());
    // the same rates as a run given 5 epochs from the start (the schedule is a function of the step and the budget)
    LrSchedule five = TrainingRunTest.tiny().epochs(5).build().lrSchedule(3);
    assertEquals(EpochStats.lr(five.at(11)), lr.get(3));
    assertEquals(EpochStats.lr(five.at(14)), lr.get(4));
  }

  @Test
  void anInterruptedRunCanBeShortenedButNotBelowWhatItHasDone() throws Exception {
    Path d = tmp.resolve("cut");
    OutputFiles.prepareOutputDir(d, false, "--out");
    class Crash extends RuntimeException {}
    assertThrows(Crash.class, () -> TrainingRun.run(constant().epochs(6).build(), TrainingRunTest.bce(), loader(), val(), d, false,
        new TrainingRun.Options().listener(s -> {
          if (s.epochsDone == 3) throw new Crash();
        })));
    for (int n : new int[] {3, 1}) {
      InvalidInputException e = assertThrows(InvalidInputException.class, () -> resume(d, new ResumeChange(n, null), new TrainingRun.Options()));
      assertEquals("--epochs " + n + ": " + d + " has trained 3 epochs already (interrupted); with --resume, --epochs is the new total and"
          + " must be larger than 3", e.getMessage());
    }
    Log log = new Log();
    RunResult r = resume(d, new ResumeChange(4, null), log.options());
    assertEquals(RunState.Status.COMPLETED, r.status());
    assertEquals(4, r.epochsRun());
    assertTrue(log.text.toString().startsWith("resuming after epoch 3 of 4 (best val dice "), log.text.toString());
    assertTrue(log.text.toString().contains("; config.json: epochs 6 -> 4\n"), log.text.toString());
    // constant schedule: the same four epochs as the 5-epoch run's first four
    assertEquals(untimed(straight5).lines().limit(5).collect(Collectors.joining("\n")), untimed(d));
    assertEquals("running", json(d.resolve(ModelFiles.CONFIG)).get("budget_changes").get(0).get("status").asText());
  }

  @Test
  void refusalsNameWhatWasDoneAndWhatIsAllowed() throws Exception {
    TrainConfig cfg = TrainingRun.readConfig(done3);
    RunState st = TrainingRun.resumableState(done3, cfg);
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> new ResumeChange(3, null).plan(done3, cfg, st));
    assertEquals("--epochs 3: " + done3 + " has trained 3 epochs already (completed); with --resume, --epochs is the new total and must be"
        + " larger than 3", e.getMessage());
    e = assertThrows(InvalidInputException.class, () -> new ResumeChange(null, 4).plan(done3, cfg, st));
    assertEquals("--patience: " + done3 + " completed all its 3 epochs; nothing is left to train with another patience (give --epochs"
        + " larger than 3 to continue it)", e.getMessage());
    e = assertThrows(InvalidInputException.class, () -> new ResumeChange(200_000, null).plan(done3, cfg, st));
    assertEquals("--epochs: expected 1..100000, got 200000", e.getMessage());
    e = assertThrows(InvalidInputException.class, () -> new ResumeChange(null, -1).plan(done3, cfg, st));
    assertEquals("--patience: expected >= 0 (0 = never stop early), got -1", e.getMessage());
    // a plain resume of a finished run changes nothing and reopens nothing (the run already ended)
    ResumeChange.Plan p = ResumeChange.NONE.plan(done3, cfg, st);
    assertFalse(p.reopen() || p.changed() || p.trains());
  }

  @Test
  void aChangeWrittenJustBeforeAStopIsCarriedOnByAPlainResumeAndSoIsAnInterruptedExtension() throws Exception {
    Path d = copy(done3, "pending");
    // what a stop right after the config.json write leaves: the change recorded, the checkpoint still the finished run's
    TrainConfig cfg = TrainingRun.readConfig(d);
    ResumeChange.record(d, new ResumeChange(5, null).plan(d, cfg, TrainingRun.resumableState(d, cfg)));
    class Crash extends RuntimeException {}
    Log log = new Log();
    assertThrows(Crash.class, () -> resume(d, ResumeChange.NONE, log.options().listener(s -> {
      if (s.epochsDone == 4) throw new Crash();
    })));
    assertTrue(log.text.toString().startsWith("reopening the run (completed after 3 epochs;"), log.text.toString());
    // stopped during the extension: summary.json says the run is under way again, not its old end
    JsonNode summary = json(d.resolve(ModelFiles.SUMMARY));
    assertEquals("running", summary.get("status").asText());
    assertEquals("reopened after epoch 3 to continue to 5 epochs", summary.get("message").asText());
    RunResult r = resume(d, ResumeChange.NONE, new TrainingRun.Options());
    assertEquals(5, r.epochsRun());
    assertSameRun(straight5, d);
    assertEquals(1, json(d.resolve(ModelFiles.CONFIG)).get("budget_changes").size(), "recorded once");
  }

  @Test
  void anEarlyStoppedRunIsReopenedWithItsCounterCarriedOver() throws Exception {
    // patience 1: the first epoch without a validation-Dice gain stops the run
    Path stopped = tmp.resolve("stopped");
    RunResult s = train(constant().epochs(8).patience(1).build(), stopped);
    assertEquals(RunState.Status.EARLY_STOPPED, s.status(), s.history().toString());
    int at = s.epochsRun();
    assertTrue(at < 8);

    // --patience 0 alone: trained on to the budget, as a run that never stopped early (the stop changed nothing in training)
    Path never = tmp.resolve("never");
    train(constant().epochs(8).patience(0).build(), never);
    Path d = copy(stopped, "reopened");
    String before = Files.readString(d.resolve(ModelFiles.HISTORY));
    Log log = new Log();
    RunResult r = resume(d, new ResumeChange(null, 0), log.options());
    assertEquals(RunState.Status.COMPLETED, r.status());
    assertTrue(Files.readString(d.resolve(ModelFiles.HISTORY)).startsWith(before));
    assertSameRun(never, d);
    assertTrue(log.text.toString().startsWith("reopening the run (stopped early after " + at + " epochs; best val dice "), log.text.toString());
    assertTrue(log.text.toString().contains(": continuing to 8 epochs; config.json: patience 1 -> 0\n"), log.text.toString());
    JsonNode change = json(d.resolve(ModelFiles.CONFIG)).get("budget_changes").get(0);
    assertEquals("early_stopped", change.get("status").asText());
    assertEquals(at, change.get("after_epoch").asInt());

    // --epochs alone, patience still 1: one more epoch, with a note; it stops again unless that epoch gains
    // (a budget of two more epochs keeps the test short)
    Path e = copy(stopped, "one-more");
    Log log2 = new Log();
    RunResult r2 = resume(e, new ResumeChange(at + 2, null), log2.options());
    assertTrue(log2.text.toString().contains(String.format(java.util.Locale.ROOT,
        "note: 1 epoch without a validation-Dice gain so far and --patience 1: the run stops again after the next epoch unless it beats %.4f"
            + " (give a larger --patience, or 0 = never stop early, for more)\n", s.bestValDice())), log2.text.toString());
    assertTrue(r2.epochsRun() > at);
    // its epochs are those of the run that never stopped (constant schedule: the budget does not change the rates)
    String[] n = untimed(never).split("\n"), x = untimed(e).split("\n");
    assertArrayEquals(Arrays.copyOf(n, Math.min(n.length, x.length)), Arrays.copyOf(x, Math.min(n.length, x.length)));
    if (r2.status() == RunState.Status.EARLY_STOPPED) {
      // stopped: its last epoch did not beat the best of the epochs before it
      List<EpochStats> h = r2.history();
      assertTrue(h.get(h.size() - 1).valDice() <= h.subList(0, h.size() - 1).stream().mapToDouble(EpochStats::valDice).max().orElseThrow());
    }

    // a larger patience than the count: no note
    ResumeChange.Plan p = new ResumeChange(12, 3).plan(stopped, TrainingRun.readConfig(stopped),
        TrainingRun.resumableState(stopped, TrainingRun.readConfig(stopped)));
    assertTrue(p.reopen());
    assertNull(p.patienceNote());
  }
}
