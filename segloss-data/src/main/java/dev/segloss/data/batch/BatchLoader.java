package dev.segloss.data.batch;

import dev.segloss.core.InvalidInputException;
import dev.segloss.data.LoadOptions;
import dev.segloss.data.Rng;
import dev.segloss.data.Sample;
import dev.segloss.data.transform.Augmentation;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Prepares batches ahead of the trainer on background threads.
 *
 * <p>Usage:
 *
 * <pre>{@code
 * try (BatchLoader loader = new BatchLoader(dataset.split(Split.TRAIN), BatchLoader.Config.builder().batchSize(8)
 *         .augmentation(Augmentation.defaults()).seed(seed).build())) {
 *   for (int e = 0; e < epochs; e++) {
 *     try (BatchLoader.Epoch it = loader.epoch(e)) {
 *       while (it.hasNext()) { Batch b = it.next(); ... }
 *     }
 *   }
 * }
 * }</pre>
 *
 * <p><b>Determinism.</b> The sample order of epoch e is a permutation drawn from (seed, e) (or the list
 * order when {@code shuffle} is off); sample i's augmentation in epoch e is drawn from (seed, e, i). Batch
 * b of epoch e is therefore the same whatever the number of workers or their timing, and {@link
 * #batch(int, int)} computes it synchronously.
 *
 * <p><b>Ahead of the trainer.</b> An epoch keeps up to {@code prefetch} batches submitted to the
 * workers (a bounded window, so memory stays at {@code prefetch} batches) and hands them out in order.
 * An exception in a worker is rethrown by {@link Epoch#next()} (the same exception when unchecked);
 * {@link Epoch#close()} cancels what is in flight and {@link #close()} stops the threads (they are
 * daemons, so a forgotten close does not keep the JVM alive).
 */
public final class BatchLoader implements AutoCloseable {
  private static final AtomicInteger THREADS = new AtomicInteger();

  private final List<Sample> samples;
  private final Config config;
  private final int height;
  private final int width;
  private ExecutorService pool;
  private boolean closed;

  public BatchLoader(List<Sample> samples, Config config) {
    if (samples.isEmpty()) throw new InvalidInputException("batch loader: no samples (is the split empty?)");
    this.samples = List.copyOf(samples);
    this.config = config;
    this.height = samples.get(0).height();
    this.width = samples.get(0).width();
    for (Sample s : samples) {
      if (s.height() != height || s.width() != width) {
        throw new InvalidInputException("batch loader: " + s.name() + " is " + s.height() + "x" + s.width() + " but "
            + samples.get(0).name() + " is " + height + "x" + width + " (all samples must have one size)");
      }
    }
  }

  public Config config() {
    return config;
  }

  public List<Sample> samples() {
    return samples;
  }

  /** Batches per epoch: ceil(n / B), or floor(n / B) with {@code dropLast}. */
  public int batchesPerEpoch() {
    int n = samples.size();
    int b = config.batchSize;
    return config.dropLast ? n / b : (n + b - 1) / b;
  }

  /** The sample order of an epoch. */
  public int[] order(int epoch) {
    int n = samples.size();
    if (!config.shuffle) {
      int[] id = new int[n];
      for (int i = 0; i < n; i++) id[i] = i;
      return id;
    }
    return Rng.permutation(n, Rng.stream(config.seed, Rng.ORDER, epoch));
  }

  /** Batch {@code b} of epoch {@code epoch}, computed on the calling thread. */
  public Batch batch(int epoch, int b) {
    return make(epoch, b, order(epoch));
  }

  private Batch make(int epoch, int b, int[] order) {
    int nb = batchesPerEpoch();
    if (b < 0 || b >= nb) throw new IndexOutOfBoundsException("batch " + b + " of " + nb);
    int from = b * config.batchSize;
    int to = Math.min(order.length, from + config.batchSize);
    int size = to - from;
    int px = height * width;
    int oh = patched() ? Math.min(config.patchHeight, height) : height, ow = patched() ? Math.min(config.patchWidth, width) : width;
    int opx = oh * ow;
    float[] images = new float[size * opx];
    float[] masks = new float[size * opx];
    int[] idx = new int[size];
    List<String> names = new ArrayList<>(size);
    float[] tmpI = new float[px];
    float[] tmpM = new float[px];
    boolean identity = config.augmentation.isIdentity() && config.transform == null;
    for (int j = 0; j < size; j++) {
      int i = order[from + j];
      idx[j] = i;
      Sample s = samples.get(i);
      names.add(s.name());
      float[] im, ma;
      if (identity) {
        im = s.image();
        ma = s.mask();
      } else {
        SplittableRandom rng = Rng.stream(config.seed, Rng.AUGMENT, epoch, i);
        config.augmentation.apply(s.image(), s.mask(), height, width, rng, tmpI, tmpM);
        if (config.transform != null) config.transform.apply(tmpI, tmpM, height, width, i, rng);
        im = tmpI;
        ma = tmpM;
      }
      if (!patched()) {
        System.arraycopy(im, 0, images, j * px, px);
        System.arraycopy(ma, 0, masks, j * px, px);
      } else {
        int[] at = patchCorner(ma, j, Rng.stream(config.seed, Rng.PATCH, epoch, i));
        for (int r = 0; r < oh; r++) {
          System.arraycopy(im, (at[0] + r) * width + at[1], images, j * opx + r * ow, ow);
          System.arraycopy(ma, (at[0] + r) * width + at[1], masks, j * opx + r * ow, ow);
        }
      }
    }
    return new Batch(epoch, b, idx, names, oh, ow, images, masks);
  }

  /** Whether batches hold patches rather than whole images. */
  private boolean patched() {
    return config.patchHeight > 0 && (config.patchHeight < height || config.patchWidth < width);
  }

  /**
   * The top-left corner of the patch of the sample at position {@code j} of its batch: for the last
   * {@code foregroundShare} of the batch positions (nnU-Net's rule: position j is forced when j ≥
   * round(B·(1 − share))), centred on a foreground pixel drawn uniformly from the (augmented) mask when it
   * has one; otherwise uniform over the image. Always inside the image.
   */
  int[] patchCorner(float[] mask, int j, SplittableRandom rng) {
    int ph = Math.min(config.patchHeight, height), pw = Math.min(config.patchWidth, width);
    boolean force = j >= Math.round(config.batchSize * (1 - config.patchForeground));
    if (force) {
      int count = 0;
      for (float m : mask) if (m >= 0.5f) count++;
      if (count > 0) {
        int pick = rng.nextInt(count);
        for (int p = 0; p < mask.length; p++) {
          if (mask[p] >= 0.5f && pick-- == 0) {
            int y = p / width, x = p % width;
            return new int[] {clamp(y - ph / 2, height - ph), clamp(x - pw / 2, width - pw)};
          }
        }
      }
    }
    return new int[] {rng.nextInt(height - ph + 1), rng.nextInt(width - pw + 1)};
  }

  private static int clamp(int v, int max) {
    return Math.max(0, Math.min(max, v));
  }

  /** Starts preparing the batches of {@code epoch} in the background. */
  public synchronized Epoch epoch(int epoch) {
    if (closed) throw new IllegalStateException("batch loader is closed");
    if (pool == null) {
      int workers = config.workers;
      pool = new ThreadPoolExecutor(workers, workers, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
        Thread t = new Thread(r, "segloss-data-" + THREADS.incrementAndGet());
        t.setDaemon(true);
        return t;
      });
    }
    return new Epoch(epoch);
  }

  /** Stops the worker threads; running epochs fail on their next call. */
  @Override
  public synchronized void close() {
    closed = true;
    if (pool != null) {
      pool.shutdownNow();
      try {
        pool.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** The batches of one epoch, in order. Not thread-safe: one consumer. */
  public final class Epoch implements Iterator<Batch>, AutoCloseable {
    private final int epoch;
    private final int[] order;
    private final int total;
    private final ArrayDeque<Future<Batch>> inFlight = new ArrayDeque<>();
    private int submitted;
    private int delivered;
    private long waitNanos;
    private boolean done;

    private Epoch(int epoch) {
      this.epoch = epoch;
      this.order = order(epoch);
      this.total = batchesPerEpoch();
      while (submitted < total && inFlight.size() < config.prefetch) submitNext();
    }

    private void submitNext() {
      int b = submitted++;
      inFlight.add(pool.submit(() -> make(epoch, b, order)));
    }

    public int epoch() {
      return epoch;
    }

    /** Batches in this epoch. */
    public int size() {
      return total;
    }

    @Override
    public boolean hasNext() {
      return !done && delivered < total;
    }

    /**
     * The next batch, waiting for it if it is not ready. Rethrows a worker's exception (unchecked ones
     * as they are, checked ones wrapped in an {@link IllegalStateException}) and then ends the epoch.
     */
    @Override
    public Batch next() {
      if (done) throw new IllegalStateException("epoch " + epoch + " is closed");
      if (delivered >= total) throw new NoSuchElementException("epoch " + epoch + " has " + total + " batches");
      Future<Batch> f = inFlight.poll();
      if (submitted < total) submitNext();
      long t0 = System.nanoTime();
      try {
        Batch b = await(f);
        delivered++;
        return b;
      } catch (RuntimeException | Error e) {
        close();
        throw e;
      } finally {
        waitNanos += System.nanoTime() - t0;
      }
    }

    /** Nanoseconds the consumer spent waiting in {@link #next()} (the data-loading stall). */
    public long waitNanos() {
      return waitNanos;
    }

    /** Cancels the batches still in flight. */
    @Override
    public void close() {
      done = true;
      for (Future<Batch> f : inFlight) f.cancel(true);
      inFlight.clear();
    }
  }

  /** Waits for a future, rethrowing its failure unwrapped when it is unchecked. */
  public static <T> T await(Future<T> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for data", e);
    } catch (CancellationException e) {
      throw new IllegalStateException("data loading was cancelled (loader closed)", e);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof RuntimeException) throw (RuntimeException) c;
      if (c instanceof Error) throw (Error) c;
      throw new IllegalStateException("data loading failed: " + c, c);
    }
  }

  /**
   * A per-sample step run after the augmentation on the worker threads (e.g. a custom augmentation). It
   * edits copies of the sample's arrays in place, and must draw any randomness from {@code rng} (keyed by
   * seed, epoch and sample index) to stay deterministic. What it throws is rethrown by {@link
   * Epoch#next()}.
   */
  @FunctionalInterface
  public interface Transform {
    void apply(float[] image, float[] mask, int height, int width, int sampleIndex, SplittableRandom rng);
  }

  /** Batch loader settings. Defaults: batch 8, shuffle, keep the last partial batch, no augmentation,
   * seed {@value LoadOptions#DEFAULT_SEED}, 4 batches prefetched, 1 worker thread (the 2-core budget: the
   * other core trains). */
  public static final class Config {
    final int batchSize;
    final boolean shuffle;
    final boolean dropLast;
    final Augmentation augmentation;
    final long seed;
    final int prefetch;
    final int workers;
    final Transform transform;
    final int patchHeight;
    final int patchWidth;
    final double patchForeground;

    private Config(Builder b) {
      batchSize = b.batchSize;
      shuffle = b.shuffle;
      dropLast = b.dropLast;
      augmentation = b.augmentation;
      seed = b.seed;
      prefetch = b.prefetch;
      workers = b.workers;
      transform = b.transform;
      patchHeight = b.patchHeight;
      patchWidth = b.patchWidth;
      patchForeground = b.patchForeground;
    }

    public static Builder builder() {
      return new Builder();
    }

    /** For validation and test: no shuffle, no augmentation, every sample once. */
    public static Config evaluation(int batchSize) {
      return builder().batchSize(batchSize).shuffle(false).build();
    }

    public int batchSize() {
      return batchSize;
    }

    public boolean shuffle() {
      return shuffle;
    }

    public boolean dropLast() {
      return dropLast;
    }

    public Augmentation augmentation() {
      return augmentation;
    }

    public long seed() {
      return seed;
    }

    public int prefetch() {
      return prefetch;
    }

    public int workers() {
      return workers;
    }

    /** Patch size {height, width}, or null for whole images. */
    public int[] patch() {
      return patchHeight > 0 ? new int[] {patchHeight, patchWidth} : null;
    }

    /** Share of each batch's positions whose patch is centred on foreground. */
    public double patchForeground() {
      return patchForeground;
    }

    public static final class Builder {
      private int batchSize = 8;
      private boolean shuffle = true;
      private boolean dropLast;
      private Augmentation augmentation = Augmentation.none();
      private long seed = LoadOptions.DEFAULT_SEED;
      private int prefetch = 4;
      private int workers = 1;
      private Transform transform;
      private int patchHeight;
      private int patchWidth;
      private double patchForeground;

      private Builder() {}

      /**
       * Train on patches of {@code height × width} cut from each (augmented) image instead of the whole
       * image (patches no larger than the image; an image no larger than the patch is used whole), the last
       * {@code foregroundShare} of every batch's positions centred on a random foreground pixel (nnU-Net's
       * foreground oversampling, one third by default there), the others anywhere; {@code height} 0: whole
       * images.
       */
      public Builder patch(int height, int width, double foregroundShare) {
        if (height < 0 || width < 0 || (height == 0) != (width == 0)) {
          throw new InvalidInputException("--patch: expected a size HxW of at least 1x1, got " + height + "x" + width);
        }
        if (!(foregroundShare >= 0 && foregroundShare <= 1)) {
          throw new InvalidInputException("--patch: the foreground share must be in [0, 1], got " + foregroundShare);
        }
        patchHeight = height;
        patchWidth = width;
        patchForeground = foregroundShare;
        return this;
      }

      /** A per-sample step after the augmentation (null: none). */
      public Builder transform(Transform t) {
        transform = t;
        return this;
      }

      public Builder batchSize(int b) {
        if (b < 1) throw new InvalidInputException("--batch: expected >= 1, got " + b);
        batchSize = b;
        return this;
      }

      public Builder shuffle(boolean s) {
        shuffle = s;
        return this;
      }

      /** Drop the last batch when it is smaller than the batch size (batch norm dislikes tiny batches). */
      public Builder dropLast(boolean d) {
        dropLast = d;
        return this;
      }

      public Builder augmentation(Augmentation a) {
        augmentation = a == null ? Augmentation.none() : a;
        return this;
      }

      public Builder seed(long s) {
        seed = s;
        return this;
      }

      public Builder prefetch(int p) {
        if (p < 1) throw new InvalidInputException("prefetch: expected >= 1, got " + p);
        prefetch = p;
        return this;
      }

      public Builder workers(int w) {
        if (w < 1) throw new InvalidInputException("workers: expected >= 1, got " + w);
        workers = w;
        return this;
      }

      public Config build() {
        return new Config(this);
      }
    }
  }
}
