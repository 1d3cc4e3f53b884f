package dev.segloss.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.segloss.core.InvalidInputException;
import dev.segloss.core.Tensor;
import dev.segloss.core.io.Npy;
import dev.segloss.core.loss.LossResult;
import dev.segloss.core.loss.SegLoss;
import dev.segloss.core.testkit.ConformanceTable;
import dev.segloss.core.testkit.TestInput;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Rows of the conformance table ({@link ConformanceTable#sample}: a spread sample, since every row is a
 * command line per engine) through {@code segloss loss --engine E --json --grad}, the arrays written as
 * .npy files: the core engine gives exactly the library's value and gradient, DJL and TensorFlow the
 * core's within the tolerances of their own conformance tests (value 1e-5 relative, gradient 1e-4 of the
 * largest entry). Rows whose input the core refuses are refused by every engine with exit code 2.
 */
class CliConformanceTest {
  @TempDir Path dir;

  static Stream<Arguments> rows() {
    List<Arguments> out = new ArrayList<>();
    for (Object[] row : ConformanceTable.sample(40)) {
      ConformanceTable.Entry e = (ConformanceTable.Entry) row[0];
      if (e.name().contains("_test")) continue; // the test-only loss has no name in the spec language
      for (String engine : List.of("core", "djl", "tensorflow")) out.add(Arguments.of(e, row[1], engine));
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{2}: {0} on {1}")
  @MethodSource("rows")
  void theEngineGivesTheCoresResultThroughTheCommandLine(ConformanceTable.Entry entry, TestInput in, String engine) {
    List<String> args = new ArrayList<>(List.of("loss", "--engine", engine, "--loss", entry.name(), "--json"));
    Path t = dir.resolve("t.npy");
    Path p = dir.resolve("p.npy");
    Path g = dir.resolve("g.npy");
    Npy.write(t, in.y, in.shape);
    Npy.write(p, in.x, in.shape);
    args.addAll(List.of("--y-true", t.toString(), "--y-pred", p.toString(), "--grad", g.toString()));
    if (in.logits) args.add("--logits");
    if (in.weights != null) {
      Path w = dir.resolve("w.npy");
      if (in.pixelWeights()) Npy.write(w, in.weights, in.shape);
      else Npy.write(w, in.weights, in.batch());
      args.addAll(List.of("--weights", w.toString()));
    }
    if (in.hasIgnore()) args.addAll(List.of("--ignore-value", Float.toString(in.ignore)));
    SegLoss loss = entry.loss().get();
    LossResult want;
    try {
      want = loss.compute(in.lossInput(), true);
    } catch (InvalidInputException refused) {
      Cli.run(args.toArray(new String[0])).badInput(refused.getMessage().substring(0, refused.getMessage().indexOf(':')));
      return;
    }
    JsonNode j = Cli.run(args.toArray(new String[0])).ok().json();
    assertEquals(engine, j.get("engine").asText());
    assertEquals(loss.toSpec(), j.get("spec").asText());
    double[] wv = want.values();
    JsonNode v = j.get("loss");
    assertEquals(wv.length, v.isArray() ? v.size() : 1);
    float[] got = Npy.read(g).data();
    float[] wg = want.gradient();
    if (engine.equals("core")) {
      for (int i = 0; i < wv.length; i++) assertEquals(wv[i], (v.isArray() ? v.get(i) : v).asDouble(), 0.0, "value " + i);
      assertArrayEquals(wg, got, 0f);
      return;
    }
    for (int i = 0; i < wv.length; i++) {
      assertEquals(wv[i], (v.isArray() ? v.get(i) : v).asDouble(), 1e-5 * Math.max(Math.abs(wv[i]), 1e-2), engine + " value " + i);
    }
    double scale = 0;
    for (float x : wg) scale = Math.max(scale, Math.abs(x));
    for (int i = 0; i < wg.length; i++) assertEquals(wg[i], got[i], 1e-4 * scale + 1e-8, engine + " gradient " + i);
    assertTrue(Tensor.of(got, in.shape).size() == wg.length);
  }
}
