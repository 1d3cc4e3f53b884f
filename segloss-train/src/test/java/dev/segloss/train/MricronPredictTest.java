package dev.segloss.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segloss.data.Datasets;
import dev.segloss.data.LoadOptions;
import dev.segloss.data.Sample;
import dev.segloss.data.SegDataset;
import dev.segloss.data.nifti.MricronFixtures;
import dev.segloss.data.nifti.NiftiHeader;
import dev.segloss.data.nifti.NiftiInput;
import dev.segloss.data.nifti.NiftiReader;
import dev.segloss.data.nifti.NiftiVolume;
import dev.segloss.train.model.UNet;
import dev.segloss.train.model.UNetConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * predict on a real volume from Debian's mricron-data ({@code ch2.nii.gz}, MNI "Colin 27", with the AAL
 * atlas {@code aal.nii.gz}), fetched by {@code scripts/fetch-fixtures.sh}; see segloss-data's {@code
 * MricronFixtureTest} for the reader's golden values on the same files.
 */
@Tag("slow")
class MricronPredictTest {
  static Path templates;

  @BeforeAll
  static void locate() {
    templates = MricronFixtures.templates();
  }

  Path t(String name) {
    return templates.resolve(name);
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
    TrainConfig cfg = TrainConfig.builder().data(spec).loss("bce").depth(2).width(4).batch(8).build();
    OutputFiles.writeBytes(run.resolve("config.json"),
        ModelFiles.json().writeValueAsBytes(java.util.Map.of("train", cfg)));
    try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager()) {
      var net = new UNet(new UNetConfig(1, 2, 4));
      net.initialize(m, ai.djl.ndarray.types.DataType.FLOAT32, new ai.djl.ndarray.types.Shape(1, 1, 4, 4));
      net.initializeWeights(5);
      ModelFiles.saveModel(run.resolve("model.params"), net);
    }
    var s = VolumePredictor.predict(run, NiftiInput.parse("--input", "nifti:image=" + t("ch2.nii.gz")), tmp.resolve("out"),
        new VolumePredictor.Options(Double.NaN, true, false, "cpu"), null);
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
      var net = ModelFiles.loadModel(run.resolve("model.params"), m);
      ref = Inference.probabilities(net, ImageSet.of(hippo), 8, m);
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

}
