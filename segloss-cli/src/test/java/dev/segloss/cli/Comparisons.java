package dev.segloss.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * Test helpers for comparisons that must come out the same however their runs were executed (one after
 * another, in worker JVMs, as Spark tasks); shared with segloss-spark's tests through this module's test jar.
 */
public final class Comparisons {
  private Comparisons() {}

  /**
   * The outputs of two comparisons of {@code runs} runs that must agree: the per-image table, the ranking
   * table (training seconds aside) and every run's model byte for byte; {@code context} (e.g. both runs'
   * stderr) goes into a failure's message.
   */
  public static void assertSame(Path a, Path b, int runs, String context) throws IOException {
    assertEquals(Files.readString(a.resolve("per_image.csv")), Files.readString(b.resolve("per_image.csv")), context);
    assertEquals(withoutSeconds(a.resolve("results.csv")), withoutSeconds(b.resolve("results.csv")), context);
    List<Path> models;
    try (Stream<Path> s = Files.walk(a.resolve("runs"))) {
      models = s.filter(p -> p.getFileName().toString().equals("model.params")).map(a::relativize).sorted().toList();
    }
    assertEquals(runs, models.size(), models.toString());
    for (Path m : models) assertEquals(-1L, Files.mismatch(a.resolve(m), b.resolve(m)), m.toString());
  }

  /** results.csv without its train_seconds column. */
  public static List<String> withoutSeconds(Path csv) throws IOException {
    List<String> lines = Files.readAllLines(csv);
    int col = List.of(lines.get(0).split(",")).indexOf("train_seconds");
    assertTrue(col > 0, lines.get(0));
    return lines.stream().map(l -> {
      String[] f = l.split(",", -1);
      f[col] = "";
      return String.join(",", f);
    }).toList();
  }

  /** {@code a} followed by {@code b}: a command line with more arguments. */
  public static String[] concat(String[] a, String... b) {
    String[] r = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }
}
