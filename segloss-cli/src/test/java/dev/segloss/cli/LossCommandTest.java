package dev.segloss.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.segloss.core.Tensor;
import dev.segloss.core.engine.LossEngines;
import dev.segloss.core.io.Npy;
import dev.segloss.core.loss.LossInput;
import dev.segloss.core.loss.LossResult;
import dev.segloss.core.spec.LossSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LossCommandTest {
  static final Path SEED = Path.of("..", "examples", "seed");
  static final String T = SEED.resolve("y_true.npy").toString();
  static final String P = SEED.resolve("y_pred.npy").toString();

  @TempDir Path dir;

  /** The seed's three worked examples, on the shipped arrays, tolerance 1e-6. */
  @ParameterizedTest
  @CsvSource(delimiter = ';', value = {
      "bce(w_pos=1, w_neg=0.2);               0.0985512; bce(w_neg=0.2)",
      "dice;                                  0.1500000; dice",
      "combined(dice_weight=0.7, w_neg=0.2);  0.1345654; combined(dice_weight=0.7, w_neg=0.2)",
      "0.3*bce(w_pos=1, w_neg=0.2) + 0.7*dice; 0.1345654; 0.3*bce(w_neg=0.2) + 0.7*dice"})
  void seedExamples(String spec, double expected, String canonical) {
    JsonNode j = Cli.run("loss", "--loss", spec, "--y-true", T, "--y-pred", P, "--json").ok().json();
    assertEquals(expected, j.get("loss").asDouble(), 1e-6);
    assertEquals(LossSpec.parse(spec).toSpec(), j.get("spec").asText());
    assertEquals(canonical, j.get("spec").asText());
    assertEquals("core", j.get("engine").asText());
    assertEquals(3, j.size());
    Cli text = Cli.run("loss", "--loss", spec, "--y-true", T, "--y-pred", P).ok();
    assertEquals(expected, Double.parseDouble(text.out.strip()), 1e-6);
    assertTrue(text.err.isEmpty(), text.err);
  }

  @Test
  void shippedSeedArraysHoldExactlyTheSeedValues() throws IOException {
    Tensor t = Npy.read(Path.of(T));
    Tensor p = Npy.read(Path.of(P));
    assertArrayEquals(new int[] {2, 2, 1, 1}, t.shape());
    assertArrayEquals(new int[] {2, 2, 1, 1}, p.shape());
    assertArrayEquals(new float[] {1f, 0f, 0f, 1f}, t.data());
    assertArrayEquals(new float[] {0.9f, 0.1f, 0.2f, 0.8f}, p.data());
    assertEquals(Npy.DType.FLOAT32, Npy.readHeader(Path.of(P)).dtype());
    // the committed files are exactly what the Npy writer produces for these values (the generator)
    Path t2 = dir.resolve("y_true.npy");
    Path p2 = dir.resolve("y_pred.npy");
    Npy.write(t2, new float[] {1f, 0f, 0f, 1f}, 2, 2, 1, 1);
    Npy.write(p2, new float[] {0.9f, 0.1f, 0.2f, 0.8f}, 2, 2, 1, 1);
    assertArrayEquals(Files.readAllBytes(t2), Files.readAllBytes(Path.of(T)));
    assertArrayEquals(Files.readAllBytes(p2), Files.readAllBytes(Path.of(P)));
  }

  private Path npy(String name, float[] data, int... shape) {
    Path f = dir.resolve(name);
    Npy.write(f, data, shape);
    return f;
  }

  private static float[] random(Random r, int n, boolean logits) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) v[i] = logits ? (float) (r.nextGaussian() * 3) : r.nextFloat();
    return v;
  }

  private static float[] labels(Random r, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) v[i] = r.nextFloat() < 0.3 ? 1f : 0f;
    return v;
  }

  @ParameterizedTest
  @CsvSource(delimiter = ';', value = {
      "bce(w_neg=0.2); false",
      "dice; false",
      "combined(dice_weight=0.7, w_neg=0.2); true",
      "0.3*bce + 0.7*dice(batch=true); true"})
  void gradientFileIsTheCoreGradient(String spec, boolean logits) {
    Random r = new Random(spec.hashCode());
    int[] shape = {3, 1, 4, 5};
    float[] y = labels(r, 60);
    float[] x = random(r, 60, logits);
    Path t = npy("t.npy", y, shape);
    Path p = npy("p.npy", x, shape);
    Path g = dir.resolve("g.npy");
    String[] args = logits
        ? new String[] {"loss", "--loss", spec, "--y-true", t.toString(), "--y-pred", p.toString(), "--logits", "--grad", g.toString(), "--json"}
        : new String[] {"loss", "--loss", spec, "--y-true", t.toString(), "--y-pred", p.toString(), "--grad", g.toString(), "--json"};
    JsonNode j = Cli.run(args).ok().json();
    LossResult core = LossSpec.parse(spec).compute(
        LossInput.builder(Tensor.of(y, shape), Tensor.of(x, shape)).fromLogits(logits).build(), true);
    assertEquals(core.value(), j.get("loss").asDouble(), 0.0);
    Tensor grad = Npy.read(g);
    assertArrayEquals(shape, grad.shape());
    assertArrayEquals(core.gradient(), grad.data(), 0f);
    // and it is the gradient: a central difference along a random direction agrees
    double h = 1e-3;
    float[] dirv = random(r, 60, true);
    float[] xp = x.clone();
    float[] xm = x.clone();
    double dot = 0;
    for (int i = 0; i < 60; i++) {
      float step = (float) (h * dirv[i] / 3);
      xp[i] += step;
      xm[i] -= step;
      dot += grad.data()[i] * (double) (xp[i] - x[i]);
    }
    double fp = LossSpec.parse(spec).value(LossInput.builder(Tensor.of(y, shape), Tensor.of(xp, shape)).fromLogits(logits).unchecked().build()).value();
    double fm = LossSpec.parse(spec).value(LossInput.builder(Tensor.of(y, shape), Tensor.of(xm, shape)).fromLogits(logits).unchecked().build()).value();
    assertEquals((fp - fm) / 2, dot, 2e-3 * Math.abs(dot) + 1e-6);
  }

  @Test
  void reductionNoneGivesPerImageValuesAndTheGradientOfTheirSum() {
    Random r = new Random(7);
    int[] shape = {4, 3, 3};
    float[] y = labels(r, 36);
    float[] x = random(r, 36, false);
    Path t = npy("t.npy", y, shape);
    Path p = npy("p.npy", x, shape);
    Path g = dir.resolve("g.npy");
    JsonNode j = Cli.run("loss", "--loss", "dice(reduction=none)", "--y-true", t.toString(), "--y-pred", p.toString(),
        "--grad", g.toString(), "--json").ok().json();
    LossResult core = LossSpec.parse("dice(reduction=none)").compute(LossInput.of(Tensor.of(y, shape), Tensor.of(x, shape)), true);
    assertTrue(j.get("loss").isArray());
    assertEquals(4, j.get("loss").size());
    for (int i = 0; i < 4; i++) assertEquals(core.values()[i], j.get("loss").get(i).asDouble(), 0.0);
    assertArrayEquals(core.gradient(), Npy.read(g).data(), 0f);
    Cli text = Cli.run("loss", "--loss", "dice(reduction=none)", "--y-true", t.toString(), "--y-pred", p.toString()).ok();
    assertEquals(4, text.out.strip().split("\n").length);
  }

  @Test
  void weightsAndIgnoreValue() {
    int[] shape = {2, 2, 1, 1};
    Path w = npy("w.npy", new float[] {2f, 0f}, 2);
    JsonNode j = Cli.run("loss", "--loss", "dice(reduction=weighted_mean)", "--y-true", T, "--y-pred", P, "--weights", w.toString(), "--json").ok().json();
    double d0 = 1 - (2 * 0.9 + 1e-7) / (0.9 + 0.1 + 1 + 1e-7);
    assertEquals(d0, j.get("loss").asDouble(), 1e-6, "image 1 has weight 0: the value is image 0's");
    Path t = npy("t255.npy", new float[] {1f, 255f, 0f, 1f}, shape);
    JsonNode k = Cli.run("loss", "--loss", "bce", "--y-true", t.toString(), "--y-pred", P, "--ignore-value", "255", "--json").ok().json();
    double expected = -(Math.log(0.9f) + Math.log(1 - 0.2f) + Math.log(0.8f)) / 3;
    assertEquals(expected, k.get("loss").asDouble(), 1e-6, "mean over the 3 counted pixels");
  }

  @Test
  void existingGradFileIsReplacedWithANote() {
    Path g = npy("g.npy", new float[] {5f}, 1);
    Cli c = Cli.run("loss", "--loss", "dice", "--y-true", T, "--y-pred", P, "--grad", g.toString()).ok();
    assertTrue(c.err.contains("replaced the existing file " + g), c.err);
    assertArrayEquals(new int[] {2, 2, 1, 1}, Npy.read(g).shape());
  }

  @Test
  void gradIsNeverWrittenOverAnInput() throws IOException {
    Path t = npy("t.npy", new float[] {1f, 0f, 0f, 1f}, 2, 2);
    Path p = npy("p.npy", new float[] {0.9f, 0.1f, 0.2f, 0.8f}, 2, 2);
    Path w = npy("w.npy", new float[] {1f, 2f}, 2);
    Path link = Files.createSymbolicLink(dir.resolve("link.npy"), p);
    byte[] before = Files.readAllBytes(p);
    String[][] cases = {
        {p.toString(), "--y-pred"},
        {dir.resolve(".").resolve("p.npy").toString(), "--y-pred"},
        {link.toString(), "--y-pred"},
        {t.toString(), "--y-true"},
        {w.toString(), "--weights"}};
    for (String[] c : cases) {
      Cli.run("loss", "--loss", "dice", "--y-true", t.toString(), "--y-pred", p.toString(), "--weights", w.toString(), "--grad", c[0])
          .badInput("--grad", c[0], "is the " + c[1] + " input", "destroy");
    }
    assertArrayEquals(before, Files.readAllBytes(p));
    assertArrayEquals(new float[] {1f, 0f, 0f, 1f}, Npy.read(t).data());
    assertArrayEquals(new float[] {1f, 2f}, Npy.read(w).data());
    // a missing folder is reported before anything is computed, naming the option
    Cli.run("loss", "--loss", "dice", "--y-true", t.toString(), "--y-pred", p.toString(), "--grad", dir.resolve("no/g.npy").toString())
        .badInput("--grad", "does not exist");
    Cli.run("loss", "--loss", "dice", "--y-true", t.toString(), "--y-pred", p.toString(), "--grad", dir.toString())
        .badInput("--grad", "is a directory");
  }

  @Test
  void enginesAreListed() {
    String line = Cli.run("loss", "--loss", "dice", "--y-true", T, "--y-pred", P, "--engine", "nope").badInput("--engine", "'nope'", "available: core");
    assertFalse(line.isEmpty());
    Cli help = Cli.run("loss", "--help").ok();
    assertTrue(help.out.contains("--engine") && help.out.contains("core"), help.out);
    assertTrue(help.out.contains("Examples:"), help.out);
    assertEquals("core", LossEngines.find("core").name());
  }
}
