package dev.segloss.spark;

import static dev.segloss.cli.Comparisons.concat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segloss.cli.Comparisons;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code compare --spark}: one Spark task per run on {@code local-cluster[2,1,1024]} (two executor JVMs), a
 * small comparison (2 losses × 2 seeds, 30 updates per run) equal, run for run, to the one run one after
 * another in this JVM — although one executor is killed ({@code kill -9}) in the middle of a training: Spark
 * runs the lost run again elsewhere and it gives the same outcome, file for file.
 */
@Tag("slow")
class SparkCompareTest {
  static final String MASTER = "local-cluster[2,1,1024]";
  static SparkSession spark;
  @TempDir static Path dir;
  static Path executorTmp;

  @BeforeAll
  static void start() throws IOException {
    // the executors' temporary folders (the tasks' run folders) in a folder of this test, to watch them
    executorTmp = Files.createDirectories(dir.resolve("executor-tmp"));
    SparkConf conf = new SparkConf().setMaster(MASTER).setAppName("segloss-compare-test").set("spark.ui.enabled", "false")
        .set("spark.executor.extraJavaOptions", "-Djava.io.tmpdir=" + executorTmp);
    SparkClusterProvider.LocalCluster.prepare(conf);
    spark = SparkSession.builder().config(conf).getOrCreate();
  }

  @AfterAll
  static void stop() {
    if (spark != null) spark.stop();
  }

  static final String[] SMALL = {"compare", "--data", "synthetic:size=32,n=60", "--losses", "dice; bce", "--seeds", "2", "--updates", "30",
      "--batch", "8", "--depth", "2", "--width", "4", "--threads", "1", "--folds", "1", "--device", "cpu"};

  @Test
  void aComparisonOnSparkIsTheLocalOneEvenWhenAnExecutorDies() throws Exception {
    Path seq = dir.resolve("seq");
    Path onSpark = dir.resolve("spark");
    Folders.cli(concat(SMALL, "--out", seq.toString())).ok();

    AtomicReference<Folders.Run> result = new AtomicReference<>();
    Thread run = new Thread(() -> result.set(Folders.cli(concat(SMALL, "--out", onSpark.toString(), "--spark", MASTER))));
    run.start();
    // wait for a training to be under way in an executor (its run folder has its config), then kill that executor
    AtomicLong killed = new AtomicLong(-1);
    long deadline = System.nanoTime() + 300_000_000_000L; // a hang guard, not a timing assertion
    while (killed.get() < 0 && run.isAlive() && System.nanoTime() < deadline) {
      training().ifPresent(pid -> {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        killed.set(pid);
      });
      Thread.sleep(50);
    }
    run.join(600_000);
    assertTrue(killed.get() > 0, "an executor was killed during a training");
    Folders.Run r = result.get();
    assertEquals(0, r.code(), r.err());
    assertTrue(r.err().contains("run(s) ran again after a lost executor"), r.err());
    // run for run: per-image table, ranking (training seconds aside), every model byte for byte
    Comparisons.assertSame(seq, onSpark, 4, r.err());
  }

  /** The process id of an executor with a training under way: a task folder segloss-task-PID-... holding a run's config. */
  private static Optional<Long> training() throws IOException {
    try (Stream<Path> s = Files.list(executorTmp)) {
      for (Path task : s.filter(p -> p.getFileName().toString().startsWith("segloss-task-")).toList()) {
        Path runs = task.resolve("attempt").resolve("runs");
        if (!Files.isDirectory(runs)) continue;
        try (Stream<Path> f = Files.walk(runs)) {
          if (f.anyMatch(p -> p.getFileName().toString().equals("config.json"))) {
            return Optional.of(Long.parseLong(task.getFileName().toString().split("-")[2]));
          }
        } catch (IOException | java.io.UncheckedIOException e) {
          // the folder changed while it was walked: look again
        }
      }
    }
    return Optional.empty();
  }
}
