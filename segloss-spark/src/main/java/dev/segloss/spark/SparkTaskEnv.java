package dev.segloss.spark;

import dev.segloss.cli.cluster.RemoteFiles;
import dev.segloss.cli.cluster.TaskDevices;
import dev.segloss.cli.cluster.TaskEnv;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;

/** A {@link TaskEnv} inside a running Spark task. */
final class SparkTaskEnv implements TaskEnv, AutoCloseable {
  private final RemoteFiles files;
  private final TaskContext context;
  private Path temp;

  SparkTaskEnv(RemoteFiles files) {
    this.files = files;
    this.context = TaskContext.get();
  }

  @Override
  public RemoteFiles files() {
    return files;
  }

  @Override
  public Path tempDir() {
    if (temp == null) {
      try {
        // the executor's process id in the name: which JVM a folder belongs to, when one is left by a lost executor
        temp = Files.createTempDirectory("segloss-task-" + ProcessHandle.current().pid() + "-");
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create a temporary folder: " + e.getMessage(), e);
      }
    }
    return temp;
  }

  @Override
  public String device(String requested) {
    return TaskDevices.forTask(requested, gpus(context));
  }

  /** The GPU addresses Spark's resource scheduling gave the task (empty without). */
  static List<String> gpus(TaskContext context) {
    if (context == null) return List.of();
    ResourceInformation gpu = context.resourcesJMap().get("gpu");
    return gpu == null ? List.of() : Arrays.asList(gpu.addresses());
  }

  @Override
  public String executorId() {
    return SparkEnv.get().executorId();
  }

  @Override
  public int attempt() {
    return context == null ? 0 : context.attemptNumber();
  }

  @Override
  public void close() {
    if (temp == null) return;
    try (Stream<Path> s = Files.walk(temp)) {
      for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) Files.deleteIfExists(p);
    } catch (IOException e) {
      // left to the system's temporary-file cleaning
    }
  }
}
