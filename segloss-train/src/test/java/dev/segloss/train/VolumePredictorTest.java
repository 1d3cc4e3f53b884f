package dev.segloss.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.segloss.core.InvalidInputException;
import dev.segloss.data.DataSpec;
import dev.segloss.data.Datasets;
import dev.segloss.data.LoadOptions;
import dev.segloss.data.Sample;
import dev.segloss.data.SegDataset;
import dev.segloss.data.nifti.NiftiHeader;
import dev.segloss.data.nifti.NiftiInput;
import dev.segloss.data.nifti.NiftiReader;
import dev.segloss.data.nifti.NiftiTestWriter;
import dev.segloss.data.nifti.NiftiVolume;
import dev.segloss.train.model.UNet;
import dev.segloss.train.model.UNetConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code predict} on a NIfTI volume: a phantom written by the test (an ellipsoid "head" with a bright
 * blob, x axis mirrored in the sform, a separate qform), a U-Net with fixed seeded weights (depth 2:
 * slices padded to multiples of 4), the mask and probability volumes read back with {@link NiftiReader}
 * and compared voxel by voxel with the same network run on the slices the training loader makes.
 */
class VolumePredictorTest {
  static final int NX = 18;
  static final int NY = 22;
  static final int NZ = 10;
  static final float[][] SFORM = {{-2, 0, 0, 40}, {0, 1.5f, 0, -30}, {0, 0, 3, -5}};

  @TempDir Path dir;
  Path image;
  Path labels;

  @BeforeEach
  void phantom() throws Exception {
    double[] img = new double[NX * NY * NZ];
    double[] lab = new double[img.length];
    Random r = new Random(2);
    for (int k = 0; k < NZ; k++) {
      for (int j = 0; j < NY; j++) {
        for (int i = 0; i < NX; i++) {
          int p = i + NX * (j + NY * k);
          double e = sq((i - 8.5) / 8) + sq((j - 10.5) / 10) + sq((k - 4.5) / 5);
          boolean blob = sq(i - 11) + sq(j - 7) + sq(k - 5) <= 9; // off-centre, so a wrong flip shows
          img[p] = blob ? 180 + 5 * r.nextGaussian() : e <= 1 ? 100 + 8 * r.nextGaussian() : Math.abs(3 * r.nextGaussian());
          lab[p] = blob ? 1 : 0;
        }
      }
    }
    image = writer().datatype(NiftiHeader.DT_FLOAT32).write(dir.resolve("head.nii.gz"), img);
    labels = writer().datatype(NiftiHeader.DT_UINT8).write(dir.resolve("blob.nii.gz"), lab);
  }

  static NiftiTestWriter writer() {
    return new NiftiTestWriter().dims(NX, NY, NZ).spacing(2f, 1.5f, 3f).qform(1, new float[] {0, 0, 1}, new float[] {40, 30, -5}, -1f)
        .sform(2, SFORM);
  }

  static double sq(double x) {
    return x * x;
  }

  String spec(String axis, String norm) {
    return "nifti:image=" + image + ",labels=" + labels + ",label=1,axis=" + axis + ",size=full,empty_ratio=all,gap=0,norm=" + norm;
  }

  /** A run folder with config.json (data = {@code data}) and a U-Net with seeded weights. */
  Path run(String name, String data, int inChannels) throws Exception {
    Path run = dir.resolve("runs").resolve(name);
    Files.createDirectories(run);
    TrainConfig cfg = TrainConfig.builder().data(data).loss("bce").depth(2).width(4).batch(4).inChannels(inChannels).build();
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("format", "segloss-run/1");
    root.put("train", cfg);
    OutputFiles.writeBytes(run.resolve(ModelFiles.CONFIG), ModelFiles.json().writeValueAsBytes(root));
    try (NDManager m = NDManager.newBaseManager()) {
      UNet net = new UNet(new UNetConfig(inChannels, 2, 4));
      net.initialize(m, DataType.FLOAT32, new Shape(1, inChannels, 4, 4));
      net.initializeWeights(5);
      ModelFiles.saveModel(run.resolve(ModelFiles.MODEL), net);
    }
    return run;
  }

  /** The voxel (i, j, k) of pixel (r, c) of slice s, written out by hand for this sform (x mirrored; y, z as RAS). */
  static int voxel(String axis, int s, int r, int c) {
    switch (axis) {
      case "axial": // slices along k; rows along j, anterior (+j) at the top; columns along i, towards +x (i points −x: reversed)
        return (NX - 1 - c) + NX * ((NY - 1 - r) + NY * s);
      case "coronal": // slices along j; rows along k, superior at the top; columns along i, reversed as for axial
        return (NX - 1 - c) + NX * (s + NY * (NZ - 1 - r));
      default: // sagittal: slices along i; rows along k, superior at the top; columns along j
        return s + NX * (c + NY * (NZ - 1 - r));
    }
  }

  @ParameterizedTest
  @CsvSource({"axial, zscore, 2", "coronal, minmax, 1", "sagittal, zscore, 0"})
  void writesTheLoadersSliceProbabilitiesBackIntoTheirVoxels(String axis, String norm, int voxelAxis) throws Exception {
    Path run = run("r", spec(axis, norm), 1);
    // the training loader's slices (whole slices, padded centred to multiples of 4) through the same model
    SegDataset d = Datasets.load(spec(axis, norm), LoadOptions.builder().sizeMultiple(4).build());
    List<Sample> samples = d.all();
    float[][] ref;
    try (NDManager m = NDManager.newBaseManager()) {
      ref = Inference.probabilities(ModelFiles.loadModel(run.resolve(ModelFiles.MODEL), m), ImageSet.of(samples), 3, m);
    }
    float[] all = new float[0];
    for (float[] p : ref) {
      int n = all.length;
      all = Arrays.copyOf(all, n + p.length);
      System.arraycopy(p, 0, all, n, p.length);
    }
    Arrays.sort(all);
    double t = all[all.length / 2]; // the median: both classes occur
    assertTrue(t > 0 && t < 1, "median probability " + t);

    Path out = dir.resolve("pred");
    VolumePredictor.Summary s = VolumePredictor.predict(run, new NiftiInput(image, null, -1), out,
        new VolumePredictor.Options(t, true, false, "cpu"), null);
    // the axis comes from the run's data spec
    assertEquals(axis, s.axis());
    assertEquals(voxelAxis, s.voxelAxis());
    assertEquals(out.resolve("head_mask.nii.gz"), s.mask());
    assertEquals(out.resolve("head_prob.nii.gz"), s.probabilities());

    NiftiHeader in = NiftiReader.readHeader(image);
    NiftiVolume mask = NiftiReader.read(s.mask(), 0);
    NiftiVolume prob = NiftiReader.read(s.probabilities(), 0);
    for (NiftiVolume v : List.of(mask, prob)) {
      NiftiHeader h = v.header();
      assertArrayEquals(in.spatialDims(), h.spatialDims());
      assertEquals(1, h.frames());
      assertArrayEquals(in.affine(), h.affine());
      assertEquals("sform", h.affineSource());
      assertEquals(2, h.sformCode());
      assertEquals(1, h.qformCode());
      assertArrayEquals(in.spacing(), h.spacing());
      assertEquals(1f, h.sclSlope());
      assertEquals(0f, h.sclInter());
    }
    assertEquals(NiftiHeader.DT_UINT8, mask.header().datatype());
    assertEquals(NiftiHeader.DT_FLOAT32, prob.header().datatype());
    float[] mv = mask.data();
    float[] pv = prob.data();
    long fg = 0;
    for (int i = 0; i < mv.length; i++) {
      assertTrue(mv[i] == 0 || mv[i] == 1, "mask value " + mv[i]);
      assertTrue(pv[i] >= 0 && pv[i] <= 1, "probability " + pv[i]);
      assertEquals(pv[i] >= t, mv[i] == 1, "mask = probability >= threshold at voxel " + i);
      if (mv[i] == 1) fg++;
    }
    assertEquals(fg, s.foreground());
    assertTrue(fg > 0 && fg < mv.length, "both classes: " + fg);

    // voxel by voxel: the loader's slice pixel (y, x) is row y - top, column x - left of slice s
    int compared = 0;
    for (int n = 0; n < samples.size(); n++) {
      Sample x = samples.get(n);
      int H = x.height(), W = x.width();
      int rows = axis.equals("axial") ? NY : NZ;
      int cols = axis.equals("sagittal") ? NY : NX;
      assertEquals(0, H % 4);
      assertEquals((rows + 3) / 4 * 4, H); // rows rounded up to a multiple of 4
      assertEquals((cols + 3) / 4 * 4, W);
      int top = (H - rows) / 2, left = (W - cols) / 2;
      for (int r = 0; r < rows; r++) {
        for (int c = 0; c < cols; c++) {
          int v = voxel(axis, x.slice(), r, c);
          assertEquals(ref[n][(r + top) * W + (c + left)], pv[v], 2e-6, "slice " + x.slice() + " row " + r + " col " + c);
          compared++;
        }
      }
    }
    assertTrue(compared >= NX * NY * NZ / 2, "compared " + compared + " voxels");
  }

  @Test
  void axisDefaultsToAxialForRunsNotTrainedOnVolumesAndCanBeChosen() throws Exception {
    Path run = run("synthetic", "synthetic:size=32,n=30", 1);
    VolumePredictor.Summary a = VolumePredictor.predict(run, new NiftiInput(image, null, -1), dir.resolve("a"),
        new VolumePredictor.Options(Double.NaN, false, false, "cpu"), null);
    assertEquals("axial", a.axis());
    assertEquals(NZ, a.slices());
    assertEquals(0.5, a.threshold());
    assertEquals(null, a.probabilities());
    assertFalse(Files.exists(dir.resolve("a/head_prob.nii.gz")));
    VolumePredictor.Summary c = VolumePredictor.predict(run, new NiftiInput(image, DataSpec.Axis.CORONAL, -1), dir.resolve("c"),
        new VolumePredictor.Options(Double.NaN, false, false, "cpu"), null);
    assertEquals(NY, c.slices());
    assertEquals(12, c.sliceHeight());
    assertEquals(20, c.sliceWidth());
  }

  @Test
  void badInputIsRefusedBeforeAnythingIsWritten() throws Exception {
    Path run = run("r", spec("axial", "zscore"), 1);
    VolumePredictor.Options o = new VolumePredictor.Options(Double.NaN, true, false, "cpu");
    Path out = dir.resolve("o");
    assertMessage(() -> VolumePredictor.predict(run, new NiftiInput(dir.resolve("missing.nii.gz"), null, -1), out, o, null),
        "missing.nii.gz", "not found");
    // 4-D: needs volume=N, within range
    double[] two = new double[NX * NY * NZ * 2];
    Path fourD = new NiftiTestWriter().dims(NX, NY, NZ, 2).write(dir.resolve("series.nii"), two);
    assertMessage(() -> VolumePredictor.predict(run, new NiftiInput(fourD, null, -1), out, o, null), "series.nii", "holds 2 volumes",
        "volume=N");
    assertMessage(() -> VolumePredictor.predict(run, new NiftiInput(fourD, null, 2), out, o, null), "'volume' = 2", "holds 2 volume(s)");
    // a model for RGB images
    Path rgb = run("rgb", "synthetic", 3);
    assertMessage(() -> VolumePredictor.predict(rgb, new NiftiInput(image, null, -1), out, o, null), "--model", "3-channel", "1-channel");
    // the memory estimate, up front
    VolumePredictor.Options tight = new VolumePredictor.Options(Double.NaN, true, false, "cpu",
        LoadOptions.builder().memoryBudget(10_000).build());
    assertMessage(() -> VolumePredictor.predict(run, new NiftiInput(image, null, -1), out, tight, null), "--input", "head.nii.gz",
        "needs about", "of memory");
    assertFalse(Files.exists(out), "nothing written, no folder left");

    // existing outputs: refused unless --overwrite; the input never replaced
    VolumePredictor.predict(run, new NiftiInput(fourD, null, 1), out, o, null);
    assertEquals(3, NiftiReader.readHeader(out.resolve("series_mask.nii.gz")).rank());
    byte[] before = Files.readAllBytes(out.resolve("series_prob.nii.gz"));
    assertMessage(() -> VolumePredictor.predict(run, new NiftiInput(fourD, null, 1), out, o, null), "--out", "series_mask.nii.gz",
        "exists", "--overwrite");
    assertArrayEquals(before, Files.readAllBytes(out.resolve("series_prob.nii.gz")));
    VolumePredictor.predict(run, new NiftiInput(fourD, null, 0), out, new VolumePredictor.Options(Double.NaN, true, true, "cpu"), null);
    // even with --overwrite: OUT/head_mask.nii.gz is (a link to) the input head.nii.gz
    Path link = dir.resolve("q/head_mask.nii.gz");
    Files.createDirectories(link.getParent());
    Files.createSymbolicLink(link, image);
    byte[] input = Files.readAllBytes(image);
    assertMessage(() -> VolumePredictor.predict(run, new NiftiInput(image, null, -1), link.getParent(),
        new VolumePredictor.Options(Double.NaN, false, true, "cpu"), null), "--out", "would replace the input", "head.nii.gz");
    assertArrayEquals(input, Files.readAllBytes(image));
  }

  @Test
  void parsesTheInputSpec() {
    NiftiInput a = NiftiInput.parse("--input", "nifti:image=/x/T1.nii.gz");
    assertEquals(Path.of("/x/T1.nii.gz"), a.image());
    assertEquals(null, a.axis());
    assertEquals(-1, a.volume());
    NiftiInput b = NiftiInput.parse("--input", "NIfTI:image=a.nii,axis=Sagittal,volume=3");
    assertEquals(DataSpec.Axis.SAGITTAL, b.axis());
    assertEquals(3, b.volume());
    assertMessage(() -> NiftiInput.parse("--input", "nifti:axis=axial"), "--input nifti:axis=axial", "option 'image' is required");
    assertMessage(() -> NiftiInput.parse("--input", "nifti:image=a.nii,axis=oblique"), "--input", "option 'axis' expects axial");
    assertMessage(() -> NiftiInput.parse("--input", "nifti:image=a.nii,labels=b.nii"), "--input", "unknown option 'labels'");
    assertMessage(() -> NiftiInput.parse("--input", "nifti:image=a.nii,volume=-1"), "--input", "option 'volume'");
  }

  static void assertMessage(org.junit.jupiter.api.function.Executable e, String... fragments) {
    InvalidInputException x = assertThrows(InvalidInputException.class, e);
    for (String f : fragments) assertTrue(x.getMessage().contains(f), "'" + f + "' in: " + x.getMessage());
    assertFalse(x.getMessage().contains("\n"), "one line: " + x.getMessage());
  }
}
