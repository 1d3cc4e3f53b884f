package dev.segloss.train.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segloss.core.InvalidInputException;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Budget arithmetic, {@code --time} fitting and refusal, and the options' exclusivity. */
class BudgetTest {

  @Test
  void theSyntheticDefaultStaysTwelveEpochsOfThirtyFiveSteps() {
    // 280 training images, batch 8: 35 steps per pass; 420 updates = 12 passes, exactly today's training
    Budget.Length l = Budget.fromUpdates(Budget.DEFAULT_UPDATES, Budget.stepsPerPass(280, 8));
    assertEquals(new Budget.Length(12, 0, 35), l);
    assertEquals(420, l.updates());
    assertEquals("12 epochs of 35 steps", l.describe());
  }

  @Test
  void aSmallRealDataSetGetsAsManyUpdates() {
    // the hippocampus: 28 training slices, batch 8 → 4 steps; 420 updates = 105 passes (12 epochs were 48 updates),
    // cut into 39 epochs of 11 steps so that the validation after each epoch does not cost as much as training
    Budget.Length l = Budget.fromUpdates(420, Budget.stepsPerPass(28, 8));
    assertEquals(new Budget.Length(39, 11, 4), l);
    assertEquals(429, l.updates());
    assertEquals("39 epochs of 11 steps (4 per pass over the training images)", l.describe());
    assertEquals(new Budget.Length(40, 0, 10), Budget.fromUpdates(400, 10)); // 40 passes: still one pass per epoch
    assertEquals(new Budget.Length(10, 0, 4), Budget.fromUpdates(40, 4));
    assertEquals(new Budget.Length(12, 0, 4), Budget.fromEpochs(12, 4));
    assertEquals(48, Budget.fromEpochs(12, 4).updates());
  }

  @Test
  void aLargeDataSetGetsShorterEpochsForItsCurves() {
    // 10,000 images of batch 8: 1250 steps per pass; 420 updates become 10 epochs of 42 steps
    Budget.Length l = Budget.fromUpdates(420, Budget.stepsPerPass(10_000, 8));
    assertEquals(new Budget.Length(10, 42, 1250), l);
    assertEquals(420, l.updates());
    assertEquals("10 epochs of 42 steps (1250 per pass over the training images)", l.describe());
    // fewer updates than MIN_EPOCHS: one step per epoch
    assertEquals(new Budget.Length(5, 1, 1250), Budget.fromUpdates(5, 1250));
    // --epochs is always whole passes
    assertEquals(new Budget.Length(2, 0, 1250), Budget.fromEpochs(2, 1250));
  }

  @Property
  void updatesAreWithinHalfAPassOrOneShortEpochOfTheBudget(@ForAll @IntRange(min = 1, max = 100_000) int updates,
      @ForAll @IntRange(min = 1, max = 5_000) int stepsPerPass) {
    Budget.Length l = Budget.fromUpdates(updates, stepsPerPass);
    assertTrue(l.epochs() >= Math.min(Budget.MIN_EPOCHS, updates), l.toString());
    assertTrue(l.epochs() <= Budget.MAX_EPOCHS, l.toString());
    if (l.epochSteps() == 0) {
      assertTrue(Math.abs(l.updates() - updates) <= stepsPerPass / 2.0 + 1e-9, l + " for " + updates);
    } else {
      assertTrue(l.updates() >= updates && l.updates() < updates + l.epochSteps(), l + " for " + updates);
    }
  }

  @Test
  void badBudgets() {
    assertThrows(InvalidInputException.class, () -> Budget.fromUpdates(0, 4));
    assertThrows(InvalidInputException.class, () -> Budget.fromEpochs(0, 4));
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> CompareConfig.builder().updates(100).epochs(5).out(java.nio.file.Path.of("x")).build());
    assertEquals("--updates and --epochs are exclusive: give the budget as updates per run or as epochs per run, not both", e.getMessage());
    e = assertThrows(InvalidInputException.class, () -> CompareConfig.builder().folds(2).out(java.nio.file.Path.of("x")).build());
    assertTrue(e.getMessage().startsWith("--folds: expected 1 (a single split) or 3..20, got 2"), e.getMessage());
    e = assertThrows(InvalidInputException.class, () -> CompareConfig.builder().patch("96").out(java.nio.file.Path.of("x")).build());
    assertEquals("--patch: expected auto, off or a size HxW such as 96x96, got '96'", e.getMessage());
  }

  // ---------------------------------------------------------------- --time

  /** A plan costing 1 s per update per run, 3 losses: seconds = 3 · seeds · folds' runs · updates. */
  static final TimeFit.Cost COST = (len, seeds, folds) -> 3.0 * seeds * Math.max(1, folds) * len;

  @Test
  void aPlanThatFitsIsLeftAlone() {
    TimeFit.Result r = TimeFit.fit(420, 3, 1, "updates", 3 * 3 * 420, COST);
    assertEquals(new TimeFit.Result(420, 3, 1, 3780, List.of()), r);
  }

  @Test
  void fewerUpdatesFirst() {
    // 3 seeds × 420 updates × 3 losses = 3780 s; 3000 s allow 333 updates, rounded down to 330
    TimeFit.Result r = TimeFit.fit(420, 3, 1, "updates", 3000, COST);
    assertEquals(330, r.length());
    assertEquals(3, r.seeds());
    assertEquals(List.of("updates per run 420 → 330"), r.changes());
    assertTrue(r.seconds() <= 3000);
  }

  @Test
  void thenFewerSeedsThenFewerFolds() {
    // half the updates (210) with 3 seeds still needs 1890 s: drop to 2 seeds (1260 s at 210), then raise the updates again
    TimeFit.Result r = TimeFit.fit(420, 3, 1, "updates", 1500, COST);
    assertEquals(2, r.seeds());
    assertEquals(250, r.length()); // 1500 / 6 = 250
    assertEquals(List.of("updates per run 420 → 250", "seeds 3 → 2"), r.changes());
    // folds: 5 folds, 1 seed, 420 updates = 6300 s; at 210 updates: 5 folds 3150, 4 folds 2520, 3 folds 1890
    TimeFit.Result f = TimeFit.fit(420, 1, 5, "updates", 2000, COST);
    assertEquals(List.of(1, 3), List.of(f.seeds(), f.folds()));
    assertEquals(220, f.length()); // 2000 / 9 = 222, rounded down to 220
    assertEquals(List.of("updates per run 420 → 220", "folds 5 → 3"), f.changes());
    // and a single split last
    TimeFit.Result one = TimeFit.fit(420, 1, 5, "updates", 1000, COST);
    assertEquals(1, one.folds());
    assertEquals(List.of("updates per run 420 → 330", "5-fold cross-validation → a single split"), one.changes());
  }

  @Test
  void refusalSaysWhatItWouldNeed() {
    // the least: 210 updates, 1 seed, a single split = 630 s
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> TimeFit.fit(420, 3, 5, "updates", 600, COST));
    assertEquals("--time 10 min 00 s: the comparison needs about 5 h 15 min as planned and still about 10 min 30 s with the least it allows"
        + " (210 updates per run, 1 seed, a single split); allow --time 11m or compare fewer losses", e.getMessage());
    e = assertThrows(InvalidInputException.class, () -> TimeFit.fit(12, 1, 1, "epochs", 10, COST));
    assertEquals("--time 10 s: the comparison needs about 36 s as planned and still about 18 s with the least it allows (6 epochs per run, 1 seed);"
        + " allow --time 1m or compare fewer losses", e.getMessage());
  }

  @Test
  void durations() {
    assertEquals(1800, TimeFit.parseDuration("30m"));
    assertEquals(5400, TimeFit.parseDuration("1h30m"));
    assertEquals(5400, TimeFit.parseDuration("1.5h"));
    assertEquals(90, TimeFit.parseDuration("90s"));
    assertEquals(3723, TimeFit.parseDuration("1h2m3s"));
    for (String bad : List.of("", "30", "m", "30x", "1m1h", "30m30m", "-5m", "0s", "1h 30m")) {
      InvalidInputException e = assertThrows(InvalidInputException.class, () -> TimeFit.parseDuration(bad), bad);
      assertTrue(e.getMessage().startsWith("--time: expected"), e.getMessage());
    }
    assertEquals("21m", TimeFit.roundUpMinutes(20.3 * 60));
    assertEquals("2h5m", TimeFit.roundUpMinutes(125 * 60));
    assertEquals("2h", TimeFit.roundUpMinutes(120 * 60));
  }
}
