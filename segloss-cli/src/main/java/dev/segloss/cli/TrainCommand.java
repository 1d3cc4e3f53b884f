package dev.segloss.cli;

import dev.segloss.core.InvalidInputException;
import dev.segloss.train.Progress;
import dev.segloss.train.ResumeChange;
import dev.segloss.train.RunResult;
import dev.segloss.train.RunState;
import dev.segloss.train.TrainConfig;
import dev.segloss.train.TrainJob;
import dev.segloss.train.model.UNetConfig;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code segloss train}: one U-Net on the data with one loss, into a run folder. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    // --loss and --out are required unless --resume is given: picocli cannot say "required unless", so
    // the synopsis shows both forms (the check is in call())
    customSynopsis = {
      "segloss train --loss SPEC --out runs/NAME [--data D] [options]",
      "   or: segloss train --resume runs/NAME [--epochs N] [--patience N] [--device D] [--dry-run]"
    },
    sortOptions = false,
    usageHelpWidth = 100,
    description = {
      "Trains a U-Net with a loss spec; keeps the epoch with the best validation Dice.",
      "",
      "DJL/PyTorch, Adam with a cosine schedule, early stopping. Writes to --out: model.params (best",
      "weights), config.json (everything to reproduce the run), checkpoint.bin (last epoch, for",
      "--resume), history.csv, curves.png, summary.json; all atomically. In the spec, w_pos=auto and",
      "w_neg=auto resolve from the training masks (the seed's inverse-frequency rule; weights=balanced,",
      "median or effective in the term, or --weights, to choose another); the resolved spec is printed",
      "and saved. Same seed and data: same initial weights, batch order and augmentation. A NaN or",
      "infinite loss stops the run with a message; the best weights so far stay in model.params."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  ./segloss train --loss 'combined(dice_weight=0.5, w_pos=auto)' --out runs/combined",
      "  ./segloss train --data data/ --loss dice --epochs 60 --batch 8 --lr 1e-3 --seed 2 --out runs/dice",
      "  ./segloss train --data 'synthetic:fg=0.01,size=96' --loss 'bce(w_pos=auto, weights=median)' \\",
      "      --out runs/bce",
      "  ./segloss train --resume runs/dice          # continue an interrupted run where it stopped",
      "  ./segloss train --resume runs/dice --epochs 80  # train on to 80 epochs, finished or not",
      "",
      "Exit codes: 0 finished (or stopped early), 1 the loss diverged or an internal error, 2 bad input."
    })
public final class TrainCommand extends SeglossCommand {
  @Option(names = "--data", paramLabel = "D", defaultValue = "synthetic",
      description = "synthetic[:options] | DIR (images/ + masks/) | nifti:image=...,labels=... (default ${DEFAULT-VALUE}).")
  String data;

  @Option(names = "--loss", paramLabel = "SPEC", description = "Required (unless --resume). Loss spec, e.g. 'bce(w_pos=auto)' or '0.5*bce + 0.5*dice'.")
  String loss;

  @Option(names = "--out", paramLabel = "runs/NAME", description = "Required (unless --resume). Run folder (refused when it exists and is not empty, unless --overwrite).")
  Path out;

  @Option(names = "--resume", paramLabel = "runs/NAME", description = "Continue a run from its folder's last checkpoint; other options come from its config.json."
          + " With --epochs and/or --patience, a finished or early-stopped run is reopened and trained on.")
  Path resume;

  @Option(names = "--epochs", paramLabel = "N", defaultValue = "" + TrainConfig.DEFAULT_EPOCHS,
      description = "Maximum epochs (default ${DEFAULT-VALUE}). With --resume: the new total, larger than the epochs done;"
          + " the cosine/step schedule is the new total's from the next epoch (cosine jumps back up).")
  int epochs;

  @Option(names = "--batch", paramLabel = "B", defaultValue = "" + TrainConfig.DEFAULT_BATCH, description = "Batch size (default ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--lr", paramLabel = "LR", defaultValue = "" + TrainConfig.DEFAULT_LR, description = "Adam learning rate (default ${DEFAULT-VALUE}).")
  double lr;

  @Option(names = "--seed", paramLabel = "S", defaultValue = "" + TrainConfig.DEFAULT_SEED,
      description = "Seed of initial weights, batch order and augmentation (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--schedule", paramLabel = "KIND", defaultValue = "cosine", description = "cosine | step | constant (default ${DEFAULT-VALUE}).")
  String schedule;

  @Option(names = "--weight-decay", paramLabel = "WD", defaultValue = "0", description = "L2 weight decay (default ${DEFAULT-VALUE}).")
  double weightDecay;

  @Option(names = "--patience", paramLabel = "N", defaultValue = "" + TrainConfig.DEFAULT_PATIENCE,
      description = "Stop after N epochs without a validation-Dice gain; 0 = never (default ${DEFAULT-VALUE}). With --resume:"
          + " the new patience; the count of epochs without a gain carries over.")
  int patience;

  @Option(names = "--depth", paramLabel = "D", defaultValue = "" + UNetConfig.DEFAULT_DEPTH, description = "U-Net depth: 2x downsamplings (default ${DEFAULT-VALUE}).")
  int depth;

  @Option(names = "--width", paramLabel = "W", defaultValue = "" + UNetConfig.DEFAULT_BASE_WIDTH, description = "U-Net base width: channels of the first level (default ${DEFAULT-VALUE}).")
  int width;

  @Option(names = "--weights", paramLabel = "METHOD", defaultValue = "inverse",
      description = "Method for w_pos=auto / w_neg=auto: inverse | balanced | median | effective (default ${DEFAULT-VALUE}).")
  String weights;

  @Option(names = "--threshold", paramLabel = "T", defaultValue = "0.5", description = "Threshold of the validation Dice (default ${DEFAULT-VALUE}).")
  double threshold;

  @Option(names = "--empty", paramLabel = "POLICY", defaultValue = "nan", description = "Empty policy of the validation Dice (default ${DEFAULT-VALUE}).")
  String empty;

  @Option(names = "--split-seed", paramLabel = "S", defaultValue = "7", description = "Seed of the train/val/test split (default ${DEFAULT-VALUE}).")
  long splitSeed;

  @Option(names = "--mask-threshold", paramLabel = "T", defaultValue = "0", description = "Mask images: raw value > T is foreground (default ${DEFAULT-VALUE}).")
  double maskThreshold;

  @Option(names = "--skip-bad", description = "Skip unreadable images (listed at the end) instead of stopping.")
  boolean skipBad;

  @Option(names = "--no-augment", description = "No augmentation (default: flips, 90° rotations, intensity jitter).")
  boolean noAugment;

  @Option(names = "--threads", paramLabel = "N", defaultValue = "2", description = "PyTorch intra-op threads (default ${DEFAULT-VALUE}).")
  int threads;

  @Option(names = "--device", paramLabel = "cpu|gpu[:N]|auto", defaultValue = "auto", description = "Device: cpu, gpu (GPU 0), gpu:N (GPU N), auto = GPU 0 when DJL sees one (default ${DEFAULT-VALUE}).")
  String device;

  @Option(names = "--dry-run", description = "Check everything (spec, data, split, auto weights) and print the run's length;"
      + " train nothing, write nothing. With --resume: what the resume would train.")
  boolean dryRun;

  @Option(names = "--overwrite", description = "Allow an existing, non-empty --out (files of the same names are replaced; nothing is deleted).")
  boolean overwrite;

  /** The options {@code --resume} accepts; the run's config.json supplies every other setting. */
  static final java.util.Set<String> RESUME_OPTIONS = java.util.Set.of("--resume", "--epochs", "--patience", "--device", "--dry-run", "--verbose");

  @Override
  public Integer call() {
    // a run stopped by Ctrl-C, kill or a closed terminal says how to continue it (its checkpoint holds the
    // last finished epoch); removed again once the run has ended by itself
    java.util.concurrent.atomic.AtomicBoolean ended = new java.util.concurrent.atomic.AtomicBoolean();
    Path folder = resume != null ? resume : out;
    java.io.PrintWriter errWriter = err();
    Thread hint = new Thread(() -> {
      if (!ended.get() && folder != null) {
        errWriter.println();
        errWriter.println(interruptedHint(folder));
        errWriter.flush();
      }
    }, "segloss-interrupted-hint");
    Runtime.getRuntime().addShutdownHook(hint);
    try {
      return train();
    } finally {
      ended.set(true);
      try {
        Runtime.getRuntime().removeShutdownHook(hint);
      } catch (IllegalStateException shuttingDown) {
        // the JVM is already exiting; the hook sees ended and prints nothing
      }
    }
  }

  /** What an interrupted run prints: how to continue it. */
  static String interruptedHint(Path folder) {
    return "segloss train: interrupted; continue from the last finished epoch with: segloss train --resume "
        + shellWord(folder.toString());
  }

  /** The path as one shell word: as it is when it holds only safe characters, else single-quoted. */
  static String shellWord(String s) {
    if (!s.isEmpty() && s.matches("[A-Za-z0-9_./:@%+=,-]+")) return s;
    return "'" + s.replace("'", "'\\''") + "'";
  }

  private Integer train() {
    boolean live = Progress.stderrIsTerminal();
    RunResult r;
    if (resume != null) {
      // every other setting comes from the run's config.json: an option given here would be silently ignored
      var parsed = spec.commandLine().getParseResult();
      java.util.List<String> extra = parsed.matchedOptions().stream().map(o -> o.longestName())
          .filter(n -> !RESUME_OPTIONS.contains(n)).distinct().toList();
      if (!extra.isEmpty()) {
        throw new InvalidInputException("--resume: " + String.join(", ", extra) + " cannot be given with --resume; the run continues with"
            + " the settings of its config.json (only --epochs, --patience, --device and --dry-run may be given)");
      }
      ResumeChange change = new ResumeChange(parsed.hasMatchedOption("--epochs") ? epochs : null,
          parsed.hasMatchedOption("--patience") ? patience : null);
      String deviceName = "auto".equals(device) ? null : device;
      if (dryRun) {
        out().println(TrainJob.dryRunResume(resume, change, deviceName, err()));
        out().flush();
        return 0;
      }
      r = TrainJob.resume(resume, change, deviceName, err(), live);
    } else {
      if (loss == null) throw new InvalidInputException("--loss: required (or --resume runs/NAME)");
      choice("--weights", weights, dev.segloss.core.weights.WeightMethod::parse);
      choice("--empty", empty, dev.segloss.core.metrics.EmptyPolicy::parse);
      if (out == null) throw new InvalidInputException("--out: required, e.g. --out runs/" + loss.replaceAll("[^A-Za-z0-9]+", "_").replaceAll("_+$", ""));
      TrainConfig cfg = TrainConfig.builder().data(data).loss(loss).epochs(epochs).batch(batch).lr(lr).seed(seed).schedule(schedule)
          .weightDecay(weightDecay).patience(patience).depth(depth).width(width).weights(weights).threshold(threshold).emptyPolicy(empty)
          .splitSeed(splitSeed).maskThreshold(maskThreshold).skipBad(skipBad).augment(!noAugment).threads(threads).device(device).build();
      if (dryRun) {
        out().println(TrainJob.dryRun(cfg, err()));
        out().flush();
        return 0;
      }
      r = TrainJob.train(cfg, out, overwrite, err(), live);
    }
    out().println(String.format(Locale.ROOT, "%s: %s", r.dir(), r.message()));
    out().flush();
    if (r.status() == RunState.Status.DIVERGED) return Segloss.INTERNAL_ERROR;
    return 0;
  }
}
