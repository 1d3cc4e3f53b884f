package dev.segloss.train.compare;

import dev.segloss.core.metrics.Metric;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Aggregation: a loss's runs into one {@link LossOutcome}, and the losses into a ranking with paired
 * tests and verdicts.
 *
 * <p><b>Per loss</b>: each metric's mean over a run's test images, then mean ± sample std over its runs
 * (seeds, and folds with cross-validation). Losses are ranked by mean Dice (ties: AUPRC, then the order
 * of {@code --losses}).
 *
 * <p><b>Within noise.</b> Each loss is compared with the best by a two-sided Wilcoxon signed-rank test
 * ({@link Wilcoxon}) over the test images, paired by image, on the same per-image Dice the ranking
 * averages (the configured empty policy), averaged over seeds (with folds, every image has one value per
 * seed, from the fold that tested it); an image whose Dice is undefined for either loss is left out of
 * that pair. The p-values are Holm-adjusted over the comparisons; a loss whose adjusted p is at least
 * α is "within noise" of the best, otherwise "worse". When the number of test images cannot reach α
 * after the adjustment at all ({@link Power}), no test is reported and every other loss is "not tested".
 */
public final class Ranking {
  /** Significance level of the "within noise" decision (after Holm's adjustment). */
  public static final double ALPHA = 0.05;

  private Ranking() {}

  /** One loss's runs, aggregated; {@code nTest} is the number of test images of the comparison. */
  static LossOutcome aggregate(int index, String spec, List<String> resolved, String slug, List<RunOutcome> runs, int nTest) {
    Map<String, Stat> m = new LinkedHashMap<>();
    for (Metric metric : RunExecutor.METRICS) m.put(metric.key(), Stat.of(runs.stream().mapToDouble(r -> r.macro().get(metric.key())).toArray()));
    Stat ap = Stat.of(runs.stream().mapToDouble(RunOutcome::ap).toArray());
    Stat best = Stat.of(runs.stream().mapToDouble(RunOutcome::bestDice).toArray());
    Stat bestT = Stat.of(runs.stream().mapToDouble(RunOutcome::bestThreshold).toArray());
    // per test image: its Dice from every run that tested it, in run order
    List<List<Double>> values = new ArrayList<>();
    for (int j = 0; j < nTest; j++) values.add(new ArrayList<>());
    for (RunOutcome r : runs) {
      double[] d = r.dice();
      for (int k = 0; k < d.length; k++) values.get(r.testIndex()[k]).add(d[k]);
    }
    double[] paired = new double[nTest];
    for (int j = 0; j < nTest; j++) paired[j] = Stat.of(values.get(j).stream().mapToDouble(Double::doubleValue).toArray()).mean();
    double[] pr = new double[RunExecutor.RECALL_GRID.length];
    for (int g = 0; g < pr.length; g++) {
      double[] v = new double[runs.size()];
      for (int r = 0; r < runs.size(); r++) v[r] = runs.get(r).pr()[g];
      pr[g] = Stat.of(v).mean();
    }
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (Diagnosis.Kind k : Diagnosis.Kind.values()) counts.put(k.key(), 0);
    for (RunOutcome r : runs) counts.merge(r.diagnosis().kind().key(), 1, Integer::sum);
    Diagnosis.Kind major = Diagnosis.Kind.CONVERGED;
    int most = -1;
    for (Diagnosis.Kind k : Diagnosis.Kind.values()) { // in order of severity: a later kind wins a tie
      int c = counts.get(k.key());
      if (c > 0 && c >= most) {
        most = c;
        major = k;
      }
    }
    return new LossOutcome(index, spec, List.copyOf(resolved), slug, List.copyOf(runs), m, ap, best, bestT, paired, pr, major, counts, List.of(), 0,
        null, Double.NaN, LossOutcome.FAILED);
  }

  /** Ranks by mean Dice, tests every ranked loss against the best (when the test set can show a difference), assigns verdicts. */
  static List<LossOutcome> rank(List<LossOutcome> outcomes) {
    List<LossOutcome> ok = new ArrayList<>(), failed = new ArrayList<>();
    for (LossOutcome o : outcomes) (Double.isNaN(o.dice()) ? failed : ok).add(o);
    ok.sort((a, b) -> {
      int cmp = Double.compare(b.dice(), a.dice());
      if (cmp != 0) return cmp;
      cmp = Double.compare(b.auprc().mean(), a.auprc().mean());
      return cmp != 0 ? cmp : Integer.compare(a.index(), b.index());
    });
    List<LossOutcome> out = new ArrayList<>();
    if (!ok.isEmpty()) {
      LossOutcome best = ok.get(0);
      out.add(best.withRanking(1, null, Double.NaN, LossOutcome.BEST));
      if (power(ok).enough()) {
        Wilcoxon.Result[] tests = new Wilcoxon.Result[ok.size()];
        double[] p = new double[ok.size()];
        p[0] = Double.NaN;
        for (int i = 1; i < ok.size(); i++) {
          tests[i] = Wilcoxon.test(ok.get(i).pairedDice(), best.pairedDice());
          p[i] = tests[i].p();
        }
        double[] holm = Wilcoxon.holm(p);
        for (int i = 1; i < ok.size(); i++) {
          out.add(ok.get(i).withRanking(i + 1, tests[i], holm[i], holm[i] >= ALPHA ? LossOutcome.WITHIN_NOISE : LossOutcome.WORSE));
        }
      } else {
        for (int i = 1; i < ok.size(); i++) out.add(ok.get(i).withRanking(i + 1, null, Double.NaN, LossOutcome.NOT_TESTED));
      }
    }
    for (LossOutcome f : failed) out.add(f.withRanking(0, null, Double.NaN, LossOutcome.FAILED));
    return out;
  }

  /** What the test set can show for these ranked losses (best first). */
  static Power power(List<LossOutcome> rankedOk) {
    int images = 0;
    if (!rankedOk.isEmpty()) for (double d : rankedOk.get(0).pairedDice()) if (!Double.isNaN(d)) images++;
    return Power.of(images, Math.max(0, rankedOk.size() - 1), ALPHA);
  }

  /** The power of a finished ranking (failed losses are not compared). */
  public static Power powerOf(List<LossOutcome> ranking) {
    return power(ranking.stream().filter(o -> o.rank() > 0).toList());
  }
}
