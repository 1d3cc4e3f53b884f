package dev.segloss.data;

import static dev.segloss.data.Messages.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segloss.data.nifti.MricronFixtures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Grouped K-fold cross-validation: every image tested once, no group split, no neighbouring slices in two parts. */
class FoldsTest {

  /** {@code n} slices of one volume at positions 0..n-1 in slabs of {@code slab}; slice s has foreground when {@code fg[s]}. */
  static Pool volume(int n, int slab, int gap, boolean[] fg) {
    List<Sample> xs = new ArrayList<>();
    int[] group = new int[n];
    for (int s = 0; s < n; s++) {
      float[] m = new float[4];
      if (fg[s]) m[0] = 1;
      xs.add(new Sample("v:axial:" + s, 2, 2, new float[4], m, s));
      group[s] = s / slab;
    }
    return new Pool(xs, group, new int[n], gap, "slabs of " + slab + " slices", List.of(new Pool.Volume("v", new double[] {1, 1, 1})), false);
  }

  static boolean[] middle(int n, int from, int to) {
    boolean[] fg = new boolean[n];
    for (int s = from; s < to; s++) fg[s] = true;
    return fg;
  }

  /** The properties every fold set must have. */
  static void check(Pool pool, List<Folds.Fold> folds) {
    Map<String, Integer> testedIn = new HashMap<>();
    Map<String, Integer> groupOf = new HashMap<>();
    for (int i = 0; i < pool.images().size(); i++) groupOf.put(pool.images().get(i).name(), pool.group()[i]);
    Map<Integer, Integer> foldOfGroup = new HashMap<>();
    for (Folds.Fold f : folds) {
      for (Sample s : f.test()) {
        assertEquals(null, testedIn.put(s.name(), f.number()), s.name() + " is tested twice");
        Integer prev = foldOfGroup.put(groupOf.get(s.name()), f.number());
        assertTrue(prev == null || prev == f.number(), "group of " + s.name() + " straddles folds " + prev + " and " + f.number());
      }
      Set<String> seen = new HashSet<>();
      for (List<Sample> part : List.of(f.train(), f.val(), f.test())) for (Sample s : part) assertTrue(seen.add(s.name()), s.name() + " in two parts");
      assertTrue(!f.train().isEmpty() && !f.val().isEmpty() && !f.test().isEmpty());
      // neighbouring slices of different parts are more than gap apart
      List<List<Sample>> parts = List.of(f.train(), f.val(), f.test());
      for (int a = 0; a < 3; a++) {
        for (int b = a + 1; b < 3; b++) {
          for (Sample x : parts.get(a)) {
            for (Sample y : parts.get(b)) {
              if (x.slice() >= 0 && y.slice() >= 0) {
                assertTrue(Math.abs(x.slice() - y.slice()) > pool.gap(), "fold " + f.number() + ": " + x.name() + " and " + y.name());
              }
            }
          }
        }
      }
      // validation is the next fold's test set (before the gap), training the rest
      int n = pool.images().size();
      assertEquals(n, f.train().size() + f.val().size() + f.test().size() + f.dropped());
    }
    assertEquals(pool.images().size(), testedIn.size(), "every image is tested exactly once");
  }

  @Test
  void slabsOfAVolume() {
    Pool pool = volume(60, 4, 1, middle(60, 12, 52));
    List<Folds.Fold> folds = Folds.of(pool, 5, 7);
    assertEquals(5, folds.size());
    check(pool, folds);
    // stratified: the 40 foreground slices (10 slabs) give each test fold 8 (2 slabs)
    for (Folds.Fold f : folds) assertEquals(8, f.test().stream().filter(s -> !s.isEmpty()).count(), "fold " + f.number());
    // fold f validates on fold f+1's test slices, less those next to its own test slices
    for (int f = 0; f < 5; f++) {
      Set<String> next = new HashSet<>();
      for (Sample s : folds.get((f + 1) % 5).test()) next.add(s.name());
      for (Sample s : folds.get(f).val()) assertTrue(next.contains(s.name()));
    }
    // the same seed deals the same folds; another seed others
    assertEquals(names(folds), names(Folds.of(pool, 5, 7)));
    assertTrue(!names(folds).equals(names(Folds.of(pool, 5, 8))));
  }

  @Property(tries = 200)
  void foldsOfAnyVolume(@ForAll @IntRange(min = 15, max = 120) int n, @ForAll @IntRange(min = 1, max = 6) int slab,
      @ForAll @IntRange(min = 0, max = 2) int gap, @ForAll @IntRange(min = 3, max = 5) int k, @ForAll @IntRange(min = 0, max = 99) int seed) {
    Pool pool = volume(n, slab, gap, middle(n, n / 4, 3 * n / 4));
    // every fold set that is accepted has the properties; a refusal is one line naming --folds, and only
    // happens with few slabs per fold or slabs no thicker than the gap (a deal that empties a fold's training
    // or validation part for thin slabs is dealt again; checked once over 20,000 cases of slab = gap + 1)
    boolean comfortable = pool.groups() >= 3 * k && slab > gap;
    try {
      check(pool, Folds.of(pool, k, seed));
    } catch (dev.segloss.core.InvalidInputException e) {
      assertTrue(e.getMessage().startsWith("--folds " + k + ": ") && !e.getMessage().contains("\n"), e.getMessage());
      assertTrue(!comfortable, "refused " + pool.groups() + " slabs of " + slab + " for " + k + " folds, gap " + gap + ": " + e.getMessage());
    }
  }

  /**
   * Nine slabs of two slices, gap 1, three folds: many deals leave a fold whose every training slab lies
   * between a test and a validation slab (both its slices dropped). CI found seed-dependent refusals here;
   * every seed must now give folds (dealt again where needed), the first deal kept whenever it works.
   */
  @Test
  void thinSlabsAreDealtAgainInsteadOfRefused() {
    Pool pool = volume(18, 2, 1, middle(18, 4, 13));
    int redealt = 0;
    for (int seed = 0; seed < 200; seed++) {
      List<Folds.Fold> folds = Folds.of(pool, 3, seed);
      check(pool, folds);
      // the folds used are the first deal's exactly when the first deal keeps every part non-empty
      int[] used = new int[pool.groups()];
      for (Folds.Fold f : folds) for (Sample s : f.test()) used[pool.group()[pool.images().indexOf(s)]] = f.number() - 1;
      if (!java.util.Arrays.equals(Folds.deal(pool, 3, seed, 0), used)) redealt++;
    }
    assertTrue(redealt > 0 && redealt < 200, "re-dealt for " + redealt + " of 200 seeds");
  }

  /** Two slabs of one slice per fold with a gap of 2: no deal can keep training slices; the refusal says so. */
  @Test
  void impossibleGapIsRefused() {
    Pool pool = volume(6, 1, 2, middle(6, 0, 6));
    assertMessage(() -> Folds.of(pool, 3, 1), "--folds 3: fold 1 has 0 training and 0 validation images left"
        + " (after keeping neighbouring slices apart, in each of 64 deals); use fewer folds");
  }

  @Test
  void independentImagesAreStratifiedOnEmptyMasks() {
    List<Sample> xs = new ArrayList<>();
    for (int i = 0; i < 53; i++) {
      float[] m = new float[4];
      if (i % 4 != 0) m[1] = 1; // 39 with foreground, 14 empty
      xs.add(new Sample("img" + i, 2, 2, new float[4], m, -1));
    }
    Pool pool = Pool.ofImages(xs);
    List<Folds.Fold> folds = Folds.of(pool, 5, 3);
    check(pool, folds);
    for (Folds.Fold f : folds) {
      long fg = f.test().stream().filter(s -> !s.isEmpty()).count();
      assertTrue(fg == 7 || fg == 8, "fold " + f.number() + ": " + fg);
      assertTrue(f.test().size() == 10 || f.test().size() == 11, "fold " + f.number() + ": " + f.test().size());
      assertEquals(0, f.dropped());
    }
  }

  @Test
  void refusals() {
    Pool pool = volume(12, 4, 1, middle(12, 0, 12)); // 3 slabs
    assertMessage(() -> Folds.of(pool, 5, 1), "--folds 5: the data make only 3 groups (slabs of 4 slices), fewer than the folds; use fewer folds");
    assertMessage(() -> Folds.of(pool, 2, 1), "--folds: expected at least 3 folds");
  }

  /** The hippocampus of Colin 27: every kept axial slice (50) tested once, slabs of 4, neighbours apart. */
  @Test
  @Tag("slow")
  void hippocampusFolds() {
    Path t = MricronFixtures.templates();
    SegDataset d = Datasets.load("nifti:image=" + t.resolve("ch2.nii.gz") + ",labels=" + t.resolve("aal.nii.gz") + ",label=37+38",
        LoadOptions.defaults());
    Pool pool = d.pool();
    assertEquals(50, pool.images().size());
    assertEquals("slabs of 4 slices", pool.unit());
    assertEquals(1, pool.volumes().size());
    assertEquals(List.of(1.0, 1.0, 1.0), java.util.Arrays.stream(pool.volumes().get(0).spacing()).boxed().toList());
    // the single split uses a subset of the pool (slices next to another part are left out)
    Set<String> pooled = sampleNames(pool.images());
    assertTrue(pooled.containsAll(sampleNames(d.all())) && d.all().size() < 50, d.all().size() + " of 50");
    List<Folds.Fold> folds = Folds.of(pool, 5, 7);
    check(pool, folds);
    int tested = folds.stream().mapToInt(f -> f.test().size()).sum();
    assertEquals(50, tested);
  }

  static Set<String> sampleNames(List<Sample> xs) {
    Set<String> out = new HashSet<>();
    for (Sample s : xs) out.add(s.name());
    return out;
  }

  static List<List<String>> names(List<Folds.Fold> folds) {
    List<List<String>> out = new ArrayList<>();
    for (Folds.Fold f : folds) out.add(f.test().stream().map(Sample::name).toList());
    return out;
  }
}
