package dev.segloss.cli;

import static dev.segloss.cli.Comparisons.concat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.segloss.core.Tensor;
import dev.segloss.core.engine.LossEngines;
import dev.segloss.core.io.Npy;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code segloss loss --engine djl}: the same values and gradients as the core engine, through DJL. */
class DjlEngineTest {
  static final Path SEED = Path.of("..", "examples", "seed");
  static final String T = SEED.resolve("y_true.npy").toString();
  static final String P = SEED.resolve("y_pred.npy").toString();

  @TempDir Path dir;

  @ParameterizedTest
  @CsvSource(delimiter = ';', value = {
      "bce(w_pos=1, w_neg=0.2);               0.0985512",
      "dice;                                  0.1500000",
      "combined(dice_weight=0.7, w_neg=0.2);  0.1345654"})
  void seedExamples(String spec, double expected) {
    JsonNode j = Cli.run("loss", "--engine", "djl", "--loss", spec, "--y-true", T, "--y-pred", P, "--json").ok().json();
    assertEquals(expected, j.get("loss").asDouble(), 1e-6);
    assertEquals("djl", j.get("engine").asText());
  }

  @Test
  void listedAmongTheEngines() {
    assertTrue(LossEngines.names().contains("djl"), LossEngines.names().toString());
    Cli.run("loss", "--engine", "nope", "--loss", "dice", "--y-true", T, "--y-pred", P).badInput("--engine", "djl");
  }

  /** Value and --grad file agree with the core engine, on logits, with weights and an ignore value. */
  @ParameterizedTest
  @CsvSource(delimiter = ';', value = {
      "0.3*bce(w_neg=0.11) + 0.7*dice(smooth_nr=1e-5)",
      "focal(alpha=0.25)", "tversky(alpha=0.3, beta=0.7, reduction=none)", "lovasz", "boundary", "topk(k=20)"})
  void gradientsMatchTheCoreEngine(String spec) {
    Random r = new Random(spec.hashCode());
    int[] shape = {3, 1, 8, 7};
    int n = 3 * 8 * 7;
    float[] y = new float[n];
    float[] x = new float[n];
    float[] w = {1f, 0.5f, 2f};
    for (int i = 0; i < n; i++) {
      y[i] = r.nextDouble() < 0.3 ? 1f : r.nextDouble() < 0.05 ? 255f : 0f;
      x[i] = (float) (r.nextGaussian() * 2);
    }
    Path yt = dir.resolve("t.npy");
    Path yp = dir.resolve("p.npy");
    Path wt = dir.resolve("w.npy");
    Npy.write(yt, y, shape);
    Npy.write(yp, x, shape);
    Npy.write(wt, w, 3);
    String[] common = {"loss", "--loss", spec, "--y-true", yt.toString(), "--y-pred", yp.toString(), "--logits",
        "--weights", wt.toString(), "--ignore-value", "255", "--json"};
    JsonNode core = Cli.run(concat(common, "--grad", dir.resolve("g_core.npy").toString())).ok().json();
    JsonNode djl = Cli.run(concat(common, "--grad", dir.resolve("g_djl.npy").toString(), "--engine", "djl")).ok().json();
    double[] cv = values(core.get("loss"));
    double[] dv = values(djl.get("loss"));
    assertEquals(cv.length, dv.length);
    for (int i = 0; i < cv.length; i++) assertEquals(cv[i], dv[i], 1e-5 * Math.abs(cv[i]) + 1e-7, spec);
    Tensor gc = Npy.read(dir.resolve("g_core.npy"));
    Tensor gd = Npy.read(dir.resolve("g_djl.npy"));
    assertArrayEquals(shape, gd.shape());
    double scale = 0;
    for (float g : gc.data()) scale = Math.max(scale, Math.abs(g));
    assertTrue(scale > 0, spec);
    assertArrayEquals(gc.data(), gd.data(), (float) (1e-4 * scale), spec);
  }

  @Test
  void badInputThroughDjlIsOneLine() {
    Path yt = dir.resolve("t.npy");
    Path yp = dir.resolve("p.npy");
    Npy.write(yt, new float[] {1, 0, 0, 1}, 1, 4);
    Npy.write(yp, new float[] {0.9f, 0.1f, 0.2f, 0.8f}, 1, 4);
    Npy.write(dir.resolve("w.npy"), new float[] {1, 1, 1, 1}, 1, 4);
    Cli.run("loss", "--engine", "djl", "--loss", "lovasz", "--y-true", yt.toString(), "--y-pred", yp.toString(),
        "--weights", dir.resolve("w.npy").toString()).badInput("weights", "lovasz takes no per-pixel weights");
  }

  private static double[] values(JsonNode loss) {
    if (!loss.isArray()) return new double[] {loss.asDouble()};
    double[] v = new double[loss.size()];
    for (int i = 0; i < v.length; i++) v[i] = loss.get(i).asDouble();
    return v;
  }
}
