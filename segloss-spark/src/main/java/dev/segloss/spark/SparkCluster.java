package dev.segloss.spark;

import dev.segloss.cli.cluster.Cluster;
import dev.segloss.cli.cluster.RemoteFiles;
import dev.segloss.cli.cluster.Shared;
import dev.segloss.cli.cluster.Slice;
import dev.segloss.cli.cluster.SliceTask;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;

/**
 * A {@link Cluster} on a Spark application: each slice is one partition of a parallelized collection, mapped
 * by one task; results are collected to the driver in partition order. A failed task is retried by Spark
 * ({@code spark.task.maxFailures}, 4 on a cluster; {@code local[N,F]} for F attempts in local mode), which
 * gives the same result: the tasks are deterministic and write their outputs atomically.
 */
final class SparkCluster implements Cluster {
  private final JavaSparkContext sc;
  private final HadoopFiles files;
  private final boolean owned;

  /** @param owned stop the context on {@link #close()} (false: it belongs to the application segloss runs in) */
  SparkCluster(SparkContext context, boolean owned) {
    this.sc = JavaSparkContext.fromSparkContext(context);
    this.owned = owned;
    this.files = new HadoopFiles(sc.hadoopConfiguration());
  }

  static SparkCluster start(SparkConf conf) {
    return new SparkCluster(SparkContext.getOrCreate(conf), true);
  }

  JavaSparkContext context() {
    return sc;
  }

  @Override
  public String description() {
    return "Spark " + sc.version() + " on " + sc.master() + ", application " + sc.sc().applicationId() + ", default parallelism "
        + sc.defaultParallelism() + (sc.sc().uiWebUrl().isDefined() ? ", UI " + sc.sc().uiWebUrl().get() : "");
  }

  @Override
  public int parallelism() {
    return sc.defaultParallelism();
  }

  @Override
  public RemoteFiles files() {
    return files;
  }

  @Override
  public <T extends Serializable, R extends Serializable> List<R> run(List<Slice<T>> slices, SliceTask<T, R> task) {
    if (slices.isEmpty()) return List.of();
    List<byte[]> data = new ArrayList<>(slices.size());
    for (Slice<T> s : slices) data.add(Bytes.of(s));
    JavaRDD<byte[]> rdd = sc.parallelize(data, data.size());
    List<byte[]> results = rdd.map(new RunSlice<>(task, files)).collect();
    List<R> out = new ArrayList<>(results.size());
    for (byte[] b : results) out.add(Bytes.read(b));
    return out;
  }

  @Override
  public <T extends Serializable> Shared<T> share(T value) {
    return new BroadcastShared<>(sc.broadcast(Bytes.of(value)));
  }

  @Override
  public void close() {
    if (owned) sc.stop();
  }

  /** Runs a {@link SliceTask} on one serialized slice inside a Spark task. */
  private static final class RunSlice<T extends Serializable, R extends Serializable> implements Function<byte[], byte[]> {
    private static final long serialVersionUID = 1L;
    private final SliceTask<T, R> task;
    private final HadoopFiles files;

    RunSlice(SliceTask<T, R> task, HadoopFiles files) {
      this.task = task;
      this.files = files;
    }

    @Override
    public byte[] call(byte[] in) throws Exception {
      Slice<T> slice = Bytes.read(in);
      try (SparkTaskEnv env = new SparkTaskEnv(files)) {
        return Bytes.of(task.run(slice, env));
      }
    }
  }

  /** A broadcast value, deserialized once per task object. */
  private static final class BroadcastShared<T extends Serializable> implements Shared<T> {
    private static final long serialVersionUID = 1L;
    private final Broadcast<byte[]> broadcast;
    private transient T value;

    BroadcastShared(Broadcast<byte[]> broadcast) {
      this.broadcast = broadcast;
    }

    @Override
    public synchronized T get() {
      if (value == null) value = Bytes.read(broadcast.value());
      return value;
    }
  }
}
