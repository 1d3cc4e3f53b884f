package dev.segloss.spark;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.launcher.JavaModuleOptions;
import org.junit.jupiter.api.Test;

/**
 * Spark's Java 17 options for a driver in our own JVM ({@code org.apache.spark.launcher.JavaModuleOptions},
 * what spark-submit adds) are all in the launcher's {@code --spark} list and in this module's surefire
 * argLine, so that upgrading Spark to a release that needs one more option fails here, not in a user's first
 * shuffle.
 */
class SparkJavaOptionsTest {
  static final List<String> SPARK = Arrays.asList(JavaModuleOptions.defaultModuleOptionArray());

  @Test
  void theLauncherPassesEveryOption() throws IOException {
    String launcher = Files.readString(Path.of(System.getProperty("user.dir")).getParent().resolve("segloss"));
    Set<String> tokens = new HashSet<>(Arrays.asList(launcher.split("[\\s()]+")));
    for (String o : SPARK) {
      // the launcher starts every JVM with "--add-modules jdk.incubator.vector" (two words)
      boolean there = tokens.contains(o) || (o.equals("--add-modules=jdk.incubator.vector") && launcher.contains("--add-modules jdk.incubator.vector"));
      assertTrue(there, "the launcher's --spark options lack " + o);
    }
  }

  @Test
  void theTestJvmHasEveryOption() {
    List<String> args = ManagementFactory.getRuntimeMXBean().getInputArguments();
    for (String o : SPARK) assertTrue(args.contains(o), "surefire's argLine lacks " + o + ": " + args);
    assertDoesNotThrow(() -> SparkClusterProvider.checkJavaOptions("local[2]"));
  }
}
