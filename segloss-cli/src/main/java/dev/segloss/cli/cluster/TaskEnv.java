package dev.segloss.cli.cluster;

import java.nio.file.Path;

/** What a running {@link SliceTask} gets from the engine. */
public interface TaskEnv {
  /** Hadoop-filesystem access from the executor. */
  RemoteFiles files();

  /** A private temporary folder of this task on the executor's local disk, removed when the task ends. */
  Path tempDir();

  /**
   * The device a model should use in this task for the user's {@code --device}: with the engine's resource
   * scheduling giving the task a GPU (Spark: {@code spark.task.resource.gpu.amount}), {@code gpu} and {@code
   * auto} become {@code gpu:<its address>}; otherwise (and for {@code cpu} or an explicit {@code gpu:N}) the
   * request itself.
   */
  String device(String requested);

  /** The executor's identifier (Spark: {@code driver} in local mode, else {@code 0}, {@code 1}, ...). */
  String executorId();

  /** Which attempt of this task runs (0 the first; more after a lost executor or a failure). */
  int attempt();
}
