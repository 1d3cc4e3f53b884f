package dev.segloss.train.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * The report only renders what the comparison hands it (issue 11): from the compiled classes (the JDK's
 * jdeps), no class of {@code dev.segloss.train.report} refers to the comparison's machinery — the job, its
 * plan, the executor, ranking or advice — nor to inference or the engine; it reads the result types only.
 */
class ReportDependenciesTest {
  /**
   * What the report may use of the compare package: the result and its parts (jdeps also lists the classes
   * that enclose the result's nested types; that no code of theirs is called is checked on the bytecode).
   */
  static final Set<String> ALLOWED = Set.of("CompareResult", "CompareResult$BudgetInfo", "LossOutcome", "RunOutcome", "Stat",
      "Wilcoxon$Result", "Power", "Diagnosis", "Diagnosis$Kind", "Diagnosis$Predictions", "Budget$Length", "OverlayData$Row",
      "OverlayData$Cell", "VolumeMetrics$LossVolume", "VolumeMetrics$SeedVolume", "CompareConfig", "Budget", "OverlayData",
      "VolumeMetrics", "Wilcoxon");
  /** Enclosing classes whose own code (the comparison's computations) the report must not call. */
  static final Set<String> NOT_CALLED = Set.of("Budget", "OverlayData", "VolumeMetrics", "Wilcoxon");

  @Test
  void theReportDependsOnTheResultOnly() {
    Path classes = Path.of("target/classes");
    assertTrue(Files.isDirectory(classes.resolve("dev/segloss/train/report")), "compiled classes at " + classes.toAbsolutePath());
    ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
    StringWriter out = new StringWriter();
    int code = jdeps.run(new PrintWriter(out), new PrintWriter(out), "-verbose:class", "-filter:none", classes.toString());
    assertEquals(0, code, out.toString());
    Set<String> compare = new TreeSet<>(), forbidden = new TreeSet<>();
    for (String line : out.toString().split("\n")) {
      String t = line.trim();
      if (!t.startsWith("dev.segloss.train.report.") || !t.contains("->")) continue;
      String target = t.substring(t.indexOf("->") + 2).trim().split("\\s+")[0];
      if (target.startsWith("dev.segloss.train.compare.")) compare.add(target.substring("dev.segloss.train.compare.".length()));
      for (String bad : List.of("ai.djl.", "dev.segloss.train.ImageSet", "dev.segloss.train.Inference", "dev.segloss.train.TrainingRun",
          "dev.segloss.data.")) {
        if (target.startsWith(bad)) forbidden.add(t);
      }
    }
    assertTrue(!compare.isEmpty(), "jdeps output parsed: " + out.toString().lines().limit(5).toList());
    Set<String> extra = new TreeSet<>(compare);
    extra.removeAll(ALLOWED);
    assertTrue(extra.isEmpty(), "the report uses " + extra + " of the compare package");
    assertTrue(forbidden.isEmpty(), "the report reaches " + forbidden);

    // bytecode: no method or field of the enclosing classes themselves is used
    ToolProvider javap = ToolProvider.findFirst("javap").orElseThrow();
    Set<String> calls = new TreeSet<>();
    try (var files = Files.list(classes.resolve("dev/segloss/train/report"))) {
      for (Path f : files.filter(x -> x.toString().endsWith(".class")).toList()) {
        StringWriter bytecode = new StringWriter();
        assertEquals(0, javap.run(new PrintWriter(bytecode), new PrintWriter(bytecode), "-c", "-p", f.toString()), bytecode.toString());
        for (String line : bytecode.toString().split("\n")) {
          for (String c : NOT_CALLED) {
            if (line.contains("dev/segloss/train/compare/" + c + ".")) calls.add(f.getFileName() + ": " + line.trim());
          }
        }
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    assertTrue(calls.isEmpty(), "the report calls the comparison's code: " + calls);
  }
}
