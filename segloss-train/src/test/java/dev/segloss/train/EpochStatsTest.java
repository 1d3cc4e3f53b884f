package dev.segloss.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class EpochStatsTest {
  @Test
  void learningRateIsTheOptimizersFloatInPlainDecimals() {
    double lr = (float) (1e-3 * 6 / 7); // what a schedule hands DJL's Adam: 8.571428479626775E-4 as a double
    assertEquals("0.00085714285", EpochStats.lr(lr));
    assertEquals(Float.floatToIntBits((float) lr), Float.floatToIntBits(Float.parseFloat(EpochStats.lr(lr))), "reads back as the same float");
    assertEquals("0.001", EpochStats.lr(1e-3));
    assertEquals("1", EpochStats.lr(1.0));
    assertEquals("nan", EpochStats.lr(Double.NaN));
    EpochStats s = new EpochStats(3, lr, 0.25, 0.5, Double.NaN, 1.5, 0.0);
    assertEquals("3,0.00085714285,0.25,0.5,nan,1.5,0.0", s.csv());
  }
}
