package dev.segloss.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.segloss.core.io.Images;
import dev.segloss.core.io.Npy;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code segloss evaluate} on folders and arrays written by the test, against hand-computed values. */
class EvaluateCommandTest {
  @TempDir Path dir;
  Path masks;
  Path preds;

  /**
   * Three 4x4 images.
   * <pre>
   * a: truth = left half (8 px); prediction (8-bit probability map) 0.8 on columns 0-2 of every row,
   *    0.2 elsewhere: TP 8, FP 4, FN 0, TN 4 -> dice 16/20 = 0.8, iou 8/12
   * b: truth empty; prediction all 0.1 (16-bit PNG): both empty -> dice NaN (nan policy)
   * c: truth = pixel (0,0) only; prediction .npy with 0.9 at (0,0) and (3,3): TP 1, FP 1, FN 0, TN 14
   *    -> dice 2/3; distances: surfaces {(0,0)} and {(0,0),(3,3)}: d_AB = [0], d_BA = [0, sqrt 18]
   *    -> hd sqrt 18, assd (0 + sqrt(18)/2)/2, hd95 = 0.95*2 = 1.9 of [0,0,sqrt 18] -> 0.9 sqrt 18
   * </pre>
   */
  @BeforeEach
  void data() throws IOException {
    masks = Files.createDirectory(dir.resolve("masks"));
    preds = Files.createDirectory(dir.resolve("preds"));
    float[] ta = new float[16];
    float[] pa = new float[16];
    for (int r = 0; r < 4; r++) {
      for (int c = 0; c < 4; c++) {
        ta[r * 4 + c] = c < 2 ? 1f : 0f;
        pa[r * 4 + c] = c < 3 ? 204f / 255 : 51f / 255;
      }
    }
    Images.writeGrayPng(masks.resolve("a.png"), ta, 4, 4);
    Images.writeGrayPng(preds.resolve("a.png"), pa, 4, 4);
    Images.writeGrayPng(masks.resolve("b.png"), new float[16], 4, 4);
    float[] pb = new float[16];
    java.util.Arrays.fill(pb, 0.1f);
    Images.writePng(preds.resolve("b.png"), pb, 4, 4, 1, 16);
    float[] tc = new float[16];
    tc[0] = 1;
    // the mask of c as a BMP written by the JDK (0/1 raw values: > 0 is foreground)
    BufferedImage img = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY);
    img.getRaster().setSample(0, 0, 0, 1);
    ImageIO.write(img, "bmp", masks.resolve("c.bmp").toFile());
    float[] pc = new float[16];
    pc[0] = 0.9f;
    pc[15] = 0.9f;
    Npy.write(preds.resolve("c.npy"), pc, 4, 4);
  }

  @Test
  void foldersJson() {
    JsonNode j = Cli.run("evaluate", "--truth", masks.toString(), "--pred", preds.toString(), "--json").ok().json();
    JsonNode per = j.get("per_image");
    assertEquals(3, per.size());
    JsonNode a = per.get(0);
    assertEquals("a", a.get("image").asText());
    assertEquals(8, a.get("tp").asInt());
    assertEquals(4, a.get("fp").asInt());
    assertEquals(0, a.get("fn").asInt());
    assertEquals(4, a.get("tn").asInt());
    assertEquals(0.8, a.get("dice").asDouble(), 1e-12);
    assertEquals(8.0 / 12, a.get("iou").asDouble(), 1e-12);
    assertEquals(1.0, a.get("hd").asDouble(), 1e-12, "column 2 is one pixel from the truth's border column 1");
    JsonNode b = per.get(1);
    assertEquals("b", b.get("image").asText());
    assertTrue(b.get("dice").isNull(), "NaN is null");
    assertTrue(b.get("hd").isNull());
    assertEquals(1.0, b.get("accuracy").asDouble());
    JsonNode c = per.get(2);
    assertEquals(2.0 / 3, c.get("dice").asDouble(), 1e-12);
    double s18 = Math.sqrt(18);
    assertEquals(s18, c.get("hd").asDouble(), 1e-12);
    assertEquals(0.9 * s18, c.get("hd95").asDouble(), 1e-12);
    assertEquals(s18 / 4, c.get("assd").asDouble(), 1e-12);

    JsonNode micro = j.get("micro");
    assertEquals(9, micro.get("tp").asInt());
    assertEquals(5, micro.get("fp").asInt());
    assertEquals(0, micro.get("fn").asInt());
    assertEquals(34, micro.get("tn").asInt());
    assertEquals(18.0 / 23, micro.get("dice").asDouble(), 1e-12);
    assertFalse(micro.has("hd"));
    JsonNode dice = j.get("macro").get("dice");
    assertEquals(2, dice.get("n").asInt());
    assertEquals((0.8 + 2.0 / 3) / 2, dice.get("mean").asDouble(), 1e-12);
    assertEquals((0.8 - 2.0 / 3) / 2, dice.get("std").asDouble(), 1e-12);
    assertEquals(3, j.get("macro").get("accuracy").get("n").asInt());

    // the same with two threads
    assertEquals(j, Cli.run("evaluate", "--truth", masks.toString(), "--pred", preds.toString(), "--json", "--threads", "2").ok().json());
  }

  @Test
  void policiesThresholdAndSpacing() {
    JsonNode one = Cli.run("evaluate", "--truth", masks.toString(), "--pred", preds.toString(), "--json", "--empty", "one").ok().json();
    assertEquals(1.0, one.get("per_image").get(1).get("dice").asDouble());
    assertEquals(3, one.get("macro").get("dice").get("n").asInt());
    JsonNode t = Cli.run("evaluate", "--truth", masks.toString(), "--pred", preds.toString(), "--json", "--threshold", "0.85").ok().json();
    assertEquals(0, t.get("per_image").get(0).get("tp").asInt(), "0.8 < 0.85");
    assertEquals(1, t.get("per_image").get(2).get("tp").asInt(), "0.9 >= 0.85");
    JsonNode s = Cli.run("evaluate", "--truth", masks.toString(), "--pred", preds.toString(), "--json", "--spacing", "2,0.5").ok().json();
    assertEquals(Math.sqrt(36 + 2.25), s.get("per_image").get(2).get("hd").asDouble(), 1e-12);
    JsonNode f2 = Cli.run("evaluate", "--truth", masks.toString(), "--pred", preds.toString(), "--json", "--beta", "2", "--no-distances").ok().json();
    assertEquals(5.0 * 8 / (5 * 8 + 4), f2.get("per_image").get(0).get("f_beta").asDouble(), 1e-12);
    assertFalse(f2.get("per_image").get(0).has("hd"));
  }

  @Test
  void csvIsWrittenAtomically() throws IOException {
    Path out = dir.resolve("m.csv");
    Cli text = Cli.run("evaluate", "--truth", masks.toString(), "--pred", preds.toString(), "--csv", out.toString()).ok();
    assertTrue(text.out.contains("summary over 3 images"), text.out);
    List<String> lines = Files.readAllLines(out);
    assertEquals(4, lines.size());
    assertEquals("image,tp,fp,fn,tn,dice,iou,precision,recall,specificity,f_beta,accuracy,balanced_accuracy,mcc,hd,hd95,assd", lines.get(0));
    assertTrue(lines.get(1).startsWith("a,8,4,0,4,0.8,"), lines.get(1));
    assertTrue(lines.get(2).startsWith("b,0,0,0,16,NaN,NaN,NaN,NaN,1.0,NaN,1.0,1.0,NaN,NaN,NaN,NaN"), lines.get(2));
    Cli again = Cli.run("evaluate", "--truth", masks.toString(), "--pred", preds.toString(), "--csv", out.toString()).ok();
    assertTrue(again.err.contains("replaced the existing file"), again.err);
    try (var s = Files.list(dir)) {
      assertEquals(3, s.count(), "masks, preds, m.csv: no temporary file left");
    }
    assertEquals("\"a,b\"", EvaluateCommand.csvField("a,b"));
  }

  @Test
  void csvIsNeverWrittenOverAnInput() throws IOException {
    Path t = dir.resolve("t.npy");
    Path p = dir.resolve("p.npy");
    Npy.write(t, new float[] {1, 0, 0, 1}, 2, 2);
    Npy.write(p, new float[] {0.9f, 0.1f, 0.2f, 0.8f}, 2, 2);
    byte[] truthBytes = Files.readAllBytes(t);
    byte[] predBytes = Files.readAllBytes(p);
    Cli.run("evaluate", "--truth", t.toString(), "--pred", p.toString(), "--csv", t.toString())
        .badInput("--csv", t.toString(), "is the --truth input", "destroy");
    Cli.run("evaluate", "--truth", t.toString(), "--pred", p.toString(), "--csv", p.toString())
        .badInput("--csv", p.toString(), "is the --pred input", "destroy");
    assertArrayEquals(truthBytes, Files.readAllBytes(t));
    assertArrayEquals(predBytes, Files.readAllBytes(p));
    Cli.run("evaluate", "--truth", t.toString(), "--pred", p.toString(), "--csv", dir.resolve("none/m.csv").toString())
        .badInput("--csv", "does not exist");
  }

  @Test
  void npyArraysWithLogits() {
    Path t = dir.resolve("t.npy");
    Path p = dir.resolve("p.npy");
    Npy.write(t, new float[] {1, 0, 0, 1, 0, 0}, 2, 3);
    Npy.write(p, new float[] {2f, -1f, 0.5f, -0.1f, -3f, -2f}, 2, 3);
    JsonNode j = Cli.run("evaluate", "--truth", t.toString(), "--pred", p.toString(), "--logits", "--json").ok().json();
    assertEquals(0, j.get("per_image").get(0).get("image").asInt());
    assertTrue(j.get("per_image").get(0).get("image").isInt(), "indices are numbers");
    // image 0: pred fg at 0 and 2 -> TP 1 FP 1; image 1: truth fg at 0, nothing predicted -> FN 1
    assertEquals(1, j.get("per_image").get(0).get("fp").asInt());
    assertEquals(1, j.get("per_image").get(1).get("fn").asInt());
    assertEquals(0.0, j.get("per_image").get(1).get("dice").asDouble());
    assertTrue(j.get("per_image").get(1).get("precision").isNull(), "0/0 precision");
    // threshold 0.7 on logits: logit(0.7) = 0.847 -> only 2.0
    JsonNode k = Cli.run("evaluate", "--truth", t.toString(), "--pred", p.toString(), "--logits", "--threshold", "0.7", "--json").ok().json();
    assertEquals(0, k.get("per_image").get(0).get("fp").asInt());
    Cli.run("evaluate", "--truth", t.toString(), "--pred", p.toString()).badInput("--pred", "p.npy", "2.0", "--logits");
  }

  @Test
  void folderErrors() throws IOException {
    Images.writeGrayPng(masks.resolve("d.png"), new float[16], 4, 4);
    Images.writeGrayPng(masks.resolve("e.png"), new float[16], 4, 4);
    Images.writeGrayPng(preds.resolve("z.png"), new float[16], 4, 4);
    Cli.run("evaluate", "--truth", masks.toString(), "--pred", preds.toString())
        .badInput("unpaired files", "2 files in --truth without a partner in --pred: d.png, e.png", "1 file in --pred without a partner in --truth: z.png");
    Files.delete(masks.resolve("d.png"));
    Files.delete(masks.resolve("e.png"));
    Files.delete(preds.resolve("z.png"));
    Images.writeGrayPng(preds.resolve("a.png"), new float[15], 3, 5);
    Cli.run("evaluate", "--truth", masks.toString(), "--pred", preds.toString())
        .badInput("--pred", "a.png", "size 3x5", "its mask", "size 4x4");
    Cli.run("evaluate", "--truth", masks.toString(), "--pred", preds.resolve("c.npy").toString())
        .badInput("--pred", "c.npy", "is a file", "--truth", "directory");
    Images.writeGrayPng(preds.resolve("a.png"), new float[16], 4, 4);
    Cli.run("evaluate", "--truth", masks.toString(), "--pred", preds.toString(), "--logits").badInput("--logits", "a.png", ".npy predictions only");
    Cli.run("evaluate", "--truth", masks.toString(), "--pred", preds.toString(), "--empty", "never").badInput("--empty", "never", "nan_if_truth_empty");
    Cli.run("evaluate", "--truth", masks.toString(), "--pred", preds.toString(), "--threshold", "2").badInput("--threshold", "[0, 1]");
    Cli.run("evaluate", "--truth", masks.toString(), "--pred", preds.toString(), "--spacing", "1,2,3").badInput("--spacing", "3 values");
    Cli.run("evaluate", "--truth", masks.toString(), "--pred", preds.toString(), "--spacing", "1,x").badInput("--spacing", "'x'");
  }

  @Test
  void labelImagesAsPredictions() throws IOException {
    // a prediction saved as a 0/1 label PNG: as a probability map 1/255 < 0.5 is background;
    // with --pred-as-mask raw 1 > 0 is foreground
    float[] label = new float[16];
    for (int i = 0; i < 16; i += 4) label[i] = 1f / 255;
    Images.writeGrayPng(preds.resolve("a.png"), label, 4, 4);
    JsonNode prob = Cli.run("evaluate", "--truth", masks.toString(), "--pred", preds.toString(), "--json").ok().json();
    assertEquals(0, prob.get("per_image").get(0).get("tp").asInt());
    JsonNode mask = Cli.run("evaluate", "--truth", masks.toString(), "--pred", preds.toString(), "--json", "--pred-as-mask").ok().json();
    assertEquals(4, mask.get("per_image").get(0).get("tp").asInt());
    assertEquals(0, mask.get("per_image").get(0).get("fp").asInt());
    assertEquals(16, mask.get("per_image").get(1).get("fp").asInt(), "b's 16-bit 0.1 map is raw 6554 > 0 as a mask");

    // a palette (indexed) PNG holds labels: index 1 is foreground without any flag
    java.awt.image.IndexColorModel cm = new java.awt.image.IndexColorModel(8, 2, new byte[] {0, (byte) 255}, new byte[] {0, 0}, new byte[] {0, 0});
    BufferedImage pal = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_INDEXED, cm);
    for (int r = 0; r < 4; r++) pal.getRaster().setSample(0, r, 0, 1);
    Files.delete(preds.resolve("a.png"));
    ImageIO.write(pal, "png", preds.resolve("a.png").toFile());
    JsonNode p = Cli.run("evaluate", "--truth", masks.toString(), "--pred", preds.toString(), "--json").ok().json();
    assertEquals(4, p.get("per_image").get(0).get("tp").asInt());
    assertEquals(0, p.get("per_image").get(0).get("fp").asInt());
  }

  @Test
  void helpHasExamples() {
    Cli h = Cli.run("evaluate", "--help").ok();
    assertTrue(h.out.contains("Examples:") && h.out.contains("--empty") && h.out.contains("nan_if_truth_empty"), h.out);
    Cli top = Cli.run("--help").ok();
    for (String c : new String[] {"loss", "weights", "evaluate"}) assertTrue(top.out.contains("  " + c + " "), top.out);
  }
}
