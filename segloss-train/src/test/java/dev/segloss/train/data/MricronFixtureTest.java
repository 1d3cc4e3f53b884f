package dev.segloss.train.data;

import static dev.segloss.train.data.NiftiReaderTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Real volumes from Debian's mricron-data, fetched by {@code scripts/fetch-fixtures.sh} into {@code
 * .fixtures/} (never committed). Fails when the fixture is missing and {@code CI=true}; elsewhere it
 * tells how to fetch it.
 *
 * <p>Files: {@code ch2.nii.gz} (MNI "Colin 27" T1, 181x217x181 uint8, 1 mm, sform code 4) with {@code
 * aal.nii.gz} (AAL atlas on the same grid; labels 37 and 38 are the left and right hippocampus); {@code
 * inia19-t1-brain.nii.gz} (float32, sform only) with {@code inia19-NeuroMaps.nii.gz} (int16, qform and
 * sform, a header extension: vox_offset 32976); {@code HarvardOxford-cort-maxprob-thr0-1mm.nii.gz} and
 * {@code JHU-WhiteMatter-labels-1mm.nii.gz} (both 182x218x182 but mirrored x axes) for the grid checks.
 * Golden values computed independently with NumPy from the raw bytes.
 */
@Tag("slow")
class MricronFixtureTest {
  static Path templates;

  @BeforeAll
  static void locate() {
    Path dir = Path.of("").toAbsolutePath();
    Path found = null;
    for (Path p = dir; p != null; p = p.getParent()) {
      Path t = p.resolve(".fixtures/mricron/usr/share/mricron/templates");
      if (Files.isDirectory(t)) {
        found = t;
        break;
      }
      if (Files.exists(p.resolve("scripts/fetch-fixtures.sh"))) break;
    }
    if (found == null) {
      String msg = "fixture .fixtures/mricron is missing: run scripts/fetch-fixtures.sh";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) fail(msg);
      Assumptions.abort(msg);
    }
    templates = found;
  }

  Path t(String name) {
    return templates.resolve(name);
  }

  @Test
  void readsVoxelsOfEveryKindAsNumPyDoes() {
    NiftiVolume ch2 = NiftiReader.read(t("ch2.nii.gz"), 0);
    assertEquals(33f, ch2.get(90, 108, 90));
    assertEquals(68f, ch2.get(60, 100, 50));
    assertEquals("sform", ch2.header().affineSource());
    assertEquals(-90.0, ch2.header().affine()[0][3]);

    NiftiVolume t1 = NiftiReader.read(t("inia19-t1-brain.nii.gz"), 0);
    assertEquals(NiftiHeader.DT_FLOAT32, t1.header().datatype());
    assertEquals(88.77368927001953f, t1.get(84, 103, 64));
    assertEquals(103.24999237060547f, t1.get(40, 50, 60));
    double sum = 0;
    for (float v : t1.data()) sum += v;
    assertEquals(75356682.64319038, sum, 1e-6 * 75356682.64319038);

    NiftiVolume maps = NiftiReader.read(t("inia19-NeuroMaps.nii.gz"), 0);
    assertEquals(NiftiHeader.DT_INT16, maps.header().datatype());
    assertEquals(1497f, maps.get(84, 103, 64));
    assertEquals(1097f, maps.get(100, 120, 70));
    long nonzero = 0;
    for (float v : maps.data()) if (v != 0) nonzero++;
    assertEquals(801388, nonzero);
  }

  @Test
  void hippocampusSlicesOfColin27() {
    String spec = "nifti:image=" + t("ch2.nii.gz") + ",labels=" + t("aal.nii.gz") + ",label=37+38,axis=axial";
    SegDataset all = Datasets.load(spec + ",gap=0", LoadOptions.defaults());
    // 15075 hippocampus voxels on 40 axial slices (k = 44..83)
    assertEquals(15075, all.all().stream().mapToLong(Sample::foregroundPixels).sum());
    Set<Integer> fg = new HashSet<>();
    for (Sample s : all.all()) if (!s.isEmpty()) fg.add(s.slice());
    assertEquals(40, fg.size());
    assertEquals(44, fg.stream().mapToInt(Integer::intValue).min().orElseThrow());
    assertEquals(83, fg.stream().mapToInt(Integer::intValue).max().orElseThrow());
    assertEquals(10, all.all().stream().filter(Sample::isEmpty).count()); // empty_ratio 0.25 x 40
    assertEquals(0, all.height() % 16);
    assertEquals(0, all.width() % 16);
    assertTrue(all.height() <= 224 && all.width() <= 192, all.height() + "x" + all.width());

    SegDataset d = Datasets.load(spec, LoadOptions.defaults());
    assertFalse(d.val().isEmpty());
    assertFalse(d.test().isEmpty());
    for (Sample a : d.train()) {
      for (Sample b : d.val()) assertTrue(Math.abs(a.slice() - b.slice()) > 1);
      for (Sample b : d.test()) assertTrue(Math.abs(a.slice() - b.slice()) > 1);
    }
    for (Sample a : d.val()) for (Sample b : d.test()) assertTrue(Math.abs(a.slice() - b.slice()) > 1);
    double fgShare = d.foregroundFraction(Split.TRAIN);
    assertTrue(fgShare > 0.002 && fgShare < 0.02, "hippocampus share " + fgShare);
  }

  @Test
  void inia19WithNeuroMapsLoadsOnItsOwnGrid() {
    SegDataset d = Datasets.load("nifti:image=" + t("inia19-t1-brain.nii.gz") + ",labels=" + t("inia19-NeuroMaps.nii.gz")
        + ",label=1497,axis=coronal", LoadOptions.defaults());
    assertFalse(d.train().isEmpty());
    assertTrue(d.all().stream().anyMatch(s -> !s.isEmpty()));
  }

  /**
   * predict on ch2: a seeded U-Net (depth 2) over every axial slice; the mask is on ch2's grid (sform code
   * 4, 1 mm, 181x217x181) and the probabilities at the hippocampus slices equal the same network's on the
   * training loader's slices ({@code size=full}), voxel for voxel.
   */
  @Test
  void predictWritesColin27sGridWithTheLoadersProbabilities(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
    String spec = "nifti:image=" + t("ch2.nii.gz") + ",labels=" + t("aal.nii.gz") + ",label=37+38,axis=axial,size=full,gap=0";
    Path run = tmp.resolve("run");
    Files.createDirectories(run);
    dev.segloss.train.TrainConfig cfg = dev.segloss.train.TrainConfig.builder().data(spec).loss("bce").depth(2).width(4).batch(8).build();
    dev.segloss.train.OutputFiles.writeBytes(run.resolve("config.json"),
        dev.segloss.train.ModelFiles.json().writeValueAsBytes(java.util.Map.of("train", cfg)));
    try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager()) {
      var net = new dev.segloss.train.model.UNet(new dev.segloss.train.model.UNetConfig(1, 2, 4));
      net.initialize(m, ai.djl.ndarray.types.DataType.FLOAT32, new ai.djl.ndarray.types.Shape(1, 1, 4, 4));
      net.initializeWeights(5);
      dev.segloss.train.ModelFiles.saveModel(run.resolve("model.params"), net);
    }
    var s = dev.segloss.train.VolumePredictor.predict(run, NiftiInput.parse("--input", "nifti:image=" + t("ch2.nii.gz")), tmp.resolve("out"),
        new dev.segloss.train.VolumePredictor.Options(Double.NaN, true, false, "cpu"), null);
    assertEquals(181, s.slices());
    NiftiHeader in = NiftiReader.readHeader(t("ch2.nii.gz"));
    NiftiVolume prob = NiftiReader.read(s.probabilities(), 0);
    NiftiVolume mask = NiftiReader.read(s.mask(), 0);
    for (NiftiVolume v : java.util.List.of(prob, mask)) {
      assertEquals(4, v.header().sformCode());
      assertEquals(in.qformCode(), v.header().qformCode());
      org.junit.jupiter.api.Assertions.assertArrayEquals(in.spatialDims(), v.header().spatialDims());
      org.junit.jupiter.api.Assertions.assertArrayEquals(in.affine(), v.header().affine());
    }
    SegDataset d = Datasets.load(spec, LoadOptions.builder().sizeMultiple(4).build());
    java.util.List<Sample> hippo = d.all().stream().filter(x -> !x.isEmpty()).toList();
    float[][] ref;
    try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager()) {
      var net = dev.segloss.train.ModelFiles.loadModel(run.resolve("model.params"), m);
      ref = dev.segloss.train.Inference.probabilities(net, dev.segloss.train.ImageSet.of(hippo), 8, m);
    }
    // axial slices of ch2 (RAS sform): k; rows along j with anterior at the top; columns along i
    int nx = 181, ny = 217;
    double worst = 0;
    for (int n = 0; n < hippo.size(); n++) {
      Sample x = hippo.get(n);
      int top = (x.height() - ny) / 2, left = (x.width() - nx) / 2;
      for (int r = 0; r < ny; r++) {
        for (int c = 0; c < nx; c++) {
          float p = prob.data()[c + nx * ((ny - 1 - r) + ny * x.slice())];
          worst = Math.max(worst, Math.abs(p - ref[n][(r + top) * x.width() + c + left]));
          assertEquals(p >= 0.5f, mask.data()[c + nx * ((ny - 1 - r) + ny * x.slice())] == 1f);
        }
      }
    }
    assertEquals(40, hippo.size());
    assertTrue(worst < 2e-6, "largest probability difference " + worst);
  }

  @Test
  void refusesAtlasesOnOtherGrids() {
    assertMessage(() -> Datasets.load("nifti:image=" + t("ch2.nii.gz") + ",labels=" + t("HarvardOxford-cort-maxprob-thr0-1mm.nii.gz"),
        LoadOptions.defaults()), "is 181x217x181 voxels but labels");
    // same size, mirrored x axis: the voxel-to-world matrices differ
    assertMessage(() -> Datasets.load("nifti:image=" + t("HarvardOxford-cort-maxprob-thr0-1mm.nii.gz") + ",labels="
        + t("JHU-WhiteMatter-labels-1mm.nii.gz"), LoadOptions.defaults()), "different voxel-to-world matrices");
  }
}
