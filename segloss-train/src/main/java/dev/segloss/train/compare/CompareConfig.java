package dev.segloss.train.compare;

import dev.segloss.core.InvalidInputException;
import dev.segloss.train.TrainConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code segloss compare} runs: the losses, the seeds and the shared training budget. Immutable;
 * {@link #builder()} starts from the defaults.
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
 *   <li>seeds {@value #DEFAULT_SEEDS}: enough for a seed-to-seed spread beside every mean;
 *   <li>epochs {@value #DEFAULT_EPOCHS} of 35 steps (batch {@value #DEFAULT_BATCH}), about 1.6 s each on
 *       two cores, so one run takes ~20 s and the whole job ~7.5 minutes; Dice-type losses are near their
 *       plateau by then on this data;
 *   <li>learning rate {@value #DEFAULT_LR}: with batch 8 and only ~420 updates per run, Adam's 1e-3 is
 *       still far from converged (validation Dice 0.24 vs 0.46 for the combined loss at 1e-3 vs 3e-3 in our
 *       trials); cosine decay to 1 % after one warm-up epoch;
 *   <li>U-Net depth {@value #DEFAULT_DEPTH}, width {@value #DEFAULT_WIDTH} ({@link
 *       dev.segloss.train.model.UNetConfig}'s defaults);
 *   <li>early stopping off (patience {@value #DEFAULT_PATIENCE}): every loss gets exactly the same number
 *       of updates; each still keeps its best-validation-Dice checkpoint;
 *   <li>threshold 0.5 and empty policy {@code nan} for the metrics (the core's defaults); augmentation on
 *       (the data layer's defaults); the data layer's split seed 7.
 * </ul>
 */
public record CompareConfig(
    String data,
    List<String> losses,
    int seeds,
    int epochs,
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
    String device,
    Path out,
    boolean overwrite) {

  public static final List<String> DEFAULT_LOSSES = List.of(
      "bce", "bce(w_pos=auto)", "dice", "combined(dice_weight=0.5, w_pos=auto)", "focal", "tversky(alpha=0.3, beta=0.7)", "lovasz");
  public static final String DEFAULT_DATA = "synthetic:size=64";
  public static final int DEFAULT_SEEDS = 3;
  public static final int DEFAULT_EPOCHS = 12;
  public static final int DEFAULT_BATCH = 8;
  public static final double DEFAULT_LR = 3e-3;
  public static final int DEFAULT_DEPTH = 3;
  public static final int DEFAULT_WIDTH = 16;
  public static final int DEFAULT_PATIENCE = 0;

  public CompareConfig {
    losses = List.copyOf(losses);
    if (losses.isEmpty()) throw new InvalidInputException("--losses: expected at least one loss spec");
    if (seeds < 1 || seeds > 100) throw new InvalidInputException("--seeds: expected 1..100, got " + seeds);
    if (out == null) throw new InvalidInputException("--out: expected a folder");
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

  /** The training configuration of one (loss, seed) run. */
  public TrainConfig trainConfig(String loss, String resolved, double trainForeground, long seed, String canonicalData) {
    return TrainConfig.builder().data(canonicalData).loss(loss).resolvedLoss(resolved).weights(weights).trainForeground(trainForeground)
        .epochs(epochs).batch(batch).lr(lr).depth(depth).width(width).patience(patience).augment(augment).seed(seed)
        .splitSeed(splitSeed).threshold(threshold).emptyPolicy(emptyPolicy).maskThreshold(maskThreshold).skipBad(skipBad)
        .threads(threads).device(device).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link CompareConfig}; every field starts at its default. */
  public static final class Builder {
    private String data = DEFAULT_DATA;
    private List<String> losses = DEFAULT_LOSSES;
    private int seeds = DEFAULT_SEEDS;
    private int epochs = DEFAULT_EPOCHS;
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
    private int threads = 2;
    private String device = "auto";
    private Path out = Path.of("reports", "compare");
    private boolean overwrite;

    private Builder() {}

    public Builder data(String v) { data = v; return this; }
    public Builder losses(List<String> v) { losses = v; return this; }
    public Builder seeds(int v) { seeds = v; return this; }
    public Builder epochs(int v) { epochs = v; return this; }
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
    public Builder device(String v) { device = v; return this; }
    public Builder out(Path v) { out = v; return this; }
    public Builder overwrite(boolean v) { overwrite = v; return this; }

    public CompareConfig build() {
      return new CompareConfig(data, losses, seeds, epochs, batch, lr, depth, width, patience, augment, weights, threshold, emptyPolicy,
          splitSeed, maskThreshold, skipBad, threads, device, out, overwrite);
    }
  }
}
