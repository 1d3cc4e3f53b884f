package dev.segloss.train.compare;

import dev.segloss.train.EpochStats;
import java.util.List;
import java.util.Map;

/**
 * One (loss, seed) training run and its evaluation on the test split.
 *
 * @param seed the training seed
 * @param status how training ended (completed, early_stopped, diverged)
 * @param message the trainer's one-line explanation
 * @param epochs epochs run
 * @param bestEpoch epoch of the evaluated weights (0: no model, nothing evaluated)
 * @param bestValDice validation Dice of that epoch
 * @param seconds training time
 * @param macro per metric key, the mean over test images (NaN values left out, as the core's macro)
 * @param perImage per metric key, one value per test image, in test order
 * @param pairedDice per test image, the Dice of the paired test (the table's, NaN where undefined)
 * @param ap average precision (AUPRC) over the pooled test pixels
 * @param bestDice the mean per-image Dice at the best threshold ({@link BestThreshold})
 * @param bestThreshold that threshold
 * @param pooledBestF1 the best pooled (micro) Dice over all thresholds of the PR curve
 * @param pr interpolated precision on {@link CompareJob#RECALL_GRID} (max precision at recall ≥ r)
 * @param history the training history
 */
public record SeedRun(long seed, String status, String message, int epochs, int bestEpoch, double bestValDice, double seconds,
    Map<String, Double> macro, Map<String, double[]> perImage, double[] pairedDice, double ap, double bestDice, double bestThreshold, double pooledBestF1,
    double[] pr, List<EpochStats> history) {

  /** Whether a model was evaluated. */
  public boolean evaluated() {
    return bestEpoch > 0;
  }
}
