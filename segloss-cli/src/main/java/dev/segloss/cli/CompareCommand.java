package dev.segloss.cli;

import dev.segloss.train.Progress;
import dev.segloss.train.compare.CompareConfig;
import dev.segloss.train.compare.Budget;
import dev.segloss.train.compare.CompareJob;
import dev.segloss.train.compare.TimeFit;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code segloss compare}: one U-Net per loss and seed, evaluated on held-out test images and ranked. */
@Command(
    name = "compare",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpWidth = 100,
    description = {
      "Which loss for my binary segmentation? Trains and ranks one U-Net per loss.",
      "",
      "One U-Net per loss, seed (and fold) on the same data, splits, initial weights and budget; each is",
      "evaluated on its held-out test images (dice, iou, precision, recall, hd95; AUPRC and the Dice at",
      "the best threshold). Losses are ranked by mean Dice and each is tested against the best (paired",
      "Wilcoxon signed-rank over test images, Holm-adjusted) to say which are within noise. Writes",
      "report.html (self-contained), results.json, results.csv, per_image.csv and runs/; prints the",
      "ranked table and a recommendation. Every run is diagnosed (converged, under-trained, collapsed,",
      "diverged); when the leading losses have not learned, no winner is declared and the",
      "recommendation says what to change. Before training it prints the plan: split, budget, runs and",
      "the time estimated from a measured step. With no arguments: the seven default losses on the",
      "built-in synthetic data, in under ten minutes on two CPU cores."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  ./segloss compare",
      "  ./segloss compare --data data/ --losses 'bce(w_pos=auto); dice; focal(alpha=0.25)' \\",
      "      --seeds 5 --updates 2000 --time 1h",
      "  ./segloss compare --data 'nifti:image=T1.nii.gz,labels=atlas.nii.gz,label=17+53' \\",
      "      --out reports/hippocampus",
      "  ./segloss compare --workers 1                      # one training at a time, in this JVM",
      "  ./segloss compare --spark 'local-cluster[2,1,2048]' --out reports/on-spark   # docs/SPARK.md",
      "",
      "Default losses: " + "bce; bce(w_pos=auto); dice; combined(dice_weight=0.5, w_pos=auto); focal;",
      "  tversky(alpha=0.3, beta=0.7); lovasz"
    })
public final class CompareCommand extends SeglossCommand {
  @Option(names = "--data", paramLabel = "D", defaultValue = CompareConfig.DEFAULT_DATA,
      description = "synthetic[:options] | DIR | nifti:... (default ${DEFAULT-VALUE}).")
  String data;

  @Option(names = "--losses", paramLabel = "\"SPEC; SPEC; ...\"", description = "Loss specs separated by semicolons (default: the seven above).")
  String losses;

  @Option(names = "--seeds", paramLabel = "N", description = "Training runs per loss (and fold), seeds 1..N (default "
      + CompareConfig.DEFAULT_SEEDS + " for a single split, 1 with folds).")
  Integer seeds;

  @Option(names = "--updates", paramLabel = "N", description = "Parameter updates per run (default " + Budget.DEFAULT_UPDATES
      + "; epochs follow from the training images per batch).")
  Integer updates;

  @Option(names = "--epochs", paramLabel = "N", description = "Epochs per run instead of --updates (exclusive).")
  Integer epochs;

  @Option(names = "--time", paramLabel = "DURATION", description = "Cap on the whole comparison, e.g. 30m, 1h30m: fewer updates, then"
      + " fewer seeds and folds, or a refusal with the time it needs.")
  String time;

  @Option(names = "--folds", paramLabel = "K", description = "Grouped K-fold cross-validation (3.." + CompareConfig.MAX_FOLDS
      + "; 1: a single split; default " + CompareConfig.DEFAULT_FOLDS + " when a single split has fewer than " + CompareConfig.SMALL_DATA
      + " training images).")
  Integer folds;

  @Option(names = "--patch", paramLabel = "auto|off|HxW", defaultValue = CompareConfig.DEFAULT_PATCH, description = "Train on patches (a third of each"
      + " batch centred on foreground) and infer on whole images; auto: " + CompareConfig.AUTO_PATCH + " when the foreground is under 1 %%"
      + " of the pixels (default ${DEFAULT-VALUE}).")
  String patch;

  @Option(names = "--out", paramLabel = "reports/NAME", description = "Output folder (default reports/compare-<date>-<time>; an existing non-empty one is refused unless --overwrite).")
  Path out;

  @Option(names = "--batch", paramLabel = "B", defaultValue = "" + CompareConfig.DEFAULT_BATCH, description = "Batch size (default ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--lr", paramLabel = "LR", defaultValue = "" + CompareConfig.DEFAULT_LR, description = "Adam learning rate (default ${DEFAULT-VALUE}).")
  double lr;

  @Option(names = "--depth", paramLabel = "D", defaultValue = "" + CompareConfig.DEFAULT_DEPTH, description = "U-Net depth (default ${DEFAULT-VALUE}).")
  int depth;

  @Option(names = "--width", paramLabel = "W", defaultValue = "" + CompareConfig.DEFAULT_WIDTH, description = "U-Net base width (default ${DEFAULT-VALUE}).")
  int width;

  @Option(names = "--patience", paramLabel = "N", defaultValue = "" + CompareConfig.DEFAULT_PATIENCE, description = "Early-stopping patience; 0 = never (default ${DEFAULT-VALUE}).")
  int patience;

  @Option(names = "--weights", paramLabel = "METHOD", defaultValue = "inverse", description = "Method for w_pos=auto / w_neg=auto (default ${DEFAULT-VALUE}).")
  String weights;

  @Option(names = "--threshold", paramLabel = "T", defaultValue = "0.5", description = "Threshold of the metrics (default ${DEFAULT-VALUE}).")
  double threshold;

  @Option(names = "--empty", paramLabel = "POLICY", defaultValue = "nan", description = "Empty policy of the metrics: nan | nan_if_truth_empty | one | zero (default ${DEFAULT-VALUE}).")
  String empty;

  @Option(names = "--split-seed", paramLabel = "S", defaultValue = "7", description = "Seed of the train/val/test split (default ${DEFAULT-VALUE}).")
  long splitSeed;

  @Option(names = "--mask-threshold", paramLabel = "T", defaultValue = "0", description = "Mask images: raw value > T is foreground (default ${DEFAULT-VALUE}).")
  double maskThreshold;

  @Option(names = "--skip-bad", description = "Skip unreadable images (listed) instead of stopping.")
  boolean skipBad;

  @Option(names = "--no-augment", description = "No augmentation.")
  boolean noAugment;

  @Option(names = "--threads", paramLabel = "N", defaultValue = "" + CompareConfig.DEFAULT_THREADS,
      description = "PyTorch intra-op threads per training (default ${DEFAULT-VALUE}: measured fastest on a shared 2-core machine, docs/BENCHMARKS.md).")
  int threads;

  @Option(names = "--device", paramLabel = "cpu|gpu[:N]|auto", defaultValue = "auto", description = "Device (default ${DEFAULT-VALUE}).")
  String device;

  @Option(names = "--overwrite", description = "Allow an existing, non-empty --out (files of the same names are replaced; nothing is deleted).")
  boolean overwrite;

  @Option(names = "--dry-run", description = "Check everything and print the plan (data, budget, runs, estimated time from a measured step); train nothing, write nothing.")
  boolean dryRun;

  @Option(names = "--workers", paramLabel = "auto|N", defaultValue = "auto",
      description = "Trainings at once, each in its own JVM with --threads PyTorch threads; 1: one after another in this JVM (default ${DEFAULT-VALUE}:"
          + " cores / --threads, at most the runs, one per 2 GiB of memory). The results are the same for any number of workers.")
  String workers;

  @Mixin ClusterOption cluster;

  @Override
  public Integer call() {
    choice("--weights", weights, dev.segloss.core.weights.WeightMethod::parse);
    choice("--empty", empty, dev.segloss.core.metrics.EmptyPolicy::parse);
    Path dir = out != null ? out : Path.of("reports", "compare-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    CompareConfig.Builder b = CompareConfig.builder().data(data).seeds(seeds == null ? 0 : positive("--seeds", seeds))
        .updates(updates == null ? 0 : positive("--updates", updates)).epochs(epochs == null ? 0 : positive("--epochs", epochs))
        .timeLimit(time == null ? 0 : TimeFit.parseDuration(time)).folds(folds == null ? 0 : positive("--folds", folds)).patch(patch)
        .batch(batch).lr(lr).depth(depth).width(width)
        .patience(patience).weights(weights).threshold(threshold).emptyPolicy(empty).splitSeed(splitSeed).maskThreshold(maskThreshold)
        .skipBad(skipBad).augment(!noAugment).threads(threads).device(device).out(dir).overwrite(overwrite);
    if (losses != null) b.losses(CompareConfig.parseLosses(losses));
    cluster.checkLocal();
    int nWorkers = dev.segloss.train.compare.Workers.parse(workers);
    if (cluster.given() && nWorkers > 0) {
      throw new dev.segloss.core.InvalidInputException("--workers: applies to a local run; with --spark the executors run the trainings");
    }
    // with --spark the executors run the trainings: the plan's estimate is for runs one after another
    b.workers(cluster.given() ? 1 : nWorkers);
    if (dryRun) {
      dev.segloss.train.compare.CompareJob.dryRun(b.build(), err());
      out().println("dry run: nothing trained or written");
      return 0;
    }
    if (cluster.given()) {
      CompareOnCluster.run(cluster, b, typed("--out"), overwrite, out(), err());
      return 0;
    }
    CompareJob.run(b.build(), out(), err(), Progress.stderrIsTerminal(), CompareJob.LOCAL);
    return 0;
  }

  private static int positive(String option, int v) {
    if (v < 1) throw new dev.segloss.core.InvalidInputException(option + ": expected a positive number, got " + v);
    return v;
  }
}
