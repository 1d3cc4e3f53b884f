package dev.segloss.train.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.segloss.core.InvalidInputException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** {@code --workers}: parsing, how many {@code auto} takes, and the wall-time estimate on several workers. */
class WorkersTest {
  static final long GIB = 1L << 30;

  @Test
  void parsing() {
    assertEquals(0, Workers.parse("auto"));
    assertEquals(0, Workers.parse(" AUTO "));
    assertEquals(3, Workers.parse("3"));
    assertEquals(256, Workers.parse("256"));
    for (String bad : new String[] {"0", "-2", "257", "two", "", "1.5"}) {
      InvalidInputException e = assertThrows(InvalidInputException.class, () -> Workers.parse(bad));
      assertEquals("--workers: expected auto or 1..256, got '" + bad + "'", e.getMessage());
    }
  }

  /** {cores, threads, runs, memory GiB, asked, expected} */
  @Test
  void resolveTable() {
    int[][] table = {
      {2, 1, 21, 24, 0, 2}, // this machine: two 1-thread trainings
      {2, 2, 21, 24, 0, 1}, // two threads each fill both cores
      {16, 1, 21, 24, 0, 12}, // memory: one per 2 GiB
      {16, 2, 21, 64, 0, 8},
      {64, 1, 5, 256, 0, 5}, // never more than the runs
      {1, 1, 21, 24, 0, 1},
      {2, 4, 21, 24, 0, 1}, // more threads than cores: still one
      {2, 1, 21, 1, 0, 1}, // less memory than one worker asks: still one
      {2, 1, 21, 24, 3, 3}, // asked: as many as asked, even beyond the cores
      {2, 1, 2, 24, 8, 2}, // but never more than the runs
    };
    for (int[] row : table) {
      assertEquals(row[5], Workers.resolve(row[4], row[1], row[2], row[0], row[3] * GIB), Arrays.toString(row));
    }
  }

  @Test
  void makespanDealsLongestFirstAndChargesSharingAndStartUp() {
    double slow = 1 + Workers.SLOWDOWN_PER_EXTRA_WORKER, start = Workers.WORKER_START_SECONDS;
    double[] runs = {100, 100, 100, 100};
    assertEquals(400, Workers.makespan(runs, 1), 1e-9);
    assertEquals(200 * slow + start, Workers.makespan(runs, 2), 1e-9);
    // one long run and three short: the long one alone on a worker, the others on the second
    double[] uneven = {300, 100, 100, 100};
    assertEquals(300 * slow + start, Workers.makespan(uneven, 2), 1e-9);
    // more workers than runs: as many workers as runs
    assertEquals(100 * (1 + 3 * Workers.SLOWDOWN_PER_EXTRA_WORKER) + start, Workers.makespan(runs, 9), 1e-9);
    assertEquals(0, Workers.makespan(new double[0], 2), 0);
  }

  @Test
  void autoTakesTheFastestCountAndOneForShortRuns() {
    // long runs: the cores' worth (on a machine with at least two cores)
    double[] longRuns = new double[21];
    Arrays.fill(longRuns, 20);
    double[] c = Workers.choose(longRuns, 0, 1);
    int most = Workers.resolve(0, 1, 21);
    double bestSeconds = Double.POSITIVE_INFINITY;
    int best = 0;
    for (int w = 1; w <= most; w++) {
      if (Workers.makespan(longRuns, w) < bestSeconds) {
        bestSeconds = Workers.makespan(longRuns, w);
        best = w;
      }
    }
    assertEquals(best, (int) c[0]);
    assertEquals(bestSeconds, c[1], 1e-9);
    // two runs of a second: starting a worker JVM costs more than it gains
    double[] tiny = {1, 1};
    assertEquals(1, (int) Workers.choose(tiny, 0, 1)[0]);
    assertEquals(2, Workers.choose(tiny, 0, 1)[1], 1e-9);
    // asked: taken as given (up to the runs), estimated on that many
    assertEquals(2, (int) Workers.choose(tiny, 2, 1)[0]);
    assertEquals(Workers.makespan(tiny, 2), Workers.choose(tiny, 2, 1)[1], 1e-9);
  }

  /** The "left" of each finished run's line: the plain pace on one worker, in-flight runs half done on more. */
  @Test
  void timeLeftCreditsRunsInFlight() {
    // one worker: 2 of 10 runs in 60 s, 8 more at 30 s
    assertEquals(240, CompareJob.secondsLeft(60, 2, 10, 1), 1e-9);
    // two workers, 20 runs of 6.5 min side by side: after the first (6.5 min), the second is about done;
    // 1.5 runs' worth in 6.5 min, 18.5 to go
    assertEquals(390 / 1.5 * 18.5, CompareJob.secondsLeft(390, 1, 20, 2), 1e-9);
    // 19 of 20 on two workers: the last one is running on the other worker, half done
    assertEquals(570 / 19.5 * 0.5, CompareJob.secondsLeft(570, 19, 20, 2), 1e-9);
    assertEquals(0, CompareJob.secondsLeft(600, 20, 20, 2), 0);
    // more workers than runs left: only the remaining runs are in flight
    assertEquals(100.0 / 4.5 * 0.5, CompareJob.secondsLeft(100, 4, 5, 8), 1e-9);
  }
}
