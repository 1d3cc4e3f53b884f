package dev.segloss.train.compare;

import dev.segloss.core.InvalidInputException;
import dev.segloss.train.LossSpecs;
import dev.segloss.train.Progress;
import dev.segloss.train.TrainConfig;
import dev.segloss.data.Datasets;
import dev.segloss.data.Folds;
import dev.segloss.data.Pool;
import dev.segloss.data.Sample;
import dev.segloss.data.SegDataset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The driver's half of a comparison: the data loaded and split (a single split or grouped folds), the
 * {@code auto} weights resolved from each split's training masks, the budget turned into each run's
 * length, the time estimated from a measured step (and fitted into {@code --time}), and one {@link
 * RunSpec} per (loss, seed, fold). The runs can then be executed anywhere ({@link RunExecutor}); {@link
 * CompareJob} executes them in order.
 *
 * <p><b>Estimate.</b> A run costs its updates × the measured step, plus per epoch the validation images ×
 * the measured forward time per image and {@value #EPOCH_OVERHEAD} s of bookkeeping (the best model and the
 * checkpoint written to disk), plus the test images × the forward time and {@value #RUN_OVERHEAD} s (network
 * set-up, test metrics, the run's files). The two overheads were measured on the hippocampus and synthetic
 * defaults (docs/BENCHMARKS.md).
 */
public final class ComparePlan {
  /** Seconds of bookkeeping per epoch in the estimate. */
  public static final double EPOCH_OVERHEAD = 0.05;
  /** Seconds of set-up and evaluation per run in the estimate, besides the forward passes. */
  public static final double RUN_OVERHEAD = 1.0;

  /** One split of the data: fold 0 is the single split, 1..K the cross-validation folds (the tested one). */
  public record Fold(int number, List<Sample> train, List<Sample> val, List<Sample> test) {}

  private final CompareConfig config;
  private final SegDataset data;
  private final List<Fold> folds;
  private final String split;
  private final int seeds;
  private final String budgetSource;
  private final long length;
  private final boolean inEpochs;
  private final List<Budget.Length> lengths;
  private final int[] patch;
  private final String patchReason;
  private final StepTimer.Timing timing;
  private final double estimate;
  private final List<String> fitted;
  private final List<String> testImages;
  private final List<float[]> testMasks;
  private final List<List<LossSpecs.Resolved>> resolved;
  private final List<String> slugs;
  private final List<RunSpec> runs;
  private final Map<String, Sample> images;
  private final int workers;

  private ComparePlan(CompareConfig config, SegDataset data, List<Fold> folds, String split, int seeds, String budgetSource, long length,
      boolean inEpochs, List<Budget.Length> lengths, int[] patch, String patchReason, StepTimer.Timing timing, double estimate, List<String> fitted,
      List<String> testImages, List<float[]> testMasks, List<List<LossSpecs.Resolved>> resolved, List<String> slugs, List<RunSpec> runs,
      Map<String, Sample> images, int workers) {
    this.workers = workers;
    this.config = config;
    this.data = data;
    this.folds = folds;
    this.split = split;
    this.seeds = seeds;
    this.budgetSource = budgetSource;
    this.length = length;
    this.inEpochs = inEpochs;
    this.lengths = lengths;
    this.patch = patch;
    this.patchReason = patchReason;
    this.timing = timing;
    this.estimate = estimate;
    this.fitted = fitted;
    this.testImages = testImages;
    this.testMasks = testMasks;
    this.resolved = resolved;
    this.slugs = slugs;
    this.runs = runs;
    this.images = images;
  }

  /**
   * Loads and splits the data, resolves the losses, measures a step, sizes the runs; then prints the data
   * summary, the resolved losses and the plan to {@code err} (nothing when the plan is refused).
   */
  public static ComparePlan make(CompareConfig c, java.io.PrintWriter err) {
    TrainConfig probe = c.probe();
    SegDataset ds = Datasets.load(c.data(), probe.loadOptions());
    // printed once the plan stands: a plan refused (e.g. by --time) is one line
    List<String> said = new ArrayList<>();
    said.add(ds.summary());
    for (String w : ds.warnings()) said.add("warning: " + w);
    if (ds.test().isEmpty()) throw new InvalidInputException("--data " + c.data() + ": the test split is empty; compare evaluates on held-out test images");
    if (ds.val().isEmpty()) throw new InvalidInputException("--data " + c.data() + ": the validation split is empty");

    // folds: asked, or by the size of the single split's training part
    int k;
    String why;
    if (c.folds() > 0) {
      k = c.folds();
      why = k == 1 ? "--folds 1" : "--folds " + k;
    } else if (ds.pool().predefined()) {
      k = 1;
      why = "default for data that come in train/val/test parts: they are kept (--folds K deals them anew)";
    } else if (ds.train().size() < CompareConfig.SMALL_DATA) {
      k = CompareConfig.DEFAULT_FOLDS;
      why = String.format(Locale.ROOT, "default for small data: a single split would train on %d < %d images and test on only %d", ds.train().size(),
          CompareConfig.SMALL_DATA, ds.test().size());
    } else {
      k = 1;
      why = String.format(Locale.ROOT, "default: %d training images (folds are the default below %d)", ds.train().size(), CompareConfig.SMALL_DATA);
    }
    int seeds = c.seeds() > 0 ? c.seeds() : k > 1 ? 1 : CompareConfig.DEFAULT_SEEDS;

    // patches
    int[] asked = CompareConfig.parsePatch(c.patch());
    int[] patch;
    String patchReason;
    double fg = ds.foregroundFraction(dev.segloss.data.Split.TRAIN);
    if (asked[0] < 0) {
      int[] auto = CompareConfig.parsePatch(CompareConfig.AUTO_PATCH);
      if (fg < CompareConfig.PATCH_FOREGROUND_LIMIT && (ds.height() > auto[0] || ds.width() > auto[1])) {
        patch = auto;
        patchReason = String.format(Locale.ROOT, "--patch auto: the foreground fills %.2f %% of the training pixels (< %.0f %%)", 100 * fg,
            100 * CompareConfig.PATCH_FOREGROUND_LIMIT);
      } else {
        patch = new int[] {0, 0};
        patchReason = fg >= CompareConfig.PATCH_FOREGROUND_LIMIT
            ? String.format(Locale.ROOT, "--patch auto: whole images (the foreground fills %.2f %% of the training pixels)", 100 * fg)
            : "--patch auto: whole images (no larger than a patch)";
      }
    } else {
      patch = asked;
      patchReason = asked[0] == 0 ? "--patch off" : "--patch " + asked[0] + "x" + asked[1];
    }
    int trainH = patch[0] > 0 ? Math.min(patch[0], ds.height()) : ds.height();
    int trainW = patch[0] > 0 ? Math.min(patch[1], ds.width()) : ds.width();
    if (patch[0] > 0) {
      int m = probe.unet().sizeMultiple();
      if (patch[0] % m != 0 || patch[1] % m != 0) {
        throw new InvalidInputException("--patch: " + patch[0] + "x" + patch[1] + " is not a multiple of " + m + " (a U-Net of depth " + c.depth()
            + " halves each side " + c.depth() + " times)");
      }
    }

    boolean inEpochs = c.epochs() > 0;
    long length = inEpochs ? c.epochs() : c.updates() > 0 ? c.updates() : Budget.DEFAULT_UPDATES;
    String source = inEpochs ? "--epochs " + c.epochs() : c.updates() > 0 ? "--updates " + c.updates() : "default";
    StepTimer.Timing timing = StepTimer.measure(probe, trainH, trainW, ds.height(), ds.width());
    int nLosses = c.losses().size();
    java.util.function.IntFunction<List<Fold>> foldsOf = kk -> kk == 1 ? List.of(new Fold(0, ds.train(), ds.val(), ds.test())) : folds(ds, kk, probe);
    java.util.Map<Integer, List<Fold>> cache = new java.util.HashMap<>();
    TimeFit.Cost cost = (len, s, kk) -> {
      List<Fold> fs;
      try {
        fs = cache.computeIfAbsent(kk, foldsOf::apply);
      } catch (InvalidInputException e) {
        return Double.POSITIVE_INFINITY; // these folds cannot be dealt (too few groups): not a plan --time may choose
      }
      return Workers.choose(runsSeconds(fs, inEpochs, len, nLosses * s, c.batch(), timing), c.workers(), c.threads())[1];
    };
    cache.put(k, foldsOf.apply(k)); // the asked split first: a split that cannot be made is refused as such
    List<String> fitted = List.of();
    if (c.timeLimit() > 0) {
      TimeFit.Result r = TimeFit.fit(length, seeds, k, inEpochs ? "epochs" : "updates", c.timeLimit(), cost);
      if (r.folds() != k) why = why + "; " + r.changes().get(r.changes().size() - 1) + " to fit --time";
      length = r.length();
      seeds = r.seeds();
      k = r.folds();
      fitted = r.changes();
    }
    List<Fold> folds = cache.computeIfAbsent(k, foldsOf::apply);
    double[] chosen = Workers.choose(runsSeconds(folds, inEpochs, length, nLosses * seeds, c.batch(), timing), c.workers(), c.threads());
    double estimate = chosen[1];
    int workers = (int) chosen[0];

    // the comparison's test images: the single split's, or every image once (by fold)
    List<String> testImages = new ArrayList<>();
    List<float[]> testMasks = new ArrayList<>();
    java.util.Map<String, Integer> testPos = new java.util.HashMap<>();
    for (Fold f : folds) {
      for (Sample s : f.test()) {
        testPos.put(s.name(), testImages.size());
        testImages.add(s.name());
        testMasks.add(s.mask());
      }
    }
    List<String> slugs = slugs(c.losses());
    List<List<LossSpecs.Resolved>> resolved = new ArrayList<>();
    for (String spec : c.losses()) {
      List<LossSpecs.Resolved> perFold = new ArrayList<>();
      for (Fold f : folds) perFold.add(LossSpecs.resolve(spec, f.train(), c.weights()));
      resolved.add(perFold);
      LossSpecs.Resolved r0 = perFold.get(0);
      said.add(String.format(Locale.ROOT, "loss %-40s → %s%s%s", spec, r0.resolved(), folds.size() > 1 ? " (fold 1)" : "",
          r0.note().isEmpty() ? "" : "  (" + r0.note() + ")"));
    }
    List<Budget.Length> lengths = new ArrayList<>();
    for (Fold f : folds) lengths.add(length(inEpochs, length, f, c.batch()));
    boolean volumes = !ds.pool().volumes().isEmpty();
    List<RunSpec> runs = new ArrayList<>();
    for (int s = 1; s <= seeds; s++) {
      for (int fi = 0; fi < folds.size(); fi++) {
        Fold f = folds.get(fi);
        int[] idx = f.test().stream().mapToInt(x -> testPos.get(x.name())).toArray();
        for (int i = 0; i < nLosses; i++) {
          LossSpecs.Resolved r = resolved.get(i).get(fi);
          TrainConfig tc = c.trainConfig(c.losses().get(i), r.resolved(), r.foreground(), s, ds.spec(), lengths.get(fi), patch);
          String dir = "runs/" + slugs.get(i) + "/seed-" + s + (f.number() > 0 ? "/fold-" + f.number() : "");
          runs.add(new RunSpec(runs.size(), i, c.losses().get(i), s, f.number(), dir, tc, names(f.train()), names(f.val()), names(f.test()), idx,
              volumes));
        }
      }
    }
    ComparePlan plan = new ComparePlan(c, ds, folds, why, seeds, source, length, inEpochs, lengths, patch, patchReason, timing, estimate, fitted,
        testImages, testMasks, resolved, slugs, runs, RunExecutor.byName(ds.pool().images()), workers);
    said.addAll(plan.describe());
    for (String line : said) say(err, line);
    return plan;
  }

  /** The run length of a split for a budget of {@code len} updates (or epochs). */
  static Budget.Length length(boolean inEpochs, long len, Fold f, int batch) {
    int steps = Budget.stepsPerPass(f.train().size(), batch);
    return inEpochs ? Budget.fromEpochs((int) len, steps) : Budget.fromUpdates(len, steps);
  }

  /**
   * Every run's estimated seconds alone ({@link #runSeconds}): {@code perFold} runs (losses × seeds) on
   * each split, for a budget of {@code len} updates (or epochs); {@link Workers} turns them into wall time.
   */
  static double[] runsSeconds(List<Fold> folds, boolean inEpochs, long len, int perFold, int batch, StepTimer.Timing timing) {
    double[] each = new double[folds.size() * perFold];
    int at = 0;
    for (Fold f : folds) {
      double one = runSeconds(length(inEpochs, len, f, batch), f, timing);
      for (int r = 0; r < perFold; r++) each[at++] = one;
    }
    return each;
  }

  /** Estimated seconds of one run of this length on this split. */
  static double runSeconds(Budget.Length len, Fold f, StepTimer.Timing t) {
    return len.updates() * t.stepSeconds() + len.epochs() * (f.val().size() * t.forwardSecondsPerImage() + EPOCH_OVERHEAD)
        + f.test().size() * t.forwardSecondsPerImage() + RUN_OVERHEAD;
  }

  /** Grouped cross-validation folds of the data set ({@link Folds}, dealt with the split seed). */
  static List<Fold> folds(SegDataset ds, int k, TrainConfig probe) {
    List<Fold> out = new ArrayList<>();
    for (Folds.Fold f : Folds.of(ds.pool(), k, probe.splitSeed())) out.add(new Fold(f.number(), f.train(), f.val(), f.test()));
    return out;
  }

  /** The plan in a few lines, as printed before training. */
  public List<String> describe() {
    List<String> out = new ArrayList<>();
    Fold f0 = folds.get(0);
    int imgs = data.train().size() + data.val().size() + data.test().size();
    if (folds.size() == 1) {
      out.add(String.format(Locale.ROOT, "split: a single split, %d train / %d val / %d test images (%s)", f0.train().size(), f0.val().size(),
          f0.test().size(), split));
    } else {
      out.add(String.format(Locale.ROOT, "split: %d-fold cross-validation of %d images in groups of %s, every image tested once, %s (%s)", folds.size(),
          testImages.size(), data.pool().unit(), range(folds.stream().mapToInt(f -> f.train().size()).toArray()) + " train / "
              + range(folds.stream().mapToInt(f -> f.val().size()).toArray()) + " val / " + range(folds.stream().mapToInt(f -> f.test().size()).toArray())
              + " test per fold", split));
    }
    // one phrase per distinct (epochs, steps per epoch), the folds' steps per pass as a range
    java.util.Map<String, List<Budget.Length>> byShape = new java.util.LinkedHashMap<>();
    for (Budget.Length l : lengths) byShape.computeIfAbsent(l.epochs() + "x" + l.stepsPerEpoch() + "x" + (l.epochSteps() > 0), x -> new ArrayList<>()).add(l);
    List<String> phrases = new ArrayList<>();
    for (List<Budget.Length> group : byShape.values()) {
      Budget.Length l = group.get(0);
      String p = String.format(Locale.ROOT, "%d epoch%s of %d step%s", l.epochs(), l.epochs() == 1 ? "" : "s", l.stepsPerEpoch(),
          l.stepsPerEpoch() == 1 ? "" : "s");
      if (l.epochSteps() > 0) p += " (" + range(group.stream().mapToInt(Budget.Length::stepsPerPass).distinct().sorted().toArray()) + " per pass over the training images)";
      phrases.add(p);
    }
    String len = String.join(" / ", phrases);
    String upd = range(lengths.stream().mapToLong(Budget.Length::updates).toArray());
    out.add(String.format(Locale.ROOT, "budget: %s updates per run = %s, batch %d%s (%s%s)", upd, len, config.batch(),
        patch[0] > 0 ? ", patches of " + patch[0] + "x" + patch[1] : "", "default".equals(budgetSource) ? "default: " + Budget.DEFAULT_UPDATES + " updates"
            : budgetSource,
        patch[0] > 0 || !"auto".equals(config.patch()) ? "; " + patchReason : ""));
    out.add(String.format(Locale.ROOT, "runs: %d loss%s × %d seed%s%s = %d, %s (%s)", config.losses().size(), config.losses().size() == 1 ? "" : "es", seeds,
        seeds == 1 ? "" : "s", folds.size() > 1 ? " × " + folds.size() + " folds" : "", runs.size(),
        workers == 1 ? "one after another" : workers + " at once in worker JVMs", Workers.reason(config.workers(), workers, config.threads(), runs.size())));
    out.add(String.format(Locale.ROOT, "time: a step measured at %.3f s (%dx%d, batch %d, %d thread%s), inference %.1f ms per image; about %s per run%s, %s in all%s",
        timing.stepSeconds(), patch[0] > 0 ? Math.min(patch[0], data.height()) : data.height(), patch[0] > 0 ? Math.min(patch[1], data.width()) : data.width(),
        config.batch(), config.threads(), config.threads() == 1 ? "" : "s", timing.forwardSecondsPerImage() * 1000,
        Progress.duration(runSeconds(lengths.get(0), folds.get(0), timing)), workers > 1 ? " alone" : "", Progress.duration(estimate),
        config.timeLimit() > 0 ? " (--time " + Progress.duration(config.timeLimit()) + (fitted.isEmpty() ? ")" : "; fitted: " + String.join(", ", fitted) + ")") : ""));
    return out;
  }

  private static String range(int[] v) {
    int lo = java.util.Arrays.stream(v).min().orElse(0), hi = java.util.Arrays.stream(v).max().orElse(0);
    return lo == hi ? Integer.toString(lo) : lo + "-" + hi;
  }

  private static String range(long[] v) {
    long lo = java.util.Arrays.stream(v).min().orElse(0), hi = java.util.Arrays.stream(v).max().orElse(0);
    return lo == hi ? Long.toString(lo) : lo + "-" + hi;
  }

  private static List<String> names(List<Sample> xs) {
    return xs.stream().map(Sample::name).toList();
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

  private static void say(java.io.PrintWriter err, String s) {
    if (err != null) {
      err.println(s);
      err.flush();
    }
  }

  public CompareConfig config() {
    return config;
  }

  public SegDataset data() {
    return data;
  }

  public List<Fold> folds() {
    return folds;
  }

  /** Why the data are split as they are. */
  public String splitReason() {
    return split;
  }

  public int seeds() {
    return seeds;
  }

  /** Where the budget came from: {@code default}, {@code --updates N} or {@code --epochs N}. */
  public String budgetSource() {
    return budgetSource;
  }

  /** The budget per run after any fitting: updates, or epochs when {@link #inEpochs()}. */
  public long length() {
    return length;
  }

  public boolean inEpochs() {
    return inEpochs;
  }

  /** Each split's run length (one per fold). */
  public List<Budget.Length> lengths() {
    return lengths;
  }

  /** Patch size {h, w} used for training, {0, 0} for whole images. */
  public int[] patch() {
    return patch.clone();
  }

  public String patchReason() {
    return patchReason;
  }

  public StepTimer.Timing timing() {
    return timing;
  }

  /** Estimated seconds of all runs (on {@link #workers()} workers). */
  public double estimate() {
    return estimate;
  }

  /** Trainings at once ({@code --workers}, resolved by {@link Workers}). */
  public int workers() {
    return workers;
  }

  /** What {@code --time} reduced; empty when nothing was. */
  public List<String> fitted() {
    return fitted;
  }

  /** Where the test images lie in their volumes, for per-volume 3-D metrics; null unless the data are volumes. */
  public VolumeMetrics.Layout volumeLayout() {
    Pool pool = data.pool();
    if (pool.volumes().isEmpty()) return null;
    Map<String, Integer> at = new java.util.HashMap<>();
    for (int i = 0; i < pool.images().size(); i++) at.put(pool.images().get(i).name(), i);
    int n = testImages.size();
    int[] volumeOf = new int[n], sliceOf = new int[n];
    for (int j = 0; j < n; j++) {
      Integer i = at.get(testImages.get(j));
      volumeOf[j] = i == null ? -1 : pool.volume()[i];
      sliceOf[j] = i == null ? -1 : pool.images().get(i).slice();
    }
    return new VolumeMetrics.Layout(pool.volumes().stream().map(Pool.Volume::name).toList(),
        pool.volumes().stream().map(Pool.Volume::spacing).toList(), volumeOf, sliceOf, testMasks, data.height(), data.width());
  }

  /** The comparison's test images, in the order of every per-image array. */
  public List<String> testImages() {
    return testImages;
  }

  /** Their true masks. */
  public List<float[]> testMasks() {
    return testMasks;
  }

  /** Per loss, per fold: the resolved spec. */
  public List<List<LossSpecs.Resolved>> resolved() {
    return resolved;
  }

  public List<String> slugs() {
    return slugs;
  }

  public List<RunSpec> runs() {
    return runs;
  }

  /** Every image of the data set by name (for {@link RunExecutor#execute}). */
  public Map<String, Sample> images() {
    return images;
  }
}
