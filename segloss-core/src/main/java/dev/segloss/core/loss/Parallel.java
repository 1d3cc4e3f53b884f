package dev.segloss.core.loss;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/** Runs a body once per image, on one thread or split into contiguous chunks over several. */
final class Parallel {
  private Parallel() {}

  static void forEachImage(int images, int threads, IntConsumer body) {
    int t = Math.min(threads, images);
    if (t <= 1) {
      for (int n = 0; n < images; n++) body.accept(n);
      return;
    }
    // chunks 1..t-1 go to the common pool, chunk 0 runs on the calling thread: the common pool has
    // (cores - 1) workers, so with the caller only waiting a 2-core machine would run the chunks one
    // after the other
    List<Future<?>> fs = new ArrayList<>(t);
    ForkJoinPool pool = ForkJoinPool.commonPool();
    for (int c = 1; c < t; c++) {
      int from = (int) ((long) images * c / t);
      int to = (int) ((long) images * (c + 1) / t);
      fs.add(pool.submit(() -> {
        for (int n = from; n < to; n++) body.accept(n);
      }));
    }
    int first = (int) ((long) images / t);
    Throwable failure = null;
    try {
      for (int n = 0; n < first; n++) body.accept(n);
    } catch (RuntimeException | Error e) {
      failure = e;
    }
    for (Future<?> f : fs) { // wait for every chunk, even after a failure, before returning
      try {
        f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        if (failure == null) failure = new IllegalStateException("interrupted", e);
      } catch (ExecutionException e) {
        if (failure == null) failure = e.getCause();
      }
    }
    if (failure instanceof RuntimeException) throw (RuntimeException) failure;
    if (failure instanceof Error) throw (Error) failure;
    if (failure != null) throw new IllegalStateException(failure);
  }
}
