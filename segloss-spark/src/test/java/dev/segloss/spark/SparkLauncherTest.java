package dev.segloss.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.launcher.JavaModuleOptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./segloss} with and without {@code --spark}, with a stand-in for java that prints the command it was
 * given: only {@code --spark} brings segloss-spark, Spark's jars and Spark's Java options; a plain command
 * starts the CLI as before.
 */
class SparkLauncherTest {
  @TempDir Path root;

  @BeforeEach
  void layout() throws IOException {
    Path repo = Path.of(System.getProperty("user.dir")).getParent();
    Files.copy(repo.resolve("segloss"), root.resolve("segloss"), StandardCopyOption.COPY_ATTRIBUTES);
    Files.createDirectories(root.resolve("scripts"));
    Files.copy(repo.resolve("scripts/stderr-filter.pl"), root.resolve("scripts/stderr-filter.pl"));
    for (String m : new String[] {"segloss-cli", "segloss-spark"}) {
      Files.createDirectories(root.resolve(m + "/target/lib"));
      Files.writeString(root.resolve(m + "/target/" + m + "-0.jar"), "");
    }
    Files.writeString(root.resolve("segloss-spark/target/segloss-spark-0-all.jar"), "");
    Files.writeString(root.resolve("segloss-spark/target/spark-classpath.txt"), "/m2/spark-core_2.13-4.2.0.jar:/m2/scala-library.jar");
    Path java = root.resolve("fake-java");
    Files.writeString(java, "#!/bin/bash\nfor a in \"$@\"; do echo \"arg $a\"; done\necho \"SPARK_LOCAL_IP=${SPARK_LOCAL_IP:-}\"\n");
    assertTrue(java.toFile().setExecutable(true));
  }

  private List<String> run(String... args) throws Exception {
    ProcessBuilder pb = new ProcessBuilder();
    pb.command().add("./segloss");
    pb.command().addAll(Arrays.asList(args));
    pb.directory(root.toFile()).redirectErrorStream(true);
    pb.environment().put("JAVA", root.resolve("fake-java").toString());
    pb.environment().put("SEGLOSS_NO_BUILD", "1");
    pb.environment().remove("SPARK_LOCAL_IP");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    return out.lines().toList();
  }

  private static String classPath(List<String> lines) {
    return lines.get(lines.indexOf("arg -cp") + 1).substring("arg ".length());
  }

  @Test
  void onlySparkRunsGetSpark() throws Exception {
    List<String> spark = run("weights", "--masks", "m", "--spark", "local[2]");
    assertTrue(spark.contains("arg dev.segloss.spark.SeglossSpark"), spark.toString());
    assertEquals(root + "/segloss-spark/target/segloss-spark-0.jar:" + root + "/segloss-spark/target/lib/*:/m2/spark-core_2.13-4.2.0.jar:/m2/scala-library.jar",
        classPath(spark));
    for (String o : JavaModuleOptions.defaultModuleOptionArray()) {
      if (!o.startsWith("--add-modules")) assertTrue(spark.contains("arg " + o), o);
    }
    assertTrue(spark.contains("SPARK_LOCAL_IP=127.0.0.1"), "a local master binds to the loopback address");
    // the user's arguments go through unchanged, after the main class
    int main = spark.indexOf("arg dev.segloss.spark.SeglossSpark");
    assertEquals(List.of("arg weights", "arg --masks", "arg m", "arg --spark", "arg local[2]"), spark.subList(main + 1, main + 6));

    List<String> plain = run("weights", "--masks", "m");
    assertTrue(plain.contains("arg dev.segloss.cli.Segloss"), plain.toString());
    assertEquals(root + "/segloss-cli/target/segloss-cli-0.jar:" + root + "/segloss-cli/target/lib/*", classPath(plain));
    assertFalse(plain.stream().anyMatch(l -> l.startsWith("arg --add-opens")), plain.toString());
    assertTrue(plain.contains("SPARK_LOCAL_IP="));

    List<String> cluster = run("evaluate", "--truth", "a", "--pred", "b", "--spark=spark://head:7077");
    assertTrue(cluster.contains("arg dev.segloss.spark.SeglossSpark"));
    assertTrue(cluster.contains("SPARK_LOCAL_IP="), "a cluster's driver must be reachable: no loopback binding");
    // an argument after -- is not an option
    assertTrue(run("loss", "--", "--spark").contains("arg dev.segloss.cli.Segloss"));
  }
}
