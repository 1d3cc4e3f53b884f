package dev.segloss.spark;

import dev.segloss.cli.Segloss;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The segloss command line for Spark: the main class of {@code ./segloss ... --spark MASTER} and of {@code
 * spark-submit --class dev.segloss.spark.SeglossSpark segloss-spark-VERSION-all.jar COMMAND ...}. It runs the
 * CLI's commands unchanged ({@link Segloss#run}); under spark-submit, whose {@code --master} is in the
 * {@code spark.master} property, a command that can run on Spark gets {@code --spark} with that master, so
 * {@code spark-submit ... weights --masks hdfs://...} needs no {@code --spark} of its own.
 */
public final class SeglossSpark {
  /** The commands with {@code --spark}. */
  static final Set<String> SPARK_COMMANDS = Set.of("weights", "evaluate", "predict", "compare");

  private SeglossSpark() {}

  public static void main(String[] args) {
    SparkLogging.quiet();
    PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
    PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
    int code = Segloss.run(out, err, withSubmitMaster(args, System.getProperty("spark.master")));
    // in YARN cluster mode the application master reports an exit before it has seen the result as a failure
    boolean clusterMode = "cluster".equals(System.getProperty("spark.submit.deployMode"));
    if (code != 0 || !clusterMode) System.exit(code);
  }

  /**
   * {@code args} with {@code --spark MASTER} appended when {@code master} (spark-submit's) is set, the
   * command is one of {@link #SPARK_COMMANDS} and {@code --spark} is not given.
   */
  static String[] withSubmitMaster(String[] args, String master) {
    if (master == null) return args;
    String command = null;
    for (String a : args) {
      if (a.equals("--")) break;
      if (!a.startsWith("-")) {
        command = a;
        break;
      }
    }
    if (command == null || !SPARK_COMMANDS.contains(command)) return args;
    for (String a : args) if (a.equals("--spark") || a.startsWith("--spark=")) return args;
    if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) return args;
    List<String> out = new ArrayList<>(Arrays.asList(args));
    int end = out.indexOf("--");
    if (end >= 0) {
      out.add(end, master);
      out.add(end, "--spark");
    } else {
      out.add("--spark");
      out.add(master);
    }
    return out.toArray(new String[0]);
  }
}
