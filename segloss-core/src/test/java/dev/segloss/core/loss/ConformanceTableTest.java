package dev.segloss.core.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segloss.core.InvalidInputException;
import dev.segloss.core.kernel.KernelSelector;
import dev.segloss.core.testkit.ConformanceTable;
import dev.segloss.core.testkit.FBetaTestLoss;
import dev.segloss.core.testkit.TestInput;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The core's rows of the conformance table ({@link ConformanceTable}), which the DJL, TensorFlow and CLI
 * tests run too: the table covers every family and every kind of input; on every row the core's value and
 * gradient are finite (or the input is refused on both paths with the same message) and the Vector API
 * kernels agree with the scalar double loops to float32 accuracy (values 1e-5 relative plus 2<sup>-22</sup>,
 * gradients 1e-4 of the largest entry, as the engines are held to); and the test-only loss, defined once
 * against {@link RegionOps}, matches a naive reference in value and finite differences in gradient.
 */
class ConformanceTableTest {
  @Test
  void theTableCoversEveryFamilyReductionAndKindOfInput() {
    for (LossType t : Losses.types()) {
      assertTrue(ConformanceTable.SPECS.stream().anyMatch(s -> s.startsWith(t.name()) || s.contains("*" + t.name()) || s.contains("+ " + t.name())),
          t.name() + " has no row");
      for (Reduction r : Reduction.values()) {
        if (t.name().equals("combined") && r != Reduction.MEAN && r != Reduction.NONE) continue; // its terms carry it
        boolean found = ConformanceTable.SPECS.stream().anyMatch(s -> s.startsWith(t.name())
            && (r == Reduction.MEAN ? !s.contains("reduction=") : s.contains("reduction=" + r.word())));
        assertTrue(found, t.name() + " has no row with reduction " + r.word());
      }
    }
    Set<TestInput.Labels> labels = EnumSet.noneOf(TestInput.Labels.class);
    Set<TestInput.Weights> weights = EnumSet.noneOf(TestInput.Weights.class);
    Set<Integer> batches = new java.util.HashSet<>();
    Set<Integer> ranks = new java.util.HashSet<>();
    for (TestInput in : ConformanceTable.scenarios()) {
      labels.add(TestInput.Labels.valueOf(in.name.split(" ")[in.shape.length].toUpperCase(java.util.Locale.ROOT)));
      weights.add(in.pixelWeights() ? (in.hasIgnore() ? TestInput.Weights.PIXEL_IGNORE : TestInput.Weights.PIXEL)
          : in.imageWeights() ? TestInput.Weights.IMAGE : in.hasIgnore() ? TestInput.Weights.IGNORE : TestInput.Weights.NONE);
      batches.add(in.batch());
      ranks.add(in.shape.length);
    }
    assertEquals(EnumSet.allOf(TestInput.Labels.class), labels);
    assertEquals(EnumSet.allOf(TestInput.Weights.class), weights);
    assertEquals(Set.of(1, 4), batches);
    assertEquals(Set.of(2, 4, 5), ranks);
  }

  /** Every row: finite results, and the kernels as the scalar loops (or both refuse the input alike). */
  @TestFactory
  Stream<DynamicTest> vectorKernelsAndScalarLoopsAgreeOnEveryRow() {
    List<DynamicTest> tests = new ArrayList<>();
    for (ConformanceTable.Entry e : ConformanceTable.losses()) {
      tests.add(DynamicTest.dynamicTest(e.name(), () -> {
        SegLoss loss = e.loss().get();
        for (TestInput in : ConformanceTable.scenarios()) compare(loss, in, e.name() + " on " + in);
      }));
    }
    return tests.stream();
  }

  static void compare(SegLoss loss, TestInput in, String what) {
    LossInput li = in.lossInput();
    LossResult scalar;
    try {
      scalar = KernelSelector.scalar(() -> loss.compute(li, true));
    } catch (InvalidInputException refused) {
      InvalidInputException v = assertThrows(InvalidInputException.class, () -> KernelSelector.vectorized(() -> loss.compute(li, true)), what);
      assertEquals(refused.getMessage(), v.getMessage(), what);
      return;
    }
    LossResult vector = KernelSelector.vectorized(() -> loss.compute(li, true));
    double[] sv = scalar.values();
    double[] vv = vector.values();
    assertEquals(sv.length, vv.length, what);
    for (int i = 0; i < sv.length; i++) {
      assertTrue(Double.isFinite(sv[i]), what + ": value " + sv[i]);
      assertEquals(sv[i], vv[i], 1e-5 * Math.abs(sv[i]) + 0x1p-22, what + ": value " + i);
    }
    float[] sg = scalar.gradient();
    float[] vg = vector.gradient();
    double scale = 0;
    for (float g : sg) {
      assertTrue(Float.isFinite(g), what + ": gradient " + g);
      scale = Math.max(scale, Math.abs(g));
    }
    for (int i = 0; i < sg.length; i++) assertEquals(sg[i], vg[i], 1e-4 * scale + 1e-12, what + ": gradient " + i);
  }

  /** The test-only loss: per group its naive double reference, then the reduction with the image weights. */
  @Test
  void theTestOnlyLossIsItsFormula() {
    int rows = 0;
    for (ConformanceTable.Entry e : ConformanceTable.testOnlyLosses()) {
      FBetaTestLoss loss = (FBetaTestLoss) e.loss().get();
      FBetaTestLoss.Params q = loss.params();
      for (TestInput in : ConformanceTable.scenarios()) {
        int n = in.batch();
        int m = in.imageSize();
        int groups = q.batch() ? 1 : n;
        double[] values = new double[groups];
        double[] weights = new double[groups];
        for (int g = 0; g < groups; g++) {
          values[g] = q.batch() ? FBetaTestLoss.reference(q, in, 0, n * m, true) : FBetaTestLoss.reference(q, in, g * m, (g + 1) * m, false);
          weights[g] = q.batch() ? 1 : in.iw(g);
        }
        double[] expected = reduce(values, weights, loss.reduction());
        double[] actual = KernelSelector.scalar(() -> loss.compute(in.lossInput(), false)).values();
        assertEquals(expected.length, actual.length, e + " on " + in);
        for (int i = 0; i < expected.length; i++) {
          assertEquals(expected[i], actual[i], 1e-9 * Math.max(1, Math.abs(expected[i])), e + " on " + in + " value " + i);
        }
        rows++;
      }
    }
    assertTrue(rows > 500, rows + " rows");
  }

  static double[] reduce(double[] values, double[] w, Reduction r) {
    double s = 0;
    double ws = 0;
    double[] wl = new double[values.length];
    for (int g = 0; g < values.length; g++) {
      wl[g] = w[g] * values[g];
      s += wl[g];
      ws += w[g];
    }
    switch (r) {
      case NONE: return wl;
      case SUM: return new double[] {s};
      case MEAN: return new double[] {s / values.length};
      default: return new double[] {ws > 0 ? s / ws : 0};
    }
  }

  /** The test-only loss's gradient, from the same formula's derivatives, against finite differences. */
  @Test
  void theTestOnlyLossGradientMatchesFiniteDifferences() {
    List<TestInput> cases = GradientCheckTest.cases(List.of());
    int checked = 0;
    for (ConformanceTable.Entry e : ConformanceTable.testOnlyLosses()) {
      SegLoss loss = e.loss().get();
      for (TestInput in : cases) {
        KernelSelector.scalar(() -> {
          GradientCheckTest.check(loss, in, e + " / " + in);
          return null;
        });
        checked++;
      }
    }
    assertTrue(checked >= 50, checked + " checks");
  }
}
