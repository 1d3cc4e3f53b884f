package dev.segloss.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarOutputStream;
import org.apache.spark.launcher.JavaModuleOptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spark-submit route without a Spark distribution: Spark's own submit class ({@code
 * org.apache.spark.deploy.SparkSubmit}, what {@code bin/spark-submit} runs) started in a child JVM with
 * Spark's jars and Java options, submitting {@code --class dev.segloss.spark.SeglossSpark} with {@code
 * --master local[2]} and a command that has no {@code --spark}: the master reaches the command from
 * spark-submit, and the output is the local command's. (The application jar here is an empty stand-in with
 * segloss on the driver class path; the shaded jar itself is made by {@code mvn package}, see docs/SPARK.md.)
 */
class SparkSubmitTest {
  @TempDir Path dir;

  @Test
  void theMasterOfSparkSubmitReachesTheCommand() {
    assertArrayEquals(new String[] {"weights", "--masks", "m", "--spark", "yarn"},
        SeglossSpark.withSubmitMaster(new String[] {"weights", "--masks", "m"}, "yarn"));
    assertArrayEquals(new String[] {"--verbose", "evaluate", "--spark", "yarn", "--", "x"},
        SeglossSpark.withSubmitMaster(new String[] {"--verbose", "evaluate", "--", "x"}, "yarn"));
    String[] given = {"weights", "--masks", "m", "--spark", "local[2]"};
    assertArrayEquals(given, SeglossSpark.withSubmitMaster(given, "yarn"), "an explicit --spark stays (and is refused if it differs)");
    String[] loss = {"loss", "--loss", "dice"};
    assertArrayEquals(loss, SeglossSpark.withSubmitMaster(loss, "yarn"), "commands without --spark are left alone");
    String[] help = {"weights", "--help"};
    assertArrayEquals(help, SeglossSpark.withSubmitMaster(help, "yarn"));
    assertArrayEquals(loss, SeglossSpark.withSubmitMaster(loss, null));
  }

  @Test
  @Tag("slow")
  void sparkSubmitRunsACommand() throws Exception {
    Path masks = dir.resolve("masks");
    Folders.write(masks, dir.resolve("preds"), 20, false, 2);
    Path app = dir.resolve("app.jar");
    try (JarOutputStream j = new JarOutputStream(Files.newOutputStream(app))) {
      // an empty application jar: the classes come from --driver-class-path
    }
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    cmd.addAll(Arrays.asList(JavaModuleOptions.defaultModuleOptionArray()));
    cmd.addAll(List.of("-Dlog4j2.configurationFile=" + Path.of("src/test/resources/log4j2-test.properties").toAbsolutePath(),
        "-cp", System.getProperty("java.class.path"), "org.apache.spark.deploy.SparkSubmit",
        "--master", "local[2]", "--conf", "spark.ui.enabled=false", "--class", "dev.segloss.spark.SeglossSpark", app.toString(),
        "weights", "--masks", masks.toString(), "--json"));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    pb.redirectError(dir.resolve("stderr.txt").toFile());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), "spark-submit ended");
    String err = Files.readString(dir.resolve("stderr.txt"));
    assertEquals(0, p.exitValue(), err);
    assertEquals(Folders.cli("weights", "--masks", masks.toString(), "--json").ok().out(), out);
    assertTrue(err.contains("spark: Spark 4.2.0 on local[2]"), err);
  }
}
