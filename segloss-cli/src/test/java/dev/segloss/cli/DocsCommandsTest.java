package dev.segloss.cli;

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
 * Every {@code segloss} command that README.md and docs/*.md show runs as written: bash runs the text of
 * the command in a copy of the repository's example files, through the real {@code ./segloss} launcher
 * (with {@code SEGLOSS_CLASSPATH} set to this test's class path instead of building the jar). In
 * {@code console} blocks the lines after a {@code $ command} are its expected output (stdout and stderr as
 * a terminal shows them; a line {@code ...} stands for any lines); it must match exactly. Commands run
 * in document order per file, so a later command sees what an earlier one wrote, and {@code cd} carries
 * over, as for a reader typing them. Lines of other blocks that are not segloss commands ({@code mvn},
 * {@code java}, {@code bash scripts/...}) are not run here. The parsing, the markers
 * ({@code <!-- docs-test: dry-run -->} and the blocks that are not run) and the running are in
 * {@link DocsCommands}.
 *
 * <p>docs/SPARK.md is run by segloss-spark's {@code SparkDocsCommandsTest}, whose class path holds Spark
 * (this module's does not).
 */
@Tag("slow")
class DocsCommandsTest {
  @TempDir Path tmp;

  static final Path REPO = Path.of(System.getProperty("user.dir")).getParent();

  @TestFactory
  Stream<DynamicTest> documentedCommandsRunAsWritten() throws IOException {
    List<Path> docs = new ArrayList<>();
    docs.add(REPO.resolve("README.md"));
    try (Stream<Path> s = Files.list(REPO.resolve("docs"))) {
      s.filter(p -> p.toString().endsWith(".md") && !p.getFileName().toString().equals("SPARK.md")).sorted().forEach(docs::add);
    }
    List<DynamicTest> tests = new ArrayList<>();
    for (Path doc : docs) {
      DocsCommands.Doc d = DocsCommands.parse(REPO, doc);
      if (d.commands().isEmpty()) continue;
      Path root = tmp.resolve(doc.getFileName().toString().replace(".md", ""));
      String[] cwd = {"."};
      for (DocsCommands.Command c : d.commands()) {
        tests.add(DynamicTest.dynamicTest(c.file() + ":" + c.line() + " " + c.text(), () -> {
          if (!Files.exists(root.resolve("segloss"))) DocsCommands.layout(REPO, root);
          cwd[0] = DocsCommands.run(root, cwd[0], c, Map.of());
        }));
      }
    }
    return tests.stream();
  }
}
