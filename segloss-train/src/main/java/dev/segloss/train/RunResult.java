package dev.segloss.train;

import java.nio.file.Path;
import java.util.List;

/**
 * What a finished (or stopped) training run reports.
 *
 * @param dir the run folder
 * @param status how it ended
 * @param message a one-line explanation (why it stopped)
 * @param epochsRun epochs completed
 * @param bestEpoch the epoch whose weights are in {@code model.params} (0 when none)
 * @param bestValDice validation Dice of that epoch
 * @param seconds training wall time, summed over resumed parts
 * @param history one entry per completed epoch
 * @param resolvedLoss the loss spec with {@code auto} values resolved
 */
public record RunResult(Path dir, RunState.Status status, String message, int epochsRun, int bestEpoch, double bestValDice,
    double seconds, List<EpochStats> history, String resolvedLoss) {

  /** The best model file, or null when no epoch finished. */
  public Path model() {
    return bestEpoch > 0 ? dir.resolve(ModelFiles.MODEL) : null;
  }
}
