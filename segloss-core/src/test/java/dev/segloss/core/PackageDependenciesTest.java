package dev.segloss.core;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The package layering of segloss-core (docs/ARCHITECTURE.md), read from the sources: the spec language
 * depends on the loss types and never the other way round, and no core package refers to an engine.
 */
class PackageDependenciesTest {
  static final Path MAIN = Path.of("src", "main", "java", "dev", "segloss", "core");
  static final Pattern REFERENCE = Pattern.compile("dev\\.segloss\\.(?:core\\.([a-z]+)|([a-z]+))\\.");

  /** The code of a Java file without comments and string literals (a reference there is no dependency). */
  static String code(Path file) {
    try {
      String s = Files.readString(file);
      s = s.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("//[^\n]*", " ").replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\"");
      return s;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The segloss packages that the main sources of one core package refer to (other than itself). */
  static TreeSet<String> dependencies(String pkg) throws IOException {
    TreeSet<String> out = new TreeSet<>();
    List<Path> files = new ArrayList<>();
    try (Stream<Path> s = Files.list(MAIN.resolve(pkg))) {
      s.filter(p -> p.toString().endsWith(".java")).forEach(files::add);
    }
    assertTrue(!files.isEmpty(), "no sources in " + MAIN.resolve(pkg).toAbsolutePath());
    for (Path f : files) {
      Matcher m = REFERENCE.matcher(code(f));
      while (m.find()) {
        String target = m.group(1) != null ? "core." + m.group(1) : m.group(2); // "core": its root package
        if (!target.equals("core." + pkg)) out.add(target);
      }
    }
    return out;
  }

  @Test
  void theSpecLanguageDependsOnTheLossTypesNotTheOtherWayRound() throws IOException {
    assertTrue(dependencies("spec").contains("core.loss"), "spec builds losses from their types");
    assertTrue(!dependencies("loss").contains("core.spec"), "core.loss refers to core.spec: " + dependencies("loss"));
  }

  @Test
  void theCoreRefersToNoEngineAndNoOtherModule() throws IOException {
    for (String pkg : List.of("loss", "spec", "engine", "metrics", "weights", "io", "kernel", "distance")) {
      for (String d : dependencies(pkg)) {
        assertTrue(d.equals("core") || d.startsWith("core."), "core." + pkg + " refers to dev.segloss." + d);
      }
    }
    assertTrue(List.of("core", "core.loss").containsAll(dependencies("engine")),
        "the engine SPI needs the losses only: " + dependencies("engine"));
  }
}
