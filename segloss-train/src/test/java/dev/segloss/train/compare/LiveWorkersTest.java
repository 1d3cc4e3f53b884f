package dev.segloss.train.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code compare --workers 2} on a terminal: the child JVMs report their runs' progress, the parent draws one
 * live line naming both runs, and each run's result line stands whole on its own line; not on a terminal,
 * stderr holds exactly the lines of the sequential comparison.
 */
@Tag("slow")
class LiveWorkersTest {
  @TempDir Path tmp;

  CompareConfig config(String out) {
    return CompareConfig.builder().data("synthetic:size=32,n=24").losses(List.of("dice", "bce")).seeds(1).updates(6).folds(1).depth(1).width(4)
        .threads(1).device("cpu").out(tmp.resolve(out)).build();
  }

  /** Two workers, the live line cut to 160 columns (whatever COLUMNS says). */
  static final CompareJob.Executor WORKERS = (plan, err, live, done) -> new LocalWorkers(2).execute(plan, err, live, 160, done);

  static String run(CompareConfig c, boolean live, CompareJob.Executor executor) {
    StringWriter err = new StringWriter();
    CompareJob.run(c, new PrintWriter(new StringWriter()), new PrintWriter(err), live, executor);
    return err.toString();
  }

  static int count(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) n++;
    return n;
  }

  @Test
  void oneLiveLineForBothRunsAndResultLinesOnTheirOwn() {
    String err = run(config("live"), true, WORKERS);
    // what was drawn: every text after a carriage return
    List<String> draws = Arrays.stream(err.split("\r")).skip(1).map(d -> d.split("\n")[0].strip()).filter(d -> d.contains(" running")).toList();
    assertTrue(draws.stream().anyMatch(d -> d.contains("dice s1") && d.contains("bce s1")), "a line naming both runs: " + draws);
    assertTrue(draws.stream().anyMatch(d -> d.matches(".* · dice s1 epoch [0-9]+/[0-9]+ \\[[#.]{10}\\] .*")), "dice's progress came: " + draws);
    assertTrue(draws.stream().anyMatch(d -> d.matches(".* · bce s1 epoch [0-9]+/[0-9]+ \\[[#.]{10}\\] .*")), "bce's progress came: " + draws);
    for (String d : draws) {
      assertTrue(d.length() <= 159, d);
      assertTrue(d.matches("[0-2]/2 done · [0-2] running · .*steps/s.*"), d);
    }
    // what the terminal shows at the end: the plan, each result line once, whole, and no live line left
    List<String> screen = StatusLineTest.rendered(err);
    for (String label : List.of("[1/2] dice, seed 1: ", "[2/2] bce, seed 1: ")) {
      assertEquals(1, count(err, label), label + " printed once: " + err);
      List<String> lines = screen.stream().filter(l -> l.contains(label)).toList();
      assertEquals(1, lines.size(), screen.toString());
      assertTrue(lines.get(0).startsWith(label) && lines.get(0).matches(".*; test dice .*, AUPRC .* left\\)"), lines.get(0));
    }
    assertFalse(screen.stream().anyMatch(l -> l.contains(" running · ")), "the live line is cleared: " + screen);
    assertTrue(screen.get(screen.size() - 1).startsWith("report: "), screen.toString());
  }

  /** Numbers (times, scores, paths' digits) masked: what stays is the text of each line. */
  static List<String> shape(String err, Path out) {
    Pattern number = Pattern.compile("[0-9]+(\\.[0-9]+)?");
    return err.replace(out.toString(), "OUT").lines().map(l -> number.matcher(l).replaceAll(Matcher.quoteReplacement("#"))).sorted().toList();
  }

  @Test
  void notLiveTheLinesOfTheSequentialComparison() {
    String workers = run(config("par"), false, WORKERS);
    String sequential = run(config("seq"), false, CompareJob.SEQUENTIAL);
    assertFalse(workers.contains("\r"), workers);
    assertFalse(workers.contains("running"), workers);
    assertFalse(workers.contains("steps/s"), workers);
    assertEquals(1, count(workers, "[1/2] dice, seed 1: "), workers);
    assertEquals(1, count(workers, "[2/2] bce, seed 1: "), workers);
    assertEquals(shape(sequential, tmp.resolve("seq")), shape(workers, tmp.resolve("par")));
  }
}
