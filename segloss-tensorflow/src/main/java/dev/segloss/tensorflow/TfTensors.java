package dev.segloss.tensorflow;

import dev.segloss.core.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/** Conversions between the core's {@link Tensor} (float32, C order) and TF Java tensors. */
public final class TfTensors {
  private TfTensors() {}

  /** A new TF tensor holding a copy of the core tensor (the caller closes it). */
  public static TFloat32 of(Tensor t) {
    return TFloat32.tensorOf(shape(t.shape()), DataBuffers.of(t.data(), true, false));
  }

  /** A new TF tensor of the given shape holding a copy of {@code data}. */
  public static TFloat32 of(float[] data, int... shape) {
    return of(Tensor.of(data, shape));
  }

  /** The TF shape of an int shape. */
  public static Shape shape(int[] shape) {
    long[] s = new long[shape.length];
    for (int i = 0; i < shape.length; i++) s[i] = shape[i];
    return Shape.of(s);
  }

  /** A copy of a TF tensor's values in C order. */
  public static float[] toArray(TFloat32 t) {
    long n = t.shape().size();
    float[] out = new float[Math.toIntExact(n)];
    t.copyTo(DataBuffers.of(out, false, false));
    return out;
  }

  /** A copy of a TF tensor as a core tensor. */
  public static Tensor toCore(TFloat32 t) {
    long[] s = t.shape().asArray();
    int[] shape = new int[s.length];
    for (int i = 0; i < s.length; i++) shape[i] = Math.toIntExact(s[i]);
    if (shape.length == 0) shape = new int[] {1};
    return Tensor.of(toArray(t), shape);
  }
}
