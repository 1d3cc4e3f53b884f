package dev.segloss.core;

import java.util.Arrays;

/**
 * A dense float32 array in C (row-major) order with a shape. The first axis is the batch axis for
 * every loss and metric: {@code [N, d1, ..., dk]}, k &ge; 1.
 *
 * <p>The data array is shared, not copied: a tensor is a view of the caller's {@code float[]}.
 */
public final class Tensor {
  private final float[] data;
  private final int[] shape;

  private Tensor(float[] data, int[] shape) {
    this.data = data;
    this.shape = shape;
  }

  /** Wraps {@code data} with {@code shape}; the product of the shape must equal the data length. */
  public static Tensor of(float[] data, int... shape) {
    if (data == null) throw new InvalidInputException("data: expected an array, got null");
    if (shape == null || shape.length == 0) throw new InvalidInputException("shape: expected at least one axis");
    long n = 1;
    for (int d : shape) {
      if (d < 0) throw new InvalidInputException("shape: negative axis length in " + Arrays.toString(shape));
      n *= d;
    }
    if (n != data.length) {
      throw new InvalidInputException(
          "shape: " + Arrays.toString(shape) + " holds " + n + " values but the data has " + data.length);
    }
    return new Tensor(data, shape.clone());
  }

  /** A zero-filled tensor. */
  public static Tensor zeros(int... shape) {
    long n = 1;
    for (int d : shape) n *= d;
    if (n > Integer.MAX_VALUE - 8) throw new InvalidInputException("shape: " + Arrays.toString(shape) + " is too large");
    return of(new float[(int) n], shape);
  }

  public float[] data() {
    return data;
  }

  public int[] shape() {
    return shape.clone();
  }

  public int rank() {
    return shape.length;
  }

  public int dim(int axis) {
    return shape[axis];
  }

  public int size() {
    return data.length;
  }

  /** Length of the first axis. */
  public int batch() {
    return shape[0];
  }

  /** Number of values per item of the first axis (pixels per image). */
  public int imageSize() {
    return shape[0] == 0 ? 0 : data.length / shape[0];
  }

  /** Spatial shape of one image with singleton axes removed, e.g. [N,1,H,W] gives [H,W]. */
  public int[] spatialShape() {
    return spatialShape(shape);
  }

  /** Spatial shape of one image of a batch shape, singleton axes removed (at least one axis kept). */
  public static int[] spatialShape(int[] shape) {
    return squeeze(Arrays.copyOfRange(shape, 1, shape.length));
  }

  /** The axes of an image shape (no batch axis) that are not 1, e.g. [1, H, W] gives [H, W]; [1] if none. */
  public static int[] squeeze(int[] imageShape) {
    int[] s = Arrays.stream(imageShape).filter(d -> d != 1).toArray();
    return s.length == 0 ? new int[] {1} : s;
  }

  public Tensor reshape(int... newShape) {
    return of(data, newShape);
  }

  public boolean sameShape(Tensor other) {
    return Arrays.equals(shape, other.shape);
  }

  public static String shapeString(int[] shape) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < shape.length; i++) {
      if (i > 0) sb.append(", ");
      sb.append(shape[i]);
    }
    return sb.append(']').toString();
  }

  @Override
  public String toString() {
    return "Tensor" + shapeString(shape);
  }
}
