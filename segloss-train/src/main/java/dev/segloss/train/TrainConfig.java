package dev.segloss.train;

import dev.segloss.core.InvalidInputException;
import dev.segloss.train.model.UNetConfig;

/**
 * Everything that determines a training run, saved as {@code config.json} so that the run can be
 * reproduced (and resumed) from it alone. Immutable; build with {@link #builder()}.
 *
 * <p>Defaults, each with its reason:
 *
 * <ul>
 *   <li>{@code epochs} {@value #DEFAULT_EPOCHS}, {@code batch} {@value #DEFAULT_BATCH}: sized for two CPU
 *       cores (docs/BENCHMARKS.md, "U-Net training"); {@code compare} uses its own budget, in updates.
 *   <li>{@code epochSteps} 0: an epoch is one pass over the training images; {@code compare} sets it when
 *       its budget in updates asks for shorter epochs (the first batches of each pass's shuffled order) or
 *       longer ones (several passes, the last cut short).
 *   <li>{@code patchHeight × patchWidth} 0 × 0: whole images; otherwise training batches hold patches of
 *       that size, the last {@code patchForeground} ({@value #DEFAULT_PATCH_FOREGROUND}, nnU-Net's share) of
 *       each batch centred on foreground; validation and prediction always see whole images.
 *   <li>{@code lr} 1e-3: Adam's default step size (Kingma &amp; Ba 2015), also nnU-Net's Adam setting;
 *       cosine schedule to 1 % with one warm-up epoch ({@link LrSchedule}); no weight decay.
 *   <li>{@code patience} {@value #DEFAULT_PATIENCE} epochs without a validation-Dice gain larger than
 *       {@code minDelta} = 0 stop the run (early stopping, Prechelt, "Early Stopping — But When?", 1998);
 *       the best epoch's weights are kept.
 *   <li>{@code threshold} 0.5 and empty policy {@code nan} for the validation Dice: the core metrics'
 *       defaults.
 *   <li>{@code threads} 2 intra-op, 1 inter-op: DJL/PyTorch would otherwise pick its own, and the run is
 *       only bit-reproducible with the same thread counts.
 *   <li>{@code splitSeed} 7 (the data layer's default split), {@code maskThreshold} 0 (mask pixel &gt; 0 is
 *       foreground), {@code skipBad} off: how the data are loaded.
 *   <li>{@code seed} 1: initial weights ({@link dev.segloss.train.model.UNet#initializeWeights}), batch
 *       order and augmentation all derive from it; the data split has its own seed ({@code splitSeed}).
 *   <li>{@code weights} {@code inverse}: how {@code w_pos=auto}/{@code w_neg=auto} resolve (the seed's
 *       inverse-frequency rule); {@code balanced}, {@code median} or {@code effective} choose another.
 * </ul>
 */
public record TrainConfig(
    String data,
    String loss,
    String resolvedLoss,
    String weights,
    double trainForeground,
    int epochs,
    int epochSteps,
    int batch,
    double lr,
    String schedule,
    double minLrRatio,
    int warmupEpochs,
    int stepEvery,
    double stepGamma,
    double weightDecay,
    int patience,
    double minDelta,
    long seed,
    long splitSeed,
    double maskThreshold,
    boolean skipBad,
    boolean augment,
    int patchHeight,
    int patchWidth,
    double patchForeground,
    int depth,
    int width,
    int inChannels,
    double threshold,
    String emptyPolicy,
    int threads,
    int interopThreads,
    String device) {

  public static final int DEFAULT_EPOCHS = 40;
  public static final int DEFAULT_BATCH = 16;
  public static final double DEFAULT_LR = 1e-3;
  public static final int DEFAULT_PATIENCE = 10;
  public static final long DEFAULT_SEED = 1;
  /** Share of each batch's patches centred on foreground: nnU-Net's {@code oversample_foreground_percent} (0.33). */
  public static final double DEFAULT_PATCH_FOREGROUND = 0.33;

  public TrainConfig {
    if (epochs < 1 || epochs > 100_000) throw new InvalidInputException("--epochs: expected 1..100000, got " + epochs);
    if (epochSteps < 0) throw new InvalidInputException("epoch steps: expected >= 0 (0 = one pass over the training images), got " + epochSteps);
    if (patchHeight < 0 || patchWidth < 0 || (patchHeight == 0) != (patchWidth == 0)) {
      throw new InvalidInputException("--patch: expected HxW with both sides >= 1, got " + patchHeight + "x" + patchWidth);
    }
    if (patchHeight > 0 && (patchHeight % new UNetConfig(inChannels, depth, width).sizeMultiple() != 0
        || patchWidth % new UNetConfig(inChannels, depth, width).sizeMultiple() != 0)) {
      throw new InvalidInputException("--patch: " + patchHeight + "x" + patchWidth + " is not a multiple of "
          + new UNetConfig(inChannels, depth, width).sizeMultiple() + " (a U-Net of depth " + depth + " halves each side " + depth + " times)");
    }
    if (!(patchForeground >= 0 && patchForeground <= 1)) {
      throw new InvalidInputException("--patch-foreground: expected a share in [0, 1], got " + patchForeground);
    }
    if (batch < 1 || batch > 4096) throw new InvalidInputException("--batch: expected 1..4096, got " + batch);
    if (!(lr > 0 && lr < 10)) throw new InvalidInputException("--lr: expected a number in (0, 10), got " + lr);
    LrSchedule.Kind.parse(schedule);
    if (patience < 0) throw new InvalidInputException("--patience: expected >= 0 (0 = never stop early), got " + patience);
    if (!(minDelta >= 0)) throw new InvalidInputException("--min-delta: expected >= 0, got " + minDelta);
    if (!(weightDecay >= 0)) throw new InvalidInputException("--weight-decay: expected >= 0, got " + weightDecay);
    if (warmupEpochs < 0) throw new InvalidInputException("--warmup: expected >= 0 epochs, got " + warmupEpochs);
    if (!(threshold > 0 && threshold < 1)) throw new InvalidInputException("--threshold: expected a number in (0, 1), got " + threshold);
    if (threads < 1 || interopThreads < 1) throw new InvalidInputException("--threads: expected >= 1, got " + threads);
    DjlRuntime.checkDeviceName(device);
    new UNetConfig(inChannels, depth, width); // validates
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.data = data;
    b.loss = loss;
    b.resolvedLoss = resolvedLoss;
    b.weights = weights;
    b.trainForeground = trainForeground;
    b.epochs = epochs;
    b.epochSteps = epochSteps;
    b.batch = batch;
    b.lr = lr;
    b.schedule = schedule;
    b.minLrRatio = minLrRatio;
    b.warmupEpochs = warmupEpochs;
    b.stepEvery = stepEvery;
    b.stepGamma = stepGamma;
    b.weightDecay = weightDecay;
    b.patience = patience;
    b.minDelta = minDelta;
    b.seed = seed;
    b.splitSeed = splitSeed;
    b.maskThreshold = maskThreshold;
    b.skipBad = skipBad;
    b.augment = augment;
    b.patchHeight = patchHeight;
    b.patchWidth = patchWidth;
    b.patchForeground = patchForeground;
    b.depth = depth;
    b.width = width;
    b.inChannels = inChannels;
    b.threshold = threshold;
    b.emptyPolicy = emptyPolicy;
    b.threads = threads;
    b.interopThreads = interopThreads;
    b.device = device;
    return b;
  }

  /** How the data set is loaded and split for this run (the split seed, not the training seed). */
  public dev.segloss.data.LoadOptions loadOptions() {
    return dev.segloss.data.LoadOptions.builder().seed(splitSeed).maskThreshold(maskThreshold).skipBad(skipBad)
        .sizeMultiple(Math.max(dev.segloss.data.LoadOptions.DEFAULT_SIZE_MULTIPLE, unet().sizeMultiple())).emptyPolicy(emptyPolicy)
        .threads(threads).build();
  }

  /**
   * Updates per epoch for a training split whose one pass takes {@code stepsPerPass} batches: one pass, or
   * {@code epochSteps} (a part of a pass, or several passes, the last cut short).
   */
  public int stepsPerEpoch(int stepsPerPass) {
    return epochSteps > 0 ? epochSteps : stepsPerPass;
  }

  /** The training batch loader's settings: batch, seed, augmentation and patches of this run. */
  public dev.segloss.data.batch.BatchLoader.Config loaderConfig() {
    return dev.segloss.data.batch.BatchLoader.Config.builder().batchSize(batch).seed(seed)
        .augmentation(augment ? dev.segloss.data.transform.Augmentation.defaults() : dev.segloss.data.transform.Augmentation.none())
        .patch(patchHeight, patchWidth, patchForeground).build();
  }

  /** The model architecture. */
  public UNetConfig unet() {
    return new UNetConfig(inChannels, depth, width);
  }

  /** The learning-rate schedule for {@code stepsPerEpoch} updates per epoch. */
  public LrSchedule lrSchedule(int stepsPerEpoch) {
    LrSchedule.Kind k = LrSchedule.Kind.parse(schedule);
    int every = stepEvery > 0 ? stepEvery : Math.max(1, epochs / 3);
    return new LrSchedule(k, lr, epochs, stepsPerEpoch, (long) warmupEpochs * stepsPerEpoch, minLrRatio, every, stepGamma);
  }

  /** Builds a {@link TrainConfig}; every field starts at its documented default. */
  public static final class Builder {
    private String data = "synthetic";
    private String loss = "bce";
    private String resolvedLoss;
    private String weights = "inverse";
    private double trainForeground = Double.NaN;
    private int epochs = DEFAULT_EPOCHS;
    private int epochSteps;
    private int batch = DEFAULT_BATCH;
    private double lr = DEFAULT_LR;
    private String schedule = "cosine";
    private double minLrRatio = 0.01;
    private int warmupEpochs = 1;
    private int stepEvery = 0;
    private double stepGamma = 0.1;
    private double weightDecay = 0;
    private int patience = DEFAULT_PATIENCE;
    private double minDelta = 0;
    private long seed = DEFAULT_SEED;
    private long splitSeed = 7;
    private double maskThreshold = 0;
    private boolean skipBad;
    private boolean augment = true;
    private int patchHeight;
    private int patchWidth;
    private double patchForeground = DEFAULT_PATCH_FOREGROUND;
    private int depth = UNetConfig.DEFAULT_DEPTH;
    private int width = UNetConfig.DEFAULT_BASE_WIDTH;
    private int inChannels = 1;
    private double threshold = 0.5;
    private String emptyPolicy = "nan";
    private int threads = 2;
    private int interopThreads = 1;
    private String device = "auto";

    private Builder() {}

    public Builder data(String v) { data = v; return this; }
    public Builder loss(String v) { loss = v; return this; }
    public Builder resolvedLoss(String v) { resolvedLoss = v; return this; }
    public Builder weights(String v) { weights = v; return this; }
    public Builder trainForeground(double v) { trainForeground = v; return this; }
    public Builder epochs(int v) { epochs = v; return this; }
    /** Updates per epoch; 0 (default): one pass over the training images. */
    public Builder epochSteps(int v) { epochSteps = v; return this; }
    public Builder batch(int v) { batch = v; return this; }
    public Builder lr(double v) { lr = v; return this; }
    public Builder schedule(String v) { schedule = v; return this; }
    public Builder minLrRatio(double v) { minLrRatio = v; return this; }
    public Builder warmupEpochs(int v) { warmupEpochs = v; return this; }
    public Builder stepEvery(int v) { stepEvery = v; return this; }
    public Builder stepGamma(double v) { stepGamma = v; return this; }
    public Builder weightDecay(double v) { weightDecay = v; return this; }
    public Builder patience(int v) { patience = v; return this; }
    public Builder minDelta(double v) { minDelta = v; return this; }
    public Builder seed(long v) { seed = v; return this; }
    public Builder splitSeed(long v) { splitSeed = v; return this; }
    public Builder maskThreshold(double v) { maskThreshold = v; return this; }
    public Builder skipBad(boolean v) { skipBad = v; return this; }
    public Builder augment(boolean v) { augment = v; return this; }
    /** Train on patches of {@code h × w} (0 × 0, the default: whole images). */
    public Builder patch(int h, int w) { patchHeight = h; patchWidth = w; return this; }
    public Builder patchForeground(double v) { patchForeground = v; return this; }
    public Builder depth(int v) { depth = v; return this; }
    public Builder width(int v) { width = v; return this; }
    public Builder inChannels(int v) { inChannels = v; return this; }
    public Builder threshold(double v) { threshold = v; return this; }
    public Builder emptyPolicy(String v) { emptyPolicy = v; return this; }
    public Builder threads(int v) { threads = v; return this; }
    public Builder interopThreads(int v) { interopThreads = v; return this; }
    public Builder device(String v) { device = v; return this; }

    public TrainConfig build() {
      return new TrainConfig(data, loss, resolvedLoss == null ? loss : resolvedLoss, weights, trainForeground, epochs, epochSteps, batch, lr,
          schedule, minLrRatio, warmupEpochs, stepEvery, stepGamma, weightDecay, patience, minDelta, seed, splitSeed, maskThreshold, skipBad, augment,
          patchHeight, patchWidth, patchForeground, depth, width, inChannels, threshold, emptyPolicy, threads, interopThreads, device);
    }
  }
}
