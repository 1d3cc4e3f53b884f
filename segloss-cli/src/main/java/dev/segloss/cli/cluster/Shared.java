package dev.segloss.cli.cluster;

import java.io.Serializable;

/** A read-only value shipped to each executor once ({@link Cluster#share}). */
public interface Shared<T> extends Serializable {
  /** The value (on an executor: its local copy). */
  T get();
}
