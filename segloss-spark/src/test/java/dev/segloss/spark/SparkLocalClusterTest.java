package dev.segloss.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segloss.cli.cluster.Cluster;
import dev.segloss.cli.cluster.Slice;
import dev.segloss.cli.cluster.SliceTask;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.TaskContext;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code local-cluster[2,1,1024]}: a standalone master and two workers in this JVM, each running an executor
 * in its own JVM, started from the Maven class path without a Spark distribution (SPARK_HOME unset; see
 * {@link SparkClusterProvider.LocalCluster}). Tasks, their inputs and results cross processes here.
 */
@Tag("slow")
class SparkLocalClusterTest {
  static final String MASTER = "local-cluster[2,1,1024]";
  static SparkSession spark;
  @TempDir static Path dir;

  @BeforeAll
  static void start() throws IOException {
    // fake GPUs: each worker runs the discovery script once; the first gets addresses 0 and 1, the second 2 and 3
    Path script = dir.resolve("gpus.sh");
    Files.writeString(script, "#!/bin/sh\nd=$(dirname \"$0\")\n"
        + "if mkdir \"$d/first-worker\" 2>/dev/null; then echo '{\"name\": \"gpu\", \"addresses\": [\"0\", \"1\"]}';"
        + " else echo '{\"name\": \"gpu\", \"addresses\": [\"2\", \"3\"]}'; fi\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    SparkConf conf = new SparkConf().setMaster(MASTER).setAppName("segloss-test").set("spark.ui.enabled", "false")
        .set("spark.worker.resource.gpu.amount", "2")
        .set("spark.worker.resource.gpu.discoveryScript", script.toString())
        .set("spark.executor.resource.gpu.amount", "2")
        .set("spark.task.resource.gpu.amount", "1");
    SparkClusterProvider.LocalCluster.prepare(conf);
    spark = SparkSession.builder().config(conf).getOrCreate();
  }

  @AfterAll
  static void stop() {
    if (spark != null) spark.stop();
  }

  @Test
  void weightsAndEvaluateEqualTheLocalCommands() throws IOException {
    Path masks = dir.resolve("masks");
    Path preds = dir.resolve("preds");
    Folders.write(masks, preds, 40, true, 3);
    Folders.Run local = Folders.cli("weights", "--masks", masks.toString(), "--method", "median", "--json").ok();
    Folders.Run onSpark = Folders.cli("weights", "--masks", masks.toString(), "--method", "median", "--json", "--spark", MASTER).ok();
    assertEquals(local.out(), onSpark.out());
    assertTrue(onSpark.err().contains("spark: Spark 4.2.0 on " + MASTER), onSpark.err());
    Folders.Run eLocal = Folders.cli("evaluate", "--truth", masks.toString(), "--pred", preds.toString(), "--json").ok();
    Folders.Run eSpark = Folders.cli("evaluate", "--truth", "file://" + masks.toAbsolutePath(), "--pred", "file://" + preds.toAbsolutePath(),
        "--json", "--spark", MASTER).ok();
    assertEquals(eLocal.out(), eSpark.out());
  }

  /**
   * Each task's device follows the GPU Spark's resource scheduling gave it ({@code spark.task.resource.gpu.amount
   * = 1}, GPUs found by a discovery script that fakes them): {@code gpu} and {@code auto} become {@code
   * gpu:<address>}, with addresses 2 and 3 on the second worker (not GPU 0 everywhere); {@code cpu} and an
   * explicit {@code gpu:N} stay.
   */
  @Test
  void gpuResourcesMapToTheDjlDevice() {
    List<Slice<Integer>> slices = Slice.cut(List.of(0, 1, 2, 3, 4, 5, 6, 7), 8);
    SliceTask<Integer, String> probe = (slice, env) -> {
      List<String> gpus = SparkTaskEnv.gpus(TaskContext.get());
      return env.executorId() + " " + gpus + " " + env.device("gpu") + " " + env.device("auto") + " " + env.device("cpu") + " " + env.device("gpu:7");
    };
    List<String> seen;
    try (Cluster c = new SparkClusterProvider().connect(MASTER, new PrintWriter(new StringWriter()))) {
      seen = c.run(slices, probe);
    }
    Set<String> addresses = new HashSet<>();
    for (String line : seen) {
      String[] f = line.split(" ");
      // "<executor> [a] gpu:a gpu:a cpu gpu:7": one address per task, from the fake discovery
      String address = f[1].replace("[", "").replace("]", "");
      assertTrue(Set.of("0", "1", "2", "3").contains(address), line);
      assertEquals("gpu:" + address, f[2], line);
      assertEquals("gpu:" + address, f[3], line);
      assertEquals("cpu", f[4], line);
      assertEquals("gpu:7", f[5], line);
      addresses.add(address);
    }
    assertTrue(addresses.stream().anyMatch(a -> a.equals("2") || a.equals("3")) || seen.stream().map(l -> l.split(" ")[0]).distinct().count() == 1,
        () -> "tasks on the second worker get its GPUs 2 or 3: " + seen);
  }

  /**
   * An executor that dies in the middle of a task (its JVM halts) loses the task; Spark runs it again on
   * an executor that lives, and the job's results are those of a run without the loss.
   */
  @Test
  void aTaskOfALostExecutorIsRetriedWithTheSameResult() {
    List<Integer> items = new ArrayList<>();
    for (int i = 0; i < 12; i++) items.add(i);
    List<Slice<Integer>> slices = Slice.cut(items, 4);
    SliceTask<Integer, long[]> squares = (slice, env) -> {
      if (slice.index() == 2 && env.attempt() == 0) Runtime.getRuntime().halt(3);
      long sum = 0;
      for (int v : slice.items()) sum += (long) v * v;
      return new long[] {sum, env.attempt()};
    };
    List<long[]> r;
    try (Cluster c = new SparkClusterProvider().connect(MASTER, new PrintWriter(new StringWriter()))) {
      r = c.run(slices, squares);
    }
    assertEquals(List.of(0L + 1 + 4, 9L + 16 + 25, 36L + 49 + 64, 81L + 100 + 121), r.stream().map(a -> a[0]).toList());
    assertTrue(r.get(2)[1] >= 1, "slice 2 ran again after its executor died");
    assertEquals(0, r.get(0)[1]);
  }

  /**
   * {@code predict} with executors in their own JVMs: the local command's files byte for byte, the model
   * loaded at most once per executor (two here) for six tasks; and {@code --device auto} follows the task's
   * (fake) GPU down to DJL, which refuses it on this CPU build, naming the GPU the task was given.
   */
  @Test
  void predictOnExecutors() throws IOException {
    Path run = dir.resolve("run");
    Folders.cli("train", "--data", "synthetic:size=32,n=24", "--loss", "dice", "--epochs", "1", "--batch", "8", "--depth", "2", "--width", "4",
        "--threads", "1", "--device", "cpu", "--out", run.toString()).ok();
    Path images = dir.resolve("images");
    Folders.write(dir.resolve("unused-masks"), images, 18, false, 9);
    Path local = dir.resolve("local");
    Path onSpark = dir.resolve("spark");
    Folders.cli("predict", "--model", run.toString(), "--input", images.toString(), "--out", local.toString()).ok();
    Folders.Run s = Folders.cli("predict", "--model", run.toString(), "--input", images.toString(), "--out", onSpark.toString(), "--spark", MASTER,
        "--partitions", "6").ok();
    java.util.regex.Matcher loads = java.util.regex.Pattern.compile("the model was loaded (\\d+) time").matcher(s.err());
    assertTrue(loads.find(), s.err());
    int n = Integer.parseInt(loads.group(1));
    assertTrue(n >= 1 && n <= 2, "once per executor, not per task: " + n);
    try (var files = Files.list(local)) {
      for (Path f : files.toList()) assertEquals(-1L, Files.mismatch(f, onSpark.resolve(f.getFileName())), f.toString());
    }
    Folders.Run auto = Folders.cli("predict", "--model", run.toString(), "--input", images.toString(), "--out", dir.resolve("auto").toString(),
        "--device", "auto", "--spark", MASTER);
    assertEquals(2, auto.code(), auto.err());
    assertTrue(auto.err().matches("(?s).*segloss predict: --device gpu:[0-3]: DJL sees no GPU .* \\(on executor [01]\\)\n"), auto.err());
    assertTrue(!Files.exists(dir.resolve("auto")), "nothing written, no folder left");
  }
}
