package dev.segloss.train.model;

import dev.segloss.core.InvalidInputException;

/**
 * The U-Net's architecture: input channels, depth (number of 2× downsamplings) and base width (channels
 * of the first level; each level below doubles them).
 *
 * <p>Defaults ({@link #DEFAULT_DEPTH} = 3, {@link #DEFAULT_BASE_WIDTH} = 16) are sized for two CPU cores:
 * widths 16-32-64-128, 0.48 M parameters, a receptive field wide enough for the synthetic
 * generator's largest blobs at 64×64 to 128×128 pixels. Ronneberger et al. (MICCAI 2015) use depth 4 and
 * width 64 (31 M parameters), which is out of reach of a CPU-only compare run that trains 21 networks in
 * ten minutes; see docs/BENCHMARKS.md ("U-Net training") for the measurements behind the choice.
 *
 * @param inChannels image channels (1 for gray, 3 for RGB)
 * @param depth number of 2× downsamplings, 1..6; image sides must be multiples of 2^depth
 * @param baseWidth channels at the first level, 1..256
 */
public record UNetConfig(int inChannels, int depth, int baseWidth) {
  public static final int DEFAULT_DEPTH = 3;
  public static final int DEFAULT_BASE_WIDTH = 16;

  public UNetConfig {
    if (inChannels < 1 || inChannels > 64) throw new InvalidInputException("in_channels: expected 1..64, got " + inChannels);
    if (depth < 1 || depth > 6) throw new InvalidInputException("--depth: expected 1..6, got " + depth);
    if (baseWidth < 1 || baseWidth > 256) throw new InvalidInputException("--width: expected 1..256, got " + baseWidth);
  }

  /** The defaults for {@code inChannels} channels. */
  public static UNetConfig defaults(int inChannels) {
    return new UNetConfig(inChannels, DEFAULT_DEPTH, DEFAULT_BASE_WIDTH);
  }

  /** Channels at level {@code l} (0 = full resolution, {@code depth} = bottleneck). */
  public int width(int level) {
    return baseWidth << level;
  }

  /** Image sides must be multiples of this. */
  public int sizeMultiple() {
    return 1 << depth;
  }

  /** Number of trainable parameters (weights, biases, batch-norm scale and shift). */
  public long parameterCount() {
    long p = 0;
    int in = inChannels;
    for (int l = 0; l <= depth; l++) {
      int c = width(l);
      p += doubleConv(in, c);
      in = c;
    }
    for (int l = depth - 1; l >= 0; l--) {
      int c = width(l);
      p += (long) in * 4 * c + 4L * c; // 1×1 conv to 4c (+ bias), then pixel shuffle
      p += doubleConv(2 * c, c);
      in = c;
    }
    return p + in + 1; // head
  }

  private static long doubleConv(int in, int c) {
    return 9L * in * c + 2L * c + 9L * c * c + 2L * c;
  }

  /**
   * Rough upper bound of the bytes one training step needs for activations and their gradients at batch
   * {@code batch} and {@code h}×{@code w} pixels (float32; every stored tensor counted twice for its
   * gradient, plus the batch-norm and ReLU copies), used to refuse sizes that cannot fit in memory.
   */
  public long activationBytes(int batch, int h, int w) {
    double values = 0;
    for (int l = 0; l <= depth; l++) {
      double px = (double) h * w / Math.pow(4, l);
      values += px * width(l) * 6 * (l == depth ? 1 : 2); // encoder and decoder double convs, 3 tensors each
      if (l < depth) values += px * width(l) * 3; // upsampled + concat
    }
    return (long) (values * batch * 4 * 2);
  }
}
