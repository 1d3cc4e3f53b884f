package dev.segloss.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SplitsTest {
  /** (n, empty images, val, test, expected train/val/test). */
  @ParameterizedTest
  @CsvSource({
    "400, 60, 0.15, 0.15, 280, 60, 60",
    "10, 0, 0.15, 0.15, 6, 2, 2",
    "3, 1, 0.15, 0.15, 1, 1, 1",
    "20, 5, 0.0, 0.25, 15, 0, 5",
    "7, 7, 0.2, 0.2, 5, 1, 1",
    "9, 9, 0.25, 0.25, 5, 2, 2",
  })
  void sizesAndStratification(int n, int empties, double val, double test, int nTrain, int nVal, int nTest) {
    boolean[] empty = new boolean[n];
    for (int i = 0; i < empties; i++) empty[(int) ((long) i * n / empties)] = true;
    assertEquals(empties, count(empty));
    Split[] s = Splits.random(empty, val, test, 42);
    int[] got = new int[3];
    int[] gotEmpty = new int[3];
    for (int i = 0; i < n; i++) {
      got[s[i].ordinal()]++; // every image in exactly one part
      if (empty[i]) gotEmpty[s[i].ordinal()]++;
    }
    assertArrayEquals(new int[] {nTrain, nVal, nTest}, got);
    // stratified: each part's empty count is within one of its proportional share
    for (int p = 0; p < 3; p++) {
      assertEquals(empties * (double) got[p] / n, gotEmpty[p], 1.0, "part " + p + " " + Arrays.toString(gotEmpty));
    }
  }

  @Test
  void deterministicBySeed() {
    boolean[] empty = new boolean[50];
    assertArrayEquals(Splits.random(empty, 0.2, 0.2, 1), Splits.random(empty, 0.2, 0.2, 1));
    assertFalse(Arrays.equals(Splits.random(empty, 0.2, 0.2, 1), Splits.random(empty, 0.2, 0.2, 2)));
  }

  @Test
  void tooFewImages() {
    Messages.assertMessage(() -> Splits.random(new boolean[2], 0.15, 0.15, 0), "2 images are too few");
  }

  @Test
  void memoryEstimatesInHumanUnits() {
    assertEquals("512 B", MemoryCheck.human(512));
    assertEquals("1.5 KiB", MemoryCheck.human(1536));
    assertEquals("50.0 MiB", MemoryCheck.human(MemoryCheck.pairBytes(400, 128, 128)));
    assertEquals("128 GiB", MemoryCheck.human(MemoryCheck.pairBytes(1 << 20, 128, 128)));
    Messages.assertMessage(() -> Datasets.load("synthetic:n=1000000,size=1024", LoadOptions.defaults()),
        "1000000 synthetic images of 1024x1024 (image + mask, float32) needs about 7.6 TiB of memory but only");
    // more than the machine has: no heap advice, the RAM instead
    Messages.assertMessage(() -> Datasets.load("synthetic:n=1000000,size=1024", LoadOptions.defaults()), "of RAM)");
  }

  @Test
  void aSetLargerThanTheHeapButNotThanTheMachineSaysHowToRaiseTheHeap() {
    long heap = Runtime.getRuntime().maxMemory();
    long ram = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize();
    long n = (long) Math.ceil(1.5 * heap / MemoryCheck.pairBytes(1, 1024, 1024));
    assertTrue(MemoryCheck.pairBytes(n, 1024, 1024) / MemoryCheck.HEAP_SHARE + heap < 0.9 * ram, "precondition: heap well below the RAM");
    Messages.assertMessage(() -> Datasets.load("synthetic:n=" + n + ",size=1024", LoadOptions.defaults()),
        "use fewer or smaller images, or give the JVM more heap: SEGLOSS_JAVA_OPTS=-Xmx");
  }

  static int count(boolean[] b) {
    int c = 0;
    for (boolean x : b) if (x) c++;
    return c;
  }
}
