package dev.segloss.train.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segloss.train.report.CompareReport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The console table fits 120 columns (issue 12) with its diagnosis column, whatever the specs. */
class ReportTableTest {

  static CompareResult result(List<LossOutcome> ranked) {
    CompareConfig c = CompareConfig.builder().losses(ranked.stream().map(LossOutcome::spec).toList()).out(Path.of("x")).build();
    CompareResult.BudgetInfo b = new CompareResult.BudgetInfo("default", 420, "updates", 8, List.of(new Budget.Length(12, 0, 35)), new int[] {0, 0},
        "--patch auto", "single split", 1, 3, 3 * ranked.size(), 0.04, 0.003, 400, 410, 0, List.of(), 1);
    Advice a = Advice.of(ranked, Advice.Context.of(-1));
    return new CompareResult(c, "data", "synthetic", b, List.of(), ranked, a.text(), a.winner(), Ranking.powerOf(ranked), 410, List.of(),
        a.warnings(), List.of(), List.of(), RunExecutor.RECALL_GRID, Ranking.ALPHA);
  }

  @Test
  void theDefaultLossesFitIn120Columns() {
    List<String> specs = CompareConfig.DEFAULT_LOSSES;
    List<LossOutcome> outcomes = new ArrayList<>();
    for (int i = 0; i < specs.size(); i++) {
      outcomes.add(AdviceTest.loss(i, specs.get(i), 0.6 - 0.07 * i, 0.5, i == 6 ? AdviceTest.UNDER : AdviceTest.CONVERGED));
    }
    String table = CompareReport.table(result(Ranking.rank(outcomes)));
    List<String> lines = table.lines().toList();
    assertEquals(1 + specs.size(), lines.size());
    for (String l : lines) assertTrue(l.length() <= CompareReport.CONSOLE_WIDTH, l.length() + ": " + l);
    assertTrue(lines.get(0).startsWith("rank  loss") && lines.get(0).endsWith("p (Holm)  verdict  diagnosis"), lines.get(0));
    assertTrue(table.contains("combined(dice_weight=0.5, w_pos=auto)"), "the default specs are not shortened");
    assertTrue(lines.get(specs.size()).endsWith("under-trained"), lines.get(specs.size()));
    assertTrue(lines.get(1).endsWith("best     converged"), lines.get(1));
  }

  @Test
  void aLongSpecIsShortenedToFit() {
    String longSpec = "0.25*bce(w_pos=auto, weights=effective) + 0.25*dice(smooth_nr=1e-5, smooth_dr=1e-5) + 0.5*tversky(alpha=0.3, beta=0.7)";
    List<LossOutcome> ranked = Ranking.rank(List.of(AdviceTest.loss(0, longSpec, 0.6, 0.5, AdviceTest.CONVERGED),
        AdviceTest.loss(1, "dice", 0.3, 0.5, AdviceTest.CONVERGED)));
    String table = CompareReport.table(result(ranked));
    for (String l : table.lines().toList()) assertTrue(l.length() <= CompareReport.CONSOLE_WIDTH, l.length() + ": " + l);
    assertTrue(table.contains("0.25*bce(w_pos=auto, weights=effective) + 0.25…  0.596"), table);
    assertEquals(CompareReport.CONSOLE_WIDTH, table.lines().mapToInt(String::length).max().orElseThrow(), table);
  }
}
