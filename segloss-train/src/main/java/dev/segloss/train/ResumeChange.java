package dev.segloss.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.segloss.core.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What {@code segloss train --resume runs/NAME} may change in a run: its epoch budget ({@code --epochs},
 * the new total) and its early-stopping patience ({@code --patience}); null leaves a setting as it is. Every
 * other setting is the run's own (its {@code config.json}).
 *
 * <p>The rules, decided from the run's configuration and its checkpoint's bookkeeping alone (so they are
 * checked before any data is loaded):
 *
 * <ul>
 *   <li>{@code --epochs N} must exceed the epochs already trained; it may be larger or smaller than the
 *       run's budget so far (an interrupted run may be shortened, never below what it has done).
 *   <li>A run that ended — completed its budget or stopped early — is <em>reopened</em> when the change
 *       leaves it epochs to train: it continues from its last checkpoint (weights, Adam moments, step count,
 *       best-epoch bookkeeping, the early-stopping counter) exactly as an interrupted run resumes. A
 *       completed run given only {@code --patience} has no epoch left, which is refused.
 *   <li>The early-stopping counter carries over (as PyTorch Lightning's {@code EarlyStopping} restores its
 *       wait count from a checkpoint): a run that stopped after {@code P} epochs without a gain, reopened
 *       with the same {@code --patience P}, trains one more epoch and stops again unless that epoch beats
 *       the best. A larger {@code --patience}, or 0, gives it room; a note says so.
 *   <li>The learning-rate schedule is a function of the step and the budget ({@link LrSchedule}), so with
 *       a new budget it is the new budget's schedule from the next epoch on. For {@code cosine} that is a
 *       jump back up (to where an {@code N}-epoch run would be at this step, like a warm restart of SGDR,
 *       Loshchilov &amp; Hutter 2017) rather than training on at the old schedule's final 1 %: the extended
 *       epochs learn, and a dip in validation Dice costs nothing because the best epoch is kept. {@code step}
 *       with its default interval (a third of the epochs) gets the new interval; {@code constant} is
 *       unchanged, so a {@code constant} run extended from 3 to 5 epochs equals a 5-epoch run bit for bit.
 * </ul>
 *
 * A change is recorded in {@code config.json} before any epoch is trained: {@code train.epochs} and {@code
 * train.patience} hold the new values and {@code budget_changes} lists every change ({@code after_epoch},
 * the run's {@code status} then, {@code epochs} and {@code patience} each {@code from}/{@code to}). A run
 * interrupted after that write but before its next checkpoint is reopened again by a plain {@code
 * --resume}: the last change is after its last epoch.
 *
 * @param epochs the new total number of epochs, or null
 * @param patience the new patience (0 = never stop early), or null
 */
public record ResumeChange(Integer epochs, Integer patience) {
  /** No change: a plain {@code --resume}. */
  public static final ResumeChange NONE = new ResumeChange(null, null);

  /** The {@code config.json} key of the list of changes. */
  static final String KEY = "budget_changes";

  /** Whether nothing is changed. */
  public boolean isNone() {
    return epochs == null && patience == null;
  }

  /**
   * What resuming a run does.
   *
   * @param config the configuration it continues with (the new budget and patience)
   * @param before the configuration in its {@code config.json}
   * @param status how its checkpoint left it
   * @param epochsDone epochs it has trained
   * @param bestEpoch its best epoch so far
   * @param bestValDice that epoch's validation Dice
   * @param badEpochs epochs since the last validation-Dice gain
   * @param reopen whether a run that had ended trains again
   * @param changed whether {@code config.json} changes
   */
  public record Plan(TrainConfig config, TrainConfig before, RunState.Status status, int epochsDone, int bestEpoch, double bestValDice,
      int badEpochs, boolean reopen, boolean changed) {

    /** Whether any epoch is left to train. */
    public boolean trains() {
      return status == RunState.Status.RUNNING || reopen;
    }

    /** The status as config.json and summary.json spell it. */
    String statusLabel() {
      return status.name().toLowerCase(Locale.ROOT);
    }

    /** One line saying what the resume does (for the log and {@code --dry-run}). */
    public String describe() {
      StringBuilder sb = new StringBuilder();
      if (reopen) {
        sb.append(String.format(Locale.ROOT, "reopening the run (%s after %d epoch%s; best val dice %.4f at epoch %d): continuing to %d epochs",
            how(status), epochsDone, epochsDone == 1 ? "" : "s", bestValDice,
            bestEpoch, config.epochs()));
      } else {
        sb.append(String.format(Locale.ROOT, "resuming after epoch %d of %d (best val dice %.4f at epoch %d)", epochsDone, config.epochs(),
            bestValDice, bestEpoch));
      }
      if (changed) {
        sb.append("; config.json: ");
        if (before.epochs() != config.epochs()) sb.append("epochs ").append(before.epochs()).append(" -> ").append(config.epochs());
        if (before.patience() != config.patience()) {
          if (before.epochs() != config.epochs()) sb.append(", ");
          sb.append("patience ").append(before.patience()).append(" -> ").append(config.patience());
        }
      }
      return sb.toString();
    }

    /**
     * A note when the carried-over early-stopping counter already reaches the patience (the run stops
     * after its next epoch unless that one gains), else null.
     */
    public String patienceNote() {
      if (!reopen || config.patience() == 0 || badEpochs < config.patience()) return null;
      return String.format(Locale.ROOT,
          "note: %d epoch%s without a validation-Dice gain so far and --patience %d: the run stops again after the next epoch unless it"
              + " beats %.4f (give a larger --patience, or 0 = never stop early, for more)",
          badEpochs, badEpochs == 1 ? "" : "s", config.patience(), bestValDice);
    }

    /**
     * How the learning rate continues when the budget changed and the schedule depends on it, for {@code
     * stepsPerEpoch} updates per epoch, after a last epoch that ran at {@code lastLr}; else null.
     */
    public String lrNote(int stepsPerEpoch, double lastLr) {
      if (!trains() || before.epochs() == config.epochs() || LrSchedule.Kind.parse(config.schedule()) == LrSchedule.Kind.CONSTANT
          || (LrSchedule.Kind.parse(config.schedule()) == LrSchedule.Kind.STEP && config.stepEvery() > 0)) {
        return null;
      }
      LrSchedule s = config.lrSchedule(stepsPerEpoch);
      return String.format(Locale.ROOT, "learning rate: the %s schedule of %d epochs from epoch %d on: %s at its first update%s",
          config.schedule(), config.epochs(), epochsDone + 1, EpochStats.lr(s.at((long) epochsDone * stepsPerEpoch)),
          Double.isNaN(lastLr) ? "" : " (epoch " + epochsDone + " ended at " + EpochStats.lr(lastLr) + ")");
    }
  }

  /**
   * Decides what resuming the run in {@code dir} (configuration {@code cfg}, checkpoint bookkeeping {@code
   * st}) with this change does; a change that cannot apply is a one-line {@link InvalidInputException}.
   * Writes nothing.
   */
  public Plan plan(Path dir, TrainConfig cfg, RunState st) {
    int done = st.epochsDone;
    TrainConfig next = cfg;
    if (epochs != null) {
      if (epochs <= done) {
        throw new InvalidInputException(String.format(Locale.ROOT,
            "--epochs %d: %s has trained %d epoch%s already (%s); with --resume, --epochs is the new total and must be larger than %d",
            epochs, dir, done, done == 1 ? "" : "s", how(st.status), done));
      }
      next = next.toBuilder().epochs(epochs).build();
    }
    if (patience != null) next = next.toBuilder().patience(patience).build();
    boolean changed = next.epochs() != cfg.epochs() || next.patience() != cfg.patience();
    boolean ended = st.status == RunState.Status.COMPLETED || st.status == RunState.Status.EARLY_STOPPED;
    boolean reopen = ended && next.epochs() > done && (!isNone() || pendingReopen(dir, st));
    if (ended && !isNone() && !reopen) {
      // only --patience, on a run that trained its whole budget
      throw new InvalidInputException(String.format(Locale.ROOT,
          "--patience: %s completed all its %d epochs; nothing is left to train with another patience (give --epochs larger than %d to"
              + " continue it)", dir, done, done));
    }
    return new Plan(next, cfg, st.status, done, st.bestEpoch, st.bestValDice, st.badEpochs, reopen, changed);
  }

  /** How a run with this checkpoint status stands, in words. */
  static String how(RunState.Status s) {
    return switch (s) {
      case RUNNING -> "interrupted";
      case COMPLETED -> "completed";
      case EARLY_STOPPED -> "stopped early";
      case DIVERGED -> "diverged";
    };
  }

  /**
   * Whether the last change recorded in {@code dir/config.json} was made after the checkpoint's last epoch
   * to a run that had ended: the change was written, then the process stopped before its next epoch.
   */
  static boolean pendingReopen(Path dir, RunState st) {
    if (st.status == RunState.Status.RUNNING) return false;
    JsonNode changes = readRoot(dir).get(KEY);
    if (changes == null || !changes.isArray() || changes.isEmpty()) return false;
    JsonNode last = changes.get(changes.size() - 1).get("after_epoch");
    return last != null && last.canConvertToInt() && last.asInt() == st.epochsDone;
  }

  /**
   * Writes the plan's change into {@code dir/config.json} (atomically; every other field kept as it is):
   * {@code train.epochs} and {@code train.patience}, and an entry appended to {@code budget_changes}.
   */
  static void record(Path dir, Plan p) throws IOException {
    ObjectNode root = readRoot(dir);
    ObjectNode train = (ObjectNode) root.get("train");
    train.put("epochs", p.config().epochs());
    train.put("patience", p.config().patience());
    JsonNode list = root.get(KEY);
    ArrayNode changes = list != null && list.isArray() ? (ArrayNode) list : root.putArray(KEY);
    ObjectNode c = changes.addObject();
    c.put("after_epoch", p.epochsDone());
    c.put("status", p.statusLabel());
    ObjectNode e = c.putObject("epochs");
    e.put("from", p.before().epochs());
    e.put("to", p.config().epochs());
    ObjectNode pa = c.putObject("patience");
    pa.put("from", p.before().patience());
    pa.put("to", p.config().patience());
    c.put("segloss", TrainingRun.seglossVersion());
    OutputFiles.writeBytes(dir.resolve(ModelFiles.CONFIG), ModelFiles.JSON.writeValueAsBytes(root));
  }

  private static ObjectNode readRoot(Path dir) {
    Path f = dir.resolve(ModelFiles.CONFIG);
    try {
      // TrainingRun.readConfig has checked the file already: an object with a train object
      return (ObjectNode) ModelFiles.JSON.readTree(Files.readAllBytes(f));
    } catch (IOException | ClassCastException e) {
      throw new InvalidInputException(f + ": cannot read the run configuration (" + e.getMessage() + ")", e);
    }
  }
}
