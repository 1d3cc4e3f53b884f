package dev.segloss.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segloss.core.InvalidInputException;
import dev.segloss.core.loss.Losses;
import dev.segloss.data.Sample;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LossSpecsTest {
  /** Ten 10×10 masks with 10 foreground pixels in all: 1 % foreground (inverse: w_neg = 1/99). */
  static List<Sample> masks() {
    List<Sample> out = new java.util.ArrayList<>();
    for (int k = 0; k < 10; k++) {
      float[] m = new float[100];
      m[k * 7] = 1;
      out.add(new Sample("m" + k, 10, 10, new float[100], m, -1));
    }
    return out;
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
    "bce(w_pos=auto)                          | bce(w_neg=0.0101)",
    "bce(w_neg=auto)                          | bce(w_neg=0.0101)",
    "bce(w_pos=auto, w_neg=auto)              | bce(w_neg=0.0101)",
    "bce(w_pos=auto, w_neg=0.5)               | bce(w_pos=49.5, w_neg=0.5)",
    "bce(w_pos=2, w_neg=auto)                 | bce(w_pos=2, w_neg=0.0202)",
    "bce(w_pos=auto, weights=balanced)        | bce(w_pos=50, w_neg=0.5051)",
    "combined(dice_weight=0.5, w_pos=auto)    | combined(w_neg=0.0101)",
    "0.5*bce(w_pos=auto) + 0.5*dice           | 0.5*bce(w_neg=0.0101) + 0.5*dice",
    "dice                                     | dice",
    "bce(w_pos=3)                             | bce(w_pos=3)",
  })
  void resolvesAutoWeightsFromTheTrainingMasks(String spec, String expected) {
    LossSpecs.Resolved r = LossSpecs.resolve(spec.trim(), masks(), "inverse");
    assertEquals(expected.trim(), r.resolved());
    assertEquals(0.01, r.foreground(), 1e-12);
    // the resolved spec parses back to the same loss
    assertEquals(r.resolved(), Losses.parse(r.resolved()).toSpec());
    assertEquals(spec.contains("auto"), !r.note().isEmpty(), r.note());
  }

  @Test
  void defaultMethodAppliesToTermsThatDoNotChoose() {
    assertEquals("bce(w_pos=50, w_neg=0.5051)", LossSpecs.resolve("bce(w_pos=auto, w_neg=auto)", masks(), "balanced").resolved());
    assertEquals("bce(w_neg=0.0101)", LossSpecs.resolve("bce(w_pos=auto, weights=inverse)", masks(), "balanced").resolved());
  }

  @Test
  void badSpecsAreOneLineErrors() {
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> LossSpecs.resolve("bce(weights=median)", masks(), "inverse"));
    assertTrue(e.getMessage().contains("only applies together with w_pos=auto or w_neg=auto"), e.getMessage());
    e = assertThrows(InvalidInputException.class, () -> LossSpecs.resolve("bce(w_pos=auto, weights=magic)", masks(), "inverse"));
    assertTrue(e.getMessage().contains("unknown class-weight method 'magic'"), e.getMessage());
    e = assertThrows(InvalidInputException.class, () -> LossSpecs.check("dice(smooth_nr=auto)"));
    assertTrue(e.getMessage().contains("smooth_nr"), e.getMessage());
    e = assertThrows(InvalidInputException.class, () -> LossSpecs.check("bse"));
    assertTrue(e.getMessage().contains("unknown loss 'bse'"), e.getMessage());
    List<Sample> empty = List.of(new Sample("e", 2, 2, new float[4], new float[4], -1));
    e = assertThrows(InvalidInputException.class, () -> LossSpecs.resolve("bce(w_pos=auto)", empty, "inverse"));
    assertTrue(e.getMessage().contains("no foreground pixels"), e.getMessage());
    LossSpecs.check("bce(w_pos=auto, weights=median)");
  }
}
