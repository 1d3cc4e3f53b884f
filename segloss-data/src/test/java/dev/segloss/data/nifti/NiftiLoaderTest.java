package dev.segloss.data.nifti;

import static dev.segloss.data.Messages.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segloss.data.Datasets;
import dev.segloss.data.LoadOptions;
import dev.segloss.data.Sample;
import dev.segloss.data.SegDataset;
import dev.segloss.data.Split;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The NIfTI loader on a phantom written by the test: an ellipsoid "head" with small labelled spheres. */
class NiftiLoaderTest {
  static final int NX = 20;
  static final int NY = 24;
  static final int NZ = 30;
  @TempDir Path dir;
  Path image;
  Path imageGz;
  Path labels;
  double[] head;
  double[] lab;
  final LoadOptions opts = LoadOptions.builder().sizeMultiple(8).build();

  @BeforeEach
  void phantom() throws Exception {
    head = new double[NX * NY * NZ];
    lab = new double[head.length];
    Random r = new Random(1);
    for (int k = 0; k < NZ; k++) {
      for (int j = 0; j < NY; j++) {
        for (int i = 0; i < NX; i++) {
          int p = i + NX * (j + NY * k);
          double e = sq((i - 9.5) / 8) + sq((j - 11.5) / 10) + sq((k - 14.5) / 13);
          head[p] = e <= 1 ? 100 + 5 * r.nextGaussian() : Math.abs(2 * r.nextGaussian());
          if (e <= 1) lab[p] = 5;
          if (sq(i - 10) + sq(j - 12) + sq(k - 10) <= 9) lab[p] = 37;
          if (sq(i - 12) + sq(j - 14) + sq(k - 20) <= 4) lab[p] = 38;
        }
      }
    }
    image = new NiftiTestWriter().dims(NX, NY, NZ).datatype(NiftiHeader.DT_FLOAT32).write(dir.resolve("head.nii"), head);
    imageGz = new NiftiTestWriter().dims(NX, NY, NZ).datatype(NiftiHeader.DT_FLOAT32).write(dir.resolve("head.nii.gz"), head);
    labels = new NiftiTestWriter().dims(NX, NY, NZ).datatype(NiftiHeader.DT_UINT8).write(dir.resolve("labels.nii.gz"), lab);
  }

  static double sq(double x) {
    return x * x;
  }

  String spec(Path img, String extra) {
    return "nifti:image=" + img + ",labels=" + labels + ",label=37+38" + extra;
  }

  long labelled() {
    long n = 0;
    for (double v : lab) if (v == 37 || v == 38) n++;
    return n;
  }

  @Test
  void slicesHoldEveryForegroundVoxelWithoutGap() {
    SegDataset d = Datasets.load(spec(image, ",axis=axial,gap=0"), opts);
    assertEquals(0, d.height() % 8);
    assertEquals(0, d.width() % 8);
    long fg = d.all().stream().mapToLong(Sample::foregroundPixels).sum();
    assertEquals(labelled(), fg);
    // axial = voxel axis k for an identity sform: one sample per slice k, named by it
    Set<Integer> fgSlices = new HashSet<>();
    for (int k = 0; k < NZ; k++) {
      for (int p = NX * NY * k; p < NX * NY * (k + 1); p++) if (lab[p] == 37 || lab[p] == 38) fgSlices.add(k);
    }
    int withFg = 0;
    for (Sample s : d.all()) {
      assertTrue(s.name().endsWith(String.format(":axial:%03d", s.slice())), s.name());
      if (!s.isEmpty()) {
        withFg++;
        assertTrue(fgSlices.contains(s.slice()));
      }
    }
    assertEquals(fgSlices.size(), withFg);
    // empty slices: round(0.25 x foreground slices)
    assertEquals(Math.round(0.25 * fgSlices.size()), d.all().size() - withFg);
  }

  @Test
  void gzAndPlainFilesLoadTheSame() {
    SegDataset a = Datasets.load(spec(image, ""), opts);
    SegDataset b = Datasets.load(spec(imageGz, ""), opts);
    assertEquals(a.all().size(), b.all().size());
    for (int i = 0; i < a.all().size(); i++) {
      assertArrayEquals(a.all().get(i).image(), b.all().get(i).image());
      assertArrayEquals(a.all().get(i).mask(), b.all().get(i).mask());
    }
  }

  /** Neighbouring slices never straddle two parts, and each part is made of a few contiguous slabs. */
  @ParameterizedTest
  @ValueSource(ints = {1, 2})
  void slabsAreContiguousAndSeparatedByTheGap(int gap) {
    for (long seed = 0; seed < 5; seed++) {
      SegDataset d = Datasets.load(spec(image, ",gap=" + gap + ",slab=3,empty_ratio=1"), opts.toBuilder().seed(seed).build());
      assertFalse(d.train().isEmpty());
      assertFalse(d.val().isEmpty());
      assertFalse(d.test().isEmpty());
      List<Sample> all = new ArrayList<>(d.all());
      for (Sample a : d.all()) {
        for (Split s : Split.values()) {
          for (Sample b : d.split(s)) {
            if (d.split(partOf(d, a)) != d.split(s)) {
              assertTrue(Math.abs(a.slice() - b.slice()) > gap, a.name() + " and " + b.name() + " are in different parts");
            }
          }
        }
      }
      all.sort(Comparator.comparingInt(Sample::slice));
      int changes = 0;
      for (int i = 1; i < all.size(); i++) if (partOf(d, all.get(i)) != partOf(d, all.get(i - 1))) changes++;
      int first = all.get(0).slice();
      int last = all.get(all.size() - 1).slice();
      int slabs = (last - first + 1 + 2) / 3 + 1;
      assertTrue(changes >= 2 && changes < slabs, "part changes " + changes + " for " + slabs + " slabs");
      // no leakage: every slice once
      Set<Integer> seen = new HashSet<>();
      for (Sample s : all) assertTrue(seen.add(s.slice()));
    }
  }

  static Split partOf(SegDataset d, Sample s) {
    for (Split p : Split.values()) if (d.split(p).contains(s)) return p;
    throw new AssertionError(s.name());
  }

  @Test
  void emptyRatioControlsSlicesWithoutForeground() {
    SegDataset none = Datasets.load(spec(image, ",empty_ratio=0,gap=0"), opts);
    assertTrue(none.all().stream().noneMatch(Sample::isEmpty));
    SegDataset all = Datasets.load(spec(image, ",empty_ratio=all,gap=0"), opts);
    int area = all.height() * all.width();
    // candidates: slices without foreground showing at least 5 % head
    int expected = 0;
    for (int k = 0; k < NZ; k++) {
      int headPx = 0;
      boolean fg = false;
      for (int p = NX * NY * k; p < NX * NY * (k + 1); p++) {
        if (head[p] > 50) headPx++;
        fg |= lab[p] == 37 || lab[p] == 38;
      }
      if (!fg && headPx >= 0.05 * area) expected++;
    }
    assertEquals(expected, all.all().stream().filter(Sample::isEmpty).count());
  }

  @Test
  void intensityIsNormalisedOverTheHeadAndPaddedWithTheFloor() {
    SegDataset d = Datasets.load(spec(image, ",size=full,empty_ratio=all,gap=0"), opts);
    assertEquals(24, d.height()); // rows: j (24), columns: i (20 -> 24)
    assertEquals(24, d.width());
    double sum = 0;
    int n = 0;
    float floor = Float.MAX_VALUE;
    for (Sample s : d.all()) for (float v : s.image()) floor = Math.min(floor, v);
    for (Sample s : d.all()) {
      for (float v : s.image()) {
        if (v > floor + 1) {
          sum += v;
          n++;
        }
      }
      // columns 20..23 are padding: exactly the floor
      assertEquals(floor, s.image()[5 * 24 + 22]);
    }
    assertEquals(0, sum / n, 0.2, "head voxels are z-scored");
  }

  @Test
  void anatomicalAxesFollowTheOrientationMatrix() throws Exception {
    // voxel axis i runs superior: axial slices are taken along i (NX = 20 slices at most)
    float[][] rot = {{0, 1, 0, 0}, {0, 0, 1, 0}, {1, 0, 0, 0}};
    Path img = new NiftiTestWriter().dims(NX, NY, NZ).sform(rot).write(dir.resolve("rot.nii"), head);
    Path lb = new NiftiTestWriter().dims(NX, NY, NZ).datatype(NiftiHeader.DT_UINT8).sform(rot).write(dir.resolve("rotlab.nii"), lab);
    SegDataset d = Datasets.load("nifti:image=" + img + ",labels=" + lb + ",label=37,axis=axial,gap=0", opts);
    Set<Integer> iWith37 = new HashSet<>();
    for (int p = 0; p < lab.length; p++) if (lab[p] == 37) iWith37.add(p % NX);
    Set<Integer> got = new HashSet<>();
    for (Sample s : d.all()) if (!s.isEmpty()) got.add(s.slice());
    assertEquals(iWith37, got);
    SegDataset k = Datasets.load("nifti:image=" + img + ",labels=" + lb + ",label=37,axis=k,gap=0", opts);
    assertTrue(k.all().stream().allMatch(s -> s.slice() >= 7 && s.slice() <= 13 || s.isEmpty()));
  }

  @Test
  void refusesMismatchedGridsAndMissingLabels() throws Exception {
    Path small = new NiftiTestWriter().dims(NX, NY, NZ - 1).datatype(NiftiHeader.DT_UINT8)
        .write(dir.resolve("small.nii"), new double[NX * NY * (NZ - 1)]);
    assertMessage(() -> Datasets.load("nifti:image=" + image + ",labels=" + small, opts),
        "is 20x24x30 voxels but labels " + small + " are 20x24x29");
    Path shifted = new NiftiTestWriter().dims(NX, NY, NZ).datatype(NiftiHeader.DT_UINT8)
        .sform(new float[][] {{1, 0, 0, 0.5f}, {0, 1, 0, 0}, {0, 0, 1, 0}}).write(dir.resolve("shifted.nii"), lab);
    assertMessage(() -> Datasets.load("nifti:image=" + image + ",labels=" + shifted, opts),
        "different voxel-to-world matrices");
    // a tolerance that covers the shift accepts it
    assertFalse(Datasets.load("nifti:image=" + image + ",labels=" + shifted + ",affine_tol=0.6", opts).all().isEmpty());
    assertMessage(() -> Datasets.load("nifti:image=" + image + ",labels=" + labels + ",label=99", opts),
        "no voxel of labels " + labels + " has label 99; labels present: [5, 37, 38]");
    Path four = new NiftiTestWriter().dims(NX, NY, NZ, 2).write(dir.resolve("four.nii"), new double[2 * head.length]);
    assertMessage(() -> Datasets.load("nifti:image=" + four + ",labels=" + labels, opts), "holds 2 volumes");
  }

  @Test
  void fourDImagesNeedAVolumeIndex() throws Exception {
    double[] two = new double[2 * head.length];
    for (int p = 0; p < head.length; p++) {
      two[p] = 0;
      two[head.length + p] = head[p];
    }
    Path four = new NiftiTestWriter().dims(NX, NY, NZ, 2).write(dir.resolve("four.nii.gz"), two);
    SegDataset d = Datasets.load("nifti:image=" + four + ",labels=" + labels + ",label=37+38,volume=1", opts);
    SegDataset ref = Datasets.load(spec(image, ""), opts);
    assertArrayEquals(ref.all().get(0).image(), d.all().get(0).image());
  }

  @Test
  void refusesWhatDoesNotFitInMemory() {
    assertMessage(() -> Datasets.load(spec(image, ""), opts.toBuilder().memoryBudget(50_000).build()),
        "needs about");
  }
}
