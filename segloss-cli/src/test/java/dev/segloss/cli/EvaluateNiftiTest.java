package dev.segloss.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.segloss.data.nifti.NiftiHeader;
import dev.segloss.data.nifti.NiftiTestWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code segloss evaluate} on NIfTI volumes, against values computed by hand.
 *
 * <p>Grid: 4 x 3 x 2 voxels (i, j, k), voxel size 2 x 1 x 3 mm. Truth labels: 37 at (0,0,0), 38 at
 * (2,2,1), 5 at (1,1,1), 0 elsewhere. Prediction (0/1, as predict writes it): (0,0,0), (2,2,1) and
 * (3,0,1). With {@code --truth-label 37+38}: truth A = {(0,0,0), (2,2,1)}, prediction B = A + {(3,0,1)}:
 * TP 2, FP 1, FN 0, TN 21, dice 4/5, iou 2/3. Every voxel of both is a surface voxel. Directed distances:
 * A to B all 0; B to A: 0, 0 and, for (3,0,1), the nearer of (2,2,1) (sqrt((1*2)^2 + (2*1)^2) = sqrt 8 mm)
 * and (0,0,0) (sqrt(6^2 + 3^2) = sqrt 45 mm): sqrt 8. So hd = sqrt 8, hd95 = the 95th percentile of [0, 0,
 * 0, 0, sqrt 8] = 0.8 sqrt 8 (position 3.8), assd = (0 + (sqrt 8)/3) / 2 = sqrt(8)/6. With the axes'
 * sizes swapped (a k/i mix-up) the distance would be sqrt((1*3)^2 + 2^2) = sqrt 13 instead.
 */
class EvaluateNiftiTest {
  @TempDir Path dir;
  Path labels;
  Path mask;

  static final int NX = 4;
  static final int NY = 3;
  static final int NZ = 2;

  static int at(int i, int j, int k) {
    return i + NX * (j + NY * k);
  }

  static NiftiTestWriter grid() {
    return new NiftiTestWriter().dims(NX, NY, NZ).spacing(2, 1, 3).units(2)
        .sform(1, new float[][] {{2, 0, 0, -3}, {0, 1, 0, 4}, {0, 0, 3, 0}});
  }

  @BeforeEach
  void volumes() throws IOException {
    double[] lab = new double[NX * NY * NZ];
    lab[at(0, 0, 0)] = 37;
    lab[at(2, 2, 1)] = 38;
    lab[at(1, 1, 1)] = 5;
    labels = grid().datatype(NiftiHeader.DT_INT16).write(dir.resolve("case1.nii.gz"), lab);
    double[] m = new double[lab.length];
    m[at(0, 0, 0)] = 1;
    m[at(2, 2, 1)] = 1;
    m[at(3, 0, 1)] = 1;
    mask = grid().datatype(NiftiHeader.DT_UINT8).write(dir.resolve("case1_mask.nii.gz"), m);
  }

  static void assertRow(JsonNode r, double hd) {
    assertRow(r, hd, 1e-9);
  }

  static void assertRow(JsonNode r, double hd, double tol) {
    assertEquals(2, r.get("tp").asLong());
    assertEquals(1, r.get("fp").asLong());
    assertEquals(0, r.get("fn").asLong());
    assertEquals(21, r.get("tn").asLong());
    assertEquals(0.8, r.get("dice").asDouble(), 1e-12);
    assertEquals(2.0 / 3, r.get("iou").asDouble(), 1e-12);
    assertEquals(hd, r.get("hd").asDouble(), tol);
    assertEquals(0.8 * hd, r.get("hd95").asDouble(), tol);
    assertEquals(hd / 6, r.get("assd").asDouble(), tol);
  }

  @Test
  void aVolumePairInMillimetresFromPixdim() {
    Cli c = Cli.run("evaluate", "--truth", labels.toString(), "--truth-label", "37+38", "--pred", mask.toString(), "--json").ok();
    JsonNode j = c.json();
    assertEquals(1, j.get("per_image").size());
    JsonNode r = j.get("per_image").get(0);
    assertEquals("case1", r.get("image").asText());
    assertRow(r, Math.sqrt(8));
    assertEquals("mm", j.get("distance_unit").asText());
    assertEquals("", c.err, "no warning: the header states mm");

    // --spacing (i, j, k) replaces pixdim: 1 mm each -> sqrt(1 + 4)
    JsonNode s = Cli.run("evaluate", "--truth", labels.toString(), "--truth-label", "37+38", "--pred", mask.toString(), "--json",
        "--spacing", "1,1,1").ok().json();
    assertRow(s.get("per_image").get(0), Math.sqrt(5));
    assertEquals("spacing", s.get("distance_unit").asText());

    // text output says the unit
    String text = Cli.run("evaluate", "--truth", labels.toString(), "--truth-label", "37+38", "--pred", mask.toString()).ok().out;
    assertTrue(text.contains("(hd, hd95, assd in mm, from each volume's voxel size)"), text);
    assertTrue(text.lines().anyMatch(l -> l.startsWith("case1 ")), text);
  }

  @Test
  void unitsOtherThanMillimetresAreConverted() throws IOException {
    // the same geometry in metres (pixdim 0.002 x 0.001 x 0.003, xyzt_units 1): distances still in mm
    Path t = grid().spacing(0.002f, 0.001f, 0.003f).units(1).sform(1, new float[][] {{0.002f, 0, 0, 0}, {0, 0.001f, 0, 0}, {0, 0, 0.003f, 0}})
        .datatype(NiftiHeader.DT_INT16).write(dir.resolve("m.nii"), labelsOf());
    Path p = grid().spacing(0.002f, 0.001f, 0.003f).units(1).sform(1, new float[][] {{0.002f, 0, 0, 0}, {0, 0.001f, 0, 0}, {0, 0, 0.003f, 0}})
        .write(dir.resolve("p.nii"), maskOf());
    JsonNode j = Cli.run("evaluate", "--truth", t.toString(), "--truth-label", "37+38", "--pred", p.toString(), "--json").ok().json();
    assertRow(j.get("per_image").get(0), Math.sqrt(8), 1e-6); // float32 pixdim: 0.002f m is 2.0000001 mm
    // no unit: taken as mm, with one warning line
    Path t0 = grid().units(0).datatype(NiftiHeader.DT_INT16).write(dir.resolve("u.nii"), labelsOf());
    Path p0 = grid().units(0).write(dir.resolve("up.nii"), maskOf());
    Cli c = Cli.run("evaluate", "--truth", t0.toString(), "--truth-label", "37+38", "--pred", p0.toString(), "--json").ok();
    assertRow(c.json().get("per_image").get(0), Math.sqrt(8));
    assertEquals("warning: --truth: 1 of 1 volumes do not state the unit of their voxel size (xyzt_units 0); hd, hd95 and assd take it as mm",
        c.err.strip());
  }

  double[] labelsOf() {
    double[] lab = new double[NX * NY * NZ];
    lab[at(0, 0, 0)] = 37;
    lab[at(2, 2, 1)] = 38;
    lab[at(1, 1, 1)] = 5;
    return lab;
  }

  double[] maskOf() {
    double[] m = new double[NX * NY * NZ];
    m[at(0, 0, 0)] = 1;
    m[at(2, 2, 1)] = 1;
    m[at(3, 0, 1)] = 1;
    return m;
  }

  @Test
  void labelSelection() throws IOException {
    // any non-zero label: truth gains (1,1,1) (label 5), which the prediction misses: TP 2, FP 1, FN 1
    JsonNode any = Cli.run("evaluate", "--truth", labels.toString(), "--pred", mask.toString(), "--json").ok().json().get("per_image").get(0);
    assertEquals(1, any.get("fn").asLong());
    assertEquals(4.0 / 6, any.get("dice").asDouble(), 1e-12);
    // a prediction label volume: labels 37 and 5 as prediction, selected with --pred-label 5
    double[] pl = labelsOf();
    Path predLabels = grid().datatype(NiftiHeader.DT_INT16).write(dir.resolve("pl.nii.gz"), pl);
    JsonNode r = Cli.run("evaluate", "--truth", labels.toString(), "--truth-label", "5", "--pred", predLabels.toString(), "--pred-label", "5",
        "--json").ok().json().get("per_image").get(0);
    assertEquals(1, r.get("tp").asLong());
    assertEquals(0, r.get("fp").asLong() + r.get("fn").asLong());
    // a label volume given as probabilities: one line saying what to do
    Cli.run("evaluate", "--truth", labels.toString(), "--pred", predLabels.toString())
        .badInput("--pred", "pl.nii.gz", "holds integer labels up to 38", "--pred-label");
    // a probability map given as truth
    double[] soft = new double[NX * NY * NZ];
    soft[3] = 0.4;
    Path softTruth = grid().write(dir.resolve("soft.nii.gz"), soft);
    Cli.run("evaluate", "--truth", softTruth.toString(), "--pred", mask.toString()).badInput("--truth", "soft.nii.gz", "voxel 3 is 0.4",
        "not an integer label");
    Cli.run("evaluate", "--truth", labels.toString(), "--truth-label", "37,38", "--pred", mask.toString())
        .badInput("--truth-label", "expected integer label values joined by '+'", "'37,38'");
    // a label selecting nothing: a warning, and the empty-truth rule
    Cli c = Cli.run("evaluate", "--truth", labels.toString(), "--truth-label", "99", "--pred", mask.toString(), "--json").ok();
    assertTrue(c.err.contains("warning: --truth-label 99 selects no voxel in 1 of 1 truth volume"), c.err);
    // label options on images are refused
    Cli.run("evaluate", "--truth", dir.resolve("x.npy").toString(), "--pred", dir.resolve("y.npy").toString(), "--truth-label", "1")
        .badInput("--truth-label", "applies to NIfTI volumes");
  }

  @Test
  void foldersPairedByNameWithASuffix() throws IOException {
    Path t = Files.createDirectory(dir.resolve("labels"));
    Path p = Files.createDirectory(dir.resolve("preds"));
    Files.copy(labels, t.resolve("case1.nii.gz"));
    Files.copy(mask, p.resolve("case1_mask.nii.gz"));
    grid().write(p.resolve("case1_prob.nii.gz"), maskOf()); // predict's probabilities: skipped with --pred-suffix _mask
    double[] empty = new double[NX * NY * NZ];
    grid().datatype(NiftiHeader.DT_INT16).write(t.resolve("case2.nii"), empty);
    grid().write(p.resolve("case2_mask.nii"), empty);
    Cli c = Cli.run("evaluate", "--truth", t.toString(), "--pred", p.toString(), "--pred-suffix", "_mask", "--truth-label", "37+38", "--json",
        "--threads", "2").ok();
    JsonNode rows = c.json().get("per_image");
    assertEquals(2, rows.size());
    assertEquals("case1", rows.get(0).get("image").asText());
    assertRow(rows.get(0), Math.sqrt(8));
    assertEquals("case2", rows.get(1).get("image").asText());
    assertTrue(rows.get(1).get("dice").isNull(), "both empty: NaN under the default policy");
    assertTrue(rows.get(1).get("hd").isNull());
    assertTrue(c.err.contains("note: --pred: skipped 1 volume of " + p + " whose name does not end in '_mask'"), c.err);
    assertTrue(c.err.contains("selects no voxel in 1 of 2 truth volumes"), c.err);
    // without the suffix the names do not pair: every unpaired file is named
    Cli.run("evaluate", "--truth", t.toString(), "--pred", p.toString()).badInput("unpaired volumes", "case1.nii.gz", "case1_mask.nii.gz",
        "case1_prob.nii.gz");
  }

  @Test
  void mismatchedGridsAreRefusedNamingBothFiles() throws IOException {
    Path other = new NiftiTestWriter().dims(NX, NY, 3).spacing(2, 1, 3).units(2).write(dir.resolve("other.nii.gz"), new double[NX * NY * 3]);
    String line = Cli.run("evaluate", "--truth", labels.toString(), "--pred", other.toString()).badInput("other.nii.gz", "case1.nii.gz",
        "4x3x3 voxels", "4x3x2");
    assertFalse(line.contains("Exception"));
    Path shifted = grid().sform(1, new float[][] {{2, 0, 0, -3}, {0, 1, 0, 4}, {0, 0, 3, 5}}).write(dir.resolve("shifted.nii.gz"), maskOf());
    Cli.run("evaluate", "--truth", labels.toString(), "--pred", shifted.toString()).badInput("shifted.nii.gz", "case1.nii.gz",
        "different voxel-to-world matrices", "largest difference 5 mm", "--affine-tol");
    Cli.run("evaluate", "--truth", labels.toString(), "--pred", shifted.toString(), "--affine-tol", "5").ok();
    Path series = grid().dims(NX, NY, NZ, 2).write(dir.resolve("series.nii"), new double[2 * NX * NY * NZ]);
    Cli.run("evaluate", "--truth", labels.toString(), "--pred", series.toString()).badInput("--pred", "series.nii", "holds 2 volumes");
    Cli.run("evaluate", "--truth", labels.toString(), "--pred", dir.resolve("x.npy").toString()).badInput("--pred", "x.npy",
        "is not a NIfTI volume");
    Cli.run("evaluate", "--truth", labels.toString(), "--pred", mask.toString(), "--spacing", "1,1").badInput("--spacing", "3 values");
  }
}
