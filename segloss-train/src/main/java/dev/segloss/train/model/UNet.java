package dev.segloss.train.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.segloss.core.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A 2D U-Net (Ronneberger, Fischer &amp; Brox, "U-Net: Convolutional Networks for Biomedical Image
 * Segmentation", MICCAI 2015) for binary segmentation, as a DJL block. Input {@code [N, C, H, W]} float32
 * (H and W multiples of 2^depth); output {@code [N, 1, H, W]} <b>logits</b> (apply a sigmoid for
 * probabilities).
 *
 * <ul>
 *   <li>Each level: two 3×3 convolutions (padding 1, no bias) each followed by batch norm (Ioffe &amp;
 *       Szegedy 2015; DJL defaults ε = 1e-5, momentum 0.9) and ReLU; 2×2 max pooling between levels.
 *   <li>Upsampling: a 1×1 convolution to 4·c channels and a {@link PixelShuffle} with factor 2 — the
 *       exact equivalent of a 2×2 stride-2 transposed convolution (DJL's PyTorch engine has none),
 *       initialised with ICNR (Aitken et al. 2017, "Checkerboard artifact free sub-pixel convolution") so
 *       that it starts as nearest-neighbour upsampling followed by a 1×1 convolution.
 *   <li>Skip connections by channel concatenation, as in the paper, with "same" padding so that the output
 *       has the input's size (the paper's valid convolutions crop instead).
 *   <li>Head: a 1×1 convolution to one channel with bias: the logits.
 * </ul>
 *
 * <p>Weights are initialised by {@link #initializeWeights(long)} from a seed alone (He et al. 2015 normal
 * initialisation for convolutions, batch-norm scale 1 and shift 0, biases 0), with {@link java.util.Random}
 * whose sequence is specified by the JDK: the same seed gives the same network on every machine and
 * engine, independent of DJL's and PyTorch's random state.
 */
public final class UNet extends AbstractBlock {
  private static final byte VERSION = 1;

  private final UNetConfig config;
  private final List<Block> encoders = new ArrayList<>();
  private final List<Block> ups = new ArrayList<>();
  private final List<Block> decoders = new ArrayList<>();
  private final Block head;

  public UNet(UNetConfig config) {
    super(VERSION);
    this.config = config;
    int depth = config.depth();
    for (int l = 0; l <= depth; l++) encoders.add(addChildBlock("enc" + l, doubleConv(config.width(l))));
    for (int l = depth - 1; l >= 0; l--) {
      ups.add(addChildBlock("up" + l, Conv2d.builder().setKernelShape(new Shape(1, 1)).setFilters(4 * config.width(l)).build()));
      decoders.add(addChildBlock("dec" + l, doubleConv(config.width(l))));
    }
    head = addChildBlock("head", Conv2d.builder().setKernelShape(new Shape(1, 1)).setFilters(1).build());
  }

  public UNetConfig config() {
    return config;
  }

  private static Block doubleConv(int c) {
    SequentialBlock b = new SequentialBlock();
    for (int i = 0; i < 2; i++) {
      b.add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(c).optBias(false).build());
      b.add(BatchNorm.builder().build());
      b.add(Activation::relu);
    }
    return b;
  }

  /** Checks an input shape: rank 4, the configured channels, sides multiples of 2^depth. */
  public void checkInputShape(Shape s) {
    if (s.dimension() != 4) throw new InvalidInputException("U-Net input: expected [N, C, H, W], got " + s);
    if (s.get(1) != config.inChannels()) {
      throw new InvalidInputException("U-Net input: expected " + config.inChannels() + " channel(s), got shape " + s);
    }
    int m = config.sizeMultiple();
    if (s.get(2) % m != 0 || s.get(3) % m != 0) {
      throw new InvalidInputException("U-Net input: height and width must be multiples of 2^depth = " + m + ", got "
          + s.get(2) + "×" + s.get(3));
    }
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow();
    checkInputShape(x.getShape());
    int depth = config.depth();
    NDArray[] skips = new NDArray[depth];
    for (int l = 0; l < depth; l++) {
      x = encoders.get(l).forward(ps, new NDList(x), training, params).singletonOrThrow();
      skips[l] = x;
      x = Pool.maxPool2d(x, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false);
    }
    x = encoders.get(depth).forward(ps, new NDList(x), training, params).singletonOrThrow();
    for (int i = 0; i < depth; i++) {
      int l = depth - 1 - i;
      x = ups.get(i).forward(ps, new NDList(x), training, params).singletonOrThrow();
      x = PixelShuffle.apply(x, 2);
      x = skips[l].concat(x, 1);
      x = decoders.get(i).forward(ps, new NDList(x), training, params).singletonOrThrow();
    }
    return head.forward(ps, new NDList(x), training, params);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape s = inputShapes[0];
    return new Shape[] {new Shape(s.get(0), 1, s.get(2), s.get(3))};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape s = inputShapes[0];
    long n = s.get(0), h = s.get(2), w = s.get(3);
    int depth = config.depth();
    long c = s.get(1);
    for (int l = 0; l <= depth; l++) {
      Shape in = new Shape(n, c, h >> l, w >> l);
      encoders.get(l).initialize(manager, dataType, in);
      c = config.width(l);
    }
    for (int i = 0; i < depth; i++) {
      int l = depth - 1 - i;
      ups.get(i).initialize(manager, dataType, new Shape(n, c, h >> (l + 1), w >> (l + 1)));
      decoders.get(i).initialize(manager, dataType, new Shape(n, 2L * config.width(l), h >> l, w >> l));
      c = config.width(l);
    }
    head.initialize(manager, dataType, new Shape(n, c, h, w));
  }

  /**
   * Sets every parameter from {@code seed} alone (see the class comment). Call after {@code initialize}.
   * Parameters are visited in name order; parameter k draws from {@code new Random(seed * 1_000_003 + k)}.
   */
  public void initializeWeights(long seed) {
    int k = 0;
    List<Map.Entry<String, Parameter>> all = new ArrayList<>();
    for (var e : getParameters()) all.add(Map.entry(e.getKey(), e.getValue()));
    all.sort(Map.Entry.comparingByKey());
    for (Map.Entry<String, Parameter> e : all) {
      Parameter p = e.getValue();
      NDArray a = p.getArray();
      int size = Math.toIntExact(a.size());
      float[] v = new float[size];
      Random rnd = new Random(seed * 1_000_003L + k++);
      switch (p.getType()) {
        case WEIGHT -> {
          Shape s = a.getShape();
          int out = (int) s.get(0);
          int fanIn = (int) (s.size() / out);
          double std = Math.sqrt(2.0 / fanIn);
          boolean up = e.getKey().contains("up") && s.get(2) == 1 && s.get(3) == 1 && out % 4 == 0 && isUpName(e.getKey());
          if (up) {
            // ICNR: draw the weights of one sub-pixel position and copy them to the other three, so the
            // 1×1 conv + pixel shuffle starts as nearest-neighbour upsampling of a 1×1 conv.
            int c = out / 4;
            float[] sub = new float[c * fanIn];
            for (int i = 0; i < sub.length; i++) sub[i] = (float) (rnd.nextGaussian() * std);
            for (int o = 0; o < out; o++) {
              int src = o / 4; // output channel o = c·4 + sub-pixel index
              System.arraycopy(sub, src * fanIn, v, o * fanIn, fanIn);
            }
          } else {
            for (int i = 0; i < size; i++) v[i] = (float) (rnd.nextGaussian() * std);
          }
        }
        case GAMMA, RUNNING_VAR -> java.util.Arrays.fill(v, 1f);
        default -> {
          // BIAS, BETA, RUNNING_MEAN and anything else: zero
        }
      }
      // a new tensor takes the parameter's place, not a.set(v): DJL's set copies through libtorch's
      // deprecated AutoNonVariableTypeMode guard, whose one-time warning ("... please use
      // c10::InferenceMode ...") would reach stderr of every training process. On the CPU, DJL's create
      // wraps the Java buffer without copying (the NDArray keeps the buffer alive), so the parameter takes
      // a copy that owns its memory (duplicate: a libtorch clone); the wrapper is closed.
      try (NDArray wrapped = a.getManager().create(v, a.getShape())) {
        a.intern(wrapped.duplicate());
      }
    }
  }

  private static boolean isUpName(String name) {
    // child names are DJL's "NNup<l>" prefix, e.g. "05up2_weight"
    int us = name.indexOf('_');
    String first = us < 0 ? name : name.substring(0, us);
    return first.matches("\\d\\dup\\d+");
  }

  @Override
  public String toString() {
    return "UNet(in=" + config.inChannels() + ", depth=" + config.depth() + ", width=" + config.baseWidth() + ")";
  }
}
