package dev.segloss.data.synthetic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segloss.data.DataSpec;
import dev.segloss.data.Datasets;
import dev.segloss.data.LoadOptions;
import dev.segloss.data.Sample;
import dev.segloss.data.SegDataset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SyntheticGeneratorTest {

  private static DataSpec.Synthetic spec(String text) {
    return (DataSpec.Synthetic) DataSpec.parse(text);
  }

  @Test
  void sameSeedSameImagesWhateverTheThreads() {
    DataSpec.Synthetic s = spec("synthetic:n=24,size=64,seed=11");
    List<Sample> a = new SyntheticGenerator(s).generate(1);
    List<Sample> b = new SyntheticGenerator(s).generate(2);
    assertEquals(24, a.size());
    for (int i = 0; i < a.size(); i++) {
      assertEquals(a.get(i).name(), b.get(i).name());
      assertArrayEquals(a.get(i).image(), b.get(i).image(), "image " + i);
      assertArrayEquals(a.get(i).mask(), b.get(i).mask(), "mask " + i);
    }
    // a single image is generated on its own exactly as within the set
    Sample five = new SyntheticGenerator(s).image(5);
    assertArrayEquals(a.get(5).image(), five.image());
  }

  @Test
  void anotherSeedOtherImages() {
    Sample a = new SyntheticGenerator(spec("synthetic:n=10,size=64,seed=1")).image(3);
    Sample b = new SyntheticGenerator(spec("synthetic:n=10,size=64,seed=2")).image(3);
    assertFalse(Arrays.equals(a.image(), b.image()));
  }

  /** The realised mean foreground fraction (mask pixels, not the plan) is within 15 % of the request. */
  @ParameterizedTest
  @CsvSource({
    "synthetic, 0.02",
    "'synthetic:fg=0.05,n=200,size=64,seed=3', 0.05",
    "'synthetic:fg=0.005,n=300,size=96,seed=4', 0.005",
    "'synthetic:fg=0.15,n=120,size=64,seed=5,empty=0.3', 0.15",
  })
  void foregroundFractionOnTarget(String text, double fg) {
    DataSpec.Synthetic s = spec(text);
    List<Sample> all = new SyntheticGenerator(s).generate(2);
    double mean = all.stream().mapToDouble(Sample::foregroundFraction).average().orElseThrow();
    assertEquals(fg, mean, 0.15 * fg, "mean foreground fraction of " + text);
    double planned = Arrays.stream(new SyntheticGenerator(s).plan()).average().orElseThrow();
    assertEquals(fg, planned, 1e-5 * fg);
  }

  @ParameterizedTest
  @CsvSource({"0.15, 400", "0.0, 50", "0.5, 64"})
  void shareOfEmptyImagesIsExact(double empty, int n) {
    DataSpec.Synthetic s = spec("synthetic:size=32,fg=0.02,n=" + n + ",empty=" + empty);
    List<Sample> all = new SyntheticGenerator(s).generate(2);
    long none = all.stream().filter(Sample::isEmpty).count();
    assertEquals(Math.round(n * empty), none);
  }

  /** Small lesions and large blobs, round and elongated shapes, one to many objects per image. */
  @Test
  void objectsVaryInSizeShapeAndCount() {
    List<Sample> all = new SyntheticGenerator(DataSpec.Synthetic.defaults()).generate(2);
    List<Integer> areas = new ArrayList<>();
    int elongated = 0;
    int round = 0;
    int maxCount = 0;
    int single = 0;
    for (Sample x : all) {
      List<int[]> comps = Masks.components(x.mask(), x.height(), x.width());
      maxCount = Math.max(maxCount, comps.size());
      if (comps.size() == 1) single++;
      for (int[] c : comps) {
        areas.add(c.length);
        if (c.length >= 20) {
          double e = Masks.elongation(c, x.width());
          if (e > 25) elongated++;
          if (e < 1.5) round++;
        }
      }
    }
    areas.sort(null);
    int p10 = areas.get(areas.size() / 10);
    int p90 = areas.get(areas.size() * 9 / 10);
    assertTrue(areas.get(0) <= 10, "smallest object " + areas.get(0));
    assertTrue(areas.get(areas.size() - 1) >= 1500, "largest object " + areas.get(areas.size() - 1));
    assertTrue(p90 >= 10 * p10, "p10 " + p10 + " p90 " + p90);
    assertTrue(elongated >= 20, "elongated objects: " + elongated);
    assertTrue(round >= 20, "round objects: " + round);
    assertTrue(maxCount >= 6, "most objects in one image: " + maxCount);
    assertTrue(single >= 40, "images with a single object: " + single);
  }

  /**
   * Hard but learnable: no global intensity threshold segments it (Dice of the best threshold &lt; 0.5),
   * yet nearly every object is brighter than its immediate surroundings.
   */
  @Test
  void hardButLearnable() {
    List<Sample> all = new SyntheticGenerator(spec("synthetic:n=120")).generate(2);
    double bestDice = 0;
    for (double t = -1; t <= 4; t += 0.1) {
      long tp = 0;
      long fp = 0;
      long fn = 0;
      for (Sample x : all) {
        for (int p = 0; p < x.image().length; p++) {
          boolean pred = x.image()[p] >= t;
          boolean truth = x.mask()[p] > 0.5f;
          if (pred && truth) tp++;
          else if (pred) fp++;
          else if (truth) fn++;
        }
      }
      bestDice = Math.max(bestDice, 2.0 * tp / (2.0 * tp + fp + fn));
    }
    assertTrue(bestDice < 0.5, "a global threshold reaches Dice " + bestDice);
    assertTrue(bestDice > 0.05, "foreground is not brighter at all: Dice " + bestDice);

    int objects = 0;
    int brighter = 0;
    for (Sample x : all) {
      int w = x.width();
      int h = x.height();
      for (int[] c : Masks.components(x.mask(), h, w)) {
        boolean[] ring = new boolean[w * h];
        for (int p : c) {
          for (int dy = -5; dy <= 5; dy++) {
            for (int dx = -5; dx <= 5; dx++) {
              int y = p / w + dy;
              int xx = p % w + dx;
              if (y >= 0 && y < h && xx >= 0 && xx < w && dx * dx + dy * dy >= 4 && x.mask()[y * w + xx] < 0.5f) ring[y * w + xx] = true;
            }
          }
        }
        double in = 0;
        for (int p : c) in += x.image()[p];
        double out = 0;
        int nOut = 0;
        for (int p = 0; p < ring.length; p++) {
          if (ring[p]) {
            out += x.image()[p];
            nOut++;
          }
        }
        objects++;
        if (in / c.length > out / nOut) brighter++;
      }
    }
    assertTrue(brighter >= 0.97 * objects, brighter + " of " + objects + " objects are brighter than their surroundings");
  }

  @Test
  void zscoreNormalisedPerImage() {
    Sample x = new SyntheticGenerator(spec("synthetic:n=5,size=64")).image(2);
    float[] v = x.image();
    double lo = Double.MAX_VALUE;
    double hi = -Double.MAX_VALUE;
    double sum = 0;
    for (float f : v) {
      sum += f;
      lo = Math.min(lo, f);
      hi = Math.max(hi, f);
    }
    double mean = sum / v.length;
    double ss = 0;
    for (float f : v) ss += (f - mean) * (f - mean);
    assertEquals(0, mean, 1e-4);
    assertEquals(1, Math.sqrt(ss / v.length), 1e-4);
    assertTrue(hi < 4.5 && lo > -4.5, "clipped to the 0.5..99.5 percentiles: " + lo + ".." + hi);

    Sample m = new SyntheticGenerator(spec("synthetic:n=5,size=64,norm=minmax")).image(2);
    float mn = Float.MAX_VALUE;
    float mx = -Float.MAX_VALUE;
    for (float f : m.image()) {
      mn = Math.min(mn, f);
      mx = Math.max(mx, f);
    }
    assertEquals(0f, mn, 1e-6f);
    assertEquals(1f, mx, 1e-6f);
    assertArrayEquals(x.mask(), m.mask());
  }

  @Test
  void loadSplitsWithoutLeakageAndPadsToTheMultiple() {
    SegDataset d = Datasets.load("synthetic:n=40,size=40", LoadOptions.builder().seed(3).build());
    assertEquals(48, d.height());
    assertEquals(48, d.width());
    assertEquals(28 + 6 + 6, d.all().size());
    assertEquals(6, d.val().size());
    assertEquals(6, d.test().size());
    java.util.Set<String> names = new java.util.HashSet<>();
    for (Sample s : d.all()) assertTrue(names.add(s.name()), "in two splits: " + s.name());
    assertEquals(40, names.size());
    // padding keeps the mask and the image's pixels, adding background only
    Sample s = d.all().get(0);
    Sample orig = new SyntheticGenerator(spec("synthetic:n=40,size=40")).image(Integer.parseInt(s.name().substring(10)));
    assertEquals(orig.foregroundPixels(), s.foregroundPixels());
    assertEquals(orig.image()[0], s.image()[4 * 48 + 4]);
  }
}
