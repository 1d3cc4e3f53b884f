package dev.segloss.data.batch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segloss.core.InvalidInputException;
import dev.segloss.data.Datasets;
import dev.segloss.data.LoadOptions;
import dev.segloss.data.Messages;
import dev.segloss.data.Sample;
import dev.segloss.data.SegDataset;
import dev.segloss.data.Split;
import dev.segloss.data.transform.Augmentation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class BatchLoaderTest {
  static List<Sample> samples(int n, int h, int w) {
    List<Sample> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      float[] img = new float[h * w];
      float[] mask = new float[h * w];
      for (int p = 0; p < img.length; p++) {
        img[p] = i * 1000 + p;
        mask[p] = (p + i) % 5 == 0 ? 1 : 0;
      }
      out.add(new Sample("s" + i, h, w, img, mask, -1));
    }
    return out;
  }

  static List<Batch> drain(BatchLoader l, int epoch) {
    List<Batch> out = new ArrayList<>();
    try (BatchLoader.Epoch e = l.epoch(epoch)) {
      while (e.hasNext()) out.add(e.next());
    }
    return out;
  }

  @Test
  void orderIsAPermutationFixedBySeedAndEpoch() {
    List<Sample> s = samples(23, 4, 4);
    BatchLoader a = new BatchLoader(s, BatchLoader.Config.builder().seed(5).build());
    BatchLoader b = new BatchLoader(s, BatchLoader.Config.builder().seed(5).build());
    BatchLoader c = new BatchLoader(s, BatchLoader.Config.builder().seed(6).build());
    for (int e = 0; e < 3; e++) {
      assertArrayEquals(a.order(e), b.order(e));
      int[] sorted = a.order(e).clone();
      Arrays.sort(sorted);
      for (int i = 0; i < sorted.length; i++) assertEquals(i, sorted[i]);
    }
    assertFalse(Arrays.equals(a.order(0), a.order(1)));
    assertFalse(Arrays.equals(a.order(0), c.order(0)));
    int[] id = new BatchLoader(s, BatchLoader.Config.builder().shuffle(false).build()).order(3);
    for (int i = 0; i < id.length; i++) assertEquals(i, id[i]);
  }

  @Test
  void batchesAreTheSameWhateverTheWorkersAndPrefetch() {
    List<Sample> s = samples(19, 6, 6);
    BatchLoader.Config.Builder base = BatchLoader.Config.builder().batchSize(4).seed(11).augmentation(Augmentation.defaults());
    try (BatchLoader one = new BatchLoader(s, base.workers(1).prefetch(1).build());
        BatchLoader two = new BatchLoader(s, base.workers(2).prefetch(5).build())) {
      for (int e = 0; e < 2; e++) {
        List<Batch> x = drain(one, e);
        List<Batch> y = drain(two, e);
        assertEquals(5, x.size());
        assertEquals(3, x.get(4).size()); // 19 = 4 * 4 + 3
        for (int b = 0; b < x.size(); b++) {
          assertArrayEquals(x.get(b).images(), y.get(b).images());
          assertArrayEquals(x.get(b).masks(), y.get(b).masks());
          assertArrayEquals(x.get(b).sampleIndices(), y.get(b).sampleIndices());
          Batch sync = one.batch(e, b);
          assertArrayEquals(x.get(b).images(), sync.images());
          assertArrayEquals(new int[] {x.get(b).size(), 1, 6, 6}, x.get(b).shape());
        }
        Set<Integer> seen = new HashSet<>();
        for (Batch b : x) for (int i : b.sampleIndices()) assertTrue(seen.add(i));
        assertEquals(19, seen.size());
      }
    }
  }

  @Test
  void withoutAugmentationBatchesCopyTheSamples() {
    List<Sample> s = samples(5, 3, 3);
    BatchLoader l = new BatchLoader(s, BatchLoader.Config.evaluation(2));
    List<Batch> b = drain(l, 0);
    assertEquals(3, b.size());
    assertEquals(List.of("s2", "s3"), b.get(1).names());
    assertArrayEquals(Arrays.copyOfRange(b.get(1).images(), 9, 18), s.get(3).image());
    b.get(1).images()[0] = -1; // the batch owns its arrays
    assertEquals(2000f, s.get(2).image()[0]);
    l.close();
  }

  @Test
  void augmentationDependsOnEpochAndSampleNotOnPosition() {
    List<Sample> s = samples(9, 5, 5);
    BatchLoader.Config.Builder cfg = BatchLoader.Config.builder().batchSize(3).seed(4).augmentation(Augmentation.defaults());
    BatchLoader shuffled = new BatchLoader(s, cfg.shuffle(true).build());
    BatchLoader ordered = new BatchLoader(s, cfg.shuffle(false).build());
    float[][] a = perSample(drain(shuffled, 2), 25);
    float[][] b = perSample(drain(ordered, 2), 25);
    for (int i = 0; i < 9; i++) assertArrayEquals(a[i], b[i], "sample " + i);
    float[][] c = perSample(drain(ordered, 3), 25);
    int differ = 0;
    for (int i = 0; i < 9; i++) if (!Arrays.equals(a[i], c[i])) differ++;
    assertTrue(differ >= 5, "epoch 3 augments differently: " + differ);
    shuffled.close();
    ordered.close();
  }

  static float[][] perSample(List<Batch> batches, int px) {
    float[][] out = new float[9][];
    for (Batch b : batches) {
      int[] idx = b.sampleIndices();
      for (int j = 0; j < idx.length; j++) out[idx[j]] = Arrays.copyOfRange(b.images(), j * px, (j + 1) * px);
    }
    return out;
  }

  @Test
  void dropLastDropsThePartialBatch() {
    BatchLoader l = new BatchLoader(samples(10, 2, 2), BatchLoader.Config.builder().batchSize(4).dropLast(true).build());
    assertEquals(2, l.batchesPerEpoch());
    List<Batch> b = drain(l, 0);
    assertEquals(2, b.size());
    assertTrue(b.stream().allMatch(x -> x.size() == 4));
    l.close();
  }

  @Test
  void workerExceptionsReachTheConsumer() {
    InvalidInputException boom = new InvalidInputException("sample 6 is bad");
    BatchLoader.Config cfg = BatchLoader.Config.builder().batchSize(2).shuffle(false).augmentation(Augmentation.none())
        .transform((img, mask, h, w, i, rng) -> {
          if (i == 6) throw boom;
        }).build();
    try (BatchLoader l = new BatchLoader(samples(10, 2, 2), cfg)) {
      BatchLoader.Epoch e = l.epoch(0);
      for (int b = 0; b < 3; b++) e.next();
      InvalidInputException thrown = assertThrows(InvalidInputException.class, e::next);
      assertSame(boom, thrown);
      assertFalse(e.hasNext());
      assertThrows(IllegalStateException.class, e::next);
      // the loader itself still works for the next epoch up to the bad sample
      BatchLoader.Epoch again = l.epoch(1);
      assertEquals(2, again.next().size());
      again.close();
    }
  }

  @Test
  void prefetchIsBoundedAndCloseStopsTheThreads() throws Exception {
    AtomicInteger made = new AtomicInteger();
    AtomicReference<Thread> worker = new AtomicReference<>();
    BatchLoader.Config cfg = BatchLoader.Config.builder().batchSize(1).prefetch(2).shuffle(false)
        .transform((img, mask, h, w, i, rng) -> {
          made.incrementAndGet();
          worker.set(Thread.currentThread());
        }).build();
    BatchLoader l = new BatchLoader(samples(12, 2, 2), cfg);
    BatchLoader.Epoch e = l.epoch(0);
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (made.get() < 2 && System.nanoTime() < deadline) Thread.sleep(5);
    Thread.sleep(100);
    assertEquals(2, made.get(), "only the prefetch window is prepared before the consumer asks");
    assertNotEquals(Thread.currentThread(), worker.get());
    assertTrue(worker.get().getName().startsWith("segloss-data-"));
    e.next();
    assertTrue(e.waitNanos() >= 0);
    e.close();
    l.close();
    worker.get().join(5000);
    assertFalse(worker.get().isAlive(), "worker thread stopped");
    assertThrows(IllegalStateException.class, () -> l.epoch(1));
  }

  @Test
  void refusesSamplesOfDifferentSizes() {
    List<Sample> s = new ArrayList<>(samples(2, 3, 3));
    s.addAll(samples(1, 3, 4));
    Messages.assertMessage(() -> new BatchLoader(s, BatchLoader.Config.builder().build()), "all samples must have one size");
    Messages.assertMessage(() -> new BatchLoader(List.of(), BatchLoader.Config.builder().build()), "no samples");
    Messages.assertMessage(() -> BatchLoader.Config.builder().batchSize(0), "--batch: expected >= 1");
  }

  @Test
  void datasetLoaderOverASplit() {
    SegDataset d = Datasets.load("synthetic:n=30,size=32", LoadOptions.defaults());
    try (BatchLoader l = new BatchLoader(d.split(Split.TRAIN), BatchLoader.Config.builder().batchSize(8).augmentation(Augmentation.defaults()).build())) {
      List<Batch> b = drain(l, 0);
      assertEquals((d.train().size() + 7) / 8, b.size());
      assertArrayEquals(new int[] {8, 1, 32, 32}, b.get(0).shape());
      assertEquals(8 * 32 * 32, b.get(0).masks().length);
    }
  }
}
