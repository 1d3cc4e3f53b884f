package dev.segloss.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.training.loss.Loss;
import dev.segloss.data.Sample;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Epochs of a set number of updates (compare's budget in updates): part of a pass, or several passes, with
 * or without patches — the run makes exactly epochs × steps updates, and a run interrupted and resumed
 * ends bit for bit where an uninterrupted one ends.
 */
class TrainingRunEpochStepsTest {
  @TempDir Path tmp;

  static Loss dice() {
    return dev.segloss.djl.DjlLosses.fromSpec("dice", true);
  }

  /** 24 training images of 16×16 in batches of 8: 3 steps per pass. */
  @ParameterizedTest(name = "epochSteps {0}, patch {1}")
  @CsvSource({"2, 0", "7, 0", "7, 8"})
  void resumedRunsEndWhereUninterruptedOnesEnd(int epochSteps, int patch) throws Exception {
    TrainConfig cfg = TrainConfig.builder().loss("dice").epochs(4).epochSteps(epochSteps).patch(patch, patch).batch(8).depth(2).width(4)
        .lr(1e-2).patience(0).seed(5).build();
    List<Sample> train = TinyData.samples(24, 16, 1), val = TinyData.samples(8, 16, 2);
    Path full = tmp.resolve("full");
    OutputFiles.prepareOutputDir(full, false, "--out");
    long[] updates = new long[1];
    RunResult a = TrainingRun.run(cfg, dice(), new dev.segloss.data.batch.BatchLoader(train, cfg.loaderConfig()), val, full, false,
        new TrainingRun.Options().listener(s -> updates[0] = s.globalStep));
    assertEquals(4, a.epochsRun());
    assertEquals(4L * epochSteps, updates[0], "updates = epochs × steps per epoch");

    Path cut = tmp.resolve("cut");
    OutputFiles.prepareOutputDir(cut, false, "--out");
    class Crash extends RuntimeException {}
    assertThrows(Crash.class, () -> TrainingRun.run(cfg, dice(), new dev.segloss.data.batch.BatchLoader(train, cfg.loaderConfig()), val, cut,
        false, new TrainingRun.Options().listener(s -> {
          if (s.epochsDone == 2) throw new Crash();
        })));
    RunResult b = TrainingRun.run(TrainingRun.readConfig(cut), dice(), new dev.segloss.data.batch.BatchLoader(train, cfg.loaderConfig()), val, cut,
        true, new TrainingRun.Options());
    assertEquals(a.history().size(), b.history().size());
    for (int e = 0; e < a.history().size(); e++) {
      assertEquals(a.history().get(e).trainLoss(), b.history().get(e).trainLoss(), 0.0, "train loss, epoch " + (e + 1));
      assertEquals(a.history().get(e).valDice(), b.history().get(e).valDice(), 0.0, "val dice, epoch " + (e + 1));
    }
    assertArrayEquals(Files.readAllBytes(full.resolve(ModelFiles.MODEL)), Files.readAllBytes(cut.resolve(ModelFiles.MODEL)));
  }
}
