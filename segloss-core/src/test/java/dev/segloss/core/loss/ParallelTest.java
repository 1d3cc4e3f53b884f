package dev.segloss.core.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/** {@link Parallel#forEachImage}: every image once, chunks really concurrent, failures after all chunks end. */
class ParallelTest {
  @Test
  void everyImageRunsExactlyOnce() {
    for (int threads = 1; threads <= 5; threads++) {
      for (int images = 1; images <= 9; images++) {
        AtomicIntegerArray seen = new AtomicIntegerArray(images);
        Parallel.forEachImage(images, threads, seen::incrementAndGet);
        for (int i = 0; i < images; i++) assertEquals(1, seen.get(i), "image " + i + " of " + images + ", threads " + threads);
      }
    }
  }

  /**
   * With two threads the two halves run at the same time, also on a 2-core machine, whose common pool has a
   * single worker: each half waits for the other at a barrier, which would time out if they ran one after
   * the other.
   */
  @Test
  void twoChunksRunConcurrently() {
    CyclicBarrier barrier = new CyclicBarrier(2);
    Parallel.forEachImage(4, 2, n -> {
      if (n == 0 || n == 2) {
        try {
          barrier.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
          throw new IllegalStateException("the chunks did not run concurrently (image " + n + ")", e);
        }
      }
    });
  }

  @Test
  void aFailureIsRethrownAfterEveryChunkFinished() {
    AtomicIntegerArray done = new AtomicIntegerArray(6);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Parallel.forEachImage(6, 3, n -> {
      if (n == 0) throw new IllegalArgumentException("image 0");
      try {
        Thread.sleep(50);
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
      }
      done.set(n, 1);
    }));
    assertEquals("image 0", e.getMessage());
    for (int n = 2; n < 6; n++) assertEquals(1, done.get(n), "chunk with image " + n + " finished before the failure surfaced");
  }
}
