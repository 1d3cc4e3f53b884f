package dev.segloss.data.batch;

import java.util.List;

/**
 * One batch: images and masks as float32 arrays of shape {@code [B, 1, H, W]} (row-major, NCHW as
 * DJL/PyTorch and the core's {@code Tensor} expect), with the samples they came from.
 */
public final class Batch {
  private final int epoch;
  private final int index;
  private final int[] sampleIndices;
  private final List<String> names;
  private final int height;
  private final int width;
  private final float[] images;
  private final float[] masks;

  Batch(int epoch, int index, int[] sampleIndices, List<String> names, int height, int width, float[] images, float[] masks) {
    this.epoch = epoch;
    this.index = index;
    this.sampleIndices = sampleIndices;
    this.names = List.copyOf(names);
    this.height = height;
    this.width = width;
    this.images = images;
    this.masks = masks;
  }

  public int epoch() {
    return epoch;
  }

  /** Position of this batch in its epoch. */
  public int index() {
    return index;
  }

  /** Number of images B. */
  public int size() {
    return sampleIndices.length;
  }

  public int height() {
    return height;
  }

  public int width() {
    return width;
  }

  /** {@code {B, 1, H, W}}. */
  public int[] shape() {
    return new int[] {sampleIndices.length, 1, height, width};
  }

  /** Indices into the loader's sample list. */
  public int[] sampleIndices() {
    return sampleIndices.clone();
  }

  public List<String> names() {
    return names;
  }

  /** Images, [B,1,H,W]; owned by this batch (the caller may modify it). */
  public float[] images() {
    return images;
  }

  /** Masks (0/1), [B,1,H,W]; owned by this batch. */
  public float[] masks() {
    return masks;
  }

  @Override
  public String toString() {
    return "Batch[epoch " + epoch + " #" + index + ", " + sampleIndices.length + "x1x" + height + "x" + width + "]";
  }
}
