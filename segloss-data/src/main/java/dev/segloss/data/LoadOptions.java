package dev.segloss.data;

import dev.segloss.core.InvalidInputException;

/**
 * How {@link Datasets#load} loads and splits a data set. Immutable; build with {@link #builder()}.
 *
 * <p>Defaults: split seed {@value #DEFAULT_SEED}; validation and test fractions {@value
 * #DEFAULT_VAL_FRACTION} each (the usual 70/15/15 split); mask threshold 0 (a mask pixel is foreground
 * when its raw value is &gt; 0, as in {@code segloss evaluate}); size multiple {@value
 * #DEFAULT_SIZE_MULTIPLE} (a U-Net of depth 4 halves the size four times); memory budget 80 % of the free
 * JVM heap; empty-mask policy {@code nan} (the core's {@code --empty} default, named in warnings).
 */
public final class LoadOptions {
  /** Default split seed. */
  public static final long DEFAULT_SEED = 7;
  /** Default validation fraction. */
  public static final double DEFAULT_VAL_FRACTION = 0.15;
  /** Default test fraction. */
  public static final double DEFAULT_TEST_FRACTION = 0.15;
  /** Default: heights and widths are padded up to a multiple of this. */
  public static final int DEFAULT_SIZE_MULTIPLE = 16;

  private final long seed;
  private final double valFraction;
  private final double testFraction;
  private final double maskThreshold;
  private final boolean skipBad;
  private final int sizeMultiple;
  private final long memoryBudget;
  private final int threads;
  private final String emptyPolicy;

  private LoadOptions(Builder b) {
    this.seed = b.seed;
    this.valFraction = b.valFraction;
    this.testFraction = b.testFraction;
    this.maskThreshold = b.maskThreshold;
    this.skipBad = b.skipBad;
    this.sizeMultiple = b.sizeMultiple;
    this.memoryBudget = b.memoryBudget;
    this.threads = b.threads;
    this.emptyPolicy = b.emptyPolicy;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** All defaults. */
  public static LoadOptions defaults() {
    return builder().build();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.seed = seed;
    b.valFraction = valFraction;
    b.testFraction = testFraction;
    b.maskThreshold = maskThreshold;
    b.skipBad = skipBad;
    b.sizeMultiple = sizeMultiple;
    b.memoryBudget = memoryBudget;
    b.threads = threads;
    b.emptyPolicy = emptyPolicy;
    return b;
  }

  /** Seed of the split (and of the empty-slice sampling of volumes). */
  public long seed() {
    return seed;
  }

  public double valFraction() {
    return valFraction;
  }

  public double testFraction() {
    return testFraction;
  }

  /** A mask pixel is foreground when its raw value is greater than this. */
  public double maskThreshold() {
    return maskThreshold;
  }

  /** Skip unreadable files (listed in {@link SegDataset#skipped()}) instead of failing. */
  public boolean skipBad() {
    return skipBad;
  }

  /** Heights and widths are padded up to a multiple of this (1 = no padding). */
  public int sizeMultiple() {
    return sizeMultiple;
  }

  /** Memory budget in bytes, 0 = 80 % of the JVM heap still free when loading starts. */
  public long memoryBudget() {
    return memoryBudget;
  }

  /** Threads used to generate or decode images. */
  public int threads() {
    return threads;
  }

  /** Name of the empty-mask policy of the metrics, quoted in the warning about empty masks. */
  public String emptyPolicy() {
    return emptyPolicy;
  }

  public static final class Builder {
    private long seed = DEFAULT_SEED;
    private double valFraction = DEFAULT_VAL_FRACTION;
    private double testFraction = DEFAULT_TEST_FRACTION;
    private double maskThreshold = 0;
    private boolean skipBad;
    private int sizeMultiple = DEFAULT_SIZE_MULTIPLE;
    private long memoryBudget;
    private int threads = Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));
    private String emptyPolicy = "nan";

    private Builder() {}

    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** Validation and test fractions, each in [0, 1), summing to less than 1. */
    public Builder fractions(double val, double test) {
      if (!(val >= 0 && test >= 0 && val + test < 1)) {
        throw new InvalidInputException("split fractions: expected val, test >= 0 with val + test < 1, got " + val + ", " + test);
      }
      this.valFraction = val;
      this.testFraction = test;
      return this;
    }

    public Builder maskThreshold(double t) {
      if (!Double.isFinite(t)) throw new InvalidInputException("--mask-threshold: expected a finite number, got " + t);
      this.maskThreshold = t;
      return this;
    }

    public Builder skipBad(boolean skip) {
      this.skipBad = skip;
      return this;
    }

    public Builder sizeMultiple(int m) {
      if (m < 1 || m > 1024) throw new InvalidInputException("size multiple: expected 1..1024, got " + m);
      this.sizeMultiple = m;
      return this;
    }

    public Builder memoryBudget(long bytes) {
      if (bytes < 0) throw new InvalidInputException("memory budget: expected >= 0 bytes, got " + bytes);
      this.memoryBudget = bytes;
      return this;
    }

    public Builder threads(int t) {
      if (t < 1) throw new InvalidInputException("threads: expected >= 1, got " + t);
      this.threads = t;
      return this;
    }

    public Builder emptyPolicy(String name) {
      this.emptyPolicy = name;
      return this;
    }

    public LoadOptions build() {
      return new LoadOptions(this);
    }
  }
}
