package dev.segloss.examples.tensorflow;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * A small U-Net (Ronneberger et al. 2015) in TensorFlow Java graph mode, NHWC, for binary segmentation:
 * per level two 3×3 convolutions with ReLU, 2×2 max pooling down, 2×2 transposed convolutions (stride 2)
 * up, skip connections by concatenation, and a 1×1 convolution to one logit per pixel. Its variables are
 * created in the init scope with a seeded He-normal initialisation (He et al. 2015), biases zero, so that
 * a run is reproducible; {@link #variables()} lists them for {@code Graph.addGradients}.
 *
 * <p>Input [N, H, W, C] with H and W divisible by 2^depth; output logits [N, H, W, 1].
 */
public final class UNet {
  private final Ops tf;
  private final Ops root;
  private final List<Variable<TFloat32>> variables = new ArrayList<>();
  private final SplittableRandom random;
  private final int inChannels;
  private final int base;
  private final int depth;
  private final List<Operand<TFloat32>[]> encoder = new ArrayList<>();
  private final List<Operand<TFloat32>[]> decoder = new ArrayList<>();
  private final List<Operand<TFloat32>[]> up = new ArrayList<>();
  private final Operand<TFloat32>[] bottom;
  private final Operand<TFloat32>[] head;

  /**
   * Creates the variables.
   *
   * @param base channels of the first level (doubled per level)
   * @param depth number of poolings
   */
  public UNet(Ops tf, int inChannels, int base, int depth, long seed) {
    this.tf = tf.withSubScope("unet");
    this.root = tf;
    this.random = new SplittableRandom(seed);
    this.inChannels = inChannels;
    this.base = base;
    this.depth = depth;
    int c = inChannels;
    for (int l = 0; l < depth; l++) {
      int out = base << l;
      encoder.add(doubleConv(c, out));
      c = out;
    }
    bottom = doubleConv(c, base << depth);
    c = base << depth;
    for (int l = depth - 1; l >= 0; l--) {
      int out = base << l;
      up.add(new Operand[] {weight(new long[] {2, 2, out, c}, 4L * c), bias(out)});
      decoder.add(doubleConv(2 * out, out));
      c = out;
    }
    head = new Operand[] {weight(new long[] {1, 1, c, 1}, c), bias(1)};
  }

  /** Logits [N, H, W, 1] of images [N, H, W, C]. */
  public Operand<TFloat32> logits(Operand<TFloat32> images) {
    List<Operand<TFloat32>> skips = new ArrayList<>();
    Operand<TFloat32> h = images;
    for (Operand<TFloat32>[] level : encoder) {
      h = applyDoubleConv(h, level);
      skips.add(h);
      h = tf.nn.maxPool(h, tf.constant(new int[] {1, 2, 2, 1}), tf.constant(new int[] {1, 2, 2, 1}), "VALID");
    }
    h = applyDoubleConv(h, bottom);
    for (int i = 0; i < depth; i++) {
      Operand<TFloat32> skip = skips.get(depth - 1 - i);
      Operand<TFloat32>[] u = up.get(i);
      int out = base << (depth - 1 - i);
      Operand<TInt32> sizes = tf.concat(List.of(
          tf.slice(tf.shape(skip), tf.constant(new int[] {0}), tf.constant(new int[] {3})), tf.constant(new int[] {out})), tf.constant(0));
      h = tf.nn.conv2dBackpropInput(sizes, u[0], h, List.of(1L, 2L, 2L, 1L), "SAME");
      h = tf.nn.relu(tf.nn.biasAdd(h, u[1]));
      h = tf.concat(List.of(skip, h), tf.constant(3));
      h = applyDoubleConv(h, decoder.get(i));
    }
    return tf.nn.biasAdd(conv(h, head[0]), head[1]);
  }

  /** The trainable variables (weights and biases). */
  public List<Variable<TFloat32>> variables() {
    return Collections.unmodifiableList(variables);
  }

  /** Number of trainable parameters. */
  public long parameterCount() {
    long n = 0;
    for (Variable<TFloat32> v : variables) n += v.shape().size();
    return n;
  }

  @SuppressWarnings("unchecked")
  private Operand<TFloat32>[] doubleConv(int in, int out) {
    return new Operand[] {weight(new long[] {3, 3, in, out}, 9L * in), bias(out), weight(new long[] {3, 3, out, out}, 9L * out), bias(out)};
  }

  private Operand<TFloat32> applyDoubleConv(Operand<TFloat32> x, Operand<TFloat32>[] p) {
    Operand<TFloat32> h = tf.nn.relu(tf.nn.biasAdd(conv(x, p[0]), p[1]));
    return tf.nn.relu(tf.nn.biasAdd(conv(h, p[2]), p[3]));
  }

  private Operand<TFloat32> conv(Operand<TFloat32> x, Operand<TFloat32> w) {
    return tf.nn.conv2d(x, w, List.of(1L, 1L, 1L, 1L), "SAME");
  }

  /** He-normal: N(0, 2/fanIn), seeded. */
  private Variable<TFloat32> weight(long[] shape, long fanIn) {
    int n = 1;
    for (long d : shape) n *= (int) d;
    float[] v = new float[n];
    double sd = Math.sqrt(2.0 / fanIn);
    for (int i = 0; i < n; i++) v[i] = (float) (random.nextGaussian() * sd);
    Ops init = root.withInitScope();
    // top-level names: TF Java's optimizers derive slot names from the variable name and reject '/'
    Variable<TFloat32> var = init.withName("unet_w" + variables.size()).variable(init.constant(Shape.of(shape), DataBuffers.of(v)));
    variables.add(var);
    return var;
  }

  private Variable<TFloat32> bias(int n) {
    Ops init = root.withInitScope();
    Variable<TFloat32> var = init.withName("unet_b" + variables.size()).variable(init.constant(Shape.of(n), DataBuffers.of(new float[n])));
    variables.add(var);
    return var;
  }

  int inChannels() {
    return inChannels;
  }
}
