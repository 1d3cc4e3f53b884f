package dev.segloss.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.segloss.cli.DocsCommands;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code segloss} command of docs/SPARK.md runs as written, in document order, through the real
 * {@code ./segloss} launcher in a stand-in for a fresh clone (segloss-cli's {@link DocsCommands}: exit code 0,
 * and the output where a {@code console} block shows it; {@code <!-- docs-test: dry-run -->} blocks' compare
 * commands with {@code --dry-run}). The launcher runs Java from this test's class path, which holds segloss
 * and Spark: {@code SEGLOSS_CLASSPATH} is that class path, and the scratch {@code segloss-spark/target/spark-classpath.txt}
 * (what {@code mvn package} writes: Spark's jars, which the launcher appends with {@code --spark}) holds it too,
 * so that no build runs inside the test.
 *
 * <p>The blocks marked as not run (templates for a real cluster or a GPU, the Maven build of the spark-submit
 * jar) are listed as tests of their own, named with the reason, each checking that its marker fits it; and
 * every other command line of the document's shell blocks must be a segloss or cd command run here, so that
 * nothing is left out unnoticed.
 */
@Tag("slow")
class SparkDocsCommandsTest {
  @TempDir Path root;

  static final Path REPO = Path.of(System.getProperty("user.dir")).getParent();

  @TestFactory
  Stream<DynamicTest> sparkDocCommandsRunAsWritten() throws IOException {
    DocsCommands.Doc doc = DocsCommands.parse(REPO, REPO.resolve("docs/SPARK.md"));
    assertEquals(List.of(), doc.otherLines(), "docs/SPARK.md: command lines neither run here nor in a block marked as not run");
    assertFalse(doc.commands().isEmpty());
    List<DynamicTest> tests = new ArrayList<>();
    for (DocsCommands.NotRun n : doc.notRun()) {
      tests.add(DynamicTest.dynamicTest(n.file() + ":" + n.line() + " not run (" + n.marker() + "): " + n.reason(),
          () -> DocsCommands.check(n.file(), n.line(), n.marker(), n.commands())));
    }
    String classPath = System.getProperty("java.class.path");
    String[] cwd = {"."};
    for (DocsCommands.Command c : doc.commands()) {
      tests.add(DynamicTest.dynamicTest(c.file() + ":" + c.line() + " " + c.text(), () -> {
        if (!Files.exists(root.resolve("segloss"))) {
          DocsCommands.layout(REPO, root);
          Files.createDirectories(root.resolve("segloss-spark/target"));
          Files.writeString(root.resolve("segloss-spark/target/spark-classpath.txt"), classPath);
        }
        cwd[0] = DocsCommands.run(root, cwd[0], c, Map.of("SEGLOSS_CLASSPATH", classPath));
      }));
    }
    return tests.stream();
  }
}
