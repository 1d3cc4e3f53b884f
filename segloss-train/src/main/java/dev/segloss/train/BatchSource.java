package dev.segloss.train;

import java.util.Iterator;

/**
 * Where the trainer gets its training batches: images {@code [n, C, H, W]} and masks {@code [n, 1, H, W]}
 * as float32 arrays in C order. The batches of an epoch must depend only on the run's seed and the epoch
 * number (order, augmentation), never on what happened before, so that a resumed run sees exactly the
 * batches an uninterrupted one would.
 */
public interface BatchSource extends AutoCloseable {
  /** Training images per epoch. */
  int size();

  int channels();

  int height();

  int width();

  /** Batches per epoch. */
  int batchesPerEpoch();

  /** The batches of epoch {@code epoch} (0-based), in order. */
  Iterator<Batch> epoch(int epoch);

  @Override
  default void close() {}

  /**
   * One batch.
   *
   * @param images {@code n·C·H·W} values
   * @param masks {@code n·H·W} values in {0, 1}
   * @param n images in the batch
   */
  record Batch(float[] images, float[] masks, int n) {}
}
