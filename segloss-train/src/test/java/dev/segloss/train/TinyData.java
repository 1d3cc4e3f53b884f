package dev.segloss.train;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

/**
 * Tiny in-memory data for trainer tests (not a data loader): bright discs on noise, size × size, some
 * images without foreground; batches shuffled by (seed, epoch).
 */
final class TinyData implements BatchSource {
  final int size;
  final List<float[]> images = new ArrayList<>();
  final List<float[]> masks = new ArrayList<>();
  final int batch;
  final long seed;

  TinyData(int n, int size, int batch, long dataSeed, long seed) {
    this.size = size;
    this.batch = batch;
    this.seed = seed;
    SplittableRandom r = new SplittableRandom(dataSeed);
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
      images.add(img);
      masks.add(m);
    }
  }

  ImageSet asImageSet() {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < images.size(); i++) names.add("img" + i);
    return new ImageSet(names, images, masks, 1, size, size);
  }

  @Override
  public int size() {
    return images.size();
  }

  @Override
  public int channels() {
    return 1;
  }

  @Override
  public int height() {
    return size;
  }

  @Override
  public int width() {
    return size;
  }

  @Override
  public int batchesPerEpoch() {
    return (images.size() + batch - 1) / batch;
  }

  @Override
  public Iterator<Batch> epoch(int epoch) {
    int n = images.size();
    int[] order = new int[n];
    for (int i = 0; i < n; i++) order[i] = i;
    SplittableRandom r = new SplittableRandom(seed * 1_000_003L + epoch);
    for (int i = n - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    int px = size * size;
    return new Iterator<>() {
      int pos;

      @Override
      public boolean hasNext() {
        return pos < n;
      }

      @Override
      public Batch next() {
        if (!hasNext()) throw new NoSuchElementException();
        int b = Math.min(batch, n - pos);
        float[] x = new float[b * px], y = new float[b * px];
        for (int i = 0; i < b; i++) {
          System.arraycopy(images.get(order[pos + i]), 0, x, i * px, px);
          System.arraycopy(masks.get(order[pos + i]), 0, y, i * px, px);
        }
        pos += b;
        return new Batch(x, y, b);
      }
    };
  }
}
