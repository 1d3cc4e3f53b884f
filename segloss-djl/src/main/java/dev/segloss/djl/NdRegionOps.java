package dev.segloss.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.types.Shape;
import dev.segloss.core.loss.RegionOps;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * segloss-djl's {@link RegionOps}: the soft counts of each group as float64 NDArrays [G] (one per image,
 * or [1] pooled over the batch), differentiable with respect to the predictions, and the arithmetic on
 * them; PyTorch's autograd differentiates the formula. Per-pixel sums run in float32 on the engine
 * (PyTorch's cascaded summation), everything after them in float64. Counts are computed on first use.
 *
 * <p>Two counts are summed per pixel rather than derived from others, so that a float32 per-pixel gradient
 * never subtracts two large count derivatives that nearly cancel: the soft intersection &Sigma;w·min(p, y)
 * (its derivative is w where p &lt; y and 0 elsewhere; from (&Sigma;p + &Sigma;y − &Sigma;|p − y|)/2 it would be
 * ±½ of a derivative that is about 10<sup>7</sup> with {@code log=true}), and the false positives
 * &Sigma;w·p(1 − y) (exactly 0 derivative on foreground pixels, where MCC's derivatives with respect to
 * FP and TN are huge on images without background).
 */
final class NdRegionOps implements RegionOps<NDArray> {
  private final DjlBatch b;
  private final boolean pooled;
  /** The counts and per-pixel products built so far, by name. */
  private final Map<String, NDArray> counts = new HashMap<>();

  NdRegionOps(DjlBatch b, boolean pooled) {
    this.b = b;
    this.pooled = pooled;
  }

  /** A count: the per-image sums of {@code weighted} [N, M], pooled when asked; built once. */
  private NDArray count(String name, Supplier<NDArray> weighted) {
    NDArray c = counts.get(name);
    if (c == null) {
      c = pool(Ops.f64(weighted.get().sum(new int[] {1})));
      counts.put(name, c);
    }
    return c;
  }


  /** w·p per pixel (p when every weight is 1), computed once. */
  private NDArray pw() {
    return counts.computeIfAbsent("w·p", k -> {
      NDArray wt = b.countWeights();
      return wt == null ? b.probabilities() : b.probabilities().mul(wt);
    });
  }

  /** w·y per pixel, computed once. */
  private NDArray yw() {
    return counts.computeIfAbsent("w·y", k -> {
      NDArray wt = b.countWeights();
      return wt == null ? b.y : b.y.mul(wt);
    });
  }

  /** With {@code batch=true}: the sum over images, each weighted by its per-image weight ([1]). */
  private NDArray pool(NDArray perImage) {
    if (!pooled) return perImage;
    NDArray iw = b.imageWeights == null ? null : Ops.f64(b.imageWeights);
    return (iw == null ? perImage : perImage.mul(iw)).sum(new int[] {0}, true);
  }

  @Override
  public NDArray py() {
    return count("py", () -> pw().mul(b.y));
  }

  @Override
  public NDArray p() {
    return count("p", this::pw);
  }

  @Override
  public NDArray y() {
    return count("y", this::yw);
  }

  @Override
  public NDArray pp() {
    return count("pp", () -> pw().mul(b.probabilities()));
  }

  @Override
  public NDArray yy() {
    return count("yy", () -> yw().mul(b.y));
  }

  @Override
  public NDArray w() {
    NDArray c = counts.get("w");
    if (c == null) {
      NDArray wt = b.countWeights();
      c = pool(Ops.f64(wt == null ? b.y.getManager().full(new Shape(b.n), (float) b.m) : wt.sum(new int[] {1})));
      counts.put("w", c);
    }
    return c;
  }

  @Override
  public NDArray softIntersection() {
    return count("min", () -> {
      NDArray mn = b.probabilities().minimum(b.y);
      NDArray wt = b.countWeights();
      return wt == null ? mn : mn.mul(wt);
    });
  }

  @Override
  public NDArray falsePositives() {
    return count("fp", () -> pw().mul(b.y.neg().add(1)));
  }

  @Override
  public NDArray constant(double c) {
    return b.y.getManager().create(c);
  }

  @Override
  public NDArray add(NDArray a, NDArray c) {
    return a.add(c);
  }

  @Override
  public NDArray sub(NDArray a, NDArray c) {
    return a.sub(c);
  }

  @Override
  public NDArray mul(NDArray a, NDArray c) {
    return a.mul(c);
  }

  @Override
  public NDArray div(NDArray a, NDArray c) {
    return a.div(c);
  }

  @Override
  public NDArray neg(NDArray a) {
    return a.neg();
  }

  @Override
  public NDArray log(NDArray a) {
    return a.log();
  }

  @Override
  public NDArray sqrt(NDArray a) {
    return a.sqrt();
  }

  /** |a| + log(1 + e<sup>−2|a|</sup>) − log 2, stable for any a. */
  @Override
  public NDArray logCosh(NDArray a) {
    NDArray x = a.abs();
    return x.add(x.mul(-2).exp().add(1).log()).sub(Math.log(2));
  }

  @Override
  public NDArray powPositivePart(NDArray a, double e) {
    return Ops.safePow(ai.djl.nn.Activation.relu(a), e);
  }

  @Override
  public NDArray where(NDArray test, NDArray ifPositive, NDArray otherwise) {
    Shape s = test.getShape();
    return NDArrays.where(test.gt(0), full(ifPositive, s), full(otherwise, s));
  }

  /** A constant (shape ()) broadcast to the groups' shape. */
  private static NDArray full(NDArray a, Shape s) {
    return a.getShape().equals(s) ? a : a.broadcast(s);
  }

  @Override
  public NDArray add(NDArray a, double c) {
    return a.add(c);
  }

  @Override
  public NDArray mul(double c, NDArray a) {
    return a.mul(c);
  }

  @Override
  public NDArray sub(double c, NDArray a) {
    return a.neg().add(c);
  }

  @Override
  public NDArray div(double c, NDArray a) {
    return a.getNDArrayInternal().rdiv(c);
  }
}
