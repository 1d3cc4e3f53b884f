package dev.segloss.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segloss.core.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PairingTest {
  @TempDir Path root;
  Path a;
  Path b;

  @BeforeEach
  void dirs() throws IOException {
    a = Files.createDirectory(root.resolve("truth"));
    b = Files.createDirectory(root.resolve("pred"));
  }

  private void touch(Path dir, String... names) throws IOException {
    for (String n : names) Files.writeString(dir.resolve(n), "x");
  }

  @Test
  void pairsByStemAcrossExtensionsSorted() throws IOException {
    touch(a, "c.png", "a.png", "b.tif", ".hidden.png", "notes.txt");
    touch(b, "b.npy", "a.jpg", "c.PNG", "readme.md");
    Files.createDirectory(a.resolve("sub"));
    List<Pairing.Pair> p = Pairing.pair(a, b);
    assertEquals(3, p.size());
    assertEquals("a", p.get(0).stem());
    assertEquals(a.resolve("a.png"), p.get(0).first());
    assertEquals(b.resolve("a.jpg"), p.get(0).second());
    assertEquals("b", p.get(1).stem());
    assertEquals(b.resolve("b.npy"), p.get(1).second());
    assertEquals("c", p.get(2).stem());
    // a folder named like an image is not passed over silently (issue 9): refused, naming it
    Files.createDirectory(a.resolve("sub.png"));
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> Pairing.of(a, b).labels("--truth", "--pred").pair());
    assertEquals("--truth: " + a.resolve("sub.png") + ": a folder, not a regular file", e.getMessage());
  }

  @Test
  void unpairedFilesAreListedPerSide() throws IOException {
    touch(a, "x.png", "y.png", "z.png");
    touch(b, "x.png", "w.png");
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> Pairing.of(a, b).labels("--truth", "--pred").pair());
    assertEquals("unpaired files (matched by file stem): 2 files in --truth without a partner in --pred: y.png, z.png; "
        + "1 file in --pred without a partner in --truth: w.png", e.getMessage());
  }

  @Test
  void longListsAreCut() throws IOException {
    touch(b, "only.png");
    for (int i = 0; i < 13; i++) touch(a, String.format("m%02d.png", i));
    touch(a, "only.png");
    String m = assertThrows(InvalidInputException.class, () -> Pairing.pair(a, b)).getMessage();
    assertTrue(m.contains("13 files in " + a) && m.contains("m09.png and 3 more") && !m.contains("m10.png"), m);
    assertFalse(m.contains("\n"));
  }

  @Test
  void duplicateStemsMissingAndEmptyFolders() throws IOException {
    touch(a, "x.png", "x.tif");
    touch(b, "x.png");
    String m = assertThrows(InvalidInputException.class, () -> Pairing.of(a, b).labels("--truth", "--pred").pair()).getMessage();
    assertTrue(m.startsWith("--truth: two files with the stem 'x'") && m.contains("x.png and x.tif"), m);
    m = assertThrows(InvalidInputException.class, () -> Pairing.of(root.resolve("nope"), b).labels("--truth", "--pred").pair()).getMessage();
    assertTrue(m.startsWith("--truth: no such directory"), m);
    Path empty = Files.createDirectory(root.resolve("empty"));
    touch(empty, "a.txt");
    m = assertThrows(InvalidInputException.class, () -> Pairing.of(b, empty).labels("--truth", "--pred").pair()).getMessage();
    assertTrue(m.startsWith("--pred: no files with an accepted extension"), m);
    m = assertThrows(InvalidInputException.class, () -> Pairing.of(a.resolve("x.png"), b).labels("--truth", "--pred").pair()).getMessage();
    assertTrue(m.contains("is not a directory"), m);
  }

  @Test
  void suffixesAndExtensions() throws IOException {
    touch(a, "case1.png", "case2.png");
    touch(b, "case1_mask.png", "case2_mask.png", "case3.npy");
    List<Pairing.Pair> p = Pairing.of(a, b).suffixes("", "_mask").extensions(Set.of("png")).pair();
    assertEquals(2, p.size());
    assertEquals(b.resolve("case2_mask.png"), p.get(1).second());
  }
}
