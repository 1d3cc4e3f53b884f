package dev.segloss.train.compare;

import dev.segloss.train.EpochStats;
import java.util.List;
import java.util.Map;

/**
 * What one {@link RunSpec} gave: how training ended, its evaluation on the run's test images and its
 * diagnosis. Plain data (Jackson reads and writes it), so that a run executed elsewhere can be returned to
 * the driver.
 *
 * @param index the run's position in the plan
 * @param lossIndex position of its loss in {@code --losses}
 * @param seed the training seed
 * @param fold the tested fold (1-based), or 0 for the single split
 * @param dir the run folder, relative to the comparison's output folder
 * @param resolvedLoss the loss that was trained
 * @param status how training ended (completed, early_stopped, diverged)
 * @param message the trainer's one-line explanation
 * @param epochs epochs run
 * @param updates parameter updates made
 * @param bestEpoch epoch of the evaluated weights (0: no model, nothing evaluated)
 * @param bestValDice validation Dice of that epoch
 * @param seconds training time
 * @param macro per metric key, the mean over the run's test images (NaN values left out, as the core's macro)
 * @param perImage per metric key, one value per test image, in the run's test order
 * @param testIndex for each test image, its position in the comparison's list of test images
 * @param ap average precision (AUPRC) over the pooled test pixels
 * @param bestDice the mean per-image Dice at the best threshold ({@link BestThreshold})
 * @param bestThreshold that threshold
 * @param pooledBestF1 the best pooled (micro) Dice over all thresholds of the PR curve
 * @param pr interpolated precision on the comparison's recall grid (max precision at recall ≥ r)
 * @param predictions pixel counts of the test predictions at the threshold (null when nothing was evaluated)
 * @param diagnosis converged, under-trained, collapsed or diverged, with the reason
 * @param history the training history
 * @param masks the thresholded test predictions, one bit per pixel, image after image in test order (row
 *     major, bit i of the image at byte i/8, bit i%8); null unless the run description asked for them
 */
public record RunOutcome(int index, int lossIndex, long seed, int fold, String dir, String resolvedLoss, String status, String message,
    int epochs, long updates, int bestEpoch, double bestValDice, double seconds, Map<String, Double> macro, Map<String, double[]> perImage,
    int[] testIndex, double ap, double bestDice, double bestThreshold, double pooledBestF1, double[] pr, Diagnosis.Predictions predictions,
    Diagnosis diagnosis, List<EpochStats> history, byte[] masks) {

  /** Whether a model was evaluated. */
  public boolean evaluated() {
    return bestEpoch > 0;
  }

  /** Per-image Dice in the run's test order (the paired test's values). */
  public double[] dice() {
    return perImage.get("dice");
  }

  /** Whether the thresholded prediction of test image {@code k} (run order) is foreground at pixel {@code i}. */
  public boolean predicted(int k, int pixels, int i) {
    long bit = (long) k * pixels + i;
    return (masks[(int) (bit >>> 3)] & (1 << (bit & 7))) != 0;
  }
}
