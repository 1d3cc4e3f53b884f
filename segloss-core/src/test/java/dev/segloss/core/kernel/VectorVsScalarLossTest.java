package dev.segloss.core.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.segloss.core.Tensor;
import dev.segloss.core.loss.LossInput;
import dev.segloss.core.loss.LossResult;
import dev.segloss.core.loss.LossType;
import dev.segloss.core.loss.Losses;
import dev.segloss.core.loss.SegLoss;
import dev.segloss.core.spec.LossSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every registered loss (its defaults, plus option variants of the losses with fast kernels) computed with
 * the Vector API kernels and with the scalar reference loops ({@link KernelSelector#scalar}) agrees: values
 * within 1e-5 relative, gradients within 1e-5 relative plus a floor of 1e-6 × the median |gradient| (float32
 * rounding of terms that cancel, see {@link VectorKernelsTest}). Inputs: images of 37 pixels (2·16 + 5, so
 * every image has a tail and starts unaligned) and of 48×48, probabilities with exact 0 and 1 and logits up to
 * ±100, hard and soft labels, one and two threads.
 */
class VectorVsScalarLossTest {
  static final double TOL = 1e-5;

  static Stream<Arguments> cases() {
    Set<String> specs = new LinkedHashSet<>();
    for (LossType t : Losses.types()) specs.add(t.name());
    specs.addAll(List.of(
        "bce(w_pos=1, w_neg=0.2)", "bce(label_smoothing=0.1, w_pos=3)", "bce(eps=1e-4)", "bce(reduction=sum)",
        "bce(reduction=none)", "dice(squared=true)", "dice(soft=true)", "dice(log=true)", "dice(batch=true)",
        "dice(reduction=none)", "combined(dice_weight=0.7, w_neg=0.2)", "0.3*bce + 0.7*dice(smooth_nr=1e-5)"));
    for (String extra : List.of("focal", "focal(alpha=0.25)", "focal(gamma=0)", "focal(gamma=3, label_smoothing=0.1)",
        "focal(gamma=1.5, alpha=0.75)", "jaccard", "jaccard(soft=true)", "tversky(alpha=0.7, beta=0.3)",
        "tversky(gamma=0.75)")) {
      if (Losses.type(extra.replaceAll("\\(.*", "")) != null) specs.add(extra);
    }
    List<Arguments> out = new ArrayList<>();
    for (String spec : specs) {
      for (boolean logits : new boolean[] {false, true}) {
        out.add(Arguments.of(spec, logits, new int[] {3, 37}, 1));
        out.add(Arguments.of(spec, logits, new int[] {2, 1, 48, 48}, 2));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} logits={1} shape={2} threads={3}")
  @MethodSource("cases")
  void vectorKernelsAgreeWithTheScalarLoops(String spec, boolean logits, int[] shape, int threads) {
    assertTrue(KernelSelector.available(), "this test needs the vector kernels (surefire adds the module)");
    SegLoss loss = LossSpec.parse(spec);
    int n = 1;
    for (int d : shape) n *= d;
    SplittableRandom r = new SplittableRandom(spec.hashCode() * 31L + n + (logits ? 1 : 0));
    float[] y = VectorKernelsTest.labels(r, n);
    float[] x = VectorKernelsTest.predictions(r, n, logits);
    Tensor yt = Tensor.of(y, shape);
    Tensor xt = Tensor.of(x, shape);
    LossInput vin = LossInput.builder(yt, xt).fromLogits(logits).threads(threads).build();
    LossInput sin = LossInput.builder(yt, xt).fromLogits(logits).build();
    LossResult v = KernelSelector.vectorized(() -> loss.valueAndGradient(vin));
    LossResult s = KernelSelector.scalar(() -> loss.valueAndGradient(sin));
    String what = spec + " logits=" + logits + " shape=" + Arrays.toString(shape);
    double[] vv = v.values();
    double[] sv = s.values();
    assertEquals(sv.length, vv.length, what);
    for (int i = 0; i < sv.length; i++) {
      if (!(Math.abs(vv[i] - sv[i]) <= TOL * Math.abs(sv[i]) + 1e-12)) {
        fail(what + ": value " + i + " vector " + vv[i] + " vs scalar " + sv[i]);
      }
    }
    float[] vg = v.gradient();
    float[] sg = s.gradient();
    double[] mags = new double[sg.length];
    for (int i = 0; i < sg.length; i++) mags[i] = Math.abs(sg[i]);
    Arrays.sort(mags);
    double floor = 1e-6 * mags[mags.length / 2] + VectorKernelsTest.TINY;
    for (int i = 0; i < sg.length; i++) {
      double err = Math.abs(vg[i] - sg[i]);
      if (!(err <= TOL * Math.abs(sg[i]) + floor)) {
        fail(what + ": gradient at " + i + " (y=" + y[i] + ", x=" + x[i] + ") vector " + vg[i] + " vs scalar " + sg[i]);
      }
    }
  }

  /** In vector mode too, splitting the images over two threads gives bit-identical values and gradients. */
  @ParameterizedTest(name = "{0} logits={1}")
  @MethodSource("specsAndInputs")
  void twoThreadsGiveIdenticalResults(String spec, boolean logits) {
    SegLoss loss = LossSpec.parse(spec);
    int[] shape = {5, 1, 20, 19};
    int n = 5 * 20 * 19;
    SplittableRandom r = new SplittableRandom(spec.hashCode());
    Tensor yt = Tensor.of(VectorKernelsTest.labels(r, n), shape);
    Tensor xt = Tensor.of(VectorKernelsTest.predictions(r, n, logits), shape);
    LossResult one = KernelSelector.vectorized(() -> loss.valueAndGradient(LossInput.builder(yt, xt).fromLogits(logits).build()));
    LossResult two = KernelSelector.vectorized(() -> loss.valueAndGradient(LossInput.builder(yt, xt).fromLogits(logits).threads(2).build()));
    assertArrayEquals(one.values(), two.values(), spec);
    assertArrayEquals(one.gradient(), two.gradient(), spec);
  }

  static Stream<Arguments> specsAndInputs() {
    List<Arguments> out = new ArrayList<>();
    for (LossType t : Losses.types()) {
      out.add(Arguments.of(t.name(), false));
      out.add(Arguments.of(t.name(), true));
    }
    return out.stream();
  }
}
