package dev.segloss.train.compare;

import dev.segloss.train.TrainConfig;
import java.util.List;

/**
 * One training run of a comparison, described completely: everything {@link RunExecutor} needs besides
 * the images themselves, which it finds by name in the data set that {@code train.data()} loads. Plain
 * data (Jackson reads and writes it as JSON), so that another thread, process or machine can run it.
 *
 * @param index position in the plan (0-based)
 * @param lossIndex position of the loss in {@code --losses} (0-based)
 * @param loss the spec as given
 * @param seed the training seed (initial weights, batch order, augmentation)
 * @param fold the cross-validation fold whose images are tested (1-based), or 0 for the single split
 * @param dir the run folder, relative to the comparison's output folder ({@code runs/<loss>/seed-<k>[/fold-<f>]})
 * @param train the complete training configuration: data, resolved loss, budget, model, metrics settings
 * @param trainImages names of the training images
 * @param valImages names of the validation images (the best checkpoint's choice)
 * @param testImages names of the test images, in the order of the run's per-image results
 * @param testIndex for each test image, its position in the comparison's list of test images
 * @param keepMasks whether the outcome keeps the thresholded test masks (for per-volume 3-D metrics)
 */
public record RunSpec(int index, int lossIndex, String loss, long seed, int fold, String dir, TrainConfig train, List<String> trainImages,
    List<String> valImages, List<String> testImages, int[] testIndex, boolean keepMasks) {
  public RunSpec {
    trainImages = List.copyOf(trainImages);
    valImages = List.copyOf(valImages);
    testImages = List.copyOf(testImages);
    testIndex = testIndex.clone();
    if (testIndex.length != testImages.size()) {
      throw new IllegalArgumentException("run " + index + ": " + testIndex.length + " test positions for " + testImages.size() + " test images");
    }
  }

  /** E.g. {@code dice, seed 2, fold 3}. */
  public String label() {
    return loss + ", seed " + seed + (fold > 0 ? ", fold " + fold : "");
  }
}
