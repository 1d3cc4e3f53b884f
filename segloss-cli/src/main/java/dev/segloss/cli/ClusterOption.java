package dev.segloss.cli;

import dev.segloss.cli.cluster.Cluster;
import dev.segloss.cli.cluster.Clusters;
import java.io.PrintWriter;
import picocli.CommandLine.Option;

/**
 * {@code --spark MASTER} and {@code --partitions N} (a picocli {@code @Mixin}) for the commands that can run
 * as Apache Spark jobs. The CLI does not depend on Spark: the engine is found at run time ({@link
 * Clusters#connect}); {@code ./segloss} puts segloss-spark and Spark on the class path only when {@code
 * --spark} is on the command line (docs/SPARK.md).
 */
public final class ClusterOption {
  @Option(names = "--spark", paramLabel = "MASTER",
      description = "Run as an Apache Spark job: local[N], local-cluster[W,C,MB], spark://HOST:7077, yarn, k8s://HOST:PORT"
          + " (docs/SPARK.md). Folders may then be Hadoop URIs (hdfs://, s3a://, file://); local paths must be visible to every executor.")
  String master;

  @Option(names = "--partitions", paramLabel = "N",
      description = "With --spark: tasks to cut the files into (default: 3 per executor core, at most one per file).")
  Integer partitions;

  /** True when the command runs on a cluster. */
  public boolean given() {
    return master != null;
  }

  /** Connects to the cluster (see {@link Clusters#connect}). */
  Cluster connect(PrintWriter err) {
    if (partitions != null && partitions < 1) {
      throw new dev.segloss.core.InvalidInputException("--partitions: expected at least 1, got " + partitions);
    }
    return Clusters.connect(master, err);
  }

  /** Refuses {@code --partitions} without {@code --spark}. */
  void checkLocal() {
    if (master == null && partitions != null) throw new dev.segloss.core.InvalidInputException("--partitions: applies with --spark only");
  }
}
