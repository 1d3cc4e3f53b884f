package dev.segloss.cli.cluster;

import dev.segloss.core.InvalidInputException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** Finds the {@link ClusterProvider} on the class path and connects to it. */
public final class Clusters {
  private Clusters() {}

  /** The option that selects a cluster, for messages. */
  public static final String OPTION = "--spark";

  /**
   * Connects to {@code master} through the first {@link ClusterProvider} the {@link ServiceLoader} finds.
   *
   * @throws InvalidInputException naming {@code --spark} when no provider is on the class path, or the master is blank
   */
  public static Cluster connect(String master, PrintWriter err) {
    if (master == null || master.isBlank()) {
      throw new InvalidInputException(OPTION + ": expected a Spark master such as local[2], spark://HOST:7077, yarn or k8s://HOST:PORT");
    }
    List<ClusterProvider> found = new ArrayList<>();
    for (ClusterProvider p : ServiceLoader.load(ClusterProvider.class)) found.add(p);
    if (found.isEmpty()) {
      throw new InvalidInputException(OPTION + " " + master + ": Spark is not on the class path; run through ./segloss (it adds Spark when"
          + " --spark is given) or spark-submit with the segloss-spark jar (docs/SPARK.md)");
    }
    return found.get(0).connect(master, err);
  }

  /**
   * The number of slices for {@code items} items: {@code requested} when given, else three per core of the
   * cluster ({@link Cluster#parallelism()}), as Spark's tuning guide recommends ("2-3 tasks per CPU core"),
   * so that a slow executor or an uneven slice leaves the others busy; never more slices than items.
   */
  public static int slices(Cluster cluster, int items, Integer requested) {
    if (requested != null && requested < 1) throw new InvalidInputException("--partitions: expected at least 1, got " + requested);
    int k = requested != null ? requested : 3 * Math.max(1, cluster.parallelism());
    return Math.max(1, Math.min(k, items));
  }
}
