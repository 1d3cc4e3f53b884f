package dev.segloss.cli;

import dev.segloss.train.Progress;
import dev.segloss.train.compare.CompareConfig;
import dev.segloss.train.compare.CompareJob;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import picocli.CommandLine.Command;
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
      "One U-Net per loss and seed on the same data, split, initial weights and budget; each is",
      "evaluated on the held-out test images (dice, iou, precision, recall, hd95; AUPRC and the Dice at",
      "the best threshold). Losses are ranked by mean Dice and each is tested against the best (paired",
      "Wilcoxon signed-rank over test images, Holm-adjusted) to say which are within noise. Writes",
      "report.html (self-contained), results.json, results.csv, per_image.csv and runs/; prints the",
      "ranked table and a recommendation. With no arguments: the seven default losses on the built-in",
      "synthetic data, in under ten minutes on two CPU cores."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  ./segloss compare",
      "  ./segloss compare --data data/ --losses 'bce(w_pos=auto); dice; focal(alpha=0.25)' \\",
      "      --seeds 5 --epochs 40",
      "  ./segloss compare --data 'nifti:image=T1.nii.gz,labels=atlas.nii.gz,label=17+53' \\",
      "      --out reports/hippocampus",
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

  @Option(names = "--seeds", paramLabel = "N", defaultValue = "" + CompareConfig.DEFAULT_SEEDS, description = "Training runs per loss, seeds 1..N (default ${DEFAULT-VALUE}).")
  int seeds;

  @Option(names = "--epochs", paramLabel = "N", defaultValue = "" + CompareConfig.DEFAULT_EPOCHS, description = "Maximum epochs per run (default ${DEFAULT-VALUE}).")
  int epochs;

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

  @Option(names = "--threads", paramLabel = "N", defaultValue = "2", description = "PyTorch intra-op threads (default ${DEFAULT-VALUE}).")
  int threads;

  @Option(names = "--device", paramLabel = "cpu|gpu[:N]|auto", defaultValue = "auto", description = "Device (default ${DEFAULT-VALUE}).")
  String device;

  @Option(names = "--overwrite", description = "Allow an existing, non-empty --out (files of the same names are replaced; nothing is deleted).")
  boolean overwrite;

  @Override
  public Integer call() {
    choice("--weights", weights, dev.segloss.core.weights.WeightMethod::parse);
    choice("--empty", empty, dev.segloss.core.metrics.EmptyPolicy::parse);
    Path dir = out != null ? out : Path.of("reports", "compare-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    CompareConfig.Builder b = CompareConfig.builder().data(data).seeds(seeds).epochs(epochs).batch(batch).lr(lr).depth(depth).width(width)
        .patience(patience).weights(weights).threshold(threshold).emptyPolicy(empty).splitSeed(splitSeed).maskThreshold(maskThreshold)
        .skipBad(skipBad).augment(!noAugment).threads(threads).device(device).out(dir).overwrite(overwrite);
    if (losses != null) b.losses(CompareConfig.parseLosses(losses));
    CompareJob.run(b.build(), out(), err(), Progress.stderrIsTerminal());
    return 0;
  }
}
