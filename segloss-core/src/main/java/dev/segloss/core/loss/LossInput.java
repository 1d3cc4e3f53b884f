package dev.segloss.core.loss;

import dev.segloss.core.InvalidInputException;
import dev.segloss.core.Tensor;
import java.util.Arrays;

/**
 * What every loss and metric takes: {@code y_true} and {@code y_pred} of identical shape
 * {@code [N, d1, ..., dk]} (k &ge; 1, batch first), optional weights of the same shape (per pixel) or of
 * shape {@code [N]} (per image), an optional ignore value, and whether {@code y_pred} holds logits.
 *
 * <p>Validation (on by default, one pass over the data): shapes, NaN/Inf in predictions or weights,
 * probabilities in [0,1] unless logits, labels in [0,1] or the ignore value, weights &ge; 0. Hot training
 * loops that already trust their data may call {@link Builder#unchecked()}; shapes are always checked.
 */
public final class LossInput {
  private final Tensor yTrue;
  private final Tensor yPred;
  private final boolean fromLogits;
  private final Tensor weights;
  private final boolean perImageWeights;
  private final float ignoreValue;
  private final int threads;

  private LossInput(Builder b) {
    this.threads = b.threads;
    this.yTrue = b.yTrue;
    this.yPred = b.yPred;
    this.fromLogits = b.fromLogits;
    this.weights = b.weights;
    this.ignoreValue = b.ignoreValue;
    this.perImageWeights = weights != null && !weights.sameShape(yTrue);
  }

  public static Builder builder(Tensor yTrue, Tensor yPred) {
    return new Builder(yTrue, yPred);
  }

  /** Probabilities, no weights, nothing ignored. */
  public static LossInput of(Tensor yTrue, Tensor yPred) {
    return builder(yTrue, yPred).build();
  }

  public Tensor yTrue() {
    return yTrue;
  }

  public Tensor yPred() {
    return yPred;
  }

  public boolean fromLogits() {
    return fromLogits;
  }

  /** Weights or null. */
  public Tensor weights() {
    return weights;
  }

  /** True when the weights have shape [N] (one per image). */
  public boolean perImageWeights() {
    return perImageWeights;
  }

  public boolean hasPixelWeights() {
    return weights != null && !perImageWeights;
  }

  /** The ignore value, NaN when none. */
  public float ignoreValue() {
    return ignoreValue;
  }

  public boolean hasIgnore() {
    return !Float.isNaN(ignoreValue);
  }

  /** Threads the loss may use (images are split among them); 1 by default. */
  public int threads() {
    return threads;
  }

  public int batch() {
    return yTrue.batch();
  }

  public int imageSize() {
    return yTrue.imageSize();
  }

  /** Weight of pixel i (1 when there are no weights; per-image weights are broadcast). */
  public float pixelWeight(int i) {
    if (weights == null) return 1f;
    return perImageWeights ? weights.data()[i / imageSize()] : weights.data()[i];
  }

  /** Weight of image n (1 unless per-image weights are given). */
  public double imageWeight(int n) {
    return perImageWeights ? weights.data()[n] : 1.0;
  }

  /** True when pixel i is counted (its label is not the ignore value). */
  public boolean counted(int i) {
    return !(hasIgnore() && yTrue.data()[i] == ignoreValue);
  }

  /** A copy of this input with other predictions (same shape). */
  public LossInput withPrediction(Tensor newPred) {
    Builder b = new Builder(yTrue, newPred).fromLogits(fromLogits).ignoreValue(ignoreValue).threads(threads).unchecked();
    if (weights != null) b.weights(weights);
    return b.build();
  }

  /** Builds a {@link LossInput}. */
  public static final class Builder {
    private final Tensor yTrue;
    private final Tensor yPred;
    private boolean fromLogits;
    private Tensor weights;
    private float ignoreValue = Float.NaN;
    private boolean checked = true;
    private int threads = 1;
    private String truthName = "y_true";
    private String predName = "y_pred";
    private String weightsName = "weights";

    private Builder(Tensor yTrue, Tensor yPred) {
      if (yTrue == null) throw new InvalidInputException("y_true: expected an array, got null");
      if (yPred == null) throw new InvalidInputException("y_pred: expected an array, got null");
      this.yTrue = yTrue;
      this.yPred = yPred;
    }

    /** {@code y_pred} holds logits (real numbers) rather than probabilities. */
    public Builder fromLogits(boolean logits) {
      this.fromLogits = logits;
      return this;
    }

    /** Per-pixel weights (same shape as y_true) or per-image weights (shape [N]), all &ge; 0. */
    public Builder weights(Tensor w) {
      this.weights = w;
      return this;
    }

    /** Pixels whose label equals this value count in no loss or metric; NaN for none. */
    public Builder ignoreValue(double v) {
      this.ignoreValue = (float) v;
      return this;
    }

    /**
     * Threads to use for this input (images are split into contiguous chunks, results are identical to
     * one thread). Default 1; worth it for large batches.
     */
    public Builder threads(int n) {
      if (n < 1) throw new InvalidInputException("threads: expected at least 1, got " + n);
      this.threads = n;
      return this;
    }

    /** Skips the value checks (shapes are still checked). */
    public Builder unchecked() {
      this.checked = false;
      return this;
    }

    /** Names used in error messages (e.g. file names given on the command line). */
    public Builder names(String truth, String pred, String weightsArg) {
      this.truthName = truth;
      this.predName = pred;
      this.weightsName = weightsArg;
      return this;
    }

    public LossInput build() {
      int[] ts = yTrue.shape();
      int[] ps = yPred.shape();
      if (!Arrays.equals(ts, ps)) {
        throw new InvalidInputException(predName + ": shape " + Tensor.shapeString(ps) + " does not match "
            + truthName + " shape " + Tensor.shapeString(ts));
      }
      if (ts.length < 2) {
        throw new InvalidInputException(truthName + ": expected shape [N, d1, ...] with a batch axis and at least one image axis, got "
            + Tensor.shapeString(ts));
      }
      if (yTrue.size() == 0) throw new InvalidInputException(truthName + ": the array is empty " + Tensor.shapeString(ts));
      if (weights != null) {
        int[] ws = weights.shape();
        boolean pixel = Arrays.equals(ws, ts);
        boolean image = ws.length == 1 && ws[0] == ts[0];
        if (!pixel && !image) {
          throw new InvalidInputException(weightsName + ": shape " + Tensor.shapeString(ws) + " is neither the shape of "
              + truthName + " " + Tensor.shapeString(ts) + " nor [" + ts[0] + "] (one weight per image)");
        }
      }
      if (checked) check();
      return new LossInput(this);
    }

    private void check() {
      float[] p = yPred.data();
      for (int i = 0; i < p.length; i++) {
        float v = p[i];
        if (!Float.isFinite(v)) {
          throw InvalidInputException.nonFinitePrediction(predName, v, i);
        }
        if (!fromLogits && (v < 0f || v > 1f)) {
          throw InvalidInputException.notAProbability(predName, v, i);
        }
      }
      float[] t = yTrue.data();
      boolean ign = !Float.isNaN(ignoreValue);
      for (int i = 0; i < t.length; i++) {
        float v = t[i];
        if (ign && v == ignoreValue) continue;
        if (!(v >= 0f && v <= 1f)) {
          throw InvalidInputException.badLabel(truthName, v, i, ignoreValue);
        }
      }
      if (weights != null) {
        float[] w = weights.data();
        for (int i = 0; i < w.length; i++) {
          if (!Float.isFinite(w[i]) || w[i] < 0f) {
            throw new InvalidInputException(weightsName + ": " + w[i] + " at flat index " + i + "; weights must be finite and >= 0");
          }
        }
      }
    }
  }
}
