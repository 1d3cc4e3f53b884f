package dev.segloss.tensorflow;

import dev.segloss.core.InvalidInputException;
import dev.segloss.core.loss.SegLoss;
import dev.segloss.core.loss.LossParams;
import dev.segloss.core.loss.LossType;
import org.tensorflow.framework.losses.Reduction;

/**
 * A TF loss of one named family: its parameters are the core's {@link LossParams} (same names, defaults,
 * ranges and validation: one source of truth), so {@link #toCore()} builds the identical core loss.
 */
public abstract class TfSingleLoss extends TfSegLoss {
  final LossParams params;

  TfSingleLoss(LossParams params, Config config) {
    super(config);
    if (params.reduction() != config.reduction) {
      throw new IllegalArgumentException("reduction " + params.reduction() + " in the parameters but " + config.reduction + " in the config");
    }
    this.params = params;
  }

  /** The family (name and parameter schema), shared with the core. */
  public final LossType type() {
    return params.type();
  }

  /** The parameter values. */
  public final LossParams params() {
    return params;
  }

  @Override
  public SegLoss toCore() {
    return params.type().create(params);
  }

  @Override
  TfSegLoss with(Config c) {
    return TfLosses.create(params.with("reduction", c.reduction), c);
  }

  @Override
  boolean pooled() {
    return false;
  }

  /**
   * Base of the typed builders: parameters by their spec names (checked by the core schema as they are
   * set) and the TF options.
   */
  public abstract static class Builder<B extends Builder<B, L>, L extends TfSingleLoss> {
    private LossParams params;
    private Config config = Config.defaults(false);

    protected Builder(LossType type) {
      this.params = type.defaults();
    }

    /** Sets a parameter by its spec name (snake_case), e.g. {@code set("w_neg", 0.2)}. */
    public B set(String name, Object value) {
      params = params.with(name, value);
      if (name.equals("reduction")) config = config.reduction(params.reduction());
      return self();
    }

    /** Predictions are logits (default false: probabilities). */
    public B fromLogits(boolean v) {
      config = config.fromLogits(v);
      return self();
    }

    /** The TF reduction (default {@code SUM_OVER_BATCH_SIZE}, the core's {@code mean}). */
    public B reduction(Reduction r) {
      return set("reduction", fromTf(r));
    }

    /** The core reduction, including {@code weighted_mean}. */
    public B reduction(dev.segloss.core.loss.Reduction r) {
      if (r == null) throw new InvalidInputException("reduction: expected a value, got null");
      return set("reduction", r);
    }

    /** Pixels whose label equals this value count nowhere (e.g. 255). */
    public B ignoreValue(double v) {
      config = config.ignoreValue((float) v);
      return self();
    }

    /** Run-time checks of predictions and weights (default on). */
    public B checkInputs(boolean v) {
      config = config.check(v);
      return self();
    }

    /** The name (and name scope of the ops); default the class name. */
    public B name(String v) {
      config = config.name(v);
      return self();
    }

    @SuppressWarnings("unchecked")
    private B self() {
      return (B) this;
    }

    @SuppressWarnings("unchecked")
    public L build() {
      return (L) TfLosses.create(params, config);
    }
  }
}
