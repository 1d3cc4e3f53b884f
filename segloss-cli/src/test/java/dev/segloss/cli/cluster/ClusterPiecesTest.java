package dev.segloss.cli.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** The engine-free parts of {@code --spark}: slicing, URI recognition, the task device rule. */
class ClusterPiecesTest {
  /** Slices are consecutive, cover every item once in order, and differ in size by at most one. */
  @Property(tries = 200)
  void slicesCoverTheItemsInOrder(@ForAll @IntRange(min = 1, max = 300) int n, @ForAll @IntRange(min = 1, max = 50) int count) {
    List<Integer> items = new ArrayList<>();
    for (int i = 0; i < n; i++) items.add(i);
    List<Slice<Integer>> slices = Slice.cut(items, count);
    assertEquals(Math.min(n, count), slices.size());
    List<Integer> joined = new ArrayList<>();
    int min = Integer.MAX_VALUE;
    int max = 0;
    for (int k = 0; k < slices.size(); k++) {
      Slice<Integer> s = slices.get(k);
      assertEquals(k, s.index());
      assertEquals(joined.size(), s.first());
      joined.addAll(s.items());
      min = Math.min(min, s.items().size());
      max = Math.max(max, s.items().size());
    }
    assertEquals(items, joined);
    assertTrue(min >= 1 && max - min <= 1, min + " .. " + max);
  }

  @Test
  void urisAndPaths() {
    for (String u : new String[] {"hdfs://nn:8020/data/masks", "s3a://bucket/x", "file:///tmp/x", "file:/tmp/x", "abfss://c@a.dfs.core.windows.net/p",
        "viewfs://cluster/x", "gs://b/x"}) {
      assertTrue(Locations.isUri(u), u);
    }
    for (String p : new String[] {"masks", "data/masks/", "/tmp/x", "./a:/b", "a:b", "C:x", "1hdfs://x", ""}) assertFalse(Locations.isUri(p), p);
    assertEquals("b.png", Locations.name("hdfs://nn/a/b.png"));
    assertEquals("a", Locations.name("hdfs://nn/a/"));
    assertEquals("hdfs://nn/a/b.png", Locations.child("hdfs://nn/a/", "b.png"));
    assertEquals("hdfs://nn/a/b.png", Locations.child("hdfs://nn/a", "b.png"));
    assertEquals("case.1", Locations.stem("case.1.png"));
    assertEquals("png", Locations.extension("A.PNG"));
    assertEquals("", Locations.extension(".hidden"));
  }

  /** gpu and auto follow the task's GPU; cpu and an explicit gpu:N are the user's; without GPUs nothing changes. */
  @Test
  void taskDevices() {
    assertEquals("gpu:3", TaskDevices.forTask("gpu", List.of("3", "5")));
    assertEquals("gpu:3", TaskDevices.forTask("auto", List.of("3")));
    assertEquals("cpu", TaskDevices.forTask("cpu", List.of("3")));
    assertEquals("gpu:1", TaskDevices.forTask("gpu:1", List.of("3")));
    assertEquals("gpu", TaskDevices.forTask("gpu", List.of()));
    assertEquals("auto", TaskDevices.forTask("auto", null));
  }
}
