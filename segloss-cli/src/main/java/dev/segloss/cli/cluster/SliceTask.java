package dev.segloss.cli.cluster;

import java.io.Serializable;

/**
 * The work of one engine task: one {@link Slice} of items in, one result out. Serialized to the executors,
 * so it must hold only serializable state (a static nested class, not a lambda that captures a command).
 * A task reports bad input in its result rather than by throwing, so that the driver can name the first bad
 * item in the order the local command would; an exception makes the engine retry the task.
 */
@FunctionalInterface
public interface SliceTask<T, R> extends Serializable {
  R run(Slice<T> slice, TaskEnv env) throws Exception;
}
