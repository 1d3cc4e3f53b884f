package dev.segloss.train.compare;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segloss.train.ModelFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plan / execute / aggregate: a run description is plain data — written as JSON and read back, it runs to
 * the same outcome, which itself survives JSON — so that another process or machine can execute it.
 */
class RunSpecTest {
  @TempDir Path tmp;

  @Test
  void aRunDescriptionReadBackFromJsonRunsToTheSameOutcome() throws Exception {
    CompareConfig c = CompareConfig.builder().data("synthetic:size=16,n=24,fg=0.08").losses(List.of("dice", "bce(w_pos=auto)")).seeds(1)
        .epochs(2).folds(3).batch(4).depth(2).width(4).threads(1).out(tmp.resolve("unused")).build();
    ComparePlan plan = ComparePlan.make(c, null);
    // 2 losses × 1 seed × 3 folds; every image of the pool is a test image of exactly one fold
    assertEquals(6, plan.runs().size());
    assertEquals(24, plan.testImages().size());
    assertEquals(24, new HashSet<>(plan.testImages()).size());
    Set<Integer> positions = new HashSet<>();
    for (RunSpec r : plan.runs()) if (r.lossIndex() == 0) for (int j : r.testIndex()) assertTrue(positions.add(j), "image " + j + " tested twice");
    assertEquals(24, positions.size());
    // auto weights are resolved per fold, from that fold's training masks
    RunSpec bce = plan.runs().stream().filter(r -> r.lossIndex() == 1).findFirst().orElseThrow();
    assertTrue(bce.train().resolvedLoss().startsWith("bce(w_neg="), bce.train().resolvedLoss());

    ObjectMapper json = ModelFiles.json();
    RunSpec spec = plan.runs().get(1);
    String text = json.writeValueAsString(spec);
    RunSpec back = json.readValue(text, RunSpec.class);
    assertEquals(text, json.writeValueAsString(back));
    assertEquals(spec.train(), back.train());
    assertEquals(spec.trainImages(), back.trainImages());
    assertArrayEquals(spec.testIndex(), back.testIndex());

    Path a = Files.createDirectories(tmp.resolve("a")), b = Files.createDirectories(tmp.resolve("b"));
    RunOutcome x = RunExecutor.execute(spec, plan.images(), a, false, RunExecutor.Progress.none());
    RunOutcome y = RunExecutor.execute(back, plan.images(), b, false, RunExecutor.Progress.none());
    assertTrue(Files.isRegularFile(a.resolve(spec.dir()).resolve(ModelFiles.MODEL)));
    assertEquals(x.macro(), y.macro());
    for (String k : x.perImage().keySet()) assertArrayEquals(x.perImage().get(k), y.perImage().get(k), k);
    assertEquals(x.ap(), y.ap());
    assertEquals(x.diagnosis(), y.diagnosis());
    for (int e = 0; e < x.history().size(); e++) {
      assertEquals(x.history().get(e).trainLoss(), y.history().get(e).trainLoss());
      assertEquals(x.history().get(e).valDice(), y.history().get(e).valDice());
    }
    // the outcome survives JSON too (the driver can collect it from elsewhere)
    String out = json.writeValueAsString(x);
    RunOutcome x2 = json.readValue(out, RunOutcome.class);
    assertEquals(out, json.writeValueAsString(x2));
    assertEquals(x.diagnosis(), x2.diagnosis());
    assertArrayEquals(x.testIndex(), x2.testIndex());
    assertEquals(x.updates(), 2L * Budget.stepsPerPass(spec.trainImages().size(), 4));
  }
}
