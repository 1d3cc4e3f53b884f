package dev.segloss.examples.tensorflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segloss.core.InvalidInputException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TrainUNetExampleTest {
  /** One epoch on a small data set, through segloss-data's loader and batches: a finite loss and a Dice line per epoch. */
  @Test
  void trainsOnSegLossDataBatches() {
    PrintStream old = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
      TrainUNetExample.run(new String[] {"2", "bce", "synthetic:n=40,size=32,seed=3"});
    } finally {
      System.setOut(old);
    }
    String out = buf.toString(StandardCharsets.UTF_8);
    assertTrue(out.contains("synthetic:fg=0.02,size=32,n=40,seed=3"), out);
    assertEquals(2, out.lines().filter(l -> l.matches("epoch +\\d+  train loss \\d+\\.\\d{4}  validation Dice \\d\\.\\d{4}  .*")).count(), out);
  }

  @Test
  void badArgumentsAreOneLineErrors() {
    assertEquals("epochs: expected a positive integer, got 'ten'",
        assertThrows(InvalidInputException.class, () -> TrainUNetExample.run(new String[] {"ten"})).getMessage());
    assertTrue(assertThrows(InvalidInputException.class, () -> TrainUNetExample.run(new String[] {"1", "dice", "synthetic:n=x"}))
        .getMessage().startsWith("--data synthetic:n=x: option 'n' expects an integer"));
  }
}
