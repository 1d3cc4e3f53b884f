package dev.segloss.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --spark} in a CLI without segloss-spark on the class path (this module's tests): one line saying how
 * to run it, exit 2; {@code --partitions} only with {@code --spark}. The Spark runs themselves are tested in
 * segloss-spark.
 */
class ClusterOptionTest {
  @TempDir java.nio.file.Path dir;

  @Test
  void sparkNeedsTheSparkModule() {
    // local folders are listed (and refused when wrong) before Spark is looked for
    dev.segloss.core.io.Images.writeGrayPng(dir.resolve("a.png"), new float[] {0, 1, 1, 0}, 2, 2);
    String d = dir.toString();
    Cli.run("weights", "--masks", dir.resolve("none").toString(), "--spark", "local[2]").badInput("--masks: no such directory");
    Cli.run("weights", "--masks", d, "--spark", "local[2]").badInput("--spark local[2]: Spark is not on the class path; run through ./segloss",
        "docs/SPARK.md");
    Cli.run("evaluate", "--truth", d, "--pred", d, "--spark", "local[2]").badInput("--spark local[2]: Spark is not on the class path");
    Cli.run("weights", "--masks", d, "--partitions", "4").badInput("--partitions: applies with --spark only");
    Cli.run("weights", "--masks", d, "--spark", " ").badInput("--spark: expected a Spark master such as local[2]");
  }
}
