package dev.segloss.train.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.segloss.data.nifti.MricronFixtures;
import dev.segloss.train.ModelFiles;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code compare} on real MRI (issue 10): the hippocampus of the MNI Colin 27 brain from Debian's
 * mricron-data ({@code ch2.nii.gz} with the AAL atlas, labels 37 + 38, axial slices), the {@code nifti:}
 * spec of docs/DATA.md. Kept to the fewest runs that prove the point (one loss, one seed, the single split,
 * one PyTorch thread: two spin-waiting threads slow down many times on a shared machine): the default
 * budget gives a usable model that is not flagged under-trained, and 40 updates give a run flagged
 * under-trained and no winner.
 */
@Tag("slow")
class CompareHippocampusTest {
  @TempDir Path tmp;

  static String data() {
    Path t = MricronFixtures.templates();
    return "nifti:image=" + t.resolve("ch2.nii.gz") + ",labels=" + t.resolve("aal.nii.gz") + ",label=37+38";
  }

  static CompareResult run(CompareConfig c, StringBuilder log) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
    CompareResult r = CompareJob.run(c, new PrintWriter(out, true, StandardCharsets.UTF_8), new PrintWriter(err, true, StandardCharsets.UTF_8));
    log.append(err.toString(StandardCharsets.UTF_8)).append(out.toString(StandardCharsets.UTF_8));
    return r;
  }

  @Test
  void theDefaultBudgetLearnsTheHippocampusAndFortyUpdatesDoNot() throws Exception {
    CompareConfig.Builder b = CompareConfig.builder().data(data()).losses(List.of("dice")).seeds(1).folds(1).threads(1);

    StringBuilder log = new StringBuilder();
    CompareResult r = run(b.out(tmp.resolve("default")).build(), log);
    // the plan: 28 training slices of 224×192 make 4 steps per pass; the default 420 updates come as 39
    // epochs of 11 steps, on patches (the hippocampus fills 0.67 % of the training pixels)
    assertTrue(log.indexOf("budget: 429 updates per run = 39 epochs of 11 steps (4 per pass over the training images), batch 8, patches of 128x128") >= 0,
        log.toString());
    LossOutcome best = r.ranking().get(0);
    assertTrue(best.dice() >= 0.6, "test Dice " + best.dice() + "\n" + log);
    assertEquals(Diagnosis.Kind.CONVERGED, best.diagnosis(), log.toString());
    assertTrue(r.winner(), r.recommendation());
    assertTrue(r.recommendation().startsWith("Use dice (test Dice 0."), r.recommendation());
    assertFalse(best.volumes().isEmpty(), "per-volume 3-D metrics for nifti: data");
    VolumeMetrics.LossVolume v = best.volumes().get(0);
    assertEquals("ch2", v.volume());
    assertEquals(8, v.slices());
    assertTrue(v.dice().mean() >= 0.6 && v.hd95().mean() > 0, VolumeMetrics.describe(v));
    JsonNode json = ModelFiles.json().readTree(tmp.resolve("default/results.json").toFile());
    assertEquals(429, json.get("budget").get("updates_per_run").asInt());
    assertEquals("converged", json.get("ranking").get(0).get("runs").get(0).get("diagnosis").asText());
    assertTrue(json.get("ranking").get(0).get("volumes").get(0).get("hd95_mm").get("mean").asDouble() > 0);

    StringBuilder log40 = new StringBuilder();
    CompareResult r40 = run(b.updates(40).out(tmp.resolve("u40")).build(), log40);
    assertTrue(log40.indexOf("budget: 40 updates per run = 10 epochs of 4 steps") >= 0, log40.toString());
    LossOutcome o = r40.ranking().get(0);
    assertEquals(Diagnosis.Kind.UNDER_TRAINED, o.diagnosis(), log40.toString());
    assertFalse(r40.winner());
    assertTrue(r40.recommendation().startsWith("No winner: dice is under-trained"), r40.recommendation());
    assertTrue(r40.recommendation().contains("--updates 420"), r40.recommendation());
    assertEquals(r40.recommendation(), r40.warnings().get(r40.dataWarnings().size()));
  }
}
