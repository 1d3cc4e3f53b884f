package dev.segloss.data.nifti;

import static dev.segloss.data.Messages.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segloss.data.Datasets;
import dev.segloss.data.LoadOptions;
import dev.segloss.data.Sample;
import dev.segloss.data.SegDataset;
import dev.segloss.data.Split;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
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
 * Golden values computed independently with NumPy from the raw bytes. (predict on ch2: segloss-train's
 * {@code MricronPredictTest}.)
 */
@Tag("slow")
class MricronFixtureTest {
  static Path templates;

  @BeforeAll
  static void locate() {
    templates = MricronFixtures.templates();
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

  @Test
  void refusesAtlasesOnOtherGrids() {
    assertMessage(() -> Datasets.load("nifti:image=" + t("ch2.nii.gz") + ",labels=" + t("HarvardOxford-cort-maxprob-thr0-1mm.nii.gz"),
        LoadOptions.defaults()), "is 181x217x181 voxels but labels");
    // same size, mirrored x axis: the voxel-to-world matrices differ
    assertMessage(() -> Datasets.load("nifti:image=" + t("HarvardOxford-cort-maxprob-thr0-1mm.nii.gz") + ",labels="
        + t("JHU-WhiteMatter-labels-1mm.nii.gz"), LoadOptions.defaults()), "different voxel-to-world matrices");
  }
}
