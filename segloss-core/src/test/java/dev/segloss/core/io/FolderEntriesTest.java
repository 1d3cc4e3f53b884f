package dev.segloss.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segloss.core.InvalidInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Folder listings never pass over an input name that is not a regular file, and never open one: a
 * folder, a symbolic link loop, a FIFO, a link to {@code /dev/zero} and a dangling link, each named like
 * an image.
 */
class FolderEntriesTest {
  @TempDir Path tmp;

  /** A folder with a.png (regular), b.png (a link to it) and every kind of entry that is not a regular file. */
  static Path hostileFolder(Path dir) throws Exception {
    Files.createDirectories(dir);
    Files.write(dir.resolve("a.png"), new byte[] {1, 2, 3});
    Files.createSymbolicLink(dir.resolve("b.png"), dir.resolve("a.png"));
    Files.createDirectories(dir.resolve("d.png"));
    Files.createSymbolicLink(dir.resolve("loop.png"), dir.resolve("loop.png"));
    assertEquals(0, new ProcessBuilder("mkfifo", dir.resolve("f.png").toString()).inheritIO().start().waitFor(), "mkfifo");
    Files.createSymbolicLink(dir.resolve("z.png"), Path.of("/dev/zero"));
    Files.createSymbolicLink(dir.resolve("x.png"), dir.resolve("missing.png"));
    // not asked for: hidden, or another extension
    assertEquals(0, new ProcessBuilder("mkfifo", dir.resolve(".hidden.png").toString()).inheritIO().start().waitFor(), "mkfifo");
    Files.createDirectories(dir.resolve("notes.txt"));
    return dir;
  }

  @Test
  void everyEntryThatIsNotARegularFileIsReportedByNameAndKind() throws Exception {
    Path dir = hostileFolder(tmp.resolve("in"));
    FolderEntries.Listing l = assertTimeoutPreemptively(Duration.ofSeconds(30),
        () -> FolderEntries.list(dir, n -> !n.startsWith(".") && n.endsWith(".png")), "a FIFO or device was opened");
    assertEquals(List.of(dir.resolve("a.png"), dir.resolve("b.png")), l.files());
    assertEquals(List.of(
        dir.resolve("d.png") + ": a folder, not a regular file",
        dir.resolve("f.png") + ": a FIFO (named pipe), not a regular file",
        dir.resolve("loop.png") + ": a symbolic link loop (to " + dir.resolve("loop.png") + "), not a regular file",
        dir.resolve("x.png") + ": a dangling symbolic link (to " + dir.resolve("missing.png") + "), not a regular file",
        dir.resolve("z.png") + ": a symbolic link (to /dev/zero) to a character device, not a regular file"), l.problems());
    assertNull(FolderEntries.problem(dir.resolve("b.png")));
  }

  @Test
  void refusedOneLineOrSkippedAndListed() throws Exception {
    Path dir = hostileFolder(tmp.resolve("in"));
    FolderEntries.Listing l = FolderEntries.list(dir, n -> !n.startsWith(".") && n.endsWith(".png"));
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> l.filesOrThrow("--input", null, "; --skip-bad skips such entries"));
    assertEquals("--input " + dir.resolve("d.png") + ": a folder, not a regular file (and 4 more such entries); --skip-bad skips such entries",
        e.getMessage());
    List<String> skipped = new ArrayList<>();
    assertEquals(2, l.filesOrThrow("--input", skipped, null).size());
    assertEquals(l.problems(), skipped);
  }

  @Test
  void pairingRefusesThemTooOrSkipsThem() throws Exception {
    Path a = hostileFolder(tmp.resolve("truth"));
    Path b = hostileFolder(tmp.resolve("pred"));
    InvalidInputException e = assertTimeoutPreemptively(Duration.ofSeconds(30),
        () -> assertThrows(InvalidInputException.class, () -> Pairing.of(a, b).labels("--truth", "--pred").pair()));
    assertTrue(e.getMessage().startsWith("--truth: " + a.resolve("d.png") + ": a folder, not a regular file"), e.getMessage());
    List<String> skipped = new ArrayList<>();
    Map<String, Path> m = Pairing.list(a, "--data images", "", Set.of("png"), skipped);
    assertEquals(List.of("a", "b"), List.copyOf(m.keySet()));
    assertEquals(5, skipped.size());
  }
}
