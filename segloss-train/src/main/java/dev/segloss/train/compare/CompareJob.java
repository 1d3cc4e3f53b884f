package dev.segloss.train.compare;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.training.loss.Loss;
import dev.segloss.core.InvalidInputException;
import dev.segloss.core.metrics.EmptyPolicy;
import dev.segloss.core.metrics.ImageMetrics;
import dev.segloss.core.metrics.Metric;
import dev.segloss.core.metrics.SegmentationMetrics;
import dev.segloss.data.Datasets;
import dev.segloss.data.SegDataset;
import dev.segloss.data.Split;
import dev.segloss.data.batch.BatchLoader;
import dev.segloss.data.transform.Augmentation;
import dev.segloss.djl.DjlLosses;
import dev.segloss.train.DjlRuntime;
import dev.segloss.train.ImageSet;
import dev.segloss.train.Inference;
import dev.segloss.train.LossSpecs;
import dev.segloss.train.ModelFiles;
import dev.segloss.train.OutputFiles;
import dev.segloss.train.Progress;
import dev.segloss.train.RunResult;
import dev.segloss.train.TrainConfig;
import dev.segloss.train.TrainingRun;
import dev.segloss.train.model.UNet;
import dev.segloss.train.report.CompareReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code segloss compare}: trains one U-Net per loss and seed on the same data, split, initial weights
 * (seed k initialises every loss's network identically) and budget, evaluates each on the held-out test
 * split, and ranks the losses.
 *
 * <p><b>Per run</b> ({@link TrainingRun}): the best-validation-Dice checkpoint is evaluated on the test
 * images with the core metrics at the threshold (0.5) and empty policy of the config: per-image dice, iou,
 * precision, recall and hd95 (pixel units). Threshold-free: the pooled test pixels' precision–recall
 * curve ({@link PrCurve}) and its average precision (AUPRC); and the mean Dice at the threshold that
 * maximises it ({@link BestThreshold}).
 *
 * <p><b>Per loss</b>: each metric's macro mean per seed, then mean ± sample std over seeds. Losses are
 * ranked by mean Dice.
 *
 * <p><b>Within noise.</b> Each loss is compared with the best by a two-sided Wilcoxon signed-rank test
 * ({@link Wilcoxon}) over the test images, paired by image, on the same per-image Dice the ranking
 * averages (the configured empty policy), averaged over seeds; an image whose Dice is undefined for
 * either loss (policy {@code nan}: truth and prediction both empty) is left out of that pair, as it is
 * left out of the mean. The p-values are Holm-adjusted over the comparisons; a loss whose adjusted p is
 * at least {@value #ALPHA} is "within noise" of the best, otherwise "worse". Seed-to-seed spread is shown
 * beside the means.
 *
 * <p><b>Outputs</b> in {@code --out} (refused when it exists and is not empty, unless {@code
 * --overwrite}; nothing is deleted): {@code report.html} (self-contained), {@code results.json}, {@code
 * results.csv}, {@code per_image.csv}, and {@code runs/<loss>/seed-<k>/} with each run's model, config
 * and history (the per-epoch checkpoints are removed once a run has ended). Every file is written
 * atomically. The ranked table and a one-line recommendation go to stdout.
 */
public final class CompareJob {
  /** Significance level of the "within noise" decision (after Holm's adjustment). */
  public static final double ALPHA = 0.05;
  /** Recall points of the averaged PR curves. */
  public static final double[] RECALL_GRID = grid(101);
  /** Metrics of the table, in order. */
  public static final List<Metric> METRICS = List.of(Metric.DICE, Metric.IOU, Metric.PRECISION, Metric.RECALL, Metric.HD95);

  private CompareJob() {}

  /** Runs the comparison; progress to {@code err}, the table and recommendation to {@code out}. */
  public static CompareResult run(CompareConfig c, PrintWriter out, PrintWriter err) {
    return run(c, out, err, false);
  }

  /**
   * Runs the comparison; with {@code live}, each run's progress line is redrawn in place on {@code err} (a
   * terminal), else one line per finished run is printed.
   */
  public static CompareResult run(CompareConfig c, PrintWriter out, PrintWriter err, boolean live) {
    long t0 = System.nanoTime();
    for (String spec : c.losses()) LossSpecs.check(spec);
    EmptyPolicy policy = EmptyPolicy.parse(c.emptyPolicy());
    DjlRuntime.device(DjlRuntime.engine(c.threads(), 1), c.device());
    Path created = OutputFiles.prepareOutputDir(c.out(), c.overwrite(), "--out");
    try {
      return run(c, out, err, live, t0, policy);
    } catch (RuntimeException | Error e) {
      // bad data found after the folder was made: leave no empty folder behind (files are never removed)
      OutputFiles.removeCreatedIfEmpty(c.out(), created);
      throw e;
    }
  }

  private static CompareResult run(CompareConfig c, PrintWriter out, PrintWriter err, boolean live, long t0, EmptyPolicy policy) {
    TrainConfig probe = c.trainConfig(c.losses().get(0), c.losses().get(0), Double.NaN, 1, c.data());
    SegDataset ds = Datasets.load(c.data(), probe.loadOptions());
    say(err, ds.summary());
    for (String w : ds.warnings()) say(err, "warning: " + w);
    if (ds.test().isEmpty()) throw new InvalidInputException("--data " + c.data() + ": the test split is empty; compare evaluates on held-out test images");
    if (ds.val().isEmpty()) throw new InvalidInputException("--data " + c.data() + ": the validation split is empty");

    List<LossSpecs.Resolved> resolved = new ArrayList<>();
    List<Loss> losses = new ArrayList<>();
    for (String spec : c.losses()) {
      LossSpecs.Resolved r = LossSpecs.resolve(spec, ds.train(), c.weights());
      resolved.add(r);
      losses.add(DjlLosses.fromSpec(r.resolved(), true));
      say(err, String.format(Locale.ROOT, "loss %-40s → %s%s", spec, r.resolved(), r.note().isEmpty() ? "" : "  (" + r.note() + ")"));
    }
    List<String> slugs = slugs(c.losses());

    SegmentationMetrics metrics = SegmentationMetrics.builder().threshold(c.threshold()).emptyPolicy(policy).build();
    ImageSet test = ImageSet.of(ds.test());
    int total = c.losses().size() * c.seeds();
    List<List<SeedRun>> runs = new ArrayList<>();
    for (int i = 0; i < c.losses().size(); i++) runs.add(new ArrayList<>());
    int k = 0;
    double spent = 0;
    for (int s = 1; s <= c.seeds(); s++) {
      for (int i = 0; i < c.losses().size(); i++) {
        k++;
        String prefix = String.format(Locale.ROOT, "[%d/%d] %s, seed %d: ", k, total, c.losses().get(i), s);
        Path dir = c.out().resolve("runs").resolve(slugs.get(i)).resolve("seed-" + s);
        OutputFiles.prepareOutputDir(dir, c.overwrite(), "--out");
        TrainConfig tc = c.trainConfig(c.losses().get(i), resolved.get(i).resolved(), resolved.get(i).foreground(), s, ds.spec());
        long r0 = System.nanoTime();
        RunResult rr;
        try (BatchLoader loader = new BatchLoader(ds.split(Split.TRAIN), BatchLoader.Config.builder().batchSize(tc.batch())
            .augmentation(tc.augment() ? Augmentation.defaults() : Augmentation.none()).seed(tc.seed()).build())) {
          TrainingRun.Options opts = new TrainingRun.Options().keepCheckpoint(false).epochLines(false)
              .progress(live ? err : null, prefix, live);
          rr = TrainingRun.run(tc, losses.get(i), loader, ds.val(), dir, false, opts);
        }
        SeedRun sr = evaluate(rr, s, test, metrics, tc);
        runs.get(i).add(sr);
        spent += (System.nanoTime() - r0) / 1e9;
        double eta = spent / k * (total - k);
        say(err, String.format(Locale.ROOT, "%s%s; test dice %s, AUPRC %s (%s; %s left)", prefix, rr.message(), fmt(sr.macro().get("dice")),
            fmt(sr.ap()), Progress.duration((System.nanoTime() - r0) / 1e9), Progress.duration(eta)));
      }
    }

    List<LossOutcome> outcomes = new ArrayList<>();
    for (int i = 0; i < c.losses().size(); i++) {
      outcomes.add(aggregate(i, c.losses().get(i), resolved.get(i).resolved(), slugs.get(i), runs.get(i), test.size()));
    }
    List<LossOutcome> ranked = rank(outcomes);
    String recommendation = recommend(ranked, ds.test().stream().filter(x -> !x.isEmpty()).count());
    double seconds = (System.nanoTime() - t0) / 1e9;
    CompareResult result = new CompareResult(c, ds.summary(), ds.spec(), test.names(), ranked, recommendation, seconds,
        ds.warnings(), ds.skipped());
    try {
      CompareReport.write(result, ds, c.out(), err);
    } catch (IOException e) {
      throw new UncheckedIOException("--out " + c.out() + ": " + e.getMessage(), e);
    }
    out.println(CompareReport.table(result));
    out.println();
    out.println(recommendation);
    out.flush();
    say(err, String.format(Locale.ROOT, "report: %s (%s in all)", c.out().resolve("report.html"), Progress.duration(seconds)));
    if (!ds.skipped().isEmpty()) {
      StringBuilder sb = new StringBuilder("skipped " + ds.skipped().size() + " unreadable file(s):");
      for (String f : ds.skipped()) sb.append(System.lineSeparator()).append("  ").append(f);
      say(err, sb.toString());
    }
    return result;
  }

  /** Evaluates the best checkpoint of a run on the test images. */
  static SeedRun evaluate(RunResult rr, long seed, ImageSet test, SegmentationMetrics metrics, TrainConfig tc) {
    String status = rr.status().name().toLowerCase(Locale.ROOT);
    int n = test.size();
    Map<String, Double> macro = new LinkedHashMap<>();
    Map<String, double[]> per = new LinkedHashMap<>();
    double[] paired = new double[n];
    Arrays.fill(paired, Double.NaN);
    if (rr.model() == null) {
      for (Metric m : METRICS) {
        macro.put(m.key(), Double.NaN);
        per.put(m.key(), nan(n));
      }
      return new SeedRun(seed, status, rr.message(), rr.epochsRun(), 0, Double.NaN, rr.seconds(), macro, per, paired, Double.NaN, Double.NaN,
          Double.NaN, Double.NaN, nan(RECALL_GRID.length), rr.history());
    }
    float[][] probs = probabilities(rr.model(), test, tc);
    int h = test.height(), w = test.width();
    for (Metric m : METRICS) per.put(m.key(), new double[n]);
    for (int j = 0; j < n; j++) {
      ImageMetrics im = metrics.image(test.names().get(j), test.masks().get(j), probs[j], 0, new int[] {h, w}, "mask", "prediction");
      for (Metric m : METRICS) per.get(m.key())[j] = im.get(m);
      paired[j] = im.get(Metric.DICE);
    }
    for (Metric m : METRICS) macro.put(m.key(), nanMean(per.get(m.key())));
    float[][] masks = test.masks().toArray(new float[0][]);
    PrCurve pr = PrCurve.of(probs, masks);
    double[] bt = BestThreshold.of(probs, masks, metrics.emptyPolicy());
    return new SeedRun(seed, status, rr.message(), rr.epochsRun(), rr.bestEpoch(), rr.bestValDice(), rr.seconds(), macro, per, paired,
        pr.averagePrecision(), bt[1], bt[0], pr.bestF1(), interpolated(pr), rr.history());
  }

  /** Test-set probabilities of a saved model. */
  public static float[][] probabilities(Path model, ImageSet set, TrainConfig tc) {
    Engine engine = DjlRuntime.engine(tc.threads(), tc.interopThreads());
    try (NDManager manager = engine.newBaseManager(DjlRuntime.device(engine, tc.device()))) {
      UNet net = ModelFiles.loadModel(model, manager);
      return Inference.probabilities(net, set, Math.max(1, tc.batch()), manager);
    } catch (IOException e) {
      throw new UncheckedIOException(model + ": " + e.getMessage(), e);
    }
  }

  static LossOutcome aggregate(int index, String spec, String resolved, String slug, List<SeedRun> runs, int nTest) {
    Map<String, Stat> m = new LinkedHashMap<>();
    for (Metric metric : METRICS) m.put(metric.key(), Stat.of(runs.stream().mapToDouble(r -> r.macro().get(metric.key())).toArray()));
    Stat ap = Stat.of(runs.stream().mapToDouble(SeedRun::ap).toArray());
    Stat best = Stat.of(runs.stream().mapToDouble(SeedRun::bestDice).toArray());
    Stat bestT = Stat.of(runs.stream().mapToDouble(SeedRun::bestThreshold).toArray());
    double[] paired = new double[nTest];
    for (int j = 0; j < nTest; j++) {
      double[] v = new double[runs.size()];
      for (int r = 0; r < runs.size(); r++) v[r] = runs.get(r).pairedDice()[j];
      paired[j] = Stat.of(v).mean();
    }
    double[] pr = new double[RECALL_GRID.length];
    for (int g = 0; g < pr.length; g++) {
      double[] v = new double[runs.size()];
      for (int r = 0; r < runs.size(); r++) v[r] = runs.get(r).pr()[g];
      pr[g] = Stat.of(v).mean();
    }
    int epochs = runs.stream().mapToInt(r -> r.history().size()).max().orElse(0);
    double[] val = new double[epochs];
    for (int e = 0; e < epochs; e++) {
      final int ee = e;
      val[e] = Stat.of(runs.stream().filter(r -> r.history().size() > ee).mapToDouble(r -> r.history().get(ee).valDice()).toArray()).mean();
    }
    return new LossOutcome(index, spec, resolved, slug, List.copyOf(runs), m, ap, best, bestT, paired, pr, val, 0, null, Double.NaN, "failed");
  }

  /** Ranks by mean Dice, tests every ranked loss against the best, Holm-adjusts, assigns verdicts. */
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
      Wilcoxon.Result[] tests = new Wilcoxon.Result[ok.size()];
      double[] p = new double[ok.size()];
      p[0] = Double.NaN;
      for (int i = 1; i < ok.size(); i++) {
        tests[i] = Wilcoxon.test(ok.get(i).pairedDice(), best.pairedDice());
        p[i] = tests[i].p();
      }
      double[] holm = Wilcoxon.holm(p);
      out.add(best.withRanking(1, null, Double.NaN, "best"));
      for (int i = 1; i < ok.size(); i++) {
        String verdict = holm[i] >= ALPHA ? "within noise" : "worse";
        out.add(ok.get(i).withRanking(i + 1, tests[i], holm[i], verdict));
      }
    }
    for (LossOutcome f : failed) out.add(f.withRanking(0, null, Double.NaN, "failed"));
    return out;
  }

  /** The plain-language recommendation. */
  static String recommend(List<LossOutcome> ranked) {
    return recommend(ranked, -1);
  }

  /**
   * The plain recommendation; {@code testForeground} is the number of test images with foreground (-1:
   * unknown). Without any, the test Dice only counts false alarms, so no loss is recommended.
   */
  static String recommend(List<LossOutcome> ranked, long testForeground) {
    if (testForeground == 0) {
      return "No recommendation: no test image has foreground, so the test Dice only counts false alarms and cannot tell which loss"
          + " segments the objects best; add images with foreground to the test split (or check --mask-threshold).";
    }
    if (ranked.isEmpty() || ranked.get(0).rank() != 1) {
      return "No loss produced a usable model (every run diverged before finishing an epoch); try a lower --lr.";
    }
    LossOutcome best = ranked.get(0);
    List<String> close = new ArrayList<>();
    for (LossOutcome o : ranked) if ("within noise".equals(o.verdict())) close.add(o.spec());
    StringBuilder sb = new StringBuilder("Use ").append(best.spec());
    Stat d = best.metrics().get("dice");
    sb.append(Double.isNaN(d.std()) ? String.format(Locale.ROOT, " (test Dice %.3f)", d.mean())
        : String.format(Locale.ROOT, " (test Dice %.3f ± %.3f over %d seeds)", d.mean(), d.std(), d.n()));
    if (close.isEmpty()) {
      sb.append("; every other loss is significantly worse on the test images (paired Wilcoxon, Holm-adjusted p < ").append(ALPHA).append(").");
    } else {
      sb.append("; ").append(join(close)).append(close.size() == 1 ? " is" : " are").append(" within noise of it (paired Wilcoxon, Holm-adjusted p ≥ ")
          .append(ALPHA).append(").");
    }
    LossOutcome bestAp = ranked.stream().filter(o -> o.rank() > 0 && !Double.isNaN(o.auprc().mean()))
        .max((a, b) -> Double.compare(a.auprc().mean(), b.auprc().mean())).orElse(best);
    if (bestAp != best) {
      sb.append(String.format(Locale.ROOT, " Threshold-free, %s ranks its pixels best (AUPRC %.3f vs %.3f): with a tuned threshold it reaches Dice %.3f at t = %.2f.",
          bestAp.spec(), bestAp.auprc().mean(), best.auprc().mean(), bestAp.bestDice().mean(), bestAp.bestThreshold().mean()));
    }
    long failed = ranked.stream().filter(o -> o.rank() == 0).count();
    if (failed > 0) sb.append(" ").append(failed).append(failed == 1 ? " loss" : " losses").append(" failed (see the report).");
    return sb.toString();
  }

  private static String join(List<String> xs) {
    if (xs.size() == 1) return xs.get(0);
    return String.join(", ", xs.subList(0, xs.size() - 1)) + " and " + xs.get(xs.size() - 1);
  }

  /** Folder names: index and a filesystem-safe form of the spec, e.g. {@code 2-bce_w_pos_auto}. */
  static List<String> slugs(List<String> specs) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < specs.size(); i++) {
      String s = specs.get(i).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.]+", "_").replaceAll("^_+|_+$", "");
      if (s.length() > 48) s = s.substring(0, 48);
      out.add((i + 1) + "-" + s);
    }
    return out;
  }

  /** Interpolated precision (the largest precision at recall ≥ r) on {@link #RECALL_GRID}. */
  static double[] interpolated(PrCurve pr) {
    double[] r = pr.recall(), p = pr.precision();
    double[] out = new double[RECALL_GRID.length];
    if (r.length == 0 || Double.isNaN(r[0])) return nan(out.length);
    // suffix maximum of precision over increasing recall
    double[] sufMax = new double[r.length];
    double m = 0;
    for (int i = r.length - 1; i >= 0; i--) {
      m = Math.max(m, p[i]);
      sufMax[i] = m;
    }
    int j = 0;
    for (int g = 0; g < out.length; g++) {
      while (j < r.length && r[j] < RECALL_GRID[g] - 1e-12) j++;
      out[g] = j < r.length ? sufMax[j] : 0;
    }
    return out;
  }

  private static double[] grid(int n) {
    double[] g = new double[n];
    for (int i = 0; i < n; i++) g[i] = i / (double) (n - 1);
    return g;
  }

  private static double[] nan(int n) {
    double[] a = new double[n];
    Arrays.fill(a, Double.NaN);
    return a;
  }

  static double nanMean(double[] v) {
    double s = 0;
    int n = 0;
    for (double x : v) {
      if (!Double.isNaN(x)) {
        s += x;
        n++;
      }
    }
    return n == 0 ? Double.NaN : s / n;
  }

  private static String fmt(Double d) {
    return d == null || Double.isNaN(d) ? "-" : String.format(Locale.ROOT, "%.4f", d);
  }

  private static void say(PrintWriter err, String s) {
    if (err != null) {
      err.println(s);
      err.flush();
    }
  }
}
