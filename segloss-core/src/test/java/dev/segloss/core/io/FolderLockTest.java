package dev.segloss.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segloss.core.InvalidInputException;
import dev.segloss.core.testkit.ReadOnlyFolder;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One writer per folder: {@link FolderLock} in one JVM, across processes, after kill -9, read-only. */
class FolderLockTest {
  @TempDir Path tmp;

  @Test
  void aSecondWriterInTheSameJvmIsRefusedUntilTheFirstEnds() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("run"));
    try (FolderLock first = FolderLock.acquire(dir, "--out")) {
      assertTrue(Files.isRegularFile(dir.resolve(FolderLock.FILE)));
      InvalidInputException e = assertThrows(InvalidInputException.class, () -> FolderLock.acquire(dir, "--out"));
      assertEquals("--out " + dir + ": another segloss job in this process is writing to this folder; wait until it ends or choose another"
          + " folder", e.getMessage());
      // another spelling of the same folder is the same folder
      assertThrows(InvalidInputException.class, () -> FolderLock.acquire(tmp.resolve("x/../run"), "--resume"));
      assertEquals("another segloss job in this process", FolderLock.holder(dir));
    }
    assertEquals("", Files.readString(dir.resolve(FolderLock.FILE)), "closing empties the lock file (deleting it would open a race)");
    assertNull(FolderLock.holder(dir));
    try (FolderLock again = FolderLock.acquire(dir, "--out")) {
      assertEquals(dir, again.dir());
    }
  }

  @Test
  void aLockTakenOnTheLockFileByOtherCodeInThisJvmCountsAsHeld() throws Exception {
    // FileChannel.tryLock throws OverlappingFileLockException when this JVM already holds the file
    Path dir = Files.createDirectories(tmp.resolve("run"));
    try (FileChannel ch = FileChannel.open(dir.resolve(FolderLock.FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock l = ch.lock()) {
      InvalidInputException e = assertThrows(InvalidInputException.class, () -> FolderLock.acquire(dir, "--out"));
      assertTrue(e.getMessage().contains("another segloss job in this process is writing to this folder"), e.getMessage());
    }
  }

  @Test
  void anotherProcessIsRefusedWhileTheLockIsHeldAndAKilledHolderDoesNotBlock() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("run"));
    long pid;
    try (ChildJvm child = ChildJvm.start(ChildMain.class, "hold", dir.toString())) {
      child.awaitOutput("LOCKED", 60);
      pid = child.process.pid();
      InvalidInputException e = assertThrows(InvalidInputException.class, () -> FolderLock.acquire(dir, "--out"));
      assertEquals("--out " + dir + ": another segloss process (pid " + pid + ") is writing to this folder; wait until it ends or choose"
          + " another folder", e.getMessage());
      assertEquals("another segloss process (pid " + pid + ")", FolderLock.holder(dir));
      child.kill(); // kill -9: no finally block, no shutdown hook
    }
    assertTrue(Files.isRegularFile(dir.resolve(FolderLock.FILE)), "the killed holder's lock file stays");
    assertNull(FolderLock.holder(dir), "but nobody holds it");
    assertEquals(pid + "\n", Files.readString(dir.resolve(FolderLock.FILE)));
    try (FolderLock lock = FolderLock.acquire(dir, "--out")) {
      assertEquals(ProcessHandle.current().pid() + "\n", Files.readString(dir.resolve(FolderLock.FILE)));
    }
    assertEquals("", Files.readString(dir.resolve(FolderLock.FILE)));
  }

  @Test
  void aLockHeldHereRefusesAnotherProcess() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("run"));
    try (FolderLock lock = FolderLock.acquire(dir, "--out"); ChildJvm child = ChildJvm.start(ChildMain.class, "try", dir.toString())) {
      assertEquals(0, child.waitFor(60), child.output());
      assertTrue(child.output().contains("REFUSED --out " + dir + ": another segloss process (pid " + ProcessHandle.current().pid() + ")"),
          child.output());
    }
    try (ChildJvm child = ChildJvm.start(ChildMain.class, "try", dir.toString())) {
      assertEquals(0, child.waitFor(60), child.output());
      assertTrue(child.output().contains("LOCKED"), child.output());
    }
  }

  @Test
  void takingTheLockRemovesOnlyTheFoldersOwnStaleTemporaries() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("run"));
    for (String n : List.of(".config.json.tmp-3fa9c2", ".model.params.tmp-8000000000000000", "keep.tmp-3fa9", ".notes.tmp-xyz", "data.png")) {
      Files.writeString(dir.resolve(n), n);
    }
    Files.createDirectories(dir.resolve("sub"));
    Files.writeString(dir.resolve("sub/.a.png.tmp-1"), "in a sub-folder: not this folder's");
    try (FolderLock lock = FolderLock.acquire(dir, "--out")) {
      assertEquals(List.of(".config.json.tmp-3fa9c2", ".model.params.tmp-8000000000000000"), lock.removedTemporaries());
    }
    try (var s = Files.list(dir)) {
      assertEquals(List.of(".notes.tmp-xyz", FolderLock.FILE, "data.png", "keep.tmp-3fa9", "sub"), s.map(p -> p.getFileName().toString()).sorted().toList());
    }
    assertTrue(Files.exists(dir.resolve("sub/.a.png.tmp-1")));
  }

  @Test
  void aReadOnlyFolderIsRefusedNamingIt() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("ro"));
    try (ReadOnlyFolder ro = ReadOnlyFolder.of(dir)) {
      InvalidInputException e = assertThrows(InvalidInputException.class, () -> FolderLock.acquire(dir, "--resume"));
      assertTrue(e.getMessage().startsWith("--resume " + dir + ": folder is not writable ("), e.getMessage());
      assertFalse(e.getMessage().contains("\n"));
    }
    // a lock file that exists (left by a killed run) can still be opened in a read-only folder: the
    // folder is refused all the same, since nothing could be written there
    Files.writeString(dir.resolve(FolderLock.FILE), "");
    try (ReadOnlyFolder ro = ReadOnlyFolder.of(dir)) {
      InvalidInputException e = assertThrows(InvalidInputException.class, () -> FolderLock.acquire(dir, "--resume"));
      assertTrue(e.getMessage().startsWith("--resume " + dir + ": folder is not writable ("), e.getMessage());
    }
    assertNull(FolderLock.holder(dir), "a refused attempt leaves no lock held");
  }

  @Test
  void aJobThatGivesUpRemovesOnlyALockFileItCreated() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("new"));
    FolderLock.acquire(dir, "--out").closeAndDelete();
    assertFalse(Files.exists(dir.resolve(FolderLock.FILE)));
    Files.writeString(dir.resolve(FolderLock.FILE), "");
    FolderLock.acquire(dir, "--out").closeAndDelete();
    assertTrue(Files.exists(dir.resolve(FolderLock.FILE)), "a lock file that was there stays");
  }

  @Test
  void aMissingFolderIsRefused() {
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> FolderLock.acquire(tmp.resolve("none"), "--out"));
    assertEquals("--out " + tmp.resolve("none") + ": not a folder", e.getMessage());
  }
}
