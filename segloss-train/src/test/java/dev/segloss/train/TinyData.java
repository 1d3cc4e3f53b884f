package dev.segloss.train;

import dev.segloss.data.Sample;
import dev.segloss.data.batch.BatchLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Tiny in-memory samples for trainer tests: bright discs on noise, size × size, every fifth image empty. */
final class TinyData {
  private TinyData() {}

  static List<Sample> samples(int n, int size, long dataSeed) {
    SplittableRandom r = new SplittableRandom(dataSeed);
    List<Sample> out = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      float[] img = new float[size * size], m = new float[size * size];
      boolean empty = k % 5 == 4;
      double cx = r.nextDouble(4, size - 4), cy = r.nextDouble(4, size - 4), rad = r.nextDouble(size / 6.0, size / 3.5);
      for (int y = 0; y < size; y++)
        for (int x = 0; x < size; x++) {
          boolean in = !empty && (x - cx) * (x - cx) + (y - cy) * (y - cy) <= rad * rad;
          m[y * size + x] = in ? 1 : 0;
          img[y * size + x] = (float) ((in ? 1.5 : 0) + r.nextGaussian() * 0.5);
        }
      out.add(new Sample("img" + k, size, size, img, m, -1));
    }
    return out;
  }

  /** A loader over {@code samples}, shuffled by {@code seed}, no augmentation. */
  static BatchLoader loader(List<Sample> samples, int batch, long seed) {
    return new BatchLoader(samples, BatchLoader.Config.builder().batchSize(batch).seed(seed).build());
  }
}
