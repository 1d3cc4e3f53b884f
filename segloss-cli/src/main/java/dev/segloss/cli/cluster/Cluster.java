package dev.segloss.cli.cluster;

import java.io.Serializable;
import java.util.List;

/**
 * A session on a distributed engine (see {@link ClusterProvider}): runs {@link SliceTask}s over contiguous
 * slices of a list of items on the engine's executors and returns their results to the driver in slice
 * order, shares read-only values with the executors, and reaches Hadoop-filesystem paths ({@link
 * #files()}). The commands that use it keep their own rules (which files, how they pair, what an error
 * says); a cluster only moves work and bytes.
 */
public interface Cluster extends AutoCloseable {
  /** One line for the user, e.g. {@code Spark 4.2.0 on local[2] (2 cores)}. */
  String description();

  /** The engine's default parallelism (Spark: {@code spark.default.parallelism}, else the total executor cores). */
  int parallelism();

  /** Hadoop-filesystem access on the driver (the same object works inside tasks, see {@link TaskEnv#files()}). */
  RemoteFiles files();

  /**
   * Runs {@code task} once per slice, each in its own engine task (retried by the engine when it fails for a
   * reason other than the task's own result), and returns the results in slice order.
   */
  <T extends Serializable, R extends Serializable> List<R> run(List<Slice<T>> slices, SliceTask<T, R> task);

  /** Ships {@code value} to every executor once (Spark: a broadcast variable); tasks read it with {@link Shared#get()}. */
  <T extends Serializable> Shared<T> share(T value);

  /** Stops the session. */
  @Override
  void close();
}
