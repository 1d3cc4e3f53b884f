package dev.segloss.train.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class OverlayChoiceTest {
  static final double NaN = Double.NaN;

  @Test
  void bestMedianWorstOfTheBestLossThenWhereTheLossesDisagreeMost() {
    // image:          0     1     2     3     4     5     6     7
    double[] best = {0.90, 0.80, 0.70, 0.60, 0.50, 0.40, NaN, 0.95};
    double[] second = {0.88, 0.20, 0.69, 0.60, 0.45, 0.39, 0.10, 0.90};
    double[] third = {0.91, 0.79, 0.10, 0.60, 0.50, 0.41, 0.90, 0.94};
    boolean[] fg = {true, true, true, true, true, true, true, false};
    List<OverlayChoice.Pick> p = OverlayChoice.choose(List.of("dice", "bce", "focal"), new double[][] {best, second, third}, fg);
    // candidates 0..5 (6: best's Dice undefined; 7: no foreground), by the best loss: 0 best, 3 median (6/2), 5 worst
    assertEquals(List.of(new OverlayChoice.Pick(0, "best of dice"), new OverlayChoice.Pick(3, "median of dice"),
        new OverlayChoice.Pick(5, "worst of dice"), new OverlayChoice.Pick(1, "losses disagree most (Dice 0.20 to 0.80)"),
        new OverlayChoice.Pick(2, "losses disagree most (Dice 0.10 to 0.70)"), new OverlayChoice.Pick(4, "losses disagree most (Dice 0.45 to 0.50)")),
        p);
  }

  @Test
  void oneLossShowsItsBestMedianWorstOnlyAndAnEmptyChoiceIsEmpty() {
    List<OverlayChoice.Pick> p = OverlayChoice.choose(List.of("dice"), new double[][] {{0.5, 0.7}}, new boolean[] {true, true});
    assertEquals(List.of(new OverlayChoice.Pick(1, "best of dice"), new OverlayChoice.Pick(0, "worst of dice")), p);
    assertEquals(List.of(), OverlayChoice.choose(List.of("dice", "bce"), new double[][] {{NaN}, {0.3}}, new boolean[] {true}));
    assertEquals(List.of(), OverlayChoice.choose(List.of("dice", "bce"), new double[][] {{0.2}, {0.3}}, new boolean[] {false}));
  }

  @Test
  void imagesWhereTheLossesAgreeAreNotDisagreements() {
    double[][] d = {{0.9, 0.8, 0.7, 0.6, 0.5}, {0.9, 0.8, 0.7, 0.6, 0.5}};
    List<OverlayChoice.Pick> p = OverlayChoice.choose(List.of("a", "b"), d, new boolean[] {true, true, true, true, true});
    assertEquals(3, p.size(), p.toString());
  }

  /** Every pick is a distinct candidate; at most 3 + 3; the disagreements come in decreasing spread. */
  @Property(tries = 300)
  void picksAreDistinctCandidatesInOrder(@ForAll @Size(min = 1, max = 12) List<@DoubleRange(min = 0, max = 1) Double> a,
      @ForAll @Size(min = 1, max = 12) List<@DoubleRange(min = 0, max = 1) Double> b) {
    int n = Math.min(a.size(), b.size());
    double[][] d = new double[2][n];
    boolean[] fg = new boolean[n];
    for (int j = 0; j < n; j++) {
      d[0][j] = j % 5 == 4 ? NaN : a.get(j);
      d[1][j] = b.get(j);
      fg[j] = j % 7 != 6;
    }
    List<OverlayChoice.Pick> p = OverlayChoice.choose(List.of("a", "b"), d, fg);
    assertEquals(p.size(), p.stream().mapToInt(OverlayChoice.Pick::index).distinct().count());
    double last = Double.POSITIVE_INFINITY;
    for (OverlayChoice.Pick x : p) {
      int j = x.index();
      assertTrue(fg[j] && !Double.isNaN(d[0][j]), x.toString());
      if (x.why().startsWith("losses")) {
        double s = Math.abs(d[0][j] - d[1][j]);
        assertTrue(s <= last + 1e-15 && s > 0, p.toString());
        last = s;
      }
    }
    assertTrue(p.size() <= 3 + OverlayChoice.DISAGREEMENTS);
  }
}
