package dev.segloss.data.nifti;

import static dev.segloss.data.Messages.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NiftiFilesTest {
  @TempDir Path dir;

  @Test
  void labelSelectionRoundsIntegersAndRefusesOthers() {
    LabelSelection s = LabelSelection.parse("--truth-label", " 38+37+38 ");
    assertArrayEquals(new int[] {37, 38}, s.values());
    assertEquals("37+38", s.toString());
    assertTrue(s.selects(37.0004f));
    assertFalse(s.selects(36f));
    assertEquals("any", LabelSelection.parse("x", "ANY").toString());
    assertArrayEquals(new float[] {0, 1, 1, 0, 255}, s.binarize(new float[] {0, 37, 38.0001f, 5, 255}, "v", 255), 0f);
    assertArrayEquals(new float[] {0, 1, 1, 1}, LabelSelection.any().binarize(new float[] {0, 37, -2, 1}, "v", Double.NaN), 0f);
    assertMessage(() -> s.binarize(new float[] {0, 0.5f}, "--truth: t.nii", Double.NaN), "--truth: t.nii: voxel 1 is 0.5, not an integer label");
    assertMessage(() -> s.binarize(new float[] {Float.NaN}, "--truth: t.nii", Double.NaN), "voxel 0 is NaN");
    assertMessage(() -> LabelSelection.parse("--pred-label", "1.5"), "--pred-label: expected integer label values joined by '+'");
    assertEquals("[2, 37]", LabelSelection.present(new float[] {0, 37, 2, 37}, 10));
  }

  @Test
  void pairsByNameWithoutTheNiftiEnding() throws IOException {
    Path a = Files.createDirectory(dir.resolve("a"));
    Path b = Files.createDirectory(dir.resolve("b"));
    NiftiTestWriter w = new NiftiTestWriter().dims(2, 2, 2);
    w.write(a.resolve("x.nii.gz"), new double[8]);
    w.write(a.resolve("y.nii"), new double[8]);
    Files.writeString(a.resolve("notes.txt"), "not a volume");
    w.write(b.resolve("x_mask.nii"), new double[8]);
    w.write(b.resolve("y_mask.nii.gz"), new double[8]);
    w.write(b.resolve("y_prob.nii.gz"), new double[8]);
    NiftiFiles.Pairs p = NiftiFiles.pair(a, "--truth", "", b, "--pred", "_mask");
    assertEquals(List.of("x", "y"), p.pairs().stream().map(NiftiFiles.Pair::stem).toList());
    assertEquals(b.resolve("y_mask.nii.gz"), p.pairs().get(1).second());
    assertEquals(1, p.skippedSecond());
    assertMessage(() -> NiftiFiles.pair(a, "--truth", "", b, "--pred", ""), "2 volumes in --truth without a partner in --pred: x.nii.gz, y.nii");
    w.write(a.resolve("x.nii"), new double[8]);
    assertMessage(() -> NiftiFiles.list(a, "--truth", "", null), "two volumes with the stem 'x'");
    assertTrue(NiftiFiles.isNifti(Path.of("A.NII.GZ")));
    assertFalse(NiftiFiles.isNifti(Path.of("a.img")));
    assertFalse(NiftiFiles.isNifti(Path.of(".nii")));
  }

  @Test
  void spacingInMillimetresAndGridChecks() throws IOException {
    NiftiHeader um = NiftiReader.readHeader(new NiftiTestWriter().dims(2, 2, 2).spacing(500, 250, 1000).units(3).write(dir.resolve("u.nii"),
        new double[8]));
    assertArrayEquals(new double[] {0.5, 0.25, 1}, NiftiFiles.spacingMm(um, "u"), 1e-9);
    NiftiHeader bad = NiftiReader.readHeader(new NiftiTestWriter().dims(2, 2, 2).spacing(1, 0, 1).write(dir.resolve("b.nii"), new double[8]));
    assertMessage(() -> NiftiFiles.spacingMm(bad, "--truth b.nii"), "--truth b.nii: pixdim[2] is 0.0, not a voxel size; give the voxel size with --spacing");
    NiftiHeader flat = NiftiReader.readHeader(new NiftiTestWriter().dims(2, 2, 1).spacing(1, 1, 0).write(dir.resolve("f.nii"), new double[4]));
    assertArrayEquals(new double[] {1, 1, 1}, NiftiFiles.spacingMm(flat, "f"), 0); // one slice: no distance along k
    NiftiHeader other = NiftiReader.readHeader(new NiftiTestWriter().dims(2, 2, 3).write(dir.resolve("o.nii"), new double[12]));
    assertMessage(() -> NiftiFiles.requireSameGrid("--truth u.nii", um, "--pred o.nii", other, 1e-3), "--pred o.nii is 2x2x3 voxels but --truth u.nii is 2x2x2");
  }
}
