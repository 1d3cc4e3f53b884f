package dev.segloss.train.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.segloss.core.InvalidInputException;

/**
 * Pixel shuffle (depth-to-space) for NCHW arrays, written with reshape and transpose so that it runs
 * on every DJL engine and is differentiated by autograd:
 *
 * <pre>
 *   in  [N, C·r², H, W]  →  reshape [N, C, r, r, H, W]  →  transpose [N, C, H, r, W, r]  →  out [N, C, H·r, W·r]
 *   out[n, c, h·r + i, w·r + j] = in[n, c·r² + i·r + j, h, w]
 * </pre>
 *
 * This is the ordering of PyTorch's {@code torch.nn.functional.pixel_shuffle} and of the sub-pixel
 * convolution of Shi et al., "Real-Time Single Image and Video Super-Resolution Using an Efficient
 * Sub-Pixel Convolutional Neural Network", CVPR 2016. A 1×1 convolution to C·r² channels followed by a
 * pixel shuffle with factor r computes exactly what a transposed convolution with kernel r and stride r
 * computes (each output pixel of an r×r cell gets its own 1×1 weight matrix); that is how the U-Net
 * upsamples, since DJL's PyTorch engine does not implement {@code Conv2dTranspose}.
 */
public final class PixelShuffle {
  private PixelShuffle() {}

  /** Depth-to-space with factor {@code r} on an NCHW array (see the class comment for the ordering). */
  public static NDArray apply(NDArray x, int r) {
    Shape s = x.getShape();
    if (s.dimension() != 4) throw new InvalidInputException("pixel shuffle: expected an NCHW array, got shape " + s);
    if (r < 1) throw new InvalidInputException("pixel shuffle: factor must be >= 1, got " + r);
    long n = s.get(0), cr = s.get(1), h = s.get(2), w = s.get(3);
    if (cr % ((long) r * r) != 0) {
      throw new InvalidInputException("pixel shuffle: channels " + cr + " not divisible by r^2 = " + r * r);
    }
    if (r == 1) return x;
    long c = cr / ((long) r * r);
    return x.reshape(n, c, r, r, h, w).transpose(0, 1, 4, 2, 5, 3).reshape(n, c, h * r, w * r);
  }

  /** The output shape for an input shape. */
  public static Shape outputShape(Shape in, int r) {
    return new Shape(in.get(0), in.get(1) / ((long) r * r), in.get(2) * r, in.get(3) * r);
  }
}
