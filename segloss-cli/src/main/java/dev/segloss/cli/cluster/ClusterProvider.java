package dev.segloss.cli.cluster;

import java.io.PrintWriter;

/**
 * A distributed engine the CLI can hand its work to when a command is given {@code --spark MASTER}. The
 * CLI has no compile-time dependency on any engine: an implementation (segloss-spark's, for Apache Spark)
 * registers itself in {@code META-INF/services/dev.segloss.cli.cluster.ClusterProvider} and is found with
 * {@link java.util.ServiceLoader} by {@link Clusters#connect}.
 */
public interface ClusterProvider {
  /** The engine's name, e.g. {@code spark}. */
  String name();

  /**
   * Starts a session.
   *
   * @param master where to run, in the engine's words (Spark: {@code local[2]}, {@code spark://host:7077},
   *     {@code yarn}, {@code k8s://...})
   * @param err where the engine's own one-line notes go (the CLI's stderr)
   */
  Cluster connect(String master, PrintWriter err);
}
