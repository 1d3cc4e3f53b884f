package dev.segloss.core.kernel;

import dev.segloss.core.Tensor;
import dev.segloss.core.loss.LossInput;
import dev.segloss.core.loss.LossResult;
import dev.segloss.core.spec.LossSpec;

/**
 * Run by {@link ScalarFallbackTest} in a child JVM started without {@code --add-modules}: prints whether the
 * incubator module is present, which kernels were selected, and the seed's weighted-BCE example with its
 * gradient.
 */
public final class ScalarFallbackMain {
  private ScalarFallbackMain() {}

  public static void main(String[] args) {
    Tensor y = Tensor.of(new float[] {1, 0, 0, 1}, 2, 2, 1, 1);
    Tensor p = Tensor.of(new float[] {0.9f, 0.1f, 0.2f, 0.8f}, 2, 2, 1, 1);
    LossResult r = LossSpec.parse("bce(w_neg=0.2)").valueAndGradient(LossInput.of(y, p));
    System.out.println("module=" + ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent());
    System.out.println("kernels=" + KernelSelector.describe());
    System.out.println("vector=" + (KernelSelector.vector() != null));
    System.out.println("value=" + r.value());
    float[] g = r.gradient();
    StringBuilder sb = new StringBuilder("grad=");
    for (int i = 0; i < g.length; i++) sb.append(i == 0 ? "" : ",").append(g[i]);
    System.out.println(sb);
  }
}
