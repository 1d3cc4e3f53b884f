package dev.segloss.train.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.segloss.core.InvalidInputException;
import dev.segloss.train.ModelFiles;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompareJobTest {
  @TempDir Path tmp;

  @Test
  @Tag("slow")
  void endToEndOnATinySyntheticSetWithTwoLosses() throws Exception {
    Path out = tmp.resolve("report");
    CompareConfig c = CompareConfig.builder().data("synthetic:size=32,n=40,fg=0.06").losses(List.of("bce(w_pos=auto)", "dice")).seeds(2)
        .epochs(3).folds(1).batch(8).depth(2).width(8).out(out).build();
    ByteArrayOutputStream stdout = new ByteArrayOutputStream(), stderr = new ByteArrayOutputStream();
    CompareResult r = CompareJob.run(c, new PrintWriter(stdout, true, StandardCharsets.UTF_8), new PrintWriter(stderr, true, StandardCharsets.UTF_8));
    String printed = stdout.toString(StandardCharsets.UTF_8);

    // ranking: both losses, ranks 1 and 2, sane values
    assertEquals(2, r.ranking().size());
    assertEquals(1, r.ranking().get(0).rank());
    assertEquals("best", r.ranking().get(0).verdict());
    LossOutcome second = r.ranking().get(1);
    assertEquals(2, second.rank());
    assertTrue(List.of("within noise", "worse").contains(second.verdict()), second.verdict());
    assertTrue(second.test() != null && second.pHolm() >= second.test().p() - 1e-15 && second.pHolm() <= 1);
    assertTrue(r.ranking().get(0).dice() >= second.dice());
    for (LossOutcome o : r.ranking()) {
      assertEquals(2, o.runs().size());
      for (String m : List.of("dice", "iou", "precision", "recall")) {
        double v = o.metrics().get(m).mean();
        assertTrue(Double.isNaN(v) || (v >= 0 && v <= 1), m + " = " + v);
      }
      assertTrue(o.auprc().mean() > 0 && o.auprc().mean() <= 1, "auprc " + o.auprc());
      assertTrue(o.bestDice().mean() >= 0 && o.bestDice().mean() <= 1);
      for (RunOutcome s : o.runs()) {
        assertTrue(s.evaluated());
        assertEquals(3, s.epochs());
        assertEquals(3 * 4, s.updates()); // 28 training images, batch 8: 4 steps per epoch
        assertTrue(s.diagnosis() != null && !s.diagnosis().reason().isEmpty());
        assertEquals(6, s.perImage().get("dice").length);
        // the best-threshold Dice maximises over a grid that contains 0.5, where it equals the table's Dice
        assertTrue(s.bestDice() >= s.macro().get("dice") - 1e-9, s.bestDice() + " < " + s.macro().get("dice"));
        assertTrue(s.pooledBestF1() > 0 && s.pooledBestF1() <= 1);
      }
      assertEquals(RunExecutor.RECALL_GRID.length, o.pr().length);
      assertEquals(3, o.runs().get(0).history().size());
      assertEquals("bce(w_pos=auto)".equals(o.spec()), !o.resolvedText().equals(o.spec()));
    }
    assertTrue(r.ranking().stream().anyMatch(o -> o.resolvedText().startsWith("bce(w_neg=")));

    // stdout: the table and the recommendation (3 epochs of 4 steps: a winner or not, the last paragraph is it)
    assertTrue(printed.contains("rank") && printed.contains("bce(w_pos=auto)") && printed.contains("dice") && printed.contains("diagnosis"), printed);
    assertTrue(printed.substring(0, printed.indexOf("\n\n")).lines().allMatch(l -> l.length() <= 120), printed);
    assertEquals(r.recommendation(), printed.substring(printed.lastIndexOf("\n\n") + 2).trim());
    // stderr: the plan before training
    String log = stderr.toString(StandardCharsets.UTF_8);
    assertTrue(log.contains("split: a single split, 28 train / 6 val / 6 test images (--folds 1)"), log);
    assertTrue(log.contains("budget: 12 updates per run = 3 epochs of 4 steps, batch 8 (--epochs 3)"), log);
    assertTrue(log.contains("runs: 2 losses × 2 seeds = 4"), log);
    assertTrue(log.matches("(?s).*time: a step measured at [0-9.]+ s \\(32x32, batch 8, 1 thread\\).*"), log);

    // overlays: the same test images for both losses, side by side, each with its own prediction of the image
    assertTrue(!r.overlays().isEmpty() && r.overlays().get(0).why().equals("best of " + r.ranking().get(0).spec()), r.overlays().toString());
    for (OverlayData.Row row : r.overlays()) {
      assertEquals(List.of(r.ranking().get(0).spec(), second.spec()), row.cells().stream().map(OverlayData.Cell::loss).toList());
      assertTrue(r.testImages().contains(row.name()) && row.mask().length == 32 * 32, row.name());
      for (OverlayData.Cell cell : row.cells()) assertEquals(32 * 32, cell.probability().length);
    }

    // files
    String html = Files.readString(out.resolve("report.html"));
    assertTrue(html.startsWith("<!DOCTYPE html>"));
    // the recommendation as the report writes prose: escaped, an option kept whole with its value (--updates 420)
    assertTrue(html.contains(dev.segloss.train.report.ReportHtml.prose(r.recommendation())), r.recommendation());
    assertTrue(countOf(html, "data:image/png;base64,") >= 2 + 1 + 3, "learning curves per loss, PR curves and overlays inlined");
    assertTrue(!html.contains("src=\"http") && !html.contains("<script"), "self-contained");
    JsonNode json = ModelFiles.json().readTree(out.resolve("results.json").toFile());
    assertEquals("segloss-compare/1", json.get("format").asText());
    assertEquals(2, json.get("ranking").size());
    assertEquals(6, json.get("test_images").size());
    assertEquals(r.ranking().get(0).spec(), json.get("ranking").get(0).get("loss").asText());
    assertTrue(json.get("ranking").get(1).has("vs_best"));
    JsonNode budget = json.get("budget");
    assertEquals("--epochs 3", budget.get("source").asText());
    assertEquals(3, budget.get("epochs").asInt());
    assertEquals(12, budget.get("updates_per_run").asInt());
    assertEquals(4, budget.get("runs").asInt());
    assertTrue(budget.get("estimated_seconds").asDouble() > 0 && budget.get("actual_seconds").asDouble() > 0);
    assertTrue(budget.get("step_seconds").asDouble() > 0);
    for (JsonNode loss : json.get("ranking")) {
      assertTrue(List.of("converged", "under_trained", "collapsed", "diverged").contains(loss.get("diagnosis").asText()));
      for (JsonNode run : loss.get("runs")) {
        assertTrue(List.of("converged", "under_trained", "collapsed", "diverged").contains(run.get("diagnosis").asText()));
        assertEquals(3, run.get("curves_epoch_train_loss_val_loss_val_dice").size());
      }
    }
    assertTrue(json.get("warnings").isArray());
    assertEquals(6, json.get("power").get("paired_test_images").asInt());
    List<String> csv = Files.readAllLines(out.resolve("results.csv"));
    assertEquals(3, csv.size());
    assertTrue(csv.get(0).startsWith("rank,loss,resolved,verdict,dice_mean,dice_std"));
    assertEquals(1 + 2 * 2 * 6, Files.readAllLines(out.resolve("per_image.csv")).size());
    for (LossOutcome o : r.ranking()) {
      for (int s = 1; s <= 2; s++) {
        Path run = out.resolve("runs").resolve(o.slug()).resolve("seed-" + s);
        assertTrue(Files.isRegularFile(run.resolve(ModelFiles.MODEL)), run.toString());
        assertTrue(Files.isRegularFile(run.resolve(ModelFiles.CONFIG)));
        assertTrue(!Files.exists(run.resolve(ModelFiles.CHECKPOINT)), "checkpoints of finished runs are removed");
      }
    }
    // same seed, same initial weights for both losses: both runs of seed 1 start from identical networks,
    // so their first-epoch validation loss differs only through the loss itself — check that the two
    // losses' seed-1 runs recorded the same number of epochs and different histories
    assertEquals(r.ranking().get(0).runs().get(0).history().size(), second.runs().get(0).history().size());

    // an existing output folder is refused, and nothing in it is touched
    long before = Files.size(out.resolve("report.html"));
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> CompareJob.run(c, new PrintWriter(new ByteArrayOutputStream()), null));
    assertTrue(e.getMessage().contains("folder exists and is not empty"), e.getMessage());
    assertEquals(before, Files.size(out.resolve("report.html")));
  }

  /** The default for small data: grouped folds, every image tested once, one run folder per fold. */
  @Test
  @Tag("slow")
  void smallDataIsCrossValidatedByDefault() throws Exception {
    Path out = tmp.resolve("folds");
    CompareConfig c = CompareConfig.builder().data("synthetic:size=16,n=24,fg=0.08").losses(List.of("dice")).epochs(5).batch(4).depth(2)
        .width(4).threads(1).out(out).build();
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    CompareResult r = CompareJob.run(c, new PrintWriter(new ByteArrayOutputStream(), true), new PrintWriter(stderr, true, StandardCharsets.UTF_8));
    String log = stderr.toString(StandardCharsets.UTF_8);
    assertTrue(log.contains("split: 5-fold cross-validation of 24 images in groups of single images, every image tested once"), log);
    assertTrue(log.contains("(default for small data: a single split would train on 16 < 100 images and test on only 4)"), log);
    assertTrue(log.contains("runs: 1 loss × 1 seed × 5 folds = 5"), log);
    assertEquals(5, r.budget().folds());
    assertEquals(1, r.budget().seeds());
    assertEquals(24, r.testImages().size());
    LossOutcome o = r.ranking().get(0);
    assertEquals(5, o.runs().size());
    assertEquals(5, o.metrics().get("dice").n(), "mean ± std over the folds");
    for (int f = 1; f <= 5; f++) assertTrue(Files.isRegularFile(out.resolve("runs/1-dice/seed-1/fold-" + f).resolve(ModelFiles.MODEL)));
    List<String> per = Files.readAllLines(out.resolve("per_image.csv"));
    assertEquals("loss,seed,fold,image,dice,iou,precision,recall,hd95", per.get(0));
    assertEquals(1 + 24, per.size());
    assertEquals(24, per.stream().skip(1).map(l -> l.split(",")[3]).distinct().count(), "every image tested exactly once");
    JsonNode json = ModelFiles.json().readTree(out.resolve("results.json").toFile());
    assertEquals(5, json.get("budget").get("per_split").size());
    assertEquals(24, json.get("power").get("paired_test_images").asInt());
  }

  @Test
  void lossListParsingAndBadSpecsBeforeAnyTraining() {
    assertEquals(List.of("bce", "dice(smooth_nr=1e-5)", "focal"), CompareConfig.parseLosses(" bce ; dice(smooth_nr=1e-5);focal;"));
    assertThrows(InvalidInputException.class, () -> CompareConfig.parseLosses("bce;;dice"));
    assertThrows(InvalidInputException.class, () -> CompareConfig.parseLosses("bce; bce"));
    Path out = tmp.resolve("never");
    CompareConfig c = CompareConfig.builder().losses(List.of("bce", "dcie")).out(out).build();
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> CompareJob.run(c, new PrintWriter(new ByteArrayOutputStream()), null));
    assertTrue(e.getMessage().contains("unknown loss 'dcie'"), e.getMessage());
    assertTrue(!Files.exists(out), "nothing is created for a bad spec");
  }

  private static int countOf(String s, String sub) {
    int n = 0;
    for (int i = s.indexOf(sub); i >= 0; i = s.indexOf(sub, i + 1)) n++;
    return n;
  }
}
