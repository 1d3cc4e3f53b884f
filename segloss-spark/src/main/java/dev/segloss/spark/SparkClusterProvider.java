package dev.segloss.spark;

import dev.segloss.cli.cluster.Cluster;
import dev.segloss.cli.cluster.ClusterProvider;
import dev.segloss.core.InvalidInputException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.launcher.JavaModuleOptions;

/**
 * segloss-spark's {@link ClusterProvider} (registered in {@code META-INF/services}): starts a Spark
 * application on {@code --spark MASTER} with the configuration Spark reads itself ({@code spark.*} system
 * properties, which spark-submit sets from {@code --conf} and {@code spark-defaults.conf}).
 */
public final class SparkClusterProvider implements ClusterProvider {
  @Override
  public String name() {
    return "spark";
  }

  @Override
  public Cluster connect(String master, PrintWriter err) {
    checkJavaOptions(master);
    SparkLogging.quiet();
    scala.Option<SparkSession> active = SparkSession.getDefaultSession();
    if (active.isDefined() && !active.get().sparkContext().isStopped()) {
      // inside a running Spark application (a notebook, a test): use its context and leave it running
      SparkContext sc = active.get().sparkContext();
      if (!sc.master().equals(master)) {
        throw new InvalidInputException("--spark " + master + ": this JVM runs a Spark application on " + sc.master() + "; give that master");
      }
      return announce(new SparkCluster(sc, false), err);
    }
    SparkConf conf = new SparkConf();
    if (conf.contains("spark.master") && !conf.get("spark.master").equals(master)) {
      throw new InvalidInputException("--spark " + master + ": this JVM was started for master " + conf.get("spark.master")
          + " (spark-submit --master); drop --spark or give the same master");
    }
    conf.setMaster(master);
    if (!conf.contains("spark.app.name")) conf.setAppName("segloss");
    if (master.startsWith("local-cluster")) LocalCluster.prepare(conf);
    SparkCluster cluster;
    try {
      cluster = SparkCluster.start(conf);
    } catch (RuntimeException e) {
      String m = String.valueOf(e.getMessage());
      if (m.contains("Master URL") || m.contains("master URL") || m.contains("Could not parse")) {
        throw new InvalidInputException("--spark " + master + ": " + m.strip().replaceAll("\\s*\\R\\s*", " "), e);
      }
      throw e;
    }
    return announce(cluster, err);
  }

  private static SparkCluster announce(SparkCluster cluster, PrintWriter err) {
    err.println("spark: " + cluster.description());
    err.flush();
    return cluster;
  }

  /**
   * On Java 17 Spark needs its {@code --add-opens} list in the driver JVM (spark-submit and {@code ./segloss
   * --spark} pass it; Spark adds it to the executors itself); without it the first task fails deep inside
   * Spark. Refused here with the remedy instead.
   */
  static void checkJavaOptions(String master) {
    Module unnamed = SparkClusterProvider.class.getModule();
    List<String> missing = new ArrayList<>();
    for (String o : JavaModuleOptions.defaultModuleOptionArray()) {
      if (!o.startsWith("--add-opens=")) continue;
      String[] moduleAndPackage = o.substring("--add-opens=".length(), o.indexOf('=', "--add-opens=".length())).split("/");
      Module m = ModuleLayer.boot().findModule(moduleAndPackage[0]).orElse(null);
      if (m != null && !m.isOpen(moduleAndPackage[1], unnamed)) missing.add(o);
    }
    if (!missing.isEmpty()) {
      throw new InvalidInputException("--spark " + master + ": this JVM lacks Spark's Java 17 options (" + missing.size() + " missing, e.g. "
          + missing.get(0) + "); run through ./segloss or spark-submit, or add the options of docs/SPARK.md to the java command");
    }
  }

  /** Makes {@code local-cluster[W,C,MB]} (Spark's test mode with executor processes) work without a Spark distribution. */
  static final class LocalCluster {
    private LocalCluster() {}

    /**
     * A standalone worker builds its executors' command with Spark's launcher library, which wants a Spark
     * home (the worker's is {@code SPARK_HOME}, or {@code spark.test.home} when {@code spark.testing} is set)
     * holding {@code jars/} and, to learn the Scala version, {@code launcher/target/scala-2.13/}. Without a
     * distribution: a stand-in home with those two folders, empty, and test mode so that the worker takes
     * it; in test mode Spark also gives the executors the driver's class path (segloss, Spark and every
     * dependency), and {@code spark.executor.extraClassPath} does too, for good measure.
     */
    static void prepare(SparkConf conf) {
      String sparkHome = System.getenv("SPARK_HOME");
      if ((sparkHome != null && !sparkHome.isEmpty()) || System.getProperty("spark.test.home") != null) return;
      try {
        Path home = Files.createTempDirectory("segloss-spark-home-");
        Files.createDirectories(home.resolve("jars"));
        Files.createDirectories(home.resolve("launcher/target/scala-2.13"));
        // the workers keep their executors' logs in HOME/work; all of it goes when this JVM ends
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(home), "segloss-spark-home-cleanup"));
        System.setProperty("spark.test.home", home.toString());
        System.setProperty("spark.testing", "true");
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create a stand-in SPARK_HOME for local-cluster: " + e.getMessage(), e);
      }
      if (!conf.contains("spark.executor.extraClassPath")) conf.set("spark.executor.extraClassPath", System.getProperty("java.class.path"));
    }

    private static void deleteTree(Path root) {
      try (java.util.stream.Stream<Path> s = Files.walk(root)) {
        for (Path p : (Iterable<Path>) s.sorted(java.util.Comparator.reverseOrder())::iterator) Files.deleteIfExists(p);
      } catch (IOException | UncheckedIOException e) {
        // a temporary folder: the system cleans it eventually
      }
    }
  }
}
