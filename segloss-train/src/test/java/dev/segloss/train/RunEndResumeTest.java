package dev.segloss.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segloss.core.InvalidInputException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The state a kill -9 leaves at each phase of a run's end, made from a finished run's own files (so the
 * timings are the same too): after the final checkpoint (history.csv without the last epoch, no
 * curves.png, no summary.json), during curves.png, during summary.json (each with the half-written
 * temporary of that write), and with a truncated end file. Resuming must restore the folder byte for
 * byte. The child-JVM kill -9 version of this is segloss-cli's RunEndCrashTest.
 */
class RunEndResumeTest {
  @TempDir static Path tmp;
  static Path done;
  static TrainConfig cfg;

  @BeforeAll
  static void finishedRun() throws Exception {
    cfg = TrainingRunTest.tiny().epochs(3).build();
    done = tmp.resolve("done");
    OutputFiles.prepareOutputDir(done, false, "--out");
    RunResult r = TrainingRun.run(cfg, TrainingRunTest.bce(), TinyData.loader(TinyData.samples(24, 16, 1), 8, 3), TinyData.samples(8, 16, 2),
        done, false, new TrainingRun.Options());
    assertEquals(RunState.Status.COMPLETED, r.status());
  }

  static Path copy(String name) throws Exception {
    Path d = Files.createDirectories(tmp.resolve(name));
    try (Stream<Path> s = Files.list(done)) {
      for (Path f : s.toList()) Files.copy(f, d.resolve(f.getFileName()));
    }
    return d;
  }

  static List<String> names(Path d) throws Exception {
    try (Stream<Path> s = Files.list(d)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"after the final checkpoint", "during curves.png", "during summary.json", "summary.json truncated",
      "history.csv truncated"})
  void resumeRestoresTheEndOfTheRun(String phase) throws Exception {
    Path d = copy(phase.replace(' ', '-'));
    String history = Files.readString(done.resolve(ModelFiles.HISTORY));
    String withoutLast = history.substring(0, history.lastIndexOf('\n', history.length() - 2) + 1);
    switch (phase) {
      case "after the final checkpoint" -> {
        Files.writeString(d.resolve(ModelFiles.HISTORY), withoutLast);
        Files.delete(d.resolve(ModelFiles.CURVES));
        Files.delete(d.resolve(ModelFiles.SUMMARY));
        Files.writeString(d.resolve(".history.csv.tmp-5e1f"), history.substring(0, 40));
      }
      case "during curves.png" -> {
        Files.delete(d.resolve(ModelFiles.CURVES));
        Files.delete(d.resolve(ModelFiles.SUMMARY));
        Files.write(d.resolve(".curves.png.tmp-a1"), java.util.Arrays.copyOf(Files.readAllBytes(done.resolve(ModelFiles.CURVES)), 100));
      }
      case "during summary.json" -> {
        Files.delete(d.resolve(ModelFiles.SUMMARY));
        Files.writeString(d.resolve(".summary.json.tmp-ffffffffffffffff"), "{\n  \"status\" : \"comp");
      }
      case "summary.json truncated" -> Files.writeString(d.resolve(ModelFiles.SUMMARY), "{");
      case "history.csv truncated" -> Files.writeString(d.resolve(ModelFiles.HISTORY), withoutLast);
      default -> throw new IllegalArgumentException(phase);
    }
    StringWriter log = new StringWriter();
    RunResult r = TrainingRun.run(TrainingRun.readConfig(d), TrainingRunTest.bce(), TinyData.loader(TinyData.samples(24, 16, 1), 8, 3),
        TinyData.samples(8, 16, 2), d, true, new TrainingRun.Options().progress(new PrintWriter(log), "", false));
    assertEquals(RunState.Status.COMPLETED, r.status());
    assertTrue(log.toString().startsWith("run already ended (completed): completed 3 epochs"), log.toString());
    assertTrue(log.toString().contains("; completed the interrupted end of the run: wrote "), log.toString());
    assertEquals(names(done), names(d));
    for (String f : names(done)) assertArrayEquals(Files.readAllBytes(done.resolve(f)), Files.readAllBytes(d.resolve(f)), f);
  }

  @org.junit.jupiter.api.Test
  void resumeOfAFinishedRunWritesNothing() throws Exception {
    Path d = copy("complete");
    long t = Files.getLastModifiedTime(d.resolve(ModelFiles.SUMMARY)).toMillis();
    StringWriter log = new StringWriter();
    TrainingRun.run(cfg, TrainingRunTest.bce(), TinyData.loader(TinyData.samples(24, 16, 1), 8, 3), TinyData.samples(8, 16, 2), d, true,
        new TrainingRun.Options().progress(new PrintWriter(log), "", false));
    assertFalse(log.toString().contains("wrote"), log.toString());
    assertEquals(t, Files.getLastModifiedTime(d.resolve(ModelFiles.SUMMARY)).toMillis());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(ints = {1, 2})
  void aCheckpointThatDoesNotFitTheConfigIsRefusedBeforeTraining(int epochs) throws Exception {
    Path d = copy("fewer-" + epochs);
    TrainConfig fewer = cfg.toBuilder().epochs(epochs).build();
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> TrainingRun.checkResumable(d, fewer));
    assertEquals(d.resolve(ModelFiles.CHECKPOINT) + ": the checkpoint does not fit the run's config.json (it is after epoch 3 but config.json"
        + " asks for " + epochs + " epoch(s))", e.getMessage());
  }
}
