package dev.segloss.train.compare;

import java.util.ArrayList;
import java.util.List;

/**
 * The outcome of a {@link CompareJob}: everything the report renders, computed by the comparison.
 *
 * @param config what was asked
 * @param dataSummary the data set's summary (sizes, empty masks, foreground per split)
 * @param dataSpec the canonical {@code --data} value
 * @param budget the plan as run: split, budget, runs, estimated and actual time
 * @param testImages names of the test images, in the order of every per-image array
 * @param ranking the losses, ranked (failed ones last, rank 0)
 * @param recommendation the plain-language recommendation
 * @param winner whether it recommends a loss
 * @param power what the test set can show
 * @param seconds wall time of the whole job
 * @param dataWarnings the data layer's warnings
 * @param adviceWarnings the comparison's warnings: why no winner, the power caveat, non-converged losses
 * @param skipped files skipped with {@code --skip-bad}
 * @param overlays test images with each leading loss's prediction, side by side
 * @param recallGrid the recall points of every loss's {@link LossOutcome#pr()}
 * @param alpha the significance level of the verdicts
 */
public record CompareResult(CompareConfig config, String dataSummary, String dataSpec, BudgetInfo budget, List<String> testImages,
    List<LossOutcome> ranking, String recommendation, boolean winner, Power power, double seconds, List<String> dataWarnings,
    List<String> adviceWarnings, List<String> skipped, List<OverlayData.Row> overlays, double[] recallGrid, double alpha) {

  /** Every warning: the data layer's, then the comparison's. */
  public List<String> warnings() {
    List<String> w = new ArrayList<>(dataWarnings);
    w.addAll(adviceWarnings);
    return w;
  }

  CompareResult withOverlays(List<OverlayData.Row> o) {
    return new CompareResult(config, dataSummary, dataSpec, budget, testImages, ranking, recommendation, winner, power, seconds, dataWarnings,
        adviceWarnings, skipped, List.copyOf(o), recallGrid, alpha);
  }

  /**
   * The plan as run.
   *
   * @param source where the budget came from ({@code default}, {@code --updates N}, {@code --epochs N})
   * @param length updates (or epochs, see {@code unit}) per run after any fitting to {@code --time}
   * @param unit {@code updates} or {@code epochs}
   * @param batch batch size
   * @param lengths each split's run length (one per fold)
   * @param patch patch size {h, w} of training, {0, 0} for whole images
   * @param patchReason why
   * @param split how the data were split and why
   * @param folds folds (1: a single split)
   * @param seeds seeds per loss
   * @param runs runs in all
   * @param stepSeconds the measured training step
   * @param forwardSecondsPerImage the measured inference time per image
   * @param estimatedSeconds the estimated time of all runs
   * @param actualSeconds the time they took
   * @param timeLimit {@code --time} in seconds, or 0
   * @param fitted what {@code --time} reduced
   * @param workers trainings at once ({@link Workers})
   */
  public record BudgetInfo(String source, long length, String unit, int batch, List<Budget.Length> lengths, int[] patch, String patchReason,
      String split, int folds, int seeds, int runs, double stepSeconds, double forwardSecondsPerImage, double estimatedSeconds, double actualSeconds,
      double timeLimit, List<String> fitted, int workers) {
    /** The most updates of any run. */
    public long maxUpdates() {
      return lengths.stream().mapToLong(Budget.Length::updates).max().orElse(0);
    }

    /** The most epochs of any run. */
    public int maxEpochs() {
      return lengths.stream().mapToInt(Budget.Length::epochs).max().orElse(0);
    }
  }
}
