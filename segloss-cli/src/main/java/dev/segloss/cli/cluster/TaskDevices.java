package dev.segloss.cli.cluster;

import java.util.List;

/**
 * The device of a task from the user's {@code --device} and the GPUs the engine's resource scheduling gave
 * the task (Spark: {@code TaskContext.resources().get("gpu").addresses()}, with {@code
 * spark.task.resource.gpu.amount} set): {@code gpu} and {@code auto} take the task's first GPU, {@code
 * gpu:<address>}, so that tasks sharing a machine do not all land on GPU 0; {@code cpu} and an explicit
 * {@code gpu:N} are kept (the user's choice wins; with GPU scheduling on, N should be one of the task's
 * addresses). Without GPUs from the scheduler the request is kept as it is.
 */
public final class TaskDevices {
  private TaskDevices() {}

  public static String forTask(String requested, List<String> gpuAddresses) {
    if (gpuAddresses == null || gpuAddresses.isEmpty()) return requested;
    if ("gpu".equals(requested) || "auto".equals(requested)) return "gpu:" + gpuAddresses.get(0);
    return requested;
  }
}
