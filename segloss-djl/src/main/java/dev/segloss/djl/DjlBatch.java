package dev.segloss.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.segloss.core.InvalidInputException;
import dev.segloss.core.Tensor;
import dev.segloss.core.loss.LossInput;
import java.util.Arrays;

/**
 * One evaluation's inputs, checked and flattened to {@code [N, M]} (N images of M pixels each), shared
 * by every term of a weighted sum. Labels come as {@code NDList(y_true)} or {@code NDList(y_true,
 * weights)}; predictions as the head of their list.
 *
 * <p>Shapes: {@code y_true} and {@code y_pred} must have the same shape {@code [N, d1, ..., dk]}
 * (k &ge; 1), or shapes that agree once singleton axes after the batch axis are dropped (so labels
 * {@code [N, H, W]} go with predictions {@code [N, 1, H, W]}, as DJL datasets often deliver them).
 * Weights have the shape of {@code y_true} (per pixel, same leniency) or {@code [N]} (per image).
 * Ignored pixels get label 0 and weight 0 (so they contribute nothing and receive zero gradient).
 */
final class DjlBatch {
  final int n;
  final int m;
  /** Labels [N, M] float32, 0 at ignored pixels. */
  final NDArray y;
  /** Labels as given, float32, [N, M] (the ignore value still in place). */
  final NDArray rawY;
  /** Predictions [N, M] as given (probabilities or logits), float32. */
  final NDArray x;
  final boolean logits;
  /** 1 where counted, 0 where ignored, [N, M] float32; null when nothing is ignored. */
  final NDArray counted;
  /** Per-pixel weights × counted [N, M]; null when there are no pixel weights. */
  private final NDArray pixelWeights;
  /** Per-image weights [N] float32; null when absent. */
  final NDArray imageWeights;
  /** The weights as given (pixel [N, M] or image [N]), null when absent. */
  final NDArray rawWeights;
  /** The predictions' original shape (for distance maps). */
  final Shape shape;
  private NDArray probabilities;

  private DjlBatch(int n, int m, NDArray y, NDArray rawY, NDArray x, boolean logits, NDArray counted, NDArray pixelWeights,
      NDArray imageWeights, NDArray rawWeights, Shape shape) {
    this.n = n;
    this.m = m;
    this.y = y;
    this.rawY = rawY;
    this.x = x;
    this.logits = logits;
    this.counted = counted;
    this.pixelWeights = pixelWeights;
    this.imageWeights = imageWeights;
    this.rawWeights = rawWeights;
    this.shape = shape;
  }

  static DjlBatch of(NDList labels, NDList predictions, DjlLossOptions o) {
    if (predictions == null || predictions.isEmpty()) {
      throw new InvalidInputException("y_pred: expected an NDList holding the predictions, got an empty list");
    }
    if (labels == null || labels.isEmpty() || labels.size() > 2) {
      throw new InvalidInputException("labels: expected NDList(y_true) or NDList(y_true, weights), got "
          + (labels == null ? "null" : labels.size() + " arrays"));
    }
    NDArray x = predictions.head();
    NDArray y = labels.get(0);
    Shape ps = x.getShape();
    Shape ts = y.getShape();
    if (ps.dimension() < 2) {
      throw new InvalidInputException("y_pred: expected shape [N, d1, ...] with a batch axis and at least one image axis, got "
          + str(ps));
    }
    if (!compatible(ts, ps)) {
      throw new InvalidInputException("y_true: shape " + str(ts) + " does not match y_pred shape " + str(ps));
    }
    long size = ps.size();
    if (size == 0) throw new InvalidInputException("y_pred: the array is empty " + str(ps));
    int n = (int) ps.get(0);
    long mm = size / n;
    if (mm > Integer.MAX_VALUE) throw new InvalidInputException("y_pred: images of " + mm + " pixels are too large");
    int m = (int) mm;
    x = Ops.cast(x, DataType.FLOAT32).reshape(n, m);
    y = float32(y).reshape(n, m);
    NDArray w = labels.size() == 2 ? float32(labels.get(1)) : null;
    NDArray pixelW = null;
    NDArray imageW = null;
    if (w != null) {
      Shape ws = w.getShape();
      if (compatible(ws, ps)) {
        pixelW = w.reshape(n, m);
      } else if (ws.size() == n && ws.dimension() >= 1 && ws.get(0) == n) {
        imageW = w.reshape(n);
      } else {
        throw new InvalidInputException("weights: shape " + str(ws) + " is neither the shape of y_true " + str(ts)
            + " nor [" + n + "] (one weight per image)");
      }
    }
    if (o.checkInputs()) check(y, x, w, n, m, o);
    NDArray rawWeights = pixelW != null ? pixelW : imageW;
    NDArray counted = null;
    NDArray rawY = y;
    if (o.hasIgnore()) {
      counted = y.neq(o.ignoreValue()).toType(DataType.FLOAT32, false);
      y = y.mul(counted);
      if (pixelW != null) pixelW = pixelW.mul(counted);
    }
    return new DjlBatch(n, m, y, rawY, x, o.fromLogits(), counted, pixelW, imageW, rawWeights, ps);
  }

  private static NDArray float32(NDArray a) {
    return a.getDataType() == DataType.FLOAT32 ? a : a.toType(DataType.FLOAT32, false);
  }

  /** Equal shapes, or equal once singleton axes after the batch axis are dropped (same batch). */
  static boolean compatible(Shape a, Shape b) {
    if (a.equals(b)) return true;
    if (a.dimension() < 1 || b.dimension() < 1 || a.get(0) != b.get(0)) return false;
    return Arrays.equals(squeezed(a), squeezed(b));
  }

  private static long[] squeezed(Shape s) {
    return Arrays.stream(s.getShape()).skip(1).filter(d -> d != 1).toArray();
  }

  static String str(Shape s) {
    long[] d = s.getShape();
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < d.length; i++) sb.append(i > 0 ? ", " : "").append(d[i]);
    return sb.append(']').toString();
  }

  /**
   * The core's input checks: on the device, then, only when one fails, on a host copy for the core's
   * one-line message (the value and flat index of the first bad entry).
   */
  private static void check(NDArray y, NDArray x, NDArray w, int n, int m, DjlLossOptions o) {
    NDArray bad = x.isNaN().logicalOr(x.isInfinite());
    if (!o.fromLogits()) bad = bad.logicalOr(x.lt(0f)).logicalOr(x.gt(1f));
    NDArray badLabel = y.isNaN().logicalOr(y.lt(0f)).logicalOr(y.gt(1f));
    if (o.hasIgnore()) badLabel = badLabel.logicalAnd(y.neq(o.ignoreValue()));
    NDArray any = bad.any().logicalOr(badLabel.any());
    if (w != null) any = any.logicalOr(w.isNaN().logicalOr(w.isInfinite()).logicalOr(w.lt(0f)).any());
    if (!any.getBoolean()) return;
    Tensor ty = Tensor.of(y.toFloatArray(), n, m);
    Tensor tx = Tensor.of(x.toFloatArray(), n, m);
    LossInput.Builder b = LossInput.builder(ty, tx).fromLogits(o.fromLogits()).ignoreValue(o.ignoreValue());
    if (w != null) {
      float[] wd = w.toFloatArray();
      b.weights(wd.length == n ? Tensor.of(wd, n) : Tensor.of(wd, n, m));
    }
    b.build();
  }

  /** Probabilities [N, M]: sigmoid(x) on logits, x itself otherwise (computed once per batch). */
  NDArray probabilities() {
    if (probabilities == null) probabilities = logits ? x.getNDArrayInternal().sigmoid() : x;
    return probabilities;
  }

  /** Counted pixels per image on the host (a synchronisation). */
  int[] countedPerImageOnHost() {
    int[] c = new int[n];
    if (counted == null) {
      java.util.Arrays.fill(c, m);
      return c;
    }
    float[] f = countedPerImage().toFloatArray();
    for (int i = 0; i < n; i++) c[i] = Math.round(f[i]);
    return c;
  }

  boolean hasPixelWeights() {
    return pixelWeights != null;
  }

  /**
   * Weights of the per-pixel losses' values [N, M] (pixel weights, or image weights broadcast, times the
   * counted mask), or null when every pixel weighs 1.
   */
  NDArray pixelLossWeights() {
    if (pixelWeights != null) return pixelWeights;
    if (imageWeights != null) {
      NDArray iw = imageWeights.reshape(n, 1);
      return counted == null ? iw.broadcast(n, m) : counted.mul(iw);
    }
    return counted;
  }

  /** Weights inside the soft counts of region losses [N, M] (pixel weights × counted), or null. */
  NDArray countWeights() {
    return pixelWeights != null ? pixelWeights : counted;
  }

  /** Counted pixels per image [N] (float32). */
  NDArray countedPerImage() {
    return counted == null ? y.getManager().full(new Shape(n), (float) m) : counted.sum(new int[] {1});
  }


}
