package dev.segloss.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.segloss.core.io.Images;
import dev.segloss.core.io.Npy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WeightsCommandTest {
  @TempDir Path dir;

  /** A 10x10 mask with {@code fg} foreground pixels (value 1.0 -> 255 in the PNG). */
  private static float[] mask(int fg) {
    float[] m = new float[100];
    Arrays.fill(m, 0, fg, 1f);
    return m;
  }

  @Test
  void folderOfPngMasksGivesTheSeedRule() throws IOException {
    Path masks = Files.createDirectory(dir.resolve("masks"));
    Images.writeGrayPng(masks.resolve("a.png"), mask(15), 10, 10);
    Images.writeGrayPng(masks.resolve("b.png"), mask(5), 10, 10);
    Files.writeString(masks.resolve("notes.txt"), "ignored");
    Cli text = Cli.run("weights", "--masks", masks.toString()).ok();
    assertEquals("", text.err, "two-valued, mostly background masks: no warning");
    String[] lines = text.out.strip().split("\n");
    assertEquals("w_pos=1, w_neg=0.111", lines[lines.length - 1]);
    assertTrue(text.out.contains("images: 2, counted pixels: 200, ignored: 0"), text.out);
    assertTrue(text.out.contains("foreground: 20 (10.0000 %), background: 180 (90.0000 %)"), text.out);

    JsonNode j = Cli.run("weights", "--masks", masks.toString(), "--method", "balanced", "--json").ok().json();
    assertEquals("balanced", j.get("method").asText());
    assertEquals(2, j.get("images").asInt());
    assertEquals(20.0, j.get("counts").get("foreground").asDouble());
    assertEquals(180.0, j.get("counts").get("background").asDouble());
    assertEquals(0.1, j.get("frequencies").get("foreground").asDouble(), 1e-15);
    assertEquals(5.0, j.get("weights").get("w_pos").asDouble(), 1e-12);
    assertEquals(200.0 / 360, j.get("weights").get("w_neg").asDouble(), 1e-12);
    assertEquals("w_pos=5, w_neg=0.556", j.get("spec").asText());

    // median: both images contain both classes, so it equals balanced here
    JsonNode med = Cli.run("weights", "--masks", masks.toString(), "--method", "MEDIAN", "--json").ok().json();
    assertEquals(5.0, med.get("weights").get("w_pos").asDouble(), 1e-12);
    JsonNode eff = Cli.run("weights", "--masks", masks.toString(), "--method", "effective", "--beta", "0.9", "--json").ok().json();
    double rPos = 0.1 / (1 - Math.pow(0.9, 20));
    double rNeg = 0.1 / (1 - Math.pow(0.9, 180));
    assertEquals(2 * rPos / (rPos + rNeg), eff.get("weights").get("w_pos").asDouble(), 1e-12);
    assertEquals(0.9, eff.get("beta").asDouble());
  }

  @Test
  void npyMasksIgnoreValueAndThreshold() throws IOException {
    Path m = dir.resolve("m.npy");
    Npy.write(m, new float[] {1, 0, 0, 0, 255, 255, 0, 1}, 2, 4);
    JsonNode j = Cli.run("weights", "--masks", m.toString(), "--ignore-value", "255", "--json").ok().json();
    assertEquals(2.0, j.get("counts").get("foreground").asDouble());
    assertEquals(4.0, j.get("counts").get("background").asDouble());
    assertEquals(2, j.get("counts").get("ignored").asInt());
    assertEquals("w_pos=1, w_neg=0.5", j.get("spec").asText());

    // an 8-bit mask image with labels 0, 1 and void 255; --mask-threshold on raw values
    Path masks = Files.createDirectory(dir.resolve("masks"));
    Images.writeGrayPng(masks.resolve("x.png"), new float[] {0, 1f / 255, 1f / 255, 1f, 0, 0, 128f / 255, 0}, 2, 4);
    JsonNode k = Cli.run("weights", "--masks", masks.toString(), "--ignore-value", "255", "--json").ok().json();
    assertEquals(3.0, k.get("counts").get("foreground").asDouble(), "raw 1, 1, 128 are > 0");
    assertEquals(1, k.get("counts").get("ignored").asInt());
    JsonNode l = Cli.run("weights", "--masks", masks.toString(), "--ignore-value", "255", "--mask-threshold", "100", "--json").ok().json();
    assertEquals(1.0, l.get("counts").get("foreground").asDouble(), "only raw 128 is > 100");
  }

  /**
   * The help names the losses that the printed fragment can be pasted into: exactly those whose spec
   * has both w_pos and w_neg (focal balances with alpha and refuses w_pos).
   */
  @Test
  void helpNamesExactlyTheLossesThatTakeTheFragment() {
    String help = Cli.run("weights", "--help").ok().out.replaceAll("\\s+", " ");
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("fragment \\((w_pos=[^)]*)\\) for ([a-z_, ]+) or ([a-z_]+)\\.").matcher(help);
    assertTrue(m.find(), help);
    java.util.Set<String> named = new java.util.TreeSet<>(Arrays.asList(m.group(2).split(", ")));
    named.add(m.group(3));
    java.util.Set<String> taking = new java.util.TreeSet<>();
    for (dev.segloss.core.spec.LossType t : dev.segloss.core.loss.Losses.types()) {
      java.util.Set<String> params = new java.util.HashSet<>();
      t.params().forEach(p -> params.add(p.name()));
      if (params.contains("w_pos") && params.contains("w_neg")) taking.add(t.name());
    }
    assertEquals(taking, named, help);
    for (String name : named) dev.segloss.core.loss.Losses.parse(name + "(" + m.group(1) + ")");
  }

  @Test
  void seedLabels() {
    Cli c = Cli.run("weights", "--masks", LossCommandTest.T).ok();
    assertTrue(c.out.strip().endsWith("w_pos=1, w_neg=1"), c.out);
  }

  @Test
  void errors() throws IOException {
    Path m = dir.resolve("bg.npy");
    Npy.write(m, new float[] {0, 0, 0, 0}, 2, 2);
    Cli.run("weights", "--masks", m.toString()).badInput("--masks", "bg.npy", "no foreground pixels", "both classes");
    Cli.run("weights", "--masks", m.toString(), "--method", "inverted").badInput("--method", "inverted", "inverse, balanced, median, effective");
    Cli.run("weights", "--masks", m.toString(), "--method", "effective", "--beta", "1").badInput("--beta", "[0, 1)");
    Path empty = Files.createDirectory(dir.resolve("empty"));
    Cli.run("weights", "--masks", empty.toString()).badInput("--masks", "no .png");
    Path bad = Files.createDirectory(dir.resolve("bad"));
    Files.writeString(bad.resolve("x.png"), "not a png");
    Cli.run("weights", "--masks", bad.toString()).badInput("--masks", "x.png", "not an image");
  }

  /**
   * Images given as masks: the counts are still printed (exit 0), with one warning line naming how many
   * files look wrong and why. Image a: a gradient (100 gray levels, 99 % of them > 0); b: a 0/255 mask
   * that is 80 % foreground; c: a proper mask.
   */
  @Test
  void imagesGivenAsMasksAreNamedInOneWarning() throws IOException {
    Path d = Files.createDirectory(dir.resolve("images"));
    float[] gradient = new float[100];
    for (int i = 0; i < 100; i++) gradient[i] = i / 255f;
    Images.writeGrayPng(d.resolve("a.png"), gradient, 10, 10);
    Images.writeGrayPng(d.resolve("b.png"), mask(80), 10, 10);
    Images.writeGrayPng(d.resolve("c.png"), mask(10), 10, 10);
    Cli c = Cli.run("weights", "--masks", d.toString()).ok();
    assertEquals("warning: --masks: 2 of 3 files do not look like masks: 1 have more than two pixel values, 2 are mostly foreground (> 50 %);"
        + " check that --masks names masks, not images, and --mask-threshold (a raw value > T is foreground)", c.err.strip());
    assertTrue(c.out.contains("foreground: 189 (63.0000 %)"), c.out);
    // the ignore value is not a third value: 0, 255 and the void label 128
    Path v = Files.createDirectory(dir.resolve("void"));
    float[] m = mask(10);
    m[50] = 128 / 255f;
    Images.writeGrayPng(v.resolve("a.png"), m, 10, 10);
    assertEquals("", Cli.run("weights", "--masks", v.toString(), "--ignore-value", "128").ok().err);
    assertTrue(Cli.run("weights", "--masks", v.toString()).ok().err.contains("1 have more than two pixel values"));
    // .npy: soft labels are allowed, only the share is checked
    Path a = dir.resolve("full.npy");
    float[] both = new float[200];
    Arrays.fill(both, 0, 60, 0.9f);
    Arrays.fill(both, 100, 200, 1f);
    Npy.write(a, dev.segloss.core.Tensor.of(both, 2, 10, 10));
    assertEquals("warning: --masks: all 2 images of the array do not look like masks: 2 are mostly foreground (> 50 %); check that --masks"
        + " names masks, not images, and --mask-threshold (a raw value > T is foreground)", Cli.run("weights", "--masks", a.toString()).ok().err.strip());
  }
}
