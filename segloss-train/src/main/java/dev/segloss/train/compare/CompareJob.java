package dev.segloss.train.compare;

import dev.segloss.core.metrics.EmptyPolicy;
import dev.segloss.train.DjlRuntime;
import dev.segloss.train.LossSpecs;
import dev.segloss.train.OutputFiles;
import dev.segloss.train.Progress;
import dev.segloss.train.report.CompareReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code segloss compare}: trains one U-Net per loss, seed (and fold) on the same data, splits, initial
 * weights (seed k initialises every loss's network identically) and budget, evaluates each on its test
 * images, diagnoses each run and ranks the losses. Three stages:
 *
 * <ol>
 *   <li><b>plan</b> ({@link ComparePlan}, on the driver): load and split the data, resolve {@code auto}
 *       weights, measure a step, size the budget (and fit it into {@code --time}), print the plan; one
 *       serializable {@link RunSpec} per run;
 *   <li><b>execute</b> ({@link RunExecutor}): each run description gives a {@link RunOutcome} and its run
 *       folder — here one after another in this JVM (DJL trains one network per process at a time);
 *   <li><b>aggregate and report</b> ({@link Ranking}, {@link Advice}, {@link VolumeMetrics}, {@link
 *       OverlayData}): per-loss statistics, paired tests, verdicts, the recommendation and warnings, the
 *       overlay pictures' data; {@link CompareReport} then only renders the {@link CompareResult}.
 * </ol>
 *
 * <p><b>Outputs</b> in {@code --out} (refused when it exists and is not empty, unless {@code
 * --overwrite}; nothing is deleted): {@code report.html} (self-contained), {@code results.json}, {@code
 * results.csv}, {@code per_image.csv}, and {@code runs/<loss>/seed-<k>[/fold-<f>]/} with each run's model,
 * config and history (the per-epoch checkpoints are removed once a run has ended). Every file is written
 * atomically. The plan goes to stderr before training; the ranked table and the recommendation to stdout.
 */
public final class CompareJob {
  private CompareJob() {}

  /** Runs the comparison; progress to {@code err}, the table and recommendation to {@code out}. */
  public static CompareResult run(CompareConfig c, PrintWriter out, PrintWriter err) {
    return run(c, out, err, false);
  }

  /**
   * How the runs of a plan are executed: one after another in this JVM ({@link #SEQUENTIAL}), in child JVMs
   * ({@link LocalWorkers}), as Spark tasks (segloss-spark, through the CLI). Every way gives the same outcomes
   * for the same plan: a run is deterministic in its description (seed, data, threads).
   */
  public interface Executor {
    /**
     * Executes every run of {@code plan}, writing each run's folder under {@code plan.config().out()}, calls
     * {@code done} once per finished run (from any thread, one call at a time), and returns the outcomes in
     * plan order.
     *
     * @param live redraw progress in place (a terminal): each run's line ({@link #SEQUENTIAL}), one line for
     *     the runs training at once ({@link LocalWorkers}); an executor that cannot show progress ignores it
     */
    List<RunOutcome> execute(ComparePlan plan, PrintWriter err, boolean live, Done done);
  }

  /** Told when a run has finished. */
  @FunctionalInterface
  public interface Done {
    void finished(RunSpec run, RunOutcome outcome, double seconds);
  }

  /** The runs one after another in this JVM (DJL trains one network per process at a time). */
  public static final Executor SEQUENTIAL = (plan, err, live, done) -> {
    CompareConfig c = plan.config();
    List<RunOutcome> outcomes = new ArrayList<>();
    int total = plan.runs().size();
    for (RunSpec run : plan.runs()) {
      String prefix = String.format(Locale.ROOT, "[%d/%d] %s: ", run.index() + 1, total, run.label());
      long r0 = System.nanoTime();
      RunOutcome o = RunExecutor.execute(run, plan.images(), c.out(), c.overwrite(), new RunExecutor.Progress(err, prefix, live));
      outcomes.add(o);
      done.finished(run, o, (System.nanoTime() - r0) / 1e9);
    }
    return outcomes;
  };

  /**
   * The runs on this machine: one after another in this JVM ({@link #SEQUENTIAL}) when the plan has one
   * worker, else {@link LocalWorkers} with the plan's {@link ComparePlan#workers()}.
   */
  public static final Executor LOCAL = (plan, err, live, done) -> plan.workers() > 1
      ? new LocalWorkers(plan.workers()).execute(plan, err, live, done)
      : SEQUENTIAL.execute(plan, err, live, done);

  /**
   * Runs the comparison; with {@code live}, each run's progress line is redrawn in place on {@code err} (a
   * terminal), else one line per finished run is printed.
   */
  public static CompareResult run(CompareConfig c, PrintWriter out, PrintWriter err, boolean live) {
    return run(c, out, err, live, LOCAL);
  }

  /** Runs the comparison with its runs executed by {@code executor}. */
  public static CompareResult run(CompareConfig c, PrintWriter out, PrintWriter err, boolean live, Executor executor) {
    long t0 = System.nanoTime();
    for (String spec : c.losses()) LossSpecs.check(spec);
    EmptyPolicy.parse(c.emptyPolicy());
    DjlRuntime.device(DjlRuntime.engine(c.threads(), 1), c.device());
    OutputFiles.Output folder = OutputFiles.openOutputDir(c.out(), c.overwrite(), "--out"); // one writer per report folder
    try {
      CompareResult result = run(c, out, err, live, t0, executor);
      folder.close();
      return result;
    } catch (RuntimeException | Error e) {
      // bad data found after the folder was made: leave no empty folder behind (files are never removed)
      folder.abandon();
      throw e;
    }
  }

  /**
   * The time left when {@code finished} of {@code total} runs have ended after {@code elapsed} seconds on
   * {@code workers} workers: the pace so far, counting each run still in flight on another worker as half
   * done (a worker that has just finished a run finds the others, on average, half-way through theirs). One
   * worker: the plain pace; several: without that credit the first estimates would be up to W times too
   * long (the README's hippocampus comparison said 2 h 04 min left after its first run, and took 43 min).
   */
  static double secondsLeft(double elapsed, int finished, int total, int workers) {
    int remaining = total - finished;
    if (remaining <= 0) return 0;
    double inFlight = Math.min(Math.max(0, workers - 1), remaining);
    double done = finished + inFlight / 2;
    return elapsed / done * (total - done);
  }

  /**
   * What {@code compare --dry-run} does: every check made before training (specs, policy, device, the data
   * and its split or folds, {@code auto} weights) and the printed plan with its time estimate from a
   * measured step ({@link ComparePlan#make}); nothing is trained and nothing is written (no report folder).
   */
  public static ComparePlan dryRun(CompareConfig c, PrintWriter err) {
    for (String spec : c.losses()) LossSpecs.check(spec);
    EmptyPolicy.parse(c.emptyPolicy());
    DjlRuntime.device(DjlRuntime.engine(c.threads(), 1), c.device());
    return ComparePlan.make(c, err);
  }

  private static CompareResult run(CompareConfig c, PrintWriter out, PrintWriter err, boolean live, long t0, Executor executor) {
    ComparePlan plan = ComparePlan.make(c, err);
    int total = plan.runs().size();
    long start = System.nanoTime();
    int[] finished = {0};
    List<RunOutcome> outcomes = executor.execute(plan, err, live, (run, o, took) -> {
      int k = ++finished[0];
      double eta = secondsLeft((System.nanoTime() - start) / 1e9, k, total, executor == SEQUENTIAL ? 1 : plan.workers());
      String prefix = String.format(Locale.ROOT, "[%d/%d] %s: ", run.index() + 1, total, run.label());
      say(err, String.format(Locale.ROOT, "%s%s; test dice %s, AUPRC %s; %s (%s; %s left)", prefix, o.message(), fmt(o.macro().get("dice")), fmt(o.ap()),
          o.diagnosis().kind().label(), Progress.duration(took), Progress.duration(eta)));
    });
    CompareResult result = aggregate(plan, outcomes, (System.nanoTime() - t0) / 1e9);
    result = result.withOverlays(OverlayData.compute(result.ranking(), plan, c.out()));
    try {
      CompareReport.write(result, c.out());
    } catch (IOException e) {
      throw new UncheckedIOException("--out " + c.out() + ": " + e.getMessage(), e);
    }
    out.println(CompareReport.table(result));
    String volumes = CompareReport.volumeTable(result);
    if (!volumes.isEmpty()) {
      out.println();
      out.println(volumes);
    }
    out.println();
    out.println(result.recommendation());
    out.flush();
    if (!result.winner() && !result.adviceWarnings().isEmpty()) {
      for (String w : result.adviceWarnings().subList(1, result.adviceWarnings().size())) say(err, "warning: " + w);
    }
    say(err, String.format(Locale.ROOT, "report: %s (%s in all; estimated %s)", c.out().resolve("report.html"), Progress.duration(result.seconds()),
        Progress.duration(plan.estimate())));
    if (!plan.data().skipped().isEmpty()) {
      StringBuilder sb = new StringBuilder("skipped " + plan.data().skipped().size() + " unreadable file(s):");
      for (String f : plan.data().skipped()) sb.append(System.lineSeparator()).append("  ").append(f);
      say(err, sb.toString());
    }
    return result;
  }

  /** Aggregates the runs of a plan: per-loss statistics, ranking, verdicts, volumes, recommendation. */
  static CompareResult aggregate(ComparePlan plan, List<RunOutcome> outcomes, double seconds) {
    CompareConfig c = plan.config();
    int nTest = plan.testImages().size();
    List<LossOutcome> losses = new ArrayList<>();
    VolumeMetrics.Layout layout = plan.volumeLayout();
    for (int i = 0; i < c.losses().size(); i++) {
      final int li = i;
      List<RunOutcome> runs = outcomes.stream().filter(o -> o.lossIndex() == li).toList();
      List<String> resolved = plan.resolved().get(i).stream().map(LossSpecs.Resolved::resolved).toList();
      LossOutcome o = Ranking.aggregate(i, c.losses().get(i), resolved, plan.slugs().get(i), runs, nTest);
      if (layout != null) o = o.withVolumes(VolumeMetrics.of(runs, layout));
      losses.add(o);
    }
    List<LossOutcome> ranked = Ranking.rank(losses);
    long testForeground = plan.testMasks().stream().filter(CompareJob::hasForeground).count();
    int minTrain = plan.folds().stream().mapToInt(f -> f.train().size()).min().orElse(0);
    long updates = plan.lengths().stream().mapToLong(Budget.Length::updates).max().orElse(0);
    Advice advice = Advice.of(ranked, new Advice.Context(testForeground, updates, plan.timing().stepSeconds(), minTrain, c.threshold(),
        plan.folds().size()));
    List<String> adviceWarnings = new ArrayList<>(advice.warnings());
    Power power = Ranking.powerOf(ranked);
    if (!power.enough() && advice.winner()) adviceWarnings.add(power.statement());
    if (c.timeLimit() > 0 && seconds > c.timeLimit()) {
      // the plan was fitted to the estimate; the runs are not cut short, so a slower machine overruns
      adviceWarnings.add(String.format(Locale.ROOT, "the runs took %s against --time %s (estimated %s from a step measured at %.3f s; the"
          + " machine was slower than measured, e.g. busy with other work)", Progress.duration(seconds), Progress.duration(c.timeLimit()),
          Progress.duration(plan.estimate()), plan.timing().stepSeconds()));
    }
    CompareResult.BudgetInfo budget = new CompareResult.BudgetInfo(plan.budgetSource(), plan.length(), plan.inEpochs() ? "epochs" : "updates", c.batch(),
        plan.lengths(), plan.patch(), plan.patchReason(), plan.splitReason(), plan.folds().size(), plan.seeds(), plan.runs().size(),
        plan.timing().stepSeconds(), plan.timing().forwardSecondsPerImage(), plan.estimate(), seconds, c.timeLimit(), plan.fitted(), plan.workers());
    return new CompareResult(c, plan.data().summary(), plan.data().spec(), budget, plan.testImages(), ranked, advice.text(), advice.winner(), power,
        seconds, plan.data().warnings(), adviceWarnings, plan.data().skipped(), List.of(), RunExecutor.RECALL_GRID.clone(), Ranking.ALPHA);
  }

  private static boolean hasForeground(float[] m) {
    for (float v : m) if (v >= 0.5f) return true;
    return false;
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
