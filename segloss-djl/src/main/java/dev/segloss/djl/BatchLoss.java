package dev.segloss.djl;

import ai.djl.ndarray.NDArray;

/** What the DJL losses share internally: computing on an already prepared {@link DjlBatch}. */
interface BatchLoss {
  /**
   * The reduced loss (shape {@code ()}), or with reduction {@code none} one value per image ({@code [N]};
   * {@code [1]} when the counts are pooled over the batch). May be float64; callers cast.
   */
  NDArray compute(DjlBatch batch);

  /** Computes on the batch and adds the value to the accumulators named by {@code keys}. */
  void accumulate(String[] keys, DjlBatch batch);
}
