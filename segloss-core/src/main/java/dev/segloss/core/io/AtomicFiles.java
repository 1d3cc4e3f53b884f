package dev.segloss.core.io;

import dev.segloss.core.InvalidInputException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Writes a file atomically: the content goes to a hidden temporary file in the same directory
 * ({@code .name.tmp-<hex>}), which is then renamed over the target. Readers therefore see either the
 * old file or the complete new one, never a half-written file, and a failed write leaves the target
 * untouched (the temporary file is deleted). The data is forced to the storage device before the rename,
 * so a crash or power loss leaves either the old or the complete new file, never an empty one.
 *
 * <p><b>Stale temporaries.</b> A process killed while writing (kill -9, power loss) leaves its temporary
 * file behind. While it writes, a writer holds an exclusive OS lock ({@link FileChannel#tryLock}) on its
 * temporary file, and this JVM keeps a set of the temporaries it is writing; {@link
 * #removeStaleTemporaries} deletes only files named by {@link #isTemporaryName} that neither this JVM
 * is writing nor another process holds locked, so it never removes a file being written. The OS drops a
 * killed process's locks, so what it left is recognised as stale.
 *
 * <p><b>Errors.</b> A write that fails (no space left, a read-only or unwritable folder, a file-size
 * limit) is an {@link InvalidInputException} naming the target and the system's reason: the user can
 * act on it, and the target is untouched.
 */
public final class AtomicFiles {
  /** {@code .NAME.tmp-HEX}: the hidden temporary files this class writes (HEX: 1 to 16 hex digits). */
  private static final Pattern TEMPORARY = Pattern.compile("\\..+\\.tmp-[0-9a-f]{1,16}");

  /** Temporaries this JVM is writing right now (absolute paths). */
  private static final Set<Path> WRITING = ConcurrentHashMap.newKeySet();

  private static volatile Consumer<Path> beforeRename = p -> {};

  private AtomicFiles() {}

  /** Writes the content of a file. */
  @FunctionalInterface
  public interface Writer {
    void write(OutputStream out) throws IOException;
  }

  /**
   * Writes {@code target} atomically.
   *
   * @return true when an existing file was replaced (callers that write user-named files should say so)
   * @throws InvalidInputException when the directory does not exist, the target is a directory, or the
   *     write fails (the message names the target and the system's reason)
   */
  public static boolean write(Path target, Writer content) {
    Path abs = target.toAbsolutePath();
    Path dir = abs.getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      throw new InvalidInputException(target + ": cannot write, the directory " + dir + " does not exist");
    }
    if (Files.isDirectory(abs)) {
      throw new InvalidInputException(target + ": cannot write, it is a directory");
    }
    boolean existed = Files.exists(abs);
    Path tmp = temporaryFor(abs);
    WRITING.add(tmp);
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        lockQuietly(ch); // held until the channel closes, after the rename: a live writer's file is never stale
        OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
        content.write(out);
        out.flush();
        ch.force(true); // the data is on disk before the rename makes it visible: a crash leaves old or new
        beforeRename.accept(abs);
        try {
          Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
        }
      }
      return existed;
    } catch (IOException e) {
      throw new InvalidInputException(target + ": cannot write (" + reason(e) + ")", e);
    } finally {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // best effort: the temporary file is hidden, named after the target, and removed as stale later
      } finally {
        WRITING.remove(tmp);
      }
    }
  }

  /** A fresh temporary name next to {@code abs}: {@code .NAME.tmp-HEX}. */
  private static Path temporaryFor(Path abs) {
    return abs.resolveSibling("." + abs.getFileName() + ".tmp-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
  }

  private static void lockQuietly(FileChannel ch) {
    try {
      ch.tryLock();
    } catch (IOException | OverlappingFileLockException | UnsupportedOperationException e) {
      // a file system without locks: the temporary is then protected only by the in-JVM set and the
      // folder lock of its writer (FolderLock)
    }
  }

  /** True for the names of the temporary files this class writes ({@code .NAME.tmp-HEX}). */
  public static boolean isTemporaryName(String fileName) {
    return TEMPORARY.matcher(fileName).matches();
  }

  /**
   * Deletes the stale temporaries in {@code dir} (not in sub-folders): files named by {@link
   * #isTemporaryName} that no live writer holds (see the class comment). Nothing else is touched; a file
   * that cannot be checked or deleted is left in place.
   *
   * @return the names of the files removed, sorted
   */
  public static List<String> removeStaleTemporaries(Path dir) {
    return removeStaleTemporaries(dir, null);
  }

  /**
   * {@link #removeStaleTemporaries(Path)} limited to the temporaries of one target name ({@code
   * .NAME.tmp-HEX}); null: all of them.
   */
  public static List<String> removeStaleTemporaries(Path dir, String targetName) {
    List<String> removed = new ArrayList<>();
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) return removed;
    String prefix = targetName == null ? null : "." + targetName + ".tmp-";
    List<Path> candidates = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
      for (Path p : s) {
        String n = p.getFileName().toString();
        if (isTemporaryName(n) && (prefix == null || n.startsWith(prefix))) candidates.add(p);
      }
    } catch (IOException | RuntimeException e) {
      return removed;
    }
    for (Path p : candidates) {
      Path abs = p.toAbsolutePath();
      if (WRITING.contains(abs) || !Files.isRegularFile(abs, LinkOption.NOFOLLOW_LINKS)) continue;
      // opened for writing only to lock it (an exclusive lock needs a writable channel); never created
      try (FileChannel ch = FileChannel.open(abs, StandardOpenOption.WRITE)) {
        FileLock lock;
        try {
          lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
          continue; // locked in this JVM: a live writer
        }
        if (lock == null) continue; // locked by another process: a live writer
        Files.delete(abs);
        removed.add(p.getFileName().toString());
      } catch (IOException | RuntimeException e) {
        // cannot check or delete it: leave it
      }
    }
    removed.sort(null);
    return removed;
  }

  /**
   * Checks that files can be created in {@code dir} by creating and deleting a temporary file there (the
   * permission bits alone do not tell: a read-only file system, an immutable folder, or a superuser).
   *
   * @param what how messages name the folder, e.g. {@code "--out runs/a"}
   * @throws InvalidInputException naming {@code what} and the system's reason
   */
  public static void checkWritable(Path dir, String what) {
    String problem = writeProblem(dir);
    if (problem != null) throw new InvalidInputException(what + ": " + problem);
  }

  /**
   * Null when files can be created (and deleted) in {@code dir}, else what is wrong, e.g. {@code "folder
   * is not writable (Read-only file system)"}; see {@link #checkWritable}.
   */
  public static String writeProblem(Path dir) {
    Path probe = temporaryFor(dir.toAbsolutePath().resolve("segloss-write-test"));
    try {
      Files.newByteChannel(probe, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
    } catch (IOException e) {
      return "folder is not writable (" + reason(e) + ")";
    }
    try {
      Files.delete(probe);
    } catch (IOException e) {
      return "files cannot be removed from the folder (" + reason(e) + ")";
    }
    return null;
  }

  /** The system's reason for an I/O failure in a few words, e.g. "No space left on device". */
  public static String reason(IOException e) {
    if (e instanceof AccessDeniedException) return "permission denied";
    if (e instanceof NoSuchFileException) return "no such file or folder: " + e.getMessage();
    if (e instanceof FileSystemException f && f.getReason() != null) return f.getReason();
    Throwable c = e;
    while (c.getCause() instanceof IOException && c.getCause() != c) c = c.getCause();
    String m = c.getMessage();
    return m == null || m.isBlank() ? c.getClass().getSimpleName() : m;
  }

  /**
   * Testing seam: {@code hook} is called with the target of every write after its temporary file is
   * complete and on disk, just before the rename (crash tests halt there and kill the process). The
   * default does nothing; pass null to restore it.
   */
  public static void beforeRename(Consumer<Path> hook) {
    beforeRename = hook == null ? p -> {} : hook;
  }
}
