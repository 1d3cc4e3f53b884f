package dev.segloss.train.compare;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The plain-language recommendation, and the warnings that go with it.
 *
 * <p>A winner is declared only when the comparison can support one:
 *
 * <ul>
 *   <li>no test image has foreground: no recommendation (the test Dice only counts false alarms);
 *   <li>no loss produced a model: none;
 *   <li>the leading losses — the best and those within noise of it — are under-trained or collapsed (by
 *       the diagnosis most of their runs have), or the best loss's masks are not usable (precision or recall
 *       below {@value #USABLE} at the threshold): <b>no winner</b>; the text says what went wrong and what
 *       to change, with numbers: {@code --updates N} (at least {@value #MORE_UPDATES}× the updates run,
 *       and not below the default budget), more data when there are fewer than {@value
 *       CompareConfig#SMALL_DATA} training images, {@code --threshold} when the loss's best threshold
 *       gives a clearly better Dice;
 *   <li>the test set cannot show a difference at all ({@link Power}): the best is named, with that caveat,
 *       and no verdicts;
 *   <li>otherwise: "Use X", with the losses within noise of it.
 * </ul>
 *
 * Every sentence of a "no winner" or a caveat is also a warning (results.json {@code "warnings"}), as is
 * every non-converged loss's diagnosis.
 *
 * @param text the recommendation
 * @param winner whether a loss is recommended
 * @param warnings the warnings, one sentence each
 */
public record Advice(String text, boolean winner, List<String> warnings) {
  /** Precision or recall below this at the threshold: the masks are not usable. */
  public static final double USABLE = 0.2;
  /** Factor on the updates run suggested for under-trained runs. */
  public static final int MORE_UPDATES = 4;
  /** A best-threshold Dice this much above the table's Dice is worth a {@code --threshold}. */
  public static final double THRESHOLD_GAIN = 0.05;

  /**
   * What the recommendation needs besides the ranking.
   *
   * @param testForeground test images with foreground (-1: unknown)
   * @param updates updates per run (the most of any run)
   * @param secondsPerUpdate measured seconds per update, for the time a suggestion costs (NaN: unknown)
   * @param trainImages training images per run (the fewest of any split)
   * @param threshold the metrics' threshold
   * @param folds folds (1: a single split)
   */
  public record Context(long testForeground, long updates, double secondsPerUpdate, int trainImages, double threshold, int folds) {
    /** Without budget details (tests of the ranking alone). */
    public static Context of(long testForeground) {
      return new Context(testForeground, 0, Double.NaN, Integer.MAX_VALUE, 0.5, 1);
    }
  }

  /** The recommendation for a ranking. */
  public static Advice of(List<LossOutcome> ranked, Context ctx) {
    List<String> warnings = new ArrayList<>();
    for (LossOutcome o : ranked) {
      if (o.diagnosis() != null && o.diagnosis() != Diagnosis.Kind.CONVERGED && !o.runs().isEmpty()) warnings.add(diagnosisWarning(o));
    }
    if (ctx.testForeground() == 0) {
      String t = "No recommendation: no test image has foreground, so the test Dice only counts false alarms and cannot tell which loss"
          + " segments the objects best; add images with foreground to the test split (or check --mask-threshold).";
      warnings.add(0, t);
      return new Advice(t, false, warnings);
    }
    if (ranked.isEmpty() || ranked.get(0).rank() != 1) {
      String t = "No loss produced a usable model (every run diverged before finishing an epoch); try a lower --lr.";
      warnings.add(0, t);
      return new Advice(t, false, warnings);
    }
    LossOutcome best = ranked.get(0);
    List<LossOutcome> leading = new ArrayList<>();
    for (LossOutcome o : ranked) if (o.rank() == 1 || LossOutcome.WITHIN_NOISE.equals(o.verdict())) leading.add(o);

    List<String> problems = new ArrayList<>(), changes = new ArrayList<>();
    List<LossOutcome> under = leading.stream().filter(o -> o.diagnosis() == Diagnosis.Kind.UNDER_TRAINED).toList();
    List<LossOutcome> collapsed = leading.stream().filter(o -> o.diagnosis() == Diagnosis.Kind.COLLAPSED).toList();
    double precision = best.metrics().get("precision").mean(), recall = best.metrics().get("recall").mean();
    boolean unusable = precision < USABLE || recall < USABLE;
    if (!under.isEmpty()) {
      problems.add(String.format(Locale.ROOT, "%s %s under-trained (validation Dice or loss still improving at the end of %d updates)", names(under),
          under.size() == 1 ? "is" : "are", ctx.updates()));
    }
    for (LossOutcome o : collapsed) {
      problems.add(o.spec() + " collapsed (" + firstReason(o, Diagnosis.Kind.COLLAPSED) + ")");
    }
    if (unusable) {
      problems.add(String.format(Locale.ROOT, "the best, %s, is not usable at threshold %s: precision %.2f at recall %.2f", best.spec(),
          fmtT(ctx.threshold()), precision, recall));
    }
    boolean noWinner = !problems.isEmpty();
    if (noWinner) {
      // every problem here may be a model that has not learned yet: more updates first
      long n = suggestedUpdates(ctx.updates());
      String time = Double.isNaN(ctx.secondsPerUpdate()) ? ""
          : String.format(Locale.ROOT, "; about %s per run at the measured %.2f s per update", dev.segloss.train.Progress.duration(n * ctx.secondsPerUpdate()),
              ctx.secondsPerUpdate());
      changes.add(String.format(Locale.ROOT, "train longer: --updates %d (%s the %d updates here%s)", n, times(n, ctx.updates()), ctx.updates(), time));
      if (ctx.trainImages() < CompareConfig.SMALL_DATA) {
        changes.add("add training data (" + ctx.trainImages() + " training images per run here)");
      }
      LossOutcome tune = leading.stream().filter(o -> o.bestDice().mean() > o.dice() + THRESHOLD_GAIN)
          .max((a, b) -> Double.compare(a.bestDice().mean(), b.bestDice().mean())).orElse(null);
      if (tune != null) {
        changes.add(String.format(Locale.ROOT, "check the threshold: %s reaches Dice %.3f at t = %s on the test images (--threshold %s; chosen on the test images, so optimistic)",
            tune.spec(), tune.bestDice().mean(), fmtT(tune.bestThreshold().mean()), fmtT(tune.bestThreshold().mean())));
      }
      if (changes.isEmpty()) changes.add("try other losses, e.g. a weighted or Dice-type term for small structures");
      String t = "No winner: " + String.join("; ", problems) + ". To get an answer, " + String.join("; or ", changes) + ".";
      warnings.add(0, t);
      return new Advice(t, false, warnings);
    }

    Power power = Ranking.powerOf(ranked);
    Stat d = best.metrics().get("dice");
    String over = d.n() == 1 ? "" : String.format(Locale.ROOT, " over %d %s", d.n(), ctx.folds() > 1 ? "runs" : "seeds");
    String diceText = Double.isNaN(d.std()) ? String.format(Locale.ROOT, "test Dice %.3f", d.mean())
        : String.format(Locale.ROOT, "test Dice %.3f ± %.3f%s", d.mean(), d.std(), over);
    if (!power.enough()) {
      String t = best.spec() + " has the best mean " + diceText.replace("test Dice", "test Dice,") + ", but this is not a recommendation: "
          + power.statement() + (ctx.folds() > 1 ? " Add test images." : " Test more images: --folds 5 tests every image once.");
      warnings.add(0, t);
      return new Advice(t, false, warnings);
    }
    List<String> close = new ArrayList<>();
    for (LossOutcome o : ranked) if (LossOutcome.WITHIN_NOISE.equals(o.verdict())) close.add(o.spec());
    StringBuilder sb = new StringBuilder("Use ").append(best.spec()).append(" (").append(diceText).append(")");
    long compared = ranked.stream().filter(o -> o.test() != null).count();
    if (compared == 0) {
      sb.append("; it is the only loss with a model, so nothing was compared.");
    } else if (close.isEmpty()) {
      sb.append("; every other loss is significantly worse on the test images (paired Wilcoxon, Holm-adjusted p < ").append(Ranking.ALPHA).append(").");
    } else {
      sb.append("; ").append(join(close)).append(close.size() == 1 ? " is" : " are").append(" within noise of it (paired Wilcoxon, Holm-adjusted p ≥ ")
          .append(Ranking.ALPHA).append(").");
    }
    LossOutcome bestAp = ranked.stream().filter(o -> o.rank() > 0 && !Double.isNaN(o.auprc().mean()))
        .max((a, b) -> Double.compare(a.auprc().mean(), b.auprc().mean())).orElse(best);
    if (bestAp != best) {
      sb.append(String.format(Locale.ROOT, " Threshold-free, %s ranks its pixels best (AUPRC %.3f vs %.3f): with a tuned threshold it reaches Dice %.3f at t = %.2f.",
          bestAp.spec(), bestAp.auprc().mean(), best.auprc().mean(), bestAp.bestDice().mean(), bestAp.bestThreshold().mean()));
    }
    long failed = ranked.stream().filter(o -> o.rank() == 0).count();
    if (failed > 0) sb.append(" ").append(failed).append(failed == 1 ? " loss" : " losses").append(" failed (see the report).");
    return new Advice(sb.toString(), true, warnings);
  }

  /** The updates to suggest after {@code updates}: {@value #MORE_UPDATES}× as many, at least the default, two significant digits. */
  static long suggestedUpdates(long updates) {
    long n = Math.max((long) MORE_UPDATES * Math.max(1, updates), Budget.DEFAULT_UPDATES);
    long scale = 1;
    while (n / scale >= 100) scale *= 10;
    return (n + scale - 1) / scale * scale;
  }

  private static String times(long n, long updates) {
    String f = String.format(Locale.ROOT, "%.1f", n / (double) Math.max(1, updates));
    return (f.endsWith(".0") ? f.substring(0, f.length() - 2) : f) + "×";
  }

  static String diagnosisWarning(LossOutcome o) {
    int k = o.diagnosisCounts().getOrDefault(o.diagnosis().key(), 0);
    return String.format(Locale.ROOT, "%s: %s in %d of %d run%s (%s)", o.spec(), o.diagnosis().label(), k, o.runs().size(),
        o.runs().size() == 1 ? "" : "s", firstReason(o, o.diagnosis()));
  }

  private static String firstReason(LossOutcome o, Diagnosis.Kind kind) {
    for (RunOutcome r : o.runs()) {
      if (r.diagnosis() != null && r.diagnosis().kind() == kind) {
        String where = "seed " + r.seed() + (r.fold() > 0 ? ", fold " + r.fold() : "");
        return where + ": " + r.diagnosis().reason();
      }
    }
    return "";
  }

  private static String names(List<LossOutcome> xs) {
    return join(xs.stream().map(LossOutcome::spec).toList());
  }

  static String join(List<String> xs) {
    if (xs.size() == 1) return xs.get(0);
    return String.join(", ", xs.subList(0, xs.size() - 1)) + " and " + xs.get(xs.size() - 1);
  }

  private static String fmtT(double t) {
    String s = String.format(Locale.ROOT, "%.2f", t);
    return s.endsWith("0") && s.contains(".") ? s.substring(0, s.length() - 1) : s;
  }
}
