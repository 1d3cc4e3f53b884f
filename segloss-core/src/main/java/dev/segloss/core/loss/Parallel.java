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
    List<Future<?>> fs = new ArrayList<>(t);
    ForkJoinPool pool = ForkJoinPool.commonPool();
    for (int c = 0; c < t; c++) {
      int from = (int) ((long) images * c / t);
      int to = (int) ((long) images * (c + 1) / t);
      fs.add(pool.submit(() -> {
        for (int n = from; n < to; n++) body.accept(n);
      }));
    }
    for (Future<?> f : fs) {
      try {
        f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      } catch (ExecutionException e) {
        Throwable c = e.getCause();
        if (c instanceof RuntimeException) throw (RuntimeException) c;
        if (c instanceof Error) throw (Error) c;
        throw new IllegalStateException(c);
      }
    }
  }
}
