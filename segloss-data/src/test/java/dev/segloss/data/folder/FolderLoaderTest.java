package dev.segloss.data.folder;

import static dev.segloss.data.Messages.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segloss.core.InvalidInputException;
import dev.segloss.data.Datasets;
import dev.segloss.data.LoadOptions;
import dev.segloss.data.Sample;
import dev.segloss.data.SegDataset;
import dev.segloss.data.Split;
import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Folder data sets made of tiny files written by the test. */
class FolderLoaderTest {
  @TempDir Path dir;
  final LoadOptions opts = LoadOptions.builder().sizeMultiple(8).build();
  final Random rnd = new Random(5);

  /** A w x h gray image with a bright square where the mask is set. */
  static int[] pixels(int h, int w, int max, Random r) {
    int[] p = new int[h * w];
    for (int i = 0; i < p.length; i++) p[i] = r.nextInt(max / 4 + 1);
    return p;
  }

  /** Mask with a square of side s at (y, x); value v. */
  static int[] square(int h, int w, int y0, int x0, int s, int v) {
    int[] m = new int[h * w];
    for (int y = y0; y < Math.min(h, y0 + s); y++) for (int x = x0; x < Math.min(w, x0 + s); x++) m[y * w + x] = v;
    return m;
  }

  static void write(Path file, int[] values, int h, int w, int type) throws Exception {
    Files.createDirectories(file.getParent());
    BufferedImage img = new BufferedImage(w, h, type);
    WritableRaster r = img.getRaster();
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int v = values[y * w + x];
        if (type == BufferedImage.TYPE_INT_RGB || type == BufferedImage.TYPE_3BYTE_BGR) {
          r.setPixel(x, y, new int[] {v, v / 2, v / 3}); // black stays black
        } else {
          r.setSample(x, y, 0, v);
        }
      }
    }
    String name = file.getFileName().toString();
    String ext = name.substring(name.lastIndexOf('.') + 1);
    String fmt = ext.equals("jpg") ? "jpeg" : ext.equals("tif") ? "tiff" : ext;
    assertTrue(ImageIO.write(img, fmt, file.toFile()), "no writer for " + fmt);
  }

  /** Writes a pair; returns the number of foreground pixels of the mask. */
  int pair(Path images, Path masks, String stem, String imgExt, int imgType, String maskExt, int maskType, int h, int w,
      int maskValue) throws Exception {
    int max = imgType == BufferedImage.TYPE_USHORT_GRAY ? 65535 : 255;
    write(images.resolve(stem + "." + imgExt), pixels(h, w, max, rnd), h, w, imgType);
    int s = 1 + rnd.nextInt(Math.min(h, w) / 2);
    int[] m = square(h, w, rnd.nextInt(h - s + 1), rnd.nextInt(w - s + 1), s, maskValue);
    write(masks.resolve(stem + "." + maskExt), m, h, w, maskType);
    return s * s;
  }

  @Test
  void flatFolderOfMixedFormatsIsPairedNormalisedAndSplit() throws Exception {
    Path images = dir.resolve("images");
    Path masks = dir.resolve("masks");
    Map<String, Integer> fg = new HashMap<>();
    String[][] kinds = {
      {"png", "gray8", "png"}, {"png", "gray16", "png"}, {"jpg", "rgb", "png"}, {"tif", "gray8", "tif"}, {"bmp", "rgb", "bmp"},
      {"png", "gray8", "png16"}, {"tiff", "gray16", "png"}, {"jpeg", "rgb", "bmp"}
    };
    for (int i = 0; i < 24; i++) {
      String[] k = kinds[i % kinds.length];
      int type = k[1].equals("gray8") ? BufferedImage.TYPE_BYTE_GRAY : k[1].equals("gray16") ? BufferedImage.TYPE_USHORT_GRAY
          : BufferedImage.TYPE_INT_RGB;
      String maskExt = k[2].equals("png16") ? "png" : k[2];
      int maskType = k[2].equals("png16") ? BufferedImage.TYPE_USHORT_GRAY : k[2].equals("bmp") ? BufferedImage.TYPE_INT_RGB
          : BufferedImage.TYPE_BYTE_GRAY;
      String stem = String.format("case%02d", i);
      fg.put(stem, pair(images, masks, stem, k[0], type, maskExt, maskType, 24, 24, k[2].equals("png16") ? 40000 : 255));
    }
    SegDataset d = Datasets.load(dir.toString(), opts);
    assertEquals(24, d.height());
    assertEquals(24, d.width());
    assertEquals(24, d.all().size());
    assertEquals(4, d.val().size());
    assertEquals(4, d.test().size());
    Set<String> names = new HashSet<>();
    for (Sample s : d.all()) {
      assertTrue(names.add(s.name()), "in two parts: " + s.name());
      assertEquals((long) fg.get(s.name()), s.foregroundPixels(), s.name());
      double mean = 0;
      for (float v : s.image()) mean += v;
      assertEquals(0, mean / s.image().length, 1e-4, "z-scored " + s.name());
    }
    assertEquals(fg.keySet(), names);
    // the same seed gives the same split, another seed another one
    SegDataset again = Datasets.load(dir.toString(), opts);
    assertEquals(names(d.test()), names(again.test()));
    SegDataset other = Datasets.load(dir.toString(), opts.toBuilder().seed(99).build());
    assertTrue(!names(d.test()).equals(names(other.test())) || !names(d.val()).equals(names(other.val())));
  }

  static Set<String> names(List<Sample> l) {
    return l.stream().map(Sample::name).collect(Collectors.toSet());
  }

  @Test
  void maskThresholdOnRawValues() throws Exception {
    int h = 8;
    int w = 8;
    int[] m = new int[h * w];
    for (int i = 0; i < m.length; i++) m[i] = (i % 4) * 80; // 0, 80, 160, 240
    for (int i = 0; i < 5; i++) {
      write(dir.resolve("images/a" + i + ".png"), pixels(h, w, 255, rnd), h, w, BufferedImage.TYPE_BYTE_GRAY);
      write(dir.resolve("masks/a" + i + ".png"), m, h, w, BufferedImage.TYPE_BYTE_GRAY);
    }
    assertEquals(48, Datasets.load(dir.toString(), opts).all().get(0).foregroundPixels());
    assertEquals(32, Datasets.load(dir.toString(), opts.toBuilder().maskThreshold(100).build()).all().get(0).foregroundPixels());
    assertEquals(16, Datasets.load(dir.toString(), opts.toBuilder().maskThreshold(200).build()).all().get(0).foregroundPixels());
  }

  @Test
  void predefinedPartsInEitherLayout() throws Exception {
    Path a = dir.resolve("a");
    Path b = dir.resolve("b");
    int[] counts = {6, 2, 3};
    for (Split s : Split.values()) {
      for (int i = 0; i < counts[s.ordinal()]; i++) {
        pair(a.resolve(s.label()).resolve("images"), a.resolve(s.label()).resolve("masks"), "x" + i, "png",
            BufferedImage.TYPE_BYTE_GRAY, "png", BufferedImage.TYPE_BYTE_GRAY, 16, 16, 255);
        pair(b.resolve("images").resolve(s.label()), b.resolve("masks").resolve(s.label()), "x" + i, "png",
            BufferedImage.TYPE_BYTE_GRAY, "png", BufferedImage.TYPE_BYTE_GRAY, 16, 16, 255);
      }
    }
    for (Path root : List.of(a, b)) {
      SegDataset d = Datasets.load(root.toString(), opts);
      assertEquals(6, d.train().size());
      assertEquals(2, d.val().size());
      assertEquals(3, d.test().size());
      assertTrue(d.test().stream().allMatch(s -> s.name().startsWith("test/")), names(d.test()).toString());
      assertTrue(d.warnings().isEmpty(), d.warnings().toString());
      // the parts are the user's: compare keeps them unless --folds deals the 11 images anew
      assertTrue(d.pool().predefined());
      assertEquals(11, d.pool().images().size());
    }
  }

  @Test
  void missingValidationPartIsCarvedFromTraining() throws Exception {
    for (int i = 0; i < 20; i++) {
      pair(dir.resolve("train/images"), dir.resolve("train/masks"), "t" + i, "png", BufferedImage.TYPE_BYTE_GRAY, "png",
          BufferedImage.TYPE_BYTE_GRAY, 16, 16, 255);
    }
    for (int i = 0; i < 4; i++) {
      pair(dir.resolve("test/images"), dir.resolve("test/masks"), "s" + i, "png", BufferedImage.TYPE_BYTE_GRAY, "png",
          BufferedImage.TYPE_BYTE_GRAY, 16, 16, 255);
    }
    SegDataset d = Datasets.load(dir.toString(), opts);
    assertEquals(4, d.test().size());
    assertEquals(4, d.val().size()); // 15 % of 24 images, taken from train/
    assertEquals(16, d.train().size());
    assertTrue(d.val().stream().allMatch(s -> s.name().startsWith("train/")));
    assertTrue(d.warnings().get(0).contains("no val/ folder"), d.warnings().toString());
  }

  @Test
  void imagesOfDifferentSizesAreScaledDownOrPaddedToTheMedian() throws Exception {
    int[][] sizes = {{20, 20}, {24, 30}, {24, 24}, {48, 48}, {16, 40}};
    for (int i = 0; i < sizes.length; i++) {
      int h = sizes[i][0];
      int w = sizes[i][1];
      write(dir.resolve("images/i" + i + ".png"), pixels(h, w, 255, rnd), h, w, BufferedImage.TYPE_BYTE_GRAY);
      // mask: the full image is foreground, so scaling and padding show in the counts
      int[] m = new int[h * w];
      java.util.Arrays.fill(m, 255);
      write(dir.resolve("masks/i" + i + ".png"), m, h, w, BufferedImage.TYPE_BYTE_GRAY);
    }
    SegDataset d = Datasets.load(dir.toString(), opts);
    // median height 24, median width 30 -> 24 x 32 with the multiple 8
    assertEquals(24, d.height());
    assertEquals(32, d.width());
    Map<String, Long> fg = d.all().stream().collect(Collectors.toMap(Sample::name, Sample::foregroundPixels));
    assertEquals(400L, fg.get("i0")); // padded, not scaled
    assertEquals(720L, fg.get("i1"));
    assertEquals(24L * 24, fg.get("i3")); // 48x48 scaled by 1/2
    assertEquals(13L * 32, fg.get("i4")); // 16x40 scaled by 0.8 -> 12.8 x 32, rounded to 13 x 32
    assertTrue(d.warnings().stream().anyMatch(w -> w.startsWith("2 image(s) larger than 24x32 were scaled down")), d.warnings().toString());
  }

  @Test
  void badFilesAreNamedOrSkippedAndListed() throws Exception {
    for (int i = 0; i < 6; i++) {
      pair(dir.resolve("images"), dir.resolve("masks"), "ok" + i, "png", BufferedImage.TYPE_BYTE_GRAY, "png",
          BufferedImage.TYPE_BYTE_GRAY, 16, 16, 255);
    }
    Files.write(dir.resolve("images/broken.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3, 4, 5});
    write(dir.resolve("masks/broken.png"), new int[256], 16, 16, BufferedImage.TYPE_BYTE_GRAY);
    assertMessage(() -> Datasets.load(dir.toString(), opts), "broken.png");

    LoadOptions skip = opts.toBuilder().skipBad(true).build();
    SegDataset d = Datasets.load(dir.toString(), skip);
    assertEquals(6, d.all().size());
    assertEquals(1, d.skipped().size());
    assertTrue(d.skipped().get(0).contains("images/broken.png"), d.skipped().toString());

    Files.delete(dir.resolve("images/broken.png"));
    Files.delete(dir.resolve("masks/broken.png"));
    write(dir.resolve("images/big.png"), pixels(16, 16, 255, rnd), 16, 16, BufferedImage.TYPE_BYTE_GRAY);
    write(dir.resolve("masks/big.png"), new int[16 * 18], 16, 18, BufferedImage.TYPE_BYTE_GRAY);
    assertMessage(() -> Datasets.load(dir.toString(), opts), "is 16x16 but its mask");
    assertEquals(1, Datasets.load(dir.toString(), skip).skipped().size());

    Files.delete(dir.resolve("masks/big.png"));
    assertMessage(() -> Datasets.load(dir.toString(), opts), "1 image(s) in " + dir.resolve("images") + " without a mask: big.png");
    SegDataset s = Datasets.load(dir.toString(), skip);
    assertEquals(6, s.all().size());
    assertTrue(s.skipped().get(0).contains("big.png: no mask with this stem"), s.skipped().toString());
  }

  @Test
  void masksNamedWithASuffixGetAHintThatPairsThem() throws Exception {
    for (int i = 0; i < 4; i++) {
      pair(dir.resolve("images"), dir.resolve("masks"), "c" + i, "png", BufferedImage.TYPE_BYTE_GRAY, "png",
          BufferedImage.TYPE_BYTE_GRAY, 16, 16, 255);
      Files.move(dir.resolve("masks/c" + i + ".png"), dir.resolve("masks/c" + i + "_seg.png"));
    }
    assertMessage(() -> Datasets.load(dir.toString(), opts),
        "the masks look like <image stem>_seg: pair them with --data folder:path=" + dir + ",mask_suffix=_seg");
    // with the option the folder loads, and no hint is given for names that share no suffix
    assertEquals(4, Datasets.load("folder:path=" + dir + ",mask_suffix=_seg", opts).all().size());
    Files.move(dir.resolve("masks/c0_seg.png"), dir.resolve("masks/zzz.png"));
    Files.move(dir.resolve("masks/c1_seg.png"), dir.resolve("masks/yyy.png"));
    Files.move(dir.resolve("masks/c2_seg.png"), dir.resolve("masks/c2-x.png"));
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> Datasets.load(dir.toString(), opts));
    assertFalse(e.getMessage().contains("mask_suffix"), e.getMessage());
  }

  @Test
  void missingFoldersAndNoPairs() throws Exception {
    assertMessage(() -> Datasets.load(dir.resolve("nothing").toString(), opts), "no such directory");
    Files.createDirectories(dir.resolve("stuff"));
    assertMessage(() -> Datasets.load(dir.toString(), opts), "expected sub-folders images/ and masks/");
    Files.createDirectories(dir.resolve("images"));
    Files.createDirectories(dir.resolve("masks"));
    assertMessage(() -> Datasets.load(dir.toString(), opts), "no files with an accepted extension");
  }

  @Test
  void allEmptyMasksWarnThatDiceIsUndefined() throws Exception {
    for (int i = 0; i < 5; i++) {
      write(dir.resolve("images/e" + i + ".png"), pixels(8, 8, 255, rnd), 8, 8, BufferedImage.TYPE_BYTE_GRAY);
      write(dir.resolve("masks/e" + i + "_mask.png"), new int[64], 8, 8, BufferedImage.TYPE_BYTE_GRAY);
    }
    SegDataset d = Datasets.load("folder:path=" + dir + ",mask_suffix=_mask", opts);
    assertEquals(5, d.all().size());
    String w = String.join(" | ", d.warnings());
    assertTrue(w.contains("every mask is empty") && w.contains("Dice is undefined") && w.contains("policy 'nan'"), w);
    SegDataset z = Datasets.load("folder:path=" + dir + ",mask_suffix=_mask", opts.toBuilder().emptyPolicy("zero").build());
    assertTrue(String.join(" ", z.warnings()).contains("policy 'zero'"));
  }

  @Test
  void masksThatAreForegroundEverywhereWarnAboutTheThreshold() throws Exception {
    // 16-bit masks whose background is 1000 and foreground 40000: with the default threshold 0 all is foreground
    for (int i = 0; i < 5; i++) {
      int[] m = new int[64];
      for (int k = 0; k < 64; k++) m[k] = k % 8 < 2 ? 40000 : 1000;
      write(dir.resolve("images/f" + i + ".png"), pixels(8, 8, 255, rnd), 8, 8, BufferedImage.TYPE_BYTE_GRAY);
      write(dir.resolve("masks/f" + i + ".png"), m, 8, 8, BufferedImage.TYPE_USHORT_GRAY);
    }
    SegDataset d = Datasets.load(dir.toString(), opts);
    assertEquals(1.0, d.foregroundFraction(Split.TRAIN));
    String w = String.join(" | ", d.warnings());
    assertTrue(w.contains("every pixel of every mask is foreground") && w.contains("check --mask-threshold") && w.contains(", 0 here"), w);
    SegDataset t = Datasets.load(dir.toString(), opts.toBuilder().maskThreshold(30000).build());
    assertEquals(0.25, t.foregroundFraction(Split.TRAIN), 1e-12);
    assertTrue(t.warnings().stream().noneMatch(x -> x.contains("foreground: the model")), t.warnings().toString());
  }

  @Test
  void jpegMasksAreFlaggedAsLossy() throws Exception {
    for (int i = 0; i < 4; i++) {
      pair(dir.resolve("images"), dir.resolve("masks"), "j" + i, "png", BufferedImage.TYPE_BYTE_GRAY, "jpg",
          BufferedImage.TYPE_BYTE_GRAY, 16, 16, 255);
    }
    SegDataset d = Datasets.load(dir.toString(), opts);
    assertTrue(d.warnings().stream().anyMatch(w -> w.startsWith("4 mask(s) are JPEG")), d.warnings().toString());
    SegDataset t = Datasets.load(dir.toString(), opts.toBuilder().maskThreshold(127).build());
    assertTrue(t.warnings().stream().noneMatch(w -> w.contains("JPEG")), t.warnings().toString());
  }

  @Test
  void refusesWhatDoesNotFitInMemory() throws Exception {
    for (int i = 0; i < 3; i++) {
      pair(dir.resolve("images"), dir.resolve("masks"), "m" + i, "png", BufferedImage.TYPE_BYTE_GRAY, "png",
          BufferedImage.TYPE_BYTE_GRAY, 64, 64, 255);
    }
    assertMessage(() -> Datasets.load(dir.toString(), opts.toBuilder().memoryBudget(10_000).build()),
        "3 image/mask pairs at 64x64 (image + mask, float32) needs about");
  }
}
