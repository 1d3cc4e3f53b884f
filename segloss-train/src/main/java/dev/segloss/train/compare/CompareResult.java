package dev.segloss.train.compare;

import java.util.List;

/**
 * The outcome of a {@link CompareJob}.
 *
 * @param config what was run
 * @param dataSummary the data set's summary (sizes, empty masks, foreground per split)
 * @param dataSpec the canonical {@code --data} value
 * @param testImages names of the test images, in the order of every per-image array
 * @param ranking the losses, ranked (failed ones last, rank 0)
 * @param recommendation the plain-language recommendation
 * @param seconds wall time of the whole job
 * @param warnings the data layer's warnings
 * @param skipped files skipped with {@code --skip-bad}
 */
public record CompareResult(CompareConfig config, String dataSummary, String dataSpec, List<String> testImages, List<LossOutcome> ranking,
    String recommendation, double seconds, List<String> warnings, List<String> skipped) {}
