package dev.segloss.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.segloss.train.model.UNet;

/**
 * Runs a trained U-Net over an {@link ImageSet} in inference mode (batch norm with its running
 * statistics, no autograd), in batches.
 */
public final class Inference {
  private Inference() {}

  /** Receives the logits {@code [n, 1, H, W]} of images {@code start .. start+n-1}. */
  @FunctionalInterface
  public interface BatchConsumer {
    void accept(int start, int n, NDArray logits, NDManager batchManager);
  }

  /** Forward passes over {@code set} in batches of {@code batch}, without autograd ({@link #noGrad}). */
  public static void forEachBatch(UNet net, ImageSet set, int batch, NDManager manager, BatchConsumer consumer) {
    ParameterStore ps = new ParameterStore(manager, false);
    int c = set.channels(), h = set.height(), w = set.width(), px = c * h * w;
    noGrad(() -> {
      for (int s = 0; s < set.size(); s += batch) {
        int n = Math.min(batch, set.size() - s);
        float[] x = new float[n * px];
        for (int i = 0; i < n; i++) System.arraycopy(set.images().get(s + i), 0, x, i * px, px);
        try (NDManager sub = manager.newSubManager()) {
          NDArray in = sub.create(x, new Shape(n, c, h, w));
          NDArray logits = net.forward(ps, new NDList(in), false).singletonOrThrow();
          consumer.accept(s, n, logits, sub);
        }
      }
      return null;
    });
  }

  /**
   * Runs {@code work} with PyTorch's autograd off on this thread and restores the previous mode: the
   * no-grad scope DJL 0.36 offers for NDArray code (its JNI exposes {@code GradMode}; libtorch's {@code
   * c10::InferenceMode} is reachable only for TorchScript modules). Grad mode is per thread in libtorch
   * and on by default in a new thread; DJL turns it off only on the thread that starts the engine and
   * inside a {@code GradientCollector}, so inference on another thread, or inside a collector, would
   * otherwise record an autograd graph for every forward pass.
   */
  public static <T> T noGrad(java.util.function.Supplier<T> work) {
    boolean was = ai.djl.pytorch.jni.JniUtils.isGradMode();
    if (was) ai.djl.pytorch.jni.JniUtils.setGradMode(false);
    try {
      return work.get();
    } finally {
      if (was) ai.djl.pytorch.jni.JniUtils.setGradMode(true);
    }
  }

  /** Foreground probabilities (sigmoid of the logits), one {@code H·W} array per image. */
  public static float[][] probabilities(UNet net, ImageSet set, int batch, NDManager manager) {
    float[][] out = new float[set.size()][];
    int px = set.height() * set.width();
    forEachBatch(net, set, batch, manager, (start, n, logits, sub) -> {
      float[] p = ai.djl.nn.Activation.sigmoid(logits).toFloatArray();
      for (int i = 0; i < n; i++) out[start + i] = java.util.Arrays.copyOfRange(p, i * px, (i + 1) * px);
    });
    return out;
  }
}
