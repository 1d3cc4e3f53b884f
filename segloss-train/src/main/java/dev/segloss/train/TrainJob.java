package dev.segloss.train;

import ai.djl.training.loss.Loss;
import dev.segloss.core.InvalidInputException;
import dev.segloss.data.Datasets;
import dev.segloss.data.SegDataset;
import dev.segloss.data.Split;
import dev.segloss.data.batch.BatchLoader;
import dev.segloss.data.transform.Augmentation;
import dev.segloss.djl.DjlLosses;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code segloss train}: loads the data, resolves {@code auto} weights in the loss spec from the training
 * masks ({@link LossSpecs}), prints the resolved spec, builds the loss with {@link DjlLosses} (on logits)
 * and runs {@link TrainingRun}; or resumes an interrupted run from its folder alone.
 */
public final class TrainJob {
  private TrainJob() {}

  /** Trains a new run into {@code out}; progress and messages to {@code err} (null: silent). */
  public static RunResult train(TrainConfig cfg, Path out, boolean overwrite, PrintWriter err, boolean live) {
    LossSpecs.check(cfg.loss());
    DjlRuntime.device(DjlRuntime.engine(cfg.threads(), cfg.interopThreads()), cfg.device());
    boolean earlier = Files.exists(out.resolve(ModelFiles.CHECKPOINT));
    Path created = OutputFiles.prepareOutputDir(out, overwrite, "--out");
    try {
      if (earlier && overwrite) {
        say(err, "note: " + out + " holds an earlier run; it is replaced (use --resume " + out + " to continue it instead)");
      }
      SegDataset ds = load(cfg, err);
      LossSpecs.Resolved r = LossSpecs.resolve(cfg.loss(), ds.train(), cfg.weights());
      say(err, "loss: " + r.resolved() + (r.note().isEmpty() ? "" : "  (" + r.note() + ")"));
      TrainConfig full = cfg.toBuilder().data(ds.spec()).resolvedLoss(r.resolved()).trainForeground(r.foreground()).build();
      return run(full, ds, out, false, err, live);
    } catch (RuntimeException | Error e) {
      // bad data found after the folder was made: leave no empty folder behind (files are never removed)
      OutputFiles.removeCreatedIfEmpty(out, created);
      throw e;
    }
  }

  /** Continues the run in {@code dir} from its config and last checkpoint. */
  public static RunResult resume(Path dir, String device, PrintWriter err, boolean live) {
    TrainConfig cfg = TrainingRun.readConfig(dir);
    if (device != null) cfg = cfg.toBuilder().device(device).build();
    DjlRuntime.device(DjlRuntime.engine(cfg.threads(), cfg.interopThreads()), cfg.device());
    SegDataset ds = load(cfg, err);
    say(err, "loss: " + cfg.resolvedLoss());
    return run(cfg, ds, dir, true, err, live);
  }

  private static RunResult run(TrainConfig cfg, SegDataset ds, Path dir, boolean resume, PrintWriter err, boolean live) {
    Loss loss = DjlLosses.fromSpec(cfg.resolvedLoss(), true);
    BatchLoader.Config lc = BatchLoader.Config.builder().batchSize(cfg.batch()).seed(cfg.seed())
        .augmentation(cfg.augment() ? Augmentation.defaults() : Augmentation.none()).build();
    RunResult result;
    try (BatchLoader loader = new BatchLoader(ds.split(Split.TRAIN), lc)) {
      result = TrainingRun.run(cfg, loss, loader, ds.val(), dir, resume, new TrainingRun.Options().progress(err, "", live));
    }
    if (!ds.skipped().isEmpty() && err != null) {
      err.println("skipped " + ds.skipped().size() + " unreadable file(s):");
      for (String s : ds.skipped()) err.println("  " + s);
    }
    return result;
  }

  private static SegDataset load(TrainConfig cfg, PrintWriter err) {
    SegDataset ds = Datasets.load(cfg.data(), cfg.loadOptions());
    say(err, ds.summary());
    for (String w : ds.warnings()) say(err, "warning: " + w);
    if (ds.train().isEmpty()) throw new InvalidInputException("--data " + cfg.data() + ": the training split is empty");
    if (ds.val().isEmpty()) throw new InvalidInputException("--data " + cfg.data() + ": the validation split is empty");
    return ds;
  }

  private static void say(PrintWriter err, String s) {
    if (err != null) {
      err.println(s);
      err.flush();
    }
  }
}
