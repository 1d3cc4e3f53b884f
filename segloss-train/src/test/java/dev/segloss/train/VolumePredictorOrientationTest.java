package dev.segloss.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.segloss.data.nifti.NiftiHeader;
import dev.segloss.data.nifti.NiftiInput;
import dev.segloss.data.nifti.NiftiReader;
import dev.segloss.data.nifti.NiftiTestWriter;
import dev.segloss.train.model.UNet;
import dev.segloss.train.model.UNetConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Review (review3): the same head stored in another voxel order (same world image, another sform) must
 * give the same probability at every world point when the slices are cut along the same anatomical axis:
 * the model was trained on slices of one anatomical orientation and must be shown slices of that
 * orientation whatever the storage order. {@code SliceGeometry} canonicalises only the row direction, so
 * a volume whose in-plane axes are swapped (a sagittally acquired scan) or whose column axis runs the other
 * way (x mirrored: LAS vs RAS) is shown transposed or mirrored slices.
 */
class VolumePredictorOrientationTest {
  static final int NX = 16;
  static final int NY = 20;
  static final int NZ = 12; // multiples of 4: no padding, so padding cannot explain a difference

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"same-order", "sagittal-acquired", "x-mirrored"}) // same-order: the control, passes
  void sameAnatomyInAnotherVoxelOrderGivesTheSameWorldProbabilities(String storage) throws Exception {
    // reference: RAS storage, voxel (x, y, z), sform diag(2, 1.5, 3)
    double[] a = new double[NX * NY * NZ];
    Random r = new Random(7);
    for (int z = 0; z < NZ; z++) for (int y = 0; y < NY; y++) for (int x = 0; x < NX; x++) {
      double e = sq((x - 7.5) / 7) + sq((y - 9.5) / 9) + sq((z - 5.5) / 5);
      boolean blob = sq(x - 10) + sq(y - 6) + sq(z - 6) <= 9;
      a[x + NX * (y + NY * z)] = blob ? 180 + 5 * r.nextGaussian() : e <= 1 ? 100 + 8 * r.nextGaussian() : Math.abs(3 * r.nextGaussian());
    }
    Path ras = new NiftiTestWriter().dims(NX, NY, NZ).spacing(2, 1.5f, 3)
        .sform(2, new float[][] {{2, 0, 0, -16}, {0, 1.5f, 0, -15}, {0, 0, 3, -18}}).write(dir.resolve("ras.nii"), a);
    int[] bd;
    double[] b = new double[a.length];
    float[][] bs;
    if (storage.equals("sagittal-acquired")) {
      // voxel (i', j', k') = (y, z, x): i' anterior, j' superior, k' right
      bd = new int[] {NY, NZ, NX};
      for (int z = 0; z < NZ; z++) for (int y = 0; y < NY; y++) for (int x = 0; x < NX; x++) b[y + NY * (z + NZ * x)] = a[x + NX * (y + NY * z)];
      bs = new float[][] {{0, 0, 2, -16}, {1.5f, 0, 0, -15}, {0, 3, 0, -18}};
    } else if (storage.equals("same-order")) {
      bd = new int[] {NX, NY, NZ};
      b = a.clone();
      bs = new float[][] {{2, 0, 0, -16}, {0, 1.5f, 0, -15}, {0, 0, 3, -18}};
    } else {
      // voxel (i', j, k) = (NX-1-x, y, z): i' runs left (LAS)
      bd = new int[] {NX, NY, NZ};
      for (int z = 0; z < NZ; z++) for (int y = 0; y < NY; y++) for (int x = 0; x < NX; x++) b[(NX - 1 - x) + NX * (y + NY * z)] = a[x + NX * (y + NY * z)];
      bs = new float[][] {{-2, 0, 0, -16 + 2 * (NX - 1)}, {0, 1.5f, 0, -15}, {0, 0, 3, -18}};
    }
    Path other = new NiftiTestWriter().dims(bd).spacing(2, 1.5f, 3).sform(2, bs).write(dir.resolve("other.nii"), b);

    Path run = run();
    VolumePredictor.Options o = new VolumePredictor.Options(Double.NaN, true, false, "cpu");
    float[] pa = NiftiReader.read(VolumePredictor.predict(run, new NiftiInput(ras, null, -1), dir.resolve("pa"), o, null).probabilities(), 0).data();
    float[] pb = NiftiReader.read(VolumePredictor.predict(run, new NiftiInput(other, null, -1), dir.resolve("pb"), o, null).probabilities(), 0).data();
    double worst = 0;
    for (int z = 0; z < NZ; z++) for (int y = 0; y < NY; y++) for (int x = 0; x < NX; x++) {
      int ib = storage.equals("sagittal-acquired") ? y + NY * (z + NZ * x)
          : storage.equals("x-mirrored") ? (NX - 1 - x) + NX * (y + NY * z) : x + NX * (y + NY * z);
      worst = Math.max(worst, Math.abs(pa[x + NX * (y + NY * z)] - pb[ib]));
    }
    assertTrue(worst < 1e-4, storage + ": axial probabilities at the same world point differ by up to " + worst);
  }

  static double sq(double v) {
    return v * v;
  }

  /** A run trained on synthetic data (axis: axial by default) with seeded weights. */
  Path run() throws Exception {
    Path run = dir.resolve("run");
    Files.createDirectories(run);
    TrainConfig cfg = TrainConfig.builder().data("synthetic").loss("bce").depth(2).width(4).batch(4).inChannels(1).build();
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("format", "segloss-run/1");
    root.put("train", cfg);
    OutputFiles.writeBytes(run.resolve(ModelFiles.CONFIG), ModelFiles.json().writeValueAsBytes(root));
    try (NDManager m = NDManager.newBaseManager()) {
      UNet net = new UNet(new UNetConfig(1, 2, 4));
      net.initialize(m, DataType.FLOAT32, new Shape(1, 1, 4, 4));
      net.initializeWeights(5);
      ModelFiles.saveModel(run.resolve(ModelFiles.MODEL), net);
    }
    return run;
  }
}
