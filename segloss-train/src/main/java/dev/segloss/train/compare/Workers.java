package dev.segloss.train.compare;

import dev.segloss.core.InvalidInputException;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;

/**
 * How many trainings of a comparison run at once on this machine ({@code compare --workers auto|N}), and
 * how long the plan then takes.
 *
 * <p><b>{@code auto}</b> (the default) runs as many trainings at once as the machine has cores for them:
 * {@code cores / --threads}, at most the number of runs, at most one per {@value #GIB_PER_WORKER} GiB of
 * physical memory (a worker JVM holds the data set and PyTorch's buffers: 1.4–1.7 GB resident measured for
 * the hippocampus at 128×128 patches), at least 1 — and one when the runs are so short that starting worker
 * JVMs costs more than it gains ({@link #choose}). With one worker the runs go one after another in this
 * JVM; with more, {@link LocalWorkers} starts child JVMs. Measured on the project's 2-core machine, side by
 * side in one session (docs/BENCHMARKS.md, "compare --workers"): the default comparison took 5 min 54 s
 * with two 1-thread trainings at once against 6 min 49 s with one 2-thread training at a time, and two
 * 1-thread trainings beside a CPU-bound process 2.2× less time than one 2-thread training there (PyTorch's
 * intra-op threads spin-wait for each other on shared cores; independent trainings never wait).
 *
 * <p><b>The estimate</b> ({@link #makespan}): the runs are dealt to the workers longest first (each to the
 * worker free soonest, as they are handed out in plan order in practice — runs of one comparison differ
 * little in length), and every run is slowed by {@value #SLOWDOWN_PER_EXTRA_WORKER} per extra worker
 * sharing the cores: the measured step is that of one training alone, and trainings side by side share the
 * memory bandwidth and caches (the default comparison's runs took 30–35 s each two at a time, against 34 s
 * estimated for one alone from the measured step; docs/BENCHMARKS.md); worker JVMs add their start-up
 * ({@value #WORKER_START_SECONDS} s). {@code auto} takes the number of workers with the shortest estimate, so a
 * comparison of a few seconds' runs stays in this JVM.
 */
public final class Workers {
  /** Physical memory per worker JVM that {@code auto} asks for. */
  static final int GIB_PER_WORKER = 2;
  /** How much slower each of W trainings at once runs than one alone, per extra worker (from the runs above). */
  static final double SLOWDOWN_PER_EXTRA_WORKER = 0.1;
  /**
   * Starting the worker JVMs: Java, PyTorch's native library, the data set, the warm-up steps (a round figure
   * from the small comparisons of docs/BENCHMARKS.md, "compare --workers", not a separate measurement).
   */
  static final double WORKER_START_SECONDS = 5;

  private Workers() {}

  /** Parses {@code --workers}: {@code auto} is 0, else a positive number. */
  public static int parse(String text) {
    String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    if (t.equals("auto")) return 0;
    try {
      int n = Integer.parseInt(t);
      if (n >= 1 && n <= 256) return n;
    } catch (NumberFormatException e) {
      // the message below
    }
    throw new InvalidInputException("--workers: expected auto or 1..256, got '" + text + "'");
  }

  /**
   * The workers to use.
   *
   * @param asked {@code --workers}: 0 for auto
   * @param threads PyTorch threads per training
   * @param runs runs in the plan
   */
  public static int resolve(int asked, int threads, int runs) {
    return resolve(asked, threads, runs, Runtime.getRuntime().availableProcessors(), physicalMemory());
  }

  static int resolve(int asked, int threads, int runs, int cores, long memoryBytes) {
    int limit = Math.max(1, runs);
    if (asked > 0) return Math.min(asked, limit);
    int byCores = cores / Math.max(1, threads);
    int byMemory = memoryBytes > 0 ? (int) Math.min(Integer.MAX_VALUE, memoryBytes / ((long) GIB_PER_WORKER << 30)) : 1;
    return Math.max(1, Math.min(limit, Math.min(byCores, byMemory)));
  }

  /** Why {@code workers} were chosen, for the plan. */
  static String reason(int asked, int workers, int threads, int runs) {
    if (asked > 0) return "--workers " + asked;
    int cores = Runtime.getRuntime().availableProcessors();
    String machine = String.format(Locale.ROOT, "%d core%s, %d thread%s per training", cores, cores == 1 ? "" : "s", threads, threads == 1 ? "" : "s");
    if (workers == 1 && resolve(0, threads, runs) > 1) return "--workers auto: " + machine + ", but the runs are too short to pay for starting worker JVMs";
    return "--workers auto: " + machine;
  }

  /** Wall time of runs of these estimated lengths (each measured alone) on {@code workers} workers. */
  public static double makespan(double[] runSeconds, int workers) {
    if (runSeconds.length == 0) return 0;
    int w = Math.max(1, Math.min(workers, runSeconds.length));
    double slow = 1 + SLOWDOWN_PER_EXTRA_WORKER * (w - 1);
    double[] sorted = runSeconds.clone();
    Arrays.sort(sorted);
    double[] free = new double[w];
    for (int i = sorted.length - 1; i >= 0; i--) {
      int soonest = 0;
      for (int j = 1; j < w; j++) if (free[j] < free[soonest]) soonest = j;
      free[soonest] += sorted[i] * slow;
    }
    return Arrays.stream(free).max().orElse(0) + (w > 1 ? WORKER_START_SECONDS : 0);
  }

  /**
   * The workers and the wall time of these runs: {@code asked} workers (at most the runs), or for {@code
   * auto} (0) the count up to {@link #resolve}'s limit with the shortest {@link #makespan} — one for a
   * comparison so short that starting worker JVMs would cost more than running side by side gains.
   *
   * @return {workers, seconds}
   */
  public static double[] choose(double[] runSeconds, int asked, int threads) {
    int most = resolve(asked, threads, runSeconds.length);
    if (asked > 0) return new double[] {most, makespan(runSeconds, most)};
    double[] best = {1, makespan(runSeconds, 1)};
    for (int w = 2; w <= most; w++) {
      double t = makespan(runSeconds, w);
      if (t < best[1]) best = new double[] {w, t};
    }
    return best;
  }

  private static long physicalMemory() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) return os.getTotalMemorySize();
    return 0;
  }
}
