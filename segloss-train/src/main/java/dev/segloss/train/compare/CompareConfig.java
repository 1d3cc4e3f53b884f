package dev.segloss.train.compare;

import dev.segloss.core.InvalidInputException;
import dev.segloss.train.TrainConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What {@code segloss compare} runs: the losses, the seeds, the data split and the shared training budget.
 * Immutable; {@link #builder()} starts from the defaults.
 *
 * <p>Defaults, sized so that {@code ./segloss compare} with no arguments — 7 losses × 3 seeds = 21
 * trainings — finishes in under ten minutes on two CPU cores (measurements in docs/BENCHMARKS.md, "U-Net
 * training"):
 *
 * <ul>
 *   <li>losses {@link #DEFAULT_LOSSES}: the seed's three (plain and weighted BCE, Dice, the combined
 *       loss), then focal (Lin et al. 2017), Tversky with α = 0.3, β = 0.7 (false negatives weigh more, as
 *       Salehi et al. 2017 recommend for small lesions) and the Lovász hinge (Berman et al. 2018);
 *   <li>data {@value #DEFAULT_DATA}: the built-in generator's 400 images (280 train, 60 validation, 60
 *       test) at 64×64 instead of 128×128. A training step costs about four times less and the test
 *       split keeps 60 images for the paired test; at 128×128 the budget would allow only ~3 epochs;
 *   <li>budget {@value Budget#DEFAULT_UPDATES} updates per run ({@link Budget}): on the default data 12
 *       epochs of 35 steps (batch {@value #DEFAULT_BATCH}), about 1.6 s each on two cores, so one run takes
 *       ~20 s and the whole job ~7.5 minutes; Dice-type losses are near their plateau by then on this data.
 *       A small real data set gets as many updates (28 training slices: 105 epochs of 4 steps);
 *   <li>split: a single train/validation/test split when it leaves at least {@value #SMALL_DATA} training
 *       images, else {@value #DEFAULT_FOLDS}-fold grouped cross-validation (every image tested once; a
 *       common choice, nnU-Net's): with few images, one small test split decides the ranking by chance;
 *   <li>seeds {@value #DEFAULT_SEEDS} for a single split (enough for a seed-to-seed spread beside every
 *       mean), 1 with cross-validation (the folds already give {@value #DEFAULT_FOLDS} trainings per loss);
 *   <li>learning rate {@value #DEFAULT_LR}: with batch 8 and only ~420 updates per run, Adam's 1e-3 is
 *       still far from converged (validation Dice 0.24 vs 0.46 for the combined loss at 1e-3 vs 3e-3 in our
 *       trials); cosine decay to 1 % after one warm-up epoch;
 *   <li>U-Net depth {@value #DEFAULT_DEPTH}, width {@value #DEFAULT_WIDTH} ({@link
 *       dev.segloss.train.model.UNetConfig}'s defaults);
 *   <li>patches {@value #DEFAULT_PATCH} ({@link #patch()}): whole images, or, for structures filling less than
 *       {@value #PATCH_FOREGROUND_LIMIT} of the training pixels, patches of {@value #AUTO_PATCH} with a third
 *       of each batch centred on foreground;
 *   <li>early stopping off (patience {@value #DEFAULT_PATIENCE}): every loss gets exactly the same number
 *       of updates; each still keeps its best-validation-Dice checkpoint;
 *   <li>threshold 0.5 and empty policy {@code nan} for the metrics (the core's defaults); augmentation on
 *       (the data layer's defaults); the data layer's split seed 7;
 *   <li>{@value #DEFAULT_THREADS} PyTorch thread per training and {@code --workers auto}: as many trainings at
 *       once as the cores allow ({@link Workers}; two here). Measured side by side on the project's 2-core
 *       machine, idle (docs/BENCHMARKS.md, "compare --workers"): 2 losses × 2 seeds of 200 updates took 38.6 s
 *       with 2 workers × 1 thread, 47.0 s with 1 × 2 threads (the earlier default), 59.1 s with 1 × 1; beside
 *       a busy loop 57.9 s, 127.6 s and 65.7 s — with 2 intra-op threads on 2 shared cores PyTorch's OpenMP
 *       threads spin-wait for each other. A run's numbers depend on its thread count (PyTorch's parallel
 *       sums), not on how many run at once.
 * </ul>
 *
 * @param seeds seeds per loss, or 0: {@value #DEFAULT_SEEDS} for a single split, 1 with folds
 * @param updates updates per run ({@code --updates}), or 0 when not given
 * @param epochs epochs per run ({@code --epochs}, exclusive with {@code updates}), or 0 when not given
 * @param timeLimit seconds the whole comparison may take ({@code --time}), or 0: no limit
 * @param folds cross-validation folds, 1 for a single split, or 0: chosen by the data's size
 * @param patch {@code auto}, {@code off} or {@code HxW}: whole images or patches for training
 * @param workers trainings at once ({@code --workers}), or 0: as many as the cores allow ({@link Workers})
 */
public record CompareConfig(
    String data,
    List<String> losses,
    int seeds,
    int updates,
    int epochs,
    double timeLimit,
    int folds,
    String patch,
    int batch,
    double lr,
    int depth,
    int width,
    int patience,
    boolean augment,
    String weights,
    double threshold,
    String emptyPolicy,
    long splitSeed,
    double maskThreshold,
    boolean skipBad,
    int threads,
    int workers,
    String device,
    Path out,
    boolean overwrite) {

  public static final List<String> DEFAULT_LOSSES = List.of(
      "bce", "bce(w_pos=auto)", "dice", "combined(dice_weight=0.5, w_pos=auto)", "focal", "tversky(alpha=0.3, beta=0.7)", "lovasz");
  public static final String DEFAULT_DATA = "synthetic:size=64";
  public static final int DEFAULT_SEEDS = 3;
  /** PyTorch intra-op threads per training (see the class comment). */
  public static final int DEFAULT_THREADS = 1;
  public static final int DEFAULT_BATCH = 8;
  public static final double DEFAULT_LR = 3e-3;
  public static final int DEFAULT_DEPTH = 3;
  public static final int DEFAULT_WIDTH = 16;
  public static final int DEFAULT_PATIENCE = 0;
  /** Fewer training images than this in a single split: cross-validation by default. */
  public static final int SMALL_DATA = 100;
  /** Folds of the default cross-validation. */
  public static final int DEFAULT_FOLDS = 5;
  /** Most folds accepted. */
  public static final int MAX_FOLDS = 20;
  /** Default of {@code --patch}. */
  public static final String DEFAULT_PATCH = "auto";
  /** Patch side of {@code --patch auto}. */
  public static final String AUTO_PATCH = "128x128";
  /** {@code --patch auto} trains on patches when the training foreground is below this share of the pixels. */
  public static final double PATCH_FOREGROUND_LIMIT = 0.01;

  public CompareConfig {
    losses = List.copyOf(losses);
    if (losses.isEmpty()) throw new InvalidInputException("--losses: expected at least one loss spec");
    if (seeds < 0 || seeds > 100) throw new InvalidInputException("--seeds: expected 1..100, got " + seeds);
    if (updates != 0 && epochs != 0) {
      throw new InvalidInputException("--updates and --epochs are exclusive: give the budget as updates per run or as epochs per run, not both");
    }
    if (updates < 0 || updates > Budget.MAX_UPDATES) throw new InvalidInputException("--updates: expected 1.." + Budget.MAX_UPDATES + ", got " + updates);
    if (epochs < 0 || epochs > 100_000) throw new InvalidInputException("--epochs: expected 1..100000, got " + epochs);
    if (!(timeLimit >= 0)) throw new InvalidInputException("--time: expected a duration, got " + timeLimit + " s");
    if (folds < 0 || folds == 2 || folds > MAX_FOLDS) {
      throw new InvalidInputException("--folds: expected 1 (a single split) or 3.." + MAX_FOLDS
          + ", got " + folds + " (each fold is tested once, validated by the next one and trained on the rest)");
    }
    parsePatch(patch);
    if (workers < 0) throw new InvalidInputException("--workers: expected auto or at least 1, got " + workers);
    if (out == null) throw new InvalidInputException("--out: expected a folder");
  }

  /**
   * Parses {@code --patch}: {@code auto}, {@code off}, or {@code HxW}; returns {height, width}, {0, 0} for
   * off and {-1, -1} for auto.
   */
  public static int[] parsePatch(String text) {
    String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    if (t.equals("auto")) return new int[] {-1, -1};
    if (t.equals("off") || t.equals("none")) return new int[] {0, 0};
    String[] p = t.split("x", -1);
    try {
      if (p.length == 2) {
        int h = Integer.parseInt(p[0].trim()), w = Integer.parseInt(p[1].trim());
        if (h >= 1 && w >= 1 && h <= 16384 && w <= 16384) return new int[] {h, w};
      }
    } catch (NumberFormatException e) {
      // fall through to the message
    }
    throw new InvalidInputException("--patch: expected auto, off or a size HxW such as 96x96, got '" + text + "'");
  }

  /** Splits {@code "SPEC; SPEC; ..."} (semicolons separate specs; empty entries are refused). */
  public static List<String> parseLosses(String text) {
    if (text == null || text.isBlank()) throw new InvalidInputException("--losses: expected \"SPEC; SPEC; ...\", got an empty value");
    List<String> out = new ArrayList<>();
    String[] parts = text.split(";", -1);
    for (int i = 0; i < parts.length; i++) {
      String p = parts[i].trim();
      if (p.isEmpty()) {
        if (i == parts.length - 1 && i > 0) continue; // a trailing semicolon
        throw new InvalidInputException("--losses: entry " + (i + 1) + " is empty in \"" + text + "\"");
      }
      if (out.contains(p)) throw new InvalidInputException("--losses: '" + p + "' is listed twice");
      out.add(p);
    }
    return out;
  }

  /** The training configuration of one run: its loss, seed, length and patches. */
  public TrainConfig trainConfig(String loss, String resolved, double trainForeground, long seed, String canonicalData, Budget.Length length,
      int[] patchSize) {
    return TrainConfig.builder().data(canonicalData).loss(loss).resolvedLoss(resolved).weights(weights).trainForeground(trainForeground)
        .epochs(length.epochs()).epochSteps(length.epochSteps()).batch(batch).lr(lr).depth(depth).width(width).patience(patience).augment(augment)
        .patch(patchSize[0], patchSize[1]).seed(seed).splitSeed(splitSeed).threshold(threshold).emptyPolicy(emptyPolicy).maskThreshold(maskThreshold)
        .skipBad(skipBad).threads(threads).device(device).build();
  }

  /** The training configuration without a budget or patches (how the data are loaded and the model built). */
  public TrainConfig probe() {
    return trainConfig(losses.get(0), losses.get(0), Double.NaN, 1, data, Budget.fromEpochs(1, 1), new int[] {0, 0});
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link CompareConfig}; every field starts at its default. */
  public static final class Builder {
    private String data = DEFAULT_DATA;
    private List<String> losses = DEFAULT_LOSSES;
    private int seeds;
    private int updates;
    private int epochs;
    private double timeLimit;
    private int folds;
    private String patch = DEFAULT_PATCH;
    private int batch = DEFAULT_BATCH;
    private double lr = DEFAULT_LR;
    private int depth = DEFAULT_DEPTH;
    private int width = DEFAULT_WIDTH;
    private int patience = DEFAULT_PATIENCE;
    private boolean augment = true;
    private String weights = "inverse";
    private double threshold = 0.5;
    private String emptyPolicy = "nan";
    private long splitSeed = 7;
    private double maskThreshold = 0;
    private boolean skipBad;
    private int threads = DEFAULT_THREADS;
    private int workers;
    private String device = "auto";
    private Path out = Path.of("reports", "compare");
    private boolean overwrite;

    private Builder() {}

    public Builder data(String v) { data = v; return this; }
    public Builder losses(List<String> v) { losses = v; return this; }
    /** Seeds per loss; 0 (default): {@value #DEFAULT_SEEDS} for a single split, 1 with folds. */
    public Builder seeds(int v) { seeds = v; return this; }
    /** Updates per run; 0 (default): {@value Budget#DEFAULT_UPDATES} unless {@link #epochs} is given. */
    public Builder updates(int v) { updates = v; return this; }
    /** Epochs per run instead of a budget in updates; 0 (default): not given. */
    public Builder epochs(int v) { epochs = v; return this; }
    /** Seconds the comparison may take; 0 (default): no limit. */
    public Builder timeLimit(double v) { timeLimit = v; return this; }
    /** Folds; 1: a single split; 0 (default): by the data's size. */
    public Builder folds(int v) { folds = v; return this; }
    public Builder patch(String v) { patch = v; return this; }
    public Builder batch(int v) { batch = v; return this; }
    public Builder lr(double v) { lr = v; return this; }
    public Builder depth(int v) { depth = v; return this; }
    public Builder width(int v) { width = v; return this; }
    public Builder patience(int v) { patience = v; return this; }
    public Builder augment(boolean v) { augment = v; return this; }
    public Builder weights(String v) { weights = v; return this; }
    public Builder threshold(double v) { threshold = v; return this; }
    public Builder emptyPolicy(String v) { emptyPolicy = v; return this; }
    public Builder splitSeed(long v) { splitSeed = v; return this; }
    public Builder maskThreshold(double v) { maskThreshold = v; return this; }
    public Builder skipBad(boolean v) { skipBad = v; return this; }
    public Builder threads(int v) { threads = v; return this; }
    /** Trainings at once; 0 (default): as many as the cores allow ({@link Workers}). */
    public Builder workers(int v) { workers = v; return this; }
    public Builder device(String v) { device = v; return this; }
    public Builder out(Path v) { out = v; return this; }
    public Builder overwrite(boolean v) { overwrite = v; return this; }

    public CompareConfig build() {
      return new CompareConfig(data, losses, seeds, updates, epochs, timeLimit, folds, patch, batch, lr, depth, width, patience, augment, weights,
          threshold, emptyPolicy, splitSeed, maskThreshold, skipBad, threads, workers, device, out, overwrite);
    }
  }
}
