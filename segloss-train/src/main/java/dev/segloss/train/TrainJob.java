package dev.segloss.train;

import ai.djl.training.loss.Loss;
import dev.segloss.core.InvalidInputException;
import dev.segloss.core.io.FolderLock;
import dev.segloss.data.Datasets;
import dev.segloss.data.SegDataset;
import dev.segloss.data.Split;
import dev.segloss.data.batch.BatchLoader;
import dev.segloss.djl.DjlLossOptions;
import dev.segloss.djl.DjlLosses;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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
    // one writer per run folder: locked (and checked writable) before anything is loaded or written
    OutputFiles.Output folder = OutputFiles.openOutputDir(out, overwrite, "--out");
    try {
      noteRemoved(err, folder.lock());
      if (earlier && overwrite) {
        say(err, "note: " + out + " holds an earlier run; it is replaced (use --resume " + out + " to continue it instead)");
      }
      SegDataset ds = load(cfg, err);
      LossSpecs.Resolved r = LossSpecs.resolve(cfg.loss(), ds.train(), cfg.weights());
      say(err, "loss: " + r.resolved() + (r.note().isEmpty() ? "" : "  (" + r.note() + ")"));
      TrainConfig full = cfg.toBuilder().data(ds.spec()).resolvedLoss(r.resolved()).trainForeground(r.foreground()).build();
      RunResult result = run(full, ds, out, false, ResumeChange.NONE, err, live);
      folder.close();
      return result;
    } catch (RuntimeException | Error e) {
      // bad data found after the folder was made: leave no empty folder behind (files are never removed)
      folder.abandon();
      throw e;
    }
  }

  /**
   * What {@code train --dry-run} does: every check a run makes before training (the spec, the device, the
   * data with its split, the {@code auto} weights resolved on the training masks) and the run's length,
   * printed to {@code err}; nothing is trained and nothing is written (the output folder is not created).
   * Returns the plan's one-line summary.
   */
  public static String dryRun(TrainConfig cfg, PrintWriter err) {
    LossSpecs.check(cfg.loss());
    DjlRuntime.device(DjlRuntime.engine(cfg.threads(), cfg.interopThreads()), cfg.device());
    SegDataset ds = load(cfg, err);
    LossSpecs.Resolved r = LossSpecs.resolve(cfg.loss(), ds.train(), cfg.weights());
    say(err, "loss: " + r.resolved() + (r.note().isEmpty() ? "" : "  (" + r.note() + ")"));
    int steps;
    try (BatchLoader loader = new BatchLoader(ds.split(Split.TRAIN), cfg.loaderConfig())) {
      steps = loader.batchesPerEpoch();
    }
    return String.format(java.util.Locale.ROOT,
        "dry run: up to %d epochs x %d steps = %d updates at batch %d (early stopping after %s); nothing trained or written",
        cfg.epochs(), steps, (long) cfg.epochs() * steps, cfg.batch(),
        cfg.patience() == 0 ? "never" : cfg.patience() + " epochs without a validation-Dice gain");
  }

  /**
   * Continues the run in {@code dir} from its config and last checkpoint; a run that had ended gets
   * whatever files its end did not write before it was interrupted ({@link TrainingRun}).
   */
  public static RunResult resume(Path dir, String device, PrintWriter err, boolean live) {
    return resume(dir, ResumeChange.NONE, device, err, live);
  }

  /**
   * Continues the run in {@code dir} with a new budget and/or patience ({@link ResumeChange}): an
   * interrupted run goes on to the new budget, a finished or early-stopped one is reopened. The change is
   * checked against the checkpoint before the data is loaded.
   */
  public static RunResult resume(Path dir, ResumeChange change, String device, PrintWriter err, boolean live) {
    TrainConfig cfg = TrainingRun.readConfig(dir); // first: a folder that is not a run gets no lock file
    // one writer per run folder, and a read-only folder is refused before any training
    try (FolderLock lock = FolderLock.acquire(dir, "--resume")) {
      noteRemoved(err, lock);
      // a damaged checkpoint, or a change that cannot apply, is refused before the data is loaded
      change.plan(dir, cfg, TrainingRun.resumableState(dir, cfg));
      if (device != null) cfg = cfg.toBuilder().device(device).build();
      DjlRuntime.device(DjlRuntime.engine(cfg.threads(), cfg.interopThreads()), cfg.device());
      SegDataset ds = load(cfg, err);
      say(err, "loss: " + cfg.resolvedLoss());
      return run(cfg, ds, dir, true, change, err, live);
    }
  }

  /**
   * What {@code train --resume runs/NAME --dry-run} does: the checks a resume makes (the run folder, its
   * checkpoint, the change, the device, the data) and what it would train, printed to {@code err}; nothing
   * is trained or written and the folder is not locked. Returns the plan's one-line summary.
   */
  public static String dryRunResume(Path dir, ResumeChange change, String device, PrintWriter err) {
    TrainConfig cfg = TrainingRun.readConfig(dir);
    ResumeChange.Plan plan = change.plan(dir, cfg, TrainingRun.resumableState(dir, cfg));
    TrainConfig next = device == null ? plan.config() : plan.config().toBuilder().device(device).build();
    DjlRuntime.device(DjlRuntime.engine(next.threads(), next.interopThreads()), next.device());
    String holder = dev.segloss.core.io.FolderLock.holder(dir);
    if (holder != null) say(err, "note: " + dir + " is in use by " + holder + "; the resume itself would be refused until it ends");
    if (!plan.trains()) {
      return String.format(java.util.Locale.ROOT, "dry run: %s %s after %d epoch%s; nothing to train (give --epochs larger than %d to continue"
          + " it); nothing trained or written", dir, ResumeChange.how(plan.status()), plan.epochsDone(), plan.epochsDone() == 1 ? "" : "s",
          plan.epochsDone());
    }
    SegDataset ds = load(next, err);
    say(err, "loss: " + next.resolvedLoss());
    int steps;
    try (BatchLoader loader = new BatchLoader(ds.split(Split.TRAIN), next.loaderConfig())) {
      steps = next.stepsPerEpoch(loader.batchesPerEpoch());
    }
    say(err, plan.describe());
    RunState st = TrainingRun.resumableState(dir, cfg);
    String lrNote = plan.lrNote(steps, st.history.isEmpty() ? Double.NaN : st.history.get(st.history.size() - 1).lr());
    if (lrNote != null) say(err, lrNote);
    if (plan.patienceNote() != null) say(err, plan.patienceNote());
    int left = next.epochs() - plan.epochsDone();
    return String.format(java.util.Locale.ROOT,
        "dry run: epochs %d..%d of %d: up to %d epoch%s x %d step%s = %d update%s at batch %d (early stopping after %s); nothing trained"
            + " or written", plan.epochsDone() + 1, next.epochs(), next.epochs(), left, left == 1 ? "" : "s", steps, steps == 1 ? "" : "s",
        (long) left * steps, (long) left * steps == 1 ? "" : "s",
        next.batch(), next.patience() == 0 ? "never" : next.patience() + " epochs without a validation-Dice gain");
  }

  private static void noteRemoved(PrintWriter err, FolderLock lock) {
    List<String> removed = lock.removedTemporaries();
    if (removed.isEmpty()) return;
    say(err, "note: removed " + removed.size() + " temporary file(s) an interrupted write left in " + lock.dir() + ": "
        + String.join(", ", removed));
  }

  private static RunResult run(TrainConfig cfg, SegDataset ds, Path dir, boolean resume, ResumeChange change, PrintWriter err, boolean live) {
    // no per-batch input checks: the loaders validated the masks, and diverging logits are reported as a
    // non-finite loss (a stop, not a bad input)
    Loss loss = DjlLosses.fromSpec(cfg.resolvedLoss(), DjlLossOptions.logits().withInputChecks(false));
    RunResult result;
    try (BatchLoader loader = new BatchLoader(ds.split(Split.TRAIN), cfg.loaderConfig())) {
      result = TrainingRun.run(cfg, loss, loader, ds.val(), dir, resume, new TrainingRun.Options().progress(err, "", live).change(change));
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
