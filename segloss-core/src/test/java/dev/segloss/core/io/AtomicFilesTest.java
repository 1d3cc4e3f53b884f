package dev.segloss.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segloss.core.InvalidInputException;
import dev.segloss.core.testkit.ReadOnlyFolder;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Atomic writes: their temporaries, stale ones left by a killed writer, write failures, PNGs without ImageIO's file cache. */
class AtomicFilesTest {
  @TempDir Path tmp;

  @Test
  void temporaryNamesAreExactlyTheOnesThisClassWrites() {
    for (String n : List.of(".a.tmp-0", ".config.json.tmp-3fa9c2", ".x.png.tmp-ffffffffffffffff", ".a.b.tmp-1", ".a b.tmp-9")) {
      assertTrue(AtomicFiles.isTemporaryName(n), n);
    }
    for (String n : List.of("a.tmp-1", ".a.tmp-", ".a.tmp-xyz", ".a.tmp-1ffffffffffffffff", ".a.tmp-1F", ".tmp-1", ".a.tmp-1.png", "config.json")) {
      assertFalse(AtomicFiles.isTemporaryName(n), n);
    }
  }

  @Test
  void aWriteLeavesOnlyItsTargetAndItsTemporaryIsLiveWhileItWrites() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("d"));
    Files.writeString(dir.resolve(".a.bin.tmp-dead"), "left by a killed writer");
    List<String> seen = new ArrayList<>();
    AtomicFiles.write(dir.resolve("a.bin"), out -> {
      out.write(1);
      out.flush();
      // the writer's own temporary exists and is not stale; the dead one is
      seen.addAll(AtomicFiles.removeStaleTemporaries(dir));
      try (var s = Files.list(dir)) {
        seen.add("live: " + s.filter(p -> AtomicFiles.isTemporaryName(p.getFileName().toString())).count());
      }
    });
    assertEquals(List.of(".a.bin.tmp-dead", "live: 1"), seen);
    try (var s = Files.list(dir)) {
      assertEquals(List.of("a.bin"), s.map(p -> p.getFileName().toString()).toList());
    }
    assertArrayEquals(new byte[] {1}, Files.readAllBytes(dir.resolve("a.bin")));
  }

  @Test
  void aTemporaryAnotherProcessIsWritingIsKeptAndRemovedOnceThatProcessIsKilled() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("d"));
    Path target = dir.resolve("model.params");
    Files.writeString(target, "old");
    try (ChildJvm child = ChildJvm.start(ChildMain.class, "write", target.toString())) {
      child.awaitOutput("HALTED", 60);
      String line = child.output().lines().filter(l -> l.startsWith("HALTED ")).findFirst().orElseThrow();
      Path temp = Path.of(line.substring("HALTED ".length()));
      assertEquals(100_000, Files.size(temp));
      assertEquals(List.of(), AtomicFiles.removeStaleTemporaries(dir), "a live writer's temporary stays");
      assertTrue(Files.exists(temp));
      child.kill();
      assertEquals("old", Files.readString(target), "the target is untouched by the killed write");
      assertEquals(List.of(temp.getFileName().toString()), AtomicFiles.removeStaleTemporaries(dir, "model.params"));
      assertFalse(Files.exists(temp));
    }
  }

  @Test
  void removingTemporariesOfOneTargetLeavesTheOthers() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("d"));
    Files.writeString(dir.resolve(".m.csv.tmp-1"), "");
    Files.writeString(dir.resolve(".n.csv.tmp-2"), "");
    assertEquals(List.of(".m.csv.tmp-1"), AtomicFiles.removeStaleTemporaries(dir, "m.csv"));
    assertTrue(Files.exists(dir.resolve(".n.csv.tmp-2")));
  }

  @Test
  void aWriteIntoAReadOnlyFolderIsOneLineNamingTheFileAndLeavesNothing() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("ro"));
    try (ReadOnlyFolder ro = ReadOnlyFolder.of(dir)) {
      InvalidInputException e = assertThrows(InvalidInputException.class, () -> AtomicFiles.write(dir.resolve("m.csv"), out -> out.write(1)));
      assertTrue(e.getMessage().startsWith(dir.resolve("m.csv") + ": cannot write ("), e.getMessage());
      assertFalse(e.getMessage().contains("\n") || e.getMessage().contains("Exception"), e.getMessage());
      assertTrue(AtomicFiles.writeProblem(dir).startsWith("folder is not writable ("), AtomicFiles.writeProblem(dir));
      InvalidInputException c = assertThrows(InvalidInputException.class, () -> AtomicFiles.checkWritable(dir, "--csv " + dir));
      assertTrue(c.getMessage().startsWith("--csv " + dir + ": folder is not writable ("), c.getMessage());
    }
    assertNull(AtomicFiles.writeProblem(dir));
    try (var s = Files.list(dir)) {
      assertEquals(0, s.count(), "the probe leaves nothing behind");
    }
  }

  @Test
  void pngsAreWrittenWithoutImageIoFileCache() throws Exception {
    // ImageIO.write to a stream buffers through a file in its cache folder; a full or read-only temporary
    // folder then fails the write (and on a full disk leaves ImageIO's exit-time closer a stack trace)
    Path cache = Files.createDirectories(tmp.resolve("cache"));
    Path out = Files.createDirectories(tmp.resolve("out"));
    float[] v = {0f, 0.5f, 1f, 0.25f};
    try (ReadOnlyFolder ro = ReadOnlyFolder.of(cache)) {
      ImageIO.setCacheDirectory(cache.toFile());
      try {
        // precondition: the JDK's own path does use the cache and fails here
        assertThrows(java.io.IOException.class, () -> ImageIO.write(new BufferedImage(2, 2, BufferedImage.TYPE_BYTE_GRAY), "png",
            new java.io.ByteArrayOutputStream()));
        Images.writePng(out.resolve("a.png"), v, 2, 2, 1, 16);
        byte[] png = Images.encodePng(new BufferedImage(3, 1, BufferedImage.TYPE_INT_ARGB));
        assertEquals((byte) 0x89, png[0]);
      } finally {
        ImageIO.setCacheDirectory(null);
      }
    }
    ImageData back = Images.read(out.resolve("a.png"));
    assertArrayEquals(new float[] {0, 32768, 65535, 16384}, back.raw());
  }
}
