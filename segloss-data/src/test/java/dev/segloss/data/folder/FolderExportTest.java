package dev.segloss.data.folder;

import static dev.segloss.data.Messages.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segloss.core.io.Images;
import dev.segloss.data.DataSpec;
import dev.segloss.data.Datasets;
import dev.segloss.data.LoadOptions;
import dev.segloss.data.Sample;
import dev.segloss.data.SegDataset;
import dev.segloss.data.Split;
import dev.segloss.data.nifti.NiftiHeader;
import dev.segloss.data.nifti.NiftiTestWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FolderExportTest {
  @TempDir Path dir;
  final LoadOptions opts = LoadOptions.builder().threads(1).build();

  /** Largest difference of two images in units of the exported 16-bit step (the image's range / 65535). */
  static double steps(Sample a, Sample b) {
    float lo = Float.POSITIVE_INFINITY;
    float hi = Float.NEGATIVE_INFINITY;
    for (float v : a.image()) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    double step = (hi - lo) / 65535.0;
    double worst = 0;
    for (int i = 0; i < a.image().length; i++) worst = Math.max(worst, Math.abs(a.image()[i] - b.image()[i]));
    return worst / step;
  }

  /** Exported, then loaded back with {@code --data DIR}: the same parts, names, sizes and masks; images within the quantisation. */
  static void assertRoundTrip(SegDataset a, SegDataset b, double maxSteps) {
    assertEquals(a.height(), b.height());
    assertEquals(a.width(), b.width());
    for (Split s : Split.values()) {
      List<Sample> x = a.split(s);
      List<Sample> y = b.split(s);
      assertEquals(x.size(), y.size(), s.label());
      for (int i = 0; i < x.size(); i++) {
        assertEquals(s.label() + "/" + FolderExport.fileName(x.get(i).name(), s), y.get(i).name());
        assertArrayEquals(x.get(i).mask(), y.get(i).mask(), y.get(i).name());
        double d = steps(x.get(i), y.get(i));
        assertTrue(d <= maxSteps, y.get(i).name() + ": " + d + " steps");
      }
    }
  }

  @Test
  void syntheticRoundTrip() throws IOException {
    SegDataset a = Datasets.load("synthetic:n=40,size=40", opts); // 40: loading pads to 48
    Path out = dir.resolve("exported/data"); // parents are created
    FolderExport.Summary s = FolderExport.export(DataSpec.parse("synthetic:n=40,size=40"), out, "--out", opts).summary();
    assertEquals(40, s.total());
    assertEquals(a.train().size(), s.counts().get(Split.TRAIN));
    SegDataset b = Datasets.load(out.toString(), opts);
    // clipping and z-score are invariant to the linear 16-bit map: back within the quantisation
    assertRoundTrip(a, b, 4);
    assertEquals(40, Images.read(out.resolve("train/images/synthetic-0000.png")).height(), "exported before padding");
    String manifest = Files.readString(out.resolve(FolderExport.MANIFEST));
    assertTrue(manifest.contains("\"source\": \"" + a.spec() + "\""), manifest);
    assertTrue(manifest.contains("\"counts\": {\"train\": 28, \"val\": 6, \"test\": 6}"), manifest);
    try (Stream<Path> l = Files.list(dir.resolve("exported"))) {
      assertEquals(List.of(out), l.toList(), "no temporary folder left");
    }
  }

  @Test
  void folderSourceRoundTripAndMinmax() throws IOException {
    SegDataset a = Datasets.load("synthetic:n=20,size=32,norm=minmax", opts);
    Path out = dir.resolve("a");
    FolderExport.export(DataSpec.parse("synthetic:n=20,size=32,norm=minmax"), out, "--out", opts);
    SegDataset b = Datasets.load("folder:path=" + out + ",norm=minmax", opts);
    assertRoundTrip(a, b, 4);
    // and again from the exported folder: a folder source exports the same files
    Path again = dir.resolve("b");
    FolderExport.export(DataSpec.parse(out.toString()), again, "--out", opts);
    for (Split s : Split.values()) {
      for (Sample x : b.split(s)) {
        String f = s.label() + "/images/" + FolderExport.fileName(x.name(), s) + ".png";
        assertArrayEquals(Files.readAllBytes(out.resolve(f)), Files.readAllBytes(again.resolve(f)), f);
      }
    }
  }

  /** NIfTI slices are normalised over the volume: back per slice, so equal up to a linear map per slice; masks exact. */
  @Test
  void niftiSlicesRoundTrip() throws IOException {
    int nx = 16, ny = 16, nz = 24;
    double[] head = new double[nx * ny * nz];
    double[] lab = new double[head.length];
    Random r = new Random(3);
    for (int k = 0; k < nz; k++) {
      for (int j = 0; j < ny; j++) {
        for (int i = 0; i < nx; i++) {
          int p = i + nx * (j + ny * k);
          double e = Math.pow((i - 7.5) / 7, 2) + Math.pow((j - 7.5) / 7, 2) + Math.pow((k - 11.5) / 11, 2);
          head[p] = e <= 1 ? 100 + 5 * r.nextGaussian() : Math.abs(2 * r.nextGaussian());
          if (Math.pow(i - 8, 2) + Math.pow(j - 8, 2) + Math.pow(k - 12, 2) <= 9) lab[p] = 37;
        }
      }
    }
    Path image = new NiftiTestWriter().dims(nx, ny, nz).write(dir.resolve("head.nii"), head);
    Path labels = new NiftiTestWriter().dims(nx, ny, nz).datatype(NiftiHeader.DT_UINT8).write(dir.resolve("lab.nii.gz"), lab);
    LoadOptions o = LoadOptions.builder().threads(1).sizeMultiple(8).build();
    String spec = "nifti:image=" + image + ",labels=" + labels + ",label=37,empty_ratio=all,size=full";
    // what the export holds: the raw slices (norm=none), unpadded
    SegDataset a = Datasets.load(spec + ",norm=none", o.toBuilder().sizeMultiple(1).build());
    Path out = dir.resolve("slices");
    FolderExport.export(DataSpec.parse(spec), out, "--out", o);
    assertTrue(Files.isRegularFile(out.resolve("train/images/head_axial_012.png")) || a.train().stream().noneMatch(x -> x.slice() == 12));
    SegDataset b = Datasets.load(out.toString(), o.toBuilder().sizeMultiple(1).build());
    for (Split s : Split.values()) {
      for (int n = 0; n < a.split(s).size(); n++) {
        Sample x = a.split(s).get(n);
        Sample y = b.split(s).get(n);
        assertEquals(s.label() + "/" + x.name().replace(':', '_'), y.name());
        assertArrayEquals(x.mask(), y.mask());
        assertTrue(correlation(x.image(), y.image()) > 0.9999, y.name());
      }
    }
  }

  static double correlation(float[] a, float[] b) {
    double ma = 0, mb = 0;
    for (int i = 0; i < a.length; i++) {
      ma += a[i];
      mb += b[i];
    }
    ma /= a.length;
    mb /= b.length;
    double sab = 0, saa = 0, sbb = 0;
    for (int i = 0; i < a.length; i++) {
      sab += (a[i] - ma) * (b[i] - mb);
      saa += (a[i] - ma) * (a[i] - ma);
      sbb += (b[i] - mb) * (b[i] - mb);
    }
    return sab / Math.sqrt(saa * sbb);
  }

  @Test
  void neverWritesIntoAFolderThatHoldsSomething() throws IOException {
    SegDataset a = Datasets.load("synthetic:n=10,size=16", opts);
    Path full = Files.createDirectory(dir.resolve("full"));
    Files.writeString(full.resolve("mine.txt"), "keep me");
    assertMessage(() -> FolderExport.write(a, "src", full, "--out", opts), "--out " + full + ": folder exists and is not empty");
    assertMessage(() -> FolderExport.export(DataSpec.parse("synthetic:n=10"), full, "--out", opts), "folder exists and is not empty");
    assertEquals("keep me", Files.readString(full.resolve("mine.txt")));
    Path file = Files.writeString(dir.resolve("file"), "x");
    assertMessage(() -> FolderExport.write(a, "src", file, "--out", opts), "exists and is not a folder");
    Path empty = Files.createDirectory(dir.resolve("empty"));
    FolderExport.write(a, "src", empty, "--out", opts);
    assertTrue(Files.isDirectory(empty.resolve("train/masks")));
  }

  /** A failure part-way (two names that become one file name) leaves nothing behind, not even the created parents. */
  @Test
  void aFailureLeavesNothing() {
    float[] img = new float[16 * 16];
    float[] mask = new float[img.length];
    Sample p = new Sample("a:b", 16, 16, img, mask, -1);
    Sample q = new Sample("a_b", 16, 16, img.clone(), mask.clone(), -1);
    SegDataset d = SegDataset.of("test", 16, 16, List.of(p, q), List.of(), List.of(), List.of(), List.of(), opts);
    Path out = dir.resolve("new/parent/out");
    assertMessage(() -> FolderExport.write(d, "test", out, "--out", opts), "samples 'a:b' and 'a_b' would both be written as a_b.png");
    assertFalse(Files.exists(dir.resolve("new")));
  }

  @Test
  void fileNames() {
    assertEquals("T1_axial_093", FolderExport.fileName("T1:axial:093", Split.TRAIN));
    assertEquals("case7", FolderExport.fileName("val/case7", Split.VAL));
    assertEquals("train_case7", FolderExport.fileName("train/case7", Split.VAL));
    assertEquals("_.hidden", FolderExport.fileName(".hidden", Split.TEST));
    assertEquals("\"a\\\"b\\\\c\\u0001\"", FolderExport.json("a\"b\\c\u0001"));
  }
}
