package dev.segloss.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.util.Pair;
import dev.segloss.core.InvalidInputException;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adam (Kingma &amp; Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015) whose whole state — the
 * step count and the first and second moments of every parameter, keyed by parameter name — can be
 * saved and restored, so that a resumed run continues exactly where it stopped.
 *
 * <p>DJL's own {@code ai.djl.training.optimizer.Adam} keeps its moments in private maps keyed by the
 * parameters' random UUIDs and its step counts in a private map of the base class, with no way to read
 * or write them; a run resumed with it would restart the moments at zero and the bias correction at step
 * one. This class performs the same update through the same engine operation
 * ({@code NDArrayEx.adamUpdate}, in place, without autograd):
 *
 * <pre>
 *   g ← grad + wd·w;  m ← β1·m + (1−β1)·g;  v ← β2·v + (1−β2)·g²
 *   w ← w − lr_t · m / (√v + ε),   lr_t = lr·√(1−β2^t)/(1−β1^t)
 * </pre>
 *
 * (the paper's "efficient version" of the bias correction, as DJL does). Defaults are the paper's: β1 =
 * 0.9, β2 = 0.999, ε = 1e-8, no weight decay. Gradients are zeroed after each update (PyTorch
 * accumulates them).
 */
public final class AdamOptimizer {
  private static final int MAGIC = 0x5345_4141; // "SEAA"
  private final float beta1;
  private final float beta2;
  private final float epsilon;
  private final float weightDecay;
  private long step;
  private final Map<String, NDArray[]> moments = new LinkedHashMap<>();

  public AdamOptimizer(float beta1, float beta2, float epsilon, float weightDecay) {
    if (!(beta1 >= 0 && beta1 < 1)) throw new InvalidInputException("adam beta1: expected [0, 1), got " + beta1);
    if (!(beta2 >= 0 && beta2 < 1)) throw new InvalidInputException("adam beta2: expected [0, 1), got " + beta2);
    if (!(epsilon > 0)) throw new InvalidInputException("adam epsilon: expected > 0, got " + epsilon);
    if (!(weightDecay >= 0)) throw new InvalidInputException("--weight-decay: expected >= 0, got " + weightDecay);
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
    this.weightDecay = weightDecay;
  }

  /** The paper's defaults with weight decay {@code weightDecay}. */
  public static AdamOptimizer withDefaults(float weightDecay) {
    return new AdamOptimizer(0.9f, 0.999f, 1e-8f, weightDecay);
  }

  /** Updates done so far. */
  public long step() {
    return step;
  }

  /**
   * One update of every parameter that requires a gradient, with learning rate {@code lr}; the moments
   * are created (zero) on first use in {@code stateManager}. Gradients are zeroed afterwards.
   */
  public void update(Iterable<Pair<String, Parameter>> params, float lr, NDManager stateManager) {
    if (!(lr >= 0) || Float.isInfinite(lr)) throw new IllegalStateException("learning rate is " + lr);
    step++;
    double c1 = 1 - Math.pow(beta1, step);
    double c2 = 1 - Math.pow(beta2, step);
    float lrCorrected = (float) (lr * Math.sqrt(c2) / c1);
    for (Pair<String, Parameter> e : params) {
      Parameter p = e.getValue();
      if (!p.requiresGradient()) continue;
      NDArray w = p.getArray();
      NDArray[] mv = moments.computeIfAbsent(e.getKey(), k -> new NDArray[] {
          stateManager.zeros(w.getShape(), w.getDataType(), w.getDevice()),
          stateManager.zeros(w.getShape(), w.getDataType(), w.getDevice())});
      try (NDArray g = w.getGradient()) {
        w.getNDArrayInternal().adamUpdate(new NDList(w, g, mv[0], mv[1]), new NDList(w), lr, lrCorrected, weightDecay,
            1f, -1f, beta1, beta2, epsilon, true, false);
      }
      zeroGradient(w);
    }
  }

  /** Sets the gradient of {@code w} to zero (PyTorch accumulates gradients across backward passes). */
  public static void zeroGradient(NDArray w) {
    if (w instanceof PtNDArray) {
      JniUtils.zeroGrad((PtNDArray) w);
    } else {
      try (NDArray g = w.getGradient()) {
        g.muli(0);
      }
    }
  }

  /** Writes the step count, hyperparameters and moments. */
  public void save(DataOutputStream out) throws IOException {
    out.writeInt(MAGIC);
    out.writeLong(step);
    out.writeFloat(beta1);
    out.writeFloat(beta2);
    out.writeFloat(epsilon);
    out.writeFloat(weightDecay);
    out.writeInt(moments.size());
    for (Map.Entry<String, NDArray[]> e : moments.entrySet()) {
      out.writeUTF(e.getKey());
      for (NDArray a : e.getValue()) writeArray(out, a);
    }
  }

  /** Restores what {@link #save} wrote; the hyperparameters must be equal. */
  public void load(DataInputStream in, NDManager stateManager) throws IOException {
    if (in.readInt() != MAGIC) throw new IOException("optimizer state: bad magic number");
    long s = in.readLong();
    float b1 = in.readFloat(), b2 = in.readFloat(), eps = in.readFloat(), wd = in.readFloat();
    if (b1 != beta1 || b2 != beta2 || eps != epsilon || wd != weightDecay) {
      throw new IOException("optimizer state: saved with beta1=" + b1 + ", beta2=" + b2 + ", eps=" + eps + ", wd=" + wd
          + " but this run uses " + beta1 + ", " + beta2 + ", " + epsilon + ", " + weightDecay);
    }
    int n = in.readInt();
    for (NDArray[] mv : moments.values()) for (NDArray a : mv) a.close();
    moments.clear();
    for (int i = 0; i < n; i++) {
      String name = in.readUTF();
      NDArray m = readArray(in, stateManager);
      NDArray v = readArray(in, stateManager);
      moments.put(name, new NDArray[] {m, v});
    }
    step = s;
  }

  static void writeArray(DataOutputStream out, NDArray a) throws IOException {
    long[] shape = a.getShape().getShape();
    out.writeInt(shape.length);
    for (long d : shape) out.writeLong(d);
    float[] v = a.toFloatArray();
    for (float f : v) out.writeFloat(f);
  }

  static NDArray readArray(DataInputStream in, NDManager manager) throws IOException {
    int rank = in.readInt();
    if (rank < 0 || rank > 8) throw new IOException("optimizer state: bad array rank " + rank);
    long[] shape = new long[rank];
    long size = 1;
    for (int i = 0; i < rank; i++) {
      shape[i] = in.readLong();
      if (shape[i] < 0 || shape[i] > Integer.MAX_VALUE) throw new IOException("optimizer state: bad array shape");
      size *= shape[i];
      if (size > Integer.MAX_VALUE / 4) throw new IOException("optimizer state: array too large");
    }
    float[] v = new float[(int) size];
    for (int i = 0; i < v.length; i++) v[i] = in.readFloat();
    return manager.create(v, new Shape(shape));
  }

  /** Frees the moments. */
  public void close() {
    for (NDArray[] mv : moments.values()) for (NDArray a : mv) a.close();
    moments.clear();
  }
}
