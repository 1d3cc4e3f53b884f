package dev.segloss.train.compare;

import java.util.List;
import java.util.Map;

/**
 * Everything {@code compare} found out about one loss, over all seeds.
 *
 * @param index position in the {@code --losses} list (0-based)
 * @param spec the spec as given
 * @param resolved the spec with {@code auto} values resolved (what was trained)
 * @param slug the folder name of its runs
 * @param runs one per seed
 * @param metrics per metric key: mean ± std over seeds of the per-seed macro means
 * @param auprc average precision over seeds
 * @param bestDice mean per-image Dice at each seed's best threshold, over seeds
 * @param bestThreshold the thresholds where it is reached, over seeds
 * @param pairedDice per test image, the mean over seeds of its Dice (NaN where no seed defines it)
 * @param pr mean interpolated precision on {@link CompareJob#RECALL_GRID}
 * @param valDice mean validation Dice per epoch over the seeds that reached it
 * @param rank 1 = best mean Dice; 0 = not ranked (no seed produced a model)
 * @param test the paired Wilcoxon test against the best loss (null for the best itself and unranked losses)
 * @param pHolm the Holm-adjusted p-value (NaN when there is no test)
 * @param verdict {@code best}, {@code within noise}, {@code worse} or {@code failed}
 */
public record LossOutcome(int index, String spec, String resolved, String slug, List<SeedRun> runs, Map<String, Stat> metrics, Stat auprc,
    Stat bestDice, Stat bestThreshold, double[] pairedDice, double[] pr, double[] valDice, int rank, Wilcoxon.Result test, double pHolm,
    String verdict) {

  LossOutcome withRanking(int rank, Wilcoxon.Result test, double pHolm, String verdict) {
    return new LossOutcome(index, spec, resolved, slug, runs, metrics, auprc, bestDice, bestThreshold, pairedDice, pr, valDice, rank, test,
        pHolm, verdict);
  }

  /** Mean Dice over seeds (NaN when none evaluated). */
  public double dice() {
    Stat s = metrics.get("dice");
    return s == null ? Double.NaN : s.mean();
  }

  /** Total training seconds over seeds. */
  public double seconds() {
    return runs.stream().mapToDouble(SeedRun::seconds).sum();
  }
}
