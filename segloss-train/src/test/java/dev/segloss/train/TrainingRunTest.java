package dev.segloss.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;
import dev.segloss.core.InvalidInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingRunTest {
  @TempDir Path tmp;

  static TrainConfig.Builder tiny() {
    return TrainConfig.builder().loss("bce").epochs(6).batch(8).depth(2).width(8).lr(1e-2).patience(0).seed(3);
  }

  static Loss bce() {
    return dev.segloss.djl.DjlLosses.fromSpec("bce", true);
  }

  @Test
  void trainsAndWritesTheRunFolder() throws Exception {
    var train = TinyData.loader(TinyData.samples(24, 16, 1), 8, 3);
    var val = TinyData.samples(8, 16, 2);
    Path dir = tmp.resolve("run");
    OutputFiles.prepareOutputDir(dir, false, "--out");
    TrainConfig cfg = tiny().epochs(15).build();
    RunResult r = TrainingRun.run(cfg, bce(), train, val, dir, false, new TrainingRun.Options());
    assertEquals(RunState.Status.COMPLETED, r.status());
    assertEquals(15, r.epochsRun());
    for (String f : List.of(ModelFiles.CONFIG, ModelFiles.MODEL, ModelFiles.CHECKPOINT, ModelFiles.HISTORY, ModelFiles.CURVES, ModelFiles.SUMMARY)) {
      assertTrue(Files.size(dir.resolve(f)) > 0, f);
    }
    List<String> lines = Files.readAllLines(dir.resolve(ModelFiles.HISTORY));
    assertEquals(16, lines.size());
    assertEquals(EpochStats.CSV_HEADER, lines.get(0));
    // learning happened: the loss fell and the best Dice beats predicting nothing (0) by far
    assertTrue(r.history().get(14).trainLoss() < r.history().get(0).trainLoss(), r.history().toString());
    assertTrue(r.bestValDice() > 0.5, "best val dice " + r.bestValDice() + " " + r.history());
    assertEquals(r.bestValDice(), r.history().get(r.bestEpoch() - 1).valDice());
    TrainConfig back = TrainingRun.readConfig(dir);
    assertEquals(cfg, back);
    // the environment names real versions: the project's (from the build) and DJL's
    var env = ModelFiles.JSON.readTree(dir.resolve(ModelFiles.CONFIG).toFile()).get("environment");
    assertTrue(env.get("segloss").asText().matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?"), env.toString());
    assertEquals(ai.djl.engine.Engine.getDjlVersion(), env.get("djl").asText());
    assertTrue(env.get("djl").asText().matches("\\d+\\.\\d+\\.\\d+"), env.toString());
    // PNG signature
    byte[] png = Files.readAllBytes(dir.resolve(ModelFiles.CURVES));
    assertEquals((byte) 0x89, png[0]);
    assertEquals('P', png[1]);
  }

  @Test
  void aBatchLargerThanTheTrainingSplitIsEstimatedAtTheImagesItHolds() throws Exception {
    // --batch 4096 on 6 training images: every batch holds 6 images, so the memory check must not refuse
    // the run for 4096 (about 400 GiB at 256x256 with this net, more than the free memory of any test machine)
    TrainConfig cfg = tiny().epochs(1).batch(4096).build();
    long asked = MemoryEstimate.trainingBytes(cfg.unet(), 4096, 256, 256);
    assertTrue(asked > MemoryEstimate.SHARE * MemoryEstimate.freePhysicalMemory(), "precondition: 4096 images would not fit");
    Path dir = tmp.resolve("bigbatch");
    OutputFiles.prepareOutputDir(dir, false, "--out");
    RunResult r = TrainingRun.run(cfg, bce(), TinyData.loader(TinyData.samples(6, 256, 1), 4096, 3), TinyData.samples(2, 256, 2), dir, false,
        new TrainingRun.Options());
    assertEquals(RunState.Status.COMPLETED, r.status());
    assertEquals(1, r.epochsRun());
  }

  @Test
  void timeLeftFollowsTheCurrentPaceNotASlowFirstEpoch() {
    // epoch 2 of 10, 10 batches: half done in 5 s (1 s per batch), last validation 2 s: the rest of this
    // epoch (5 s) and its validation (2 s), then 8 epochs of 10 s + 2 s, whatever the first epoch took
    assertEquals(5 + 2 + 8 * 12, TrainingRun.secondsLeft(10, 1, 10, 5, 5.0, 2.0), 1e-9);
    // the last batch of the last epoch: only its validation is left
    assertEquals(2.0, TrainingRun.secondsLeft(10, 9, 10, 10, 10.0, 2.0), 1e-9);
    // first epoch, no validation measured yet
    assertEquals(3 * 4 + 4 * 2, TrainingRun.secondsLeft(3, 0, 4, 2, 4.0, 0), 1e-9);
  }

  @Test
  void interruptedThenResumedEndsWhereAnUninterruptedRunEnds() throws Exception {
    TrainConfig cfg = tiny().build();
    var val = TinyData.samples(8, 16, 2);
    Path full = tmp.resolve("full");
    OutputFiles.prepareOutputDir(full, false, "--out");
    RunResult a = TrainingRun.run(cfg, bce(), TinyData.loader(TinyData.samples(24, 16, 1), 8, 3), val, full, false, new TrainingRun.Options());

    Path cut = tmp.resolve("cut");
    OutputFiles.prepareOutputDir(cut, false, "--out");
    class Crash extends RuntimeException {}
    assertThrows(Crash.class, () -> TrainingRun.run(cfg, bce(), TinyData.loader(TinyData.samples(24, 16, 1), 8, 3), val, cut, false,
        new TrainingRun.Options().listener(s -> {
          if (s.epochsDone == 3) throw new Crash();
        })));
    assertEquals(3, TrainingRun.readConfig(cut).equals(cfg) ? 3 : -1);
    RunResult b = TrainingRun.run(TrainingRun.readConfig(cut), bce(), TinyData.loader(TinyData.samples(24, 16, 1), 8, 3), val, cut, true, new TrainingRun.Options());

    assertEquals(a.status(), b.status());
    assertEquals(a.epochsRun(), b.epochsRun());
    assertEquals(a.bestEpoch(), b.bestEpoch());
    for (int e = 0; e < a.history().size(); e++) {
      EpochStats x = a.history().get(e), y = b.history().get(e);
      assertEquals(x.trainLoss(), y.trainLoss(), 0.0, "train loss, epoch " + (e + 1));
      assertEquals(x.valLoss(), y.valLoss(), 0.0, "val loss, epoch " + (e + 1));
      assertEquals(x.valDice(), y.valDice(), 0.0, "val dice, epoch " + (e + 1));
      assertEquals(x.lr(), y.lr(), 0.0);
    }
    assertArrayEquals(Files.readAllBytes(full.resolve(ModelFiles.MODEL)), Files.readAllBytes(cut.resolve(ModelFiles.MODEL)));
  }

  /** bce, changed by {@code change} on the training calls (1-based) that {@code when} picks. */
  static Loss poisoned(java.util.function.IntPredicate when, java.util.function.BiFunction<NDArray, NDList, NDArray> change) {
    Loss base = bce();
    int[] calls = {0};
    return new Loss("bce") {
      @Override
      public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray v = base.evaluate(labels, predictions);
        if (ai.djl.pytorch.jni.JniUtils.isGradMode() && when.test(++calls[0])) return change.apply(v, predictions);
        return v;
      }
    };
  }

  @Test
  void nanLossStopsWithAClearMessageAndKeepsTheBestCheckpoint() throws Exception {
    // a loss that turns NaN from its 9th training call (epoch 3 with 3 batches per epoch; validation calls not counted)
    Loss poisoned = poisoned(call -> call >= 9, (v, predictions) -> v.mul(Float.NaN));
    Path dir = tmp.resolve("nan");
    OutputFiles.prepareOutputDir(dir, false, "--out");
    RunResult r = TrainingRun.run(tiny().build(), poisoned, TinyData.loader(TinyData.samples(24, 16, 1), 8, 3), TinyData.samples(8, 16, 2), dir,
        false, new TrainingRun.Options());
    assertEquals(RunState.Status.DIVERGED, r.status());
    assertEquals(2, r.epochsRun());
    assertTrue(r.message().startsWith("loss became NaN at epoch 3, batch 3"), r.message());
    assertTrue(r.message().contains("best weights (epoch " + r.bestEpoch()), r.message());
    assertTrue(Files.isRegularFile(dir.resolve(ModelFiles.MODEL)));
    String summary = Files.readString(dir.resolve(ModelFiles.SUMMARY));
    assertTrue(summary.contains("\"status\" : \"diverged\""), summary);
  }

  /**
   * A finite loss whose gradient is NaN (d/dx sqrt(0·x) = ∞·0) on the last batch of epoch 2 leaves NaN
   * weights; the validation after that epoch sees non-finite outputs: the run has diverged (it is not bad
   * input, and a comparison goes on), and epoch 1's best weights are kept.
   */
  @Test
  void nonFiniteOutputsAfterAFiniteLossAreADivergence() throws Exception {
    Loss poisoned = poisoned(call -> call == 6, (v, predictions) -> v.add(predictions.singletonOrThrow().mul(0).sqrt().sum()));
    Path dir = tmp.resolve("nan-outputs");
    OutputFiles.prepareOutputDir(dir, false, "--out");
    RunResult r = TrainingRun.run(tiny().build(), poisoned, TinyData.loader(TinyData.samples(24, 16, 1), 8, 3), TinyData.samples(8, 16, 2), dir,
        false, new TrainingRun.Options());
    assertEquals(RunState.Status.DIVERGED, r.status(), r.message());
    assertEquals(1, r.epochsRun());
    assertTrue(r.message().matches("the network's outputs became non-finite \\([0-9]+ validation pixels\\) after the last update of epoch 2 "
        + "\\(learning rate [0-9.e-]+\\); stopped\\. The best weights \\(epoch 1, .*"), r.message());
    assertTrue(Files.isRegularFile(dir.resolve(ModelFiles.MODEL)));
    assertTrue(Files.readString(dir.resolve(ModelFiles.SUMMARY)).contains("\"status\" : \"diverged\""));
  }

  @Test
  void existingOutputFolderIsRefusedUnlessOverwrite() throws Exception {
    Path dir = tmp.resolve("taken");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("notes.txt"), "mine");
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> OutputFiles.prepareOutputDir(dir, false, "--out"));
    assertTrue(e.getMessage().startsWith("--out " + dir + ": folder exists and is not empty"), e.getMessage());
    OutputFiles.prepareOutputDir(dir, true, "--out");
    assertEquals("mine", Files.readString(dir.resolve("notes.txt")));
    OutputFiles.prepareOutputDir(tmp.resolve("empty"), false, "--out");
    OutputFiles.prepareOutputDir(tmp.resolve("empty"), false, "--out"); // an empty folder is fine
  }
}
