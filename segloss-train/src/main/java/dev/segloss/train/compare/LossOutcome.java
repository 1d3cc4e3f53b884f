package dev.segloss.train.compare;

import java.util.List;
import java.util.Map;

/**
 * Everything {@code compare} found out about one loss, over all its runs (seeds × folds).
 *
 * @param index position in the {@code --losses} list (0-based)
 * @param spec the spec as given
 * @param resolved the specs trained, with {@code auto} values resolved from each split's training masks (one
 *     per fold; one for a single split)
 * @param slug the folder name of its runs
 * @param runs its runs, in plan order
 * @param metrics per metric key: mean ± sample std over runs of each run's mean over its test images
 * @param auprc average precision over runs
 * @param bestDice mean per-image Dice at each run's best threshold, over runs
 * @param bestThreshold the thresholds where it is reached, over runs
 * @param pairedDice per test image of the comparison, the mean over seeds of its Dice (NaN where no seed
 *     defines it); with folds, each image's value comes from the runs that tested it
 * @param pr mean interpolated precision on the comparison's recall grid
 * @param diagnosis the loss's diagnosis: the kind most of its runs have (the worse kind on a tie)
 * @param diagnosisCounts runs per diagnosis kind key
 * @param volumes per-volume 3-D metrics (empty unless the data are volumes)
 * @param rank 1 = best mean Dice; 0 = not ranked (no run produced a model)
 * @param test the paired Wilcoxon test against the best loss (null for the best itself, unranked losses and
 *     when the test images cannot show a difference)
 * @param pHolm the Holm-adjusted p-value (NaN when there is no test)
 * @param verdict {@code best}, {@code within noise}, {@code worse}, {@code not tested} or {@code failed}
 */
public record LossOutcome(int index, String spec, List<String> resolved, String slug, List<RunOutcome> runs, Map<String, Stat> metrics,
    Stat auprc, Stat bestDice, Stat bestThreshold, double[] pairedDice, double[] pr, Diagnosis.Kind diagnosis,
    Map<String, Integer> diagnosisCounts, List<VolumeMetrics.LossVolume> volumes, int rank, Wilcoxon.Result test, double pHolm,
    String verdict) {

  public static final String BEST = "best";
  public static final String WITHIN_NOISE = "within noise";
  public static final String WORSE = "worse";
  public static final String NOT_TESTED = "not tested";
  public static final String FAILED = "failed";

  LossOutcome withRanking(int rank, Wilcoxon.Result test, double pHolm, String verdict) {
    return new LossOutcome(index, spec, resolved, slug, runs, metrics, auprc, bestDice, bestThreshold, pairedDice, pr, diagnosis, diagnosisCounts,
        volumes, rank, test, pHolm, verdict);
  }

  LossOutcome withVolumes(List<VolumeMetrics.LossVolume> v) {
    return new LossOutcome(index, spec, resolved, slug, runs, metrics, auprc, bestDice, bestThreshold, pairedDice, pr, diagnosis, diagnosisCounts,
        List.copyOf(v), rank, test, pHolm, verdict);
  }

  /** Mean Dice over runs (NaN when none evaluated). */
  public double dice() {
    Stat s = metrics.get("dice");
    return s == null ? Double.NaN : s.mean();
  }

  /** Total training seconds over runs. */
  public double seconds() {
    return runs.stream().mapToDouble(RunOutcome::seconds).sum();
  }

  /** The diagnosis for tables: the kind, with the count of runs when they disagree ("under-trained 2/3"). */
  public String diagnosisLabel() {
    if (diagnosis == null) return "";
    int n = runs.size();
    int k = diagnosisCounts.getOrDefault(diagnosis.key(), 0);
    return k == n ? diagnosis.label() : diagnosis.label() + " " + k + "/" + n;
  }

  /** The trained spec(s) for display: one, or each fold's separated by " | " when they differ. */
  public String resolvedText() {
    List<String> d = resolved.stream().distinct().toList();
    return String.join(" | ", d);
  }
}
