package dev.segloss.djl;

/**
 * How a DJL segloss loss reads its inputs: whether the predictions are logits, the label value to
 * ignore, and whether to check the inputs of every batch.
 *
 * <ul>
 *   <li>{@code fromLogits} (default false): predictions are probabilities in [0,1]; with true they are
 *       real-valued logits and the losses use their stable logit forms (the core's {@code fromLogits}).
 *   <li>{@code ignoreValue} (default none, NaN): pixels whose label equals it contribute to no loss and
 *       receive a zero gradient (the core's {@code ignoreValue}, e.g. 255 as in Pascal VOC masks).
 *   <li>{@code checkInputs} (default true, the same name and default on every engine): check every batch
 *       for NaN/Inf predictions or weights, probabilities outside [0,1], labels outside [0,1] that are not
 *       the ignore value, and negative weights, with the core's one-line messages. On by default because
 *       a wrong input (most often logits read as probabilities) otherwise gives a plausible but wrong
 *       loss without a word — the project's rule is no silent wrong result; the core's {@code LossInput}
 *       and segloss-tensorflow check by default too. The check runs on the device (a few elementwise
 *       comparisons and one read of a boolean, i.e. one synchronisation per batch); only a failing batch
 *       is copied to the host, for the message. Turn it off ({@link #withInputChecks withInputChecks(false)})
 *       where the inputs are known good and the synchronisation matters, as segloss-train does (its
 *       loaders validate the masks, and it reports diverging logits as a non-finite loss). Shapes are
 *       always checked.
 *   <li>{@code coreKernels} (default {@link CoreKernels#AUTO}): where {@code bce}, {@code focal} and
 *       {@code lovasz} compute value and gradient (see {@link CoreKernels}).
 * </ul>
 * Immutable.
 */
public final class DjlLossOptions {
  /**
   * Whether {@code bce}, {@code focal} and {@code lovasz} hand the computation to the core's kernels: value and exact
   * gradient computed by segloss-core on host copies of the inputs, the gradient g given to autograd
   * through the surrogate {@code value + sum(x·g) − stopGradient(sum(x·g))} (g a constant), whose
   * derivative with respect to x is exactly g. Only for reduced losses (not {@code reduction=none}, whose
   * per-image values would need per-image gradients).
   *
   * <p>Measured (docs/BENCHMARKS.md, "DJL": 16×1×512×512 logits, forward + backward, one thread, the
   * core's Vector API kernels on AVX-512; interleaved run on an idle machine): bce 9.7 ms instead of
   * 11.3 ms, focal 10.2 ms instead of 26.6 ms (on a loaded machine 15.6 / 22.5 and 13.7 / 89 ms; the
   * host copies cost about 4 ms), Dice 11.1 ms instead of 7.3 ms (so region losses keep the NDArray
   * path), lovasz 63 ms instead of 572 ms; with the core's scalar fallback (a JVM without {@code --add-modules
   * jdk.incubator.vector}) the surrogate costs about 220 ms, so AUTO never picks it then. The Lovász
   * hinge has no vector kernel: its cost is a sort, and the core's (of the positive errors only, in
   * Java) beats PyTorch's argsort plus cumulative sums on CPU tensors, so AUTO picks the core for it on
   * every CPU tensor (see {@link DjlLovaszLoss}).
   */
  public enum CoreKernels {
    /**
     * The core's kernels when they are fast: for {@code bce} and {@code focal}, the Vector API kernels are
     * loaded, the predictions are on the CPU, the loss is reduced, and there are no pixel weights and no
     * ignore value (the cases the core runs through its vector kernels); for {@code lovasz}, any reduced
     * loss on the CPU. The NDArray path otherwise.
     */
    AUTO,
    /** Always the core on the host (any weights, ignore value, device; not with reduction none). */
    ALWAYS,
    /** Always the NDArray path. */
    NEVER
  }

  private static final DjlLossOptions PROBABILITIES = new DjlLossOptions(false, Float.NaN, true, CoreKernels.AUTO);
  private static final DjlLossOptions LOGITS = new DjlLossOptions(true, Float.NaN, true, CoreKernels.AUTO);

  private final boolean fromLogits;
  private final float ignoreValue;
  private final boolean checkInputs;
  private final CoreKernels coreKernels;

  private DjlLossOptions(boolean fromLogits, float ignoreValue, boolean checkInputs, CoreKernels coreKernels) {
    this.fromLogits = fromLogits;
    this.ignoreValue = ignoreValue;
    this.checkInputs = checkInputs;
    this.coreKernels = coreKernels;
  }

  /** Predictions are probabilities; nothing ignored; inputs checked. */
  public static DjlLossOptions probabilities() {
    return PROBABILITIES;
  }

  /** Predictions are logits; nothing ignored; inputs checked. */
  public static DjlLossOptions logits() {
    return LOGITS;
  }

  /** {@link #logits()} when {@code fromLogits}, else {@link #probabilities()}. */
  public static DjlLossOptions of(boolean fromLogits) {
    return fromLogits ? LOGITS : PROBABILITIES;
  }

  /** A copy that ignores pixels whose label equals {@code v} (NaN for none). */
  public DjlLossOptions withIgnoreValue(double v) {
    return new DjlLossOptions(fromLogits, (float) v, checkInputs, coreKernels);
  }

  /** A copy that checks (or not) the inputs of every batch (default: checked). */
  public DjlLossOptions withInputChecks(boolean check) {
    return new DjlLossOptions(fromLogits, ignoreValue, check, coreKernels);
  }

  /** A copy with another choice of where {@code bce} and {@code focal} are computed. */
  public DjlLossOptions withCoreKernels(CoreKernels mode) {
    if (mode == null) throw new dev.segloss.core.InvalidInputException("coreKernels: expected AUTO, ALWAYS or NEVER, got null");
    return new DjlLossOptions(fromLogits, ignoreValue, checkInputs, mode);
  }

  public CoreKernels coreKernels() {
    return coreKernels;
  }

  public boolean fromLogits() {
    return fromLogits;
  }

  /** The ignore value, NaN when none. */
  public float ignoreValue() {
    return ignoreValue;
  }

  public boolean hasIgnore() {
    return !Float.isNaN(ignoreValue);
  }

  /** True when the inputs of every batch are checked (the default). */
  public boolean checkInputs() {
    return checkInputs;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof DjlLossOptions)) return false;
    DjlLossOptions x = (DjlLossOptions) o;
    return x.fromLogits == fromLogits && Float.compare(x.ignoreValue, ignoreValue) == 0 && x.checkInputs == checkInputs
        && x.coreKernels == coreKernels;
  }

  @Override
  public int hashCode() {
    return ((Boolean.hashCode(fromLogits) * 31 + Float.hashCode(ignoreValue)) * 31 + Boolean.hashCode(checkInputs)) * 31
        + coreKernels.hashCode();
  }

  @Override
  public String toString() {
    return (fromLogits ? "logits" : "probabilities") + (hasIgnore() ? ", ignore " + ignoreValue : "")
        + (checkInputs ? "" : ", unchecked") + (coreKernels == CoreKernels.AUTO ? "" : ", core kernels " + coreKernels);
  }
}
