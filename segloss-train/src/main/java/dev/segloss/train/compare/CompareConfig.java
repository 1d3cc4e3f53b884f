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
 * <p>Defaults (sized so that {@code ./segloss compare} with no arguments finishes in under ten minutes on
 * two CPU cores; the measurements are in docs/BENCHMARKS.md, "U-Net training"):
 *
 * <ul>
 *   <li>losses: {@link #DEFAULT_LOSSES} — the seed's three (plain and weighted BCE, Dice, combined), and
 *       focal, Tversky (α = 0.3, β = 0.7, weighting false negatives as Salehi et al. 2017 recommend for
 *       small lesions) and Lovász hinge;
 *   <li>data: {@value #DEFAULT_DATA};
 *   <li>seeds {@value #DEFAULT_SEEDS}, epochs {@value #DEFAULT_EPOCHS}, batch {@value #DEFAULT_BATCH},
 *       learning rate {@value #DEFAULT_LR}, U-Net depth {@value #DEFAULT_DEPTH} and width {@value
 *       #DEFAULT_WIDTH};
 *   <li>threshold 0.5 and empty policy {@code nan} for the metrics (the core's defaults);
 *   <li>early stopping patience {@value #DEFAULT_PATIENCE} epochs (every loss keeps its best
 *       validation-Dice checkpoint whether or not it stops early).
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
  public static final int DEFAULT_EPOCHS = 16;
  public static final int DEFAULT_BATCH = 8;
  public static final double DEFAULT_LR = 3e-3;
  public static final int DEFAULT_DEPTH = 3;
  public static final int DEFAULT_WIDTH = 16;
  public static final int DEFAULT_PATIENCE = 8;

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
        .splitSeed(splitSeed).threshold(threshold).emptyPolicy(emptyPolicy).maskThreshold(maskThreshold).threads(threads)
        .device(device).build();
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
