package dev.segloss.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segloss.data.nifti.NiftiHeader;
import dev.segloss.data.nifti.NiftiReader;
import dev.segloss.data.nifti.NiftiVolume;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code segloss train --data nifti:...} then {@code segloss predict --input nifti:...} through the CLI. */
class PredictVolumeCommandTest {
  @TempDir Path dir;

  static final int NX = 20;
  static final int NY = 24;
  static final int NZ = 16;

  /** A gzipped single-file NIfTI-1, float32, with a mirrored x axis in the sform. */
  static Path writeNifti(Path p, int[] dims, float[] v) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(352 + 4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(0, 348);
    b.putShort(40, (short) dims.length);
    for (int i = 0; i < 7; i++) b.putShort(42 + 2 * i, (short) (i < dims.length ? dims[i] : 1));
    b.putShort(70, (short) 16);
    b.putShort(72, (short) 32);
    float[] pixdim = {1, 1.2f, 1, 2, 1, 1, 1, 1};
    for (int i = 0; i < 8; i++) b.putFloat(76 + 4 * i, pixdim[i]);
    b.putFloat(108, 352);
    b.putFloat(112, 1);
    b.putShort(254, (short) 1);
    float[][] srow = {{-1.2f, 0, 0, 12}, {0, 1, 0, -12}, {0, 0, 2, -16}};
    for (int r = 0; r < 3; r++) for (int c = 0; c < 4; c++) b.putFloat(280 + 16 * r + 4 * c, srow[r][c]);
    b.put(344, (byte) 'n').put(345, (byte) '+').put(346, (byte) '1');
    b.position(352);
    for (float x : v) b.putFloat(x);
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(p))) {
      out.write(b.array());
    }
    return p;
  }

  @Test
  void trainOnAVolumeThenPredictIt() throws Exception {
    float[] img = new float[NX * NY * NZ];
    float[] lab = new float[img.length];
    Random r = new Random(6);
    for (int k = 0; k < NZ; k++) {
      for (int j = 0; j < NY; j++) {
        for (int i = 0; i < NX; i++) {
          int p = i + NX * (j + NY * k);
          double e = Math.pow((i - 9.5) / 9, 2) + Math.pow((j - 11.5) / 11, 2) + Math.pow((k - 7.5) / 8, 2);
          boolean blob = Math.pow(i - 12, 2) + Math.pow(j - 9, 2) + Math.pow(k - 7, 2) <= 12;
          img[p] = (float) (blob ? 200 + 5 * r.nextGaussian() : e <= 1 ? 100 + 5 * r.nextGaussian() : Math.abs(3 * r.nextGaussian()));
          lab[p] = blob ? 1 : 0;
        }
      }
    }
    Path image = writeNifti(dir.resolve("t1.nii.gz"), new int[] {NX, NY, NZ}, img);
    Path labels = writeNifti(dir.resolve("lab.nii.gz"), new int[] {NX, NY, NZ}, lab);
    Path run = dir.resolve("runs/vol");
    Cli.run("train", "--data", "nifti:image=" + image + ",labels=" + labels + ",label=1,axis=coronal,empty_ratio=all,slab=3",
        "--loss", "dice", "--epochs", "1", "--batch", "4", "--depth", "2", "--width", "4", "--out", run.toString()).ok();

    Path preds = dir.resolve("preds");
    Cli p = Cli.run("predict", "--model", run.toString(), "--input", "nifti:image=" + image, "--out", preds.toString(), "--probabilities").ok();
    Path mask = preds.resolve("t1_mask.nii.gz");
    Path prob = preds.resolve("t1_prob.nii.gz");
    assertEquals("mask: " + mask + "\nprobabilities: " + prob, p.out.strip());
    assertTrue(p.err.contains("predicted " + NY + " coronal slices of " + NZ + "x" + NX), p.err); // the run's axis
    NiftiVolume m = NiftiReader.read(mask, 0);
    NiftiVolume q = NiftiReader.read(prob, 0);
    NiftiHeader in = NiftiReader.readHeader(image);
    assertArrayEquals(in.spatialDims(), m.header().spatialDims());
    assertArrayEquals(in.affine(), m.header().affine());
    assertArrayEquals(in.affine(), q.header().affine());
    assertEquals(NiftiHeader.DT_UINT8, m.header().datatype());
    assertEquals(NiftiHeader.DT_FLOAT32, q.header().datatype());
    for (int i = 0; i < img.length; i++) {
      float x = m.data()[i];
      assertTrue(x == 0 || x == 1);
      assertEquals(q.data()[i] >= 0.5f, x == 1, "voxel " + i);
    }

    // evaluate reads what predict wrote: counts as computed from the arrays, distances in mm
    long tp = 0, fp = 0, fn = 0;
    for (int i = 0; i < img.length; i++) {
      boolean t = lab[i] == 1, pr = m.data()[i] == 1;
      if (t && pr) tp++;
      else if (pr) fp++;
      else if (t) fn++;
    }
    for (Path pred : List.of(mask, prob)) {
      Cli e = Cli.run("evaluate", "--truth", labels.toString(), "--truth-label", "1", "--pred", pred.toString(), "--json").ok();
      com.fasterxml.jackson.databind.JsonNode row = e.json().get("per_image").get(0);
      assertEquals("lab", row.get("image").asText());
      assertEquals(tp, row.get("tp").asLong());
      assertEquals(fp, row.get("fp").asLong());
      assertEquals(fn, row.get("fn").asLong());
      assertTrue(e.err.contains("do not state the unit of their voxel size"), e.err); // writeNifti leaves xyzt_units 0
    }

    // an explicit axis and threshold; the folder path still takes folders
    Cli.run("predict", "--model", run.toString(), "--input", "nifti:image=" + image + ",axis=axial", "--out", dir.resolve("ax").toString(),
        "--threshold", "0.3").ok();
    assertTrue(Files.isRegularFile(dir.resolve("ax/t1_mask.nii.gz")));
    assertFalse(Files.exists(dir.resolve("ax/t1_prob.nii.gz")));

    // bad input: one line, exit 2, naming the argument or file
    Cli.run("predict", "--model", run.toString(), "--input", "nifti:image=" + dir.resolve("nope.nii.gz"), "--out", dir.resolve("x").toString())
        .badInput("nope.nii.gz", "not found");
    Cli.run("predict", "--model", run.toString(), "--input", "nifti:image=" + image + ",axis=diagonal", "--out", dir.resolve("x").toString())
        .badInput("--input", "option 'axis' expects axial, coronal, sagittal");
    Cli.run("predict", "--model", run.toString(), "--input", "nifti:path=" + image, "--out", dir.resolve("x").toString())
        .badInput("--input", "unknown option 'path'");
    Path series = writeNifti(dir.resolve("series.nii.gz"), new int[] {NX, NY, NZ, 2}, new float[2 * img.length]);
    Cli.run("predict", "--model", run.toString(), "--input", "nifti:image=" + series, "--out", dir.resolve("x").toString())
        .badInput("--input", "series.nii.gz", "holds 2 volumes", "volume=N");
    Cli.run("predict", "--model", run.toString(), "--input", "nifti:image=" + series + ",volume=1", "--out", dir.resolve("x").toString()).ok();
    Cli.run("predict", "--model", run.toString(), "--input", "nifti:image=" + image, "--out", preds.toString())
        .badInput("--out", "t1_mask.nii.gz", "exists", "--overwrite");
    Cli.run("predict", "--model", run.toString(), "--input", "nifti:image=" + image, "--out", preds.toString(), "--skip-bad")
        .badInput("--skip-bad", "folder");
    // one writer per output folder (issue 9)
    try (dev.segloss.core.io.FolderLock held = dev.segloss.core.io.FolderLock.acquire(preds, "test")) {
      Cli.run("predict", "--model", run.toString(), "--input", "nifti:image=" + image, "--out", preds.toString(), "--overwrite")
          .badInput("--out " + preds + ": another segloss job in this process is writing to this folder");
    }
    // a header that promises 1500x1500x900 float32 voxels: refused up front by the memory estimate, with no folder left
    ByteBuffer h = ByteBuffer.allocate(352).order(ByteOrder.LITTLE_ENDIAN);
    h.putInt(0, 348).putShort(40, (short) 3).putShort(42, (short) 1500).putShort(44, (short) 1500).putShort(46, (short) 900);
    h.putShort(70, (short) 16).putShort(72, (short) 32).putFloat(80, 1).putFloat(84, 1).putFloat(88, 1).putFloat(108, 352);
    h.put(344, (byte) 'n').put(345, (byte) '+').put(346, (byte) '1');
    Path huge = Files.write(dir.resolve("huge.nii"), h.array());
    Cli.run("predict", "--model", run.toString(), "--input", "nifti:image=" + huge, "--out", dir.resolve("h").toString())
        .badInput("--input", "huge.nii", "needs about", "of memory");
    assertFalse(Files.exists(dir.resolve("h")));
    assertFalse(Files.exists(dir.resolve("x/t1_mask.nii.gz")));
  }
}
