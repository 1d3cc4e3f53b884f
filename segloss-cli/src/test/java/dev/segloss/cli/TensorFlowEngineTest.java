package dev.segloss.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.segloss.core.Tensor;
import dev.segloss.core.engine.LossEngines;
import dev.segloss.core.io.Npy;
import dev.segloss.core.loss.LossInput;
import dev.segloss.core.loss.LossResult;
import dev.segloss.core.spec.LossSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code segloss loss --engine tensorflow}: the TF graph's value and gradient against the core's. */
class TensorFlowEngineTest {
  static final String T = LossCommandTest.T;
  static final String P = LossCommandTest.P;

  @TempDir Path dir;

  @ParameterizedTest
  @CsvSource(delimiter = ';', value = {
      "bce(w_pos=1, w_neg=0.2); 0.0985512",
      "dice; 0.1500000",
      "combined(dice_weight=0.7, w_neg=0.2); 0.1345654"})
  void seedExamples(String spec, double expected) {
    JsonNode j = Cli.run("loss", "--engine", "tensorflow", "--loss", spec, "--y-true", T, "--y-pred", P, "--json").ok().json();
    assertEquals(expected, j.get("loss").asDouble(), 1e-6);
    assertEquals("tensorflow", j.get("engine").asText());
    assertEquals(LossSpec.parse(spec).toSpec(), j.get("spec").asText());
  }

  private Path npy(String name, float[] data, int... shape) {
    Path f = dir.resolve(name);
    Npy.write(f, data, shape);
    return f;
  }

  /** Value and --grad file agree with the core (relative 1e-5 and 1e-4) on random arrays, every option. */
  @ParameterizedTest
  @CsvSource(delimiter = ';', value = {
      "0.3*bce(w_neg=0.11) + 0.7*dice; false; none",
      "focal(alpha=0.25); true; pixel",
      "tversky(alpha=0.3, beta=0.7, gamma=0.75); true; image",
      "lovasz; true; ignore",
      "0.99*gdice + 0.01*boundary; false; ignore",
      "topk(k=20, reduction=none); true; image",
      "mcc(batch=true); false; pixel"})
  void gradientMatchesTheCore(String spec, boolean logits, String weights) {
    Random r = new Random(spec.hashCode());
    int[] shape = {3, 6, 5, 1};
    int n = 90;
    float[] y = new float[n];
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      y[i] = r.nextFloat() < 0.3 ? 1f : 0f;
      x[i] = logits ? (float) (r.nextGaussian() * 2) : 0.02f + 0.96f * r.nextFloat();
    }
    List<String> args = new ArrayList<>(List.of("loss", "--engine", "tensorflow", "--loss", spec, "--json"));
    LossInput.Builder core = LossInput.builder(Tensor.of(y, shape), Tensor.of(x, shape)).fromLogits(logits);
    if (weights.equals("pixel") || weights.equals("image")) {
      int wn = weights.equals("pixel") ? n : 3;
      float[] w = new float[wn];
      for (int i = 0; i < wn; i++) w[i] = 0.2f + 2 * r.nextFloat();
      Path wf = weights.equals("pixel") ? npy("w.npy", w, shape) : npy("w.npy", w, 3);
      args.addAll(List.of("--weights", wf.toString()));
      core.weights(weights.equals("pixel") ? Tensor.of(w, shape) : Tensor.of(w, 3));
    }
    if (weights.equals("ignore")) {
      for (int i = 0; i < n; i += 7) y[i] = 255f;
      args.addAll(List.of("--ignore-value", "255"));
      core.ignoreValue(255);
    }
    if (logits) args.add("--logits");
    Path g = dir.resolve("g.npy");
    args.addAll(List.of("--y-true", npy("t.npy", y, shape).toString(), "--y-pred", npy("p.npy", x, shape).toString(),
        "--grad", g.toString()));
    JsonNode j = Cli.run(args.toArray(new String[0])).ok().json();
    LossResult want = LossSpec.parse(spec).compute(core.build(), true);
    double[] wv = want.values();
    JsonNode loss = j.get("loss");
    for (int i = 0; i < wv.length; i++) {
      double got = loss.isArray() ? loss.get(i).asDouble() : loss.asDouble();
      assertEquals(wv[i], got, 1e-5 * Math.max(Math.abs(wv[i]), 1e-2), spec + " value " + i);
    }
    Tensor grad = Npy.read(g);
    assertArrayEquals(shape, grad.shape());
    float[] wg = want.gradient();
    double scale = 0;
    for (float v : wg) scale = Math.max(scale, Math.abs(v));
    for (int i = 0; i < n; i++) assertEquals(wg[i], grad.data()[i], 1e-4 * scale + 1e-8, spec + " gradient " + i);
  }

  @Test
  void engineIsListedAndBadInputKeepsTheContract() {
    assertEquals("tensorflow", LossEngines.find("tensorflow").name());
    Cli help = Cli.run("loss", "--help").ok();
    assertTrue(help.out.contains("tensorflow"), help.out);
    Path p = npy("p.npy", new float[] {0.9f, 1.5f, 0.2f, 0.8f}, 2, 2, 1, 1);
    Cli.run("loss", "--engine", "tensorflow", "--loss", "dice", "--y-true", T, "--y-pred", p.toString())
        .badInput("--y-pred", "1.5", "--logits");
    Cli.run("loss", "--engine", "tensorflow", "--loss", "dice(alfa=1)", "--y-true", T, "--y-pred", P)
        .badInput("--loss", "unknown parameter 'alfa'");
  }
}
