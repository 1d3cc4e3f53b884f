package dev.segloss.core.io;

import dev.segloss.core.InvalidInputException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One writer per output folder: an exclusive OS lock on the folder's lock file {@value #FILE}, held from
 * {@link #acquire} until {@link #close}. A second writer, in another process or in this one, is refused
 * with a one-line {@link InvalidInputException} naming the folder (and the holder's process id). The OS
 * releases the lock when its process ends, however it ends (kill -9 included), so a lock file left
 * behind does not block: the next writer takes it over.
 *
 * <pre>{@code
 * try (FolderLock lock = FolderLock.acquire(out, "--out")) {
 *   ... write into out ...
 * }
 * }</pre>
 *
 * <p>Acquiring also checks that the folder is writable (by creating and deleting a file there, see
 * {@link AtomicFiles#checkWritable}: a read-only folder is refused before any work) and removes the
 * folder's stale temporaries ({@link AtomicFiles#removeStaleTemporaries}: what a killed writer left).
 *
 * <p><b>The lock file stays.</b> It is hidden (segloss's listings skip hidden files, and its output-folder
 * checks ignore it), holds the holder's process id while held and is emptied on {@link #close}. It is
 * never deleted while the folder is in use: deleting it would let a writer that opened the old file lock
 * that (deleted) file while another one creates and locks a new file of the same name, and both would
 * write. Only {@link #closeAndDelete} removes it, for a job that gives up on a folder it created itself.
 * A JVM cannot hold two locks on one file (and closing a second channel on a locked file would drop the
 * first lock), so locks held in this JVM are also kept in a table that is checked before any file is
 * opened.
 */
public final class FolderLock implements AutoCloseable {
  /** The lock file's name inside the folder (hidden; the listings of segloss skip hidden files). */
  public static final String FILE = ".segloss.lock";

  private static final Map<Path, FolderLock> HELD = new ConcurrentHashMap<>();
  private static final String IN_THIS_JVM = "another segloss job in this process";

  private final Path dir;
  private final Path key;
  private final FileChannel channel;
  private final FileLock lock;
  private final List<String> removed;
  private final boolean created;
  private boolean closed;

  private FolderLock(Path dir, Path key, FileChannel channel, FileLock lock, List<String> removed, boolean created) {
    this.dir = dir;
    this.key = key;
    this.channel = channel;
    this.lock = lock;
    this.removed = removed;
    this.created = created;
  }

  /**
   * Locks {@code dir} (which must exist) for writing.
   *
   * @param option how messages name the folder, e.g. {@code "--out"} (the message reads {@code "--out
   *     DIR: ..."})
   * @throws InvalidInputException when another writer holds the folder, or it is not writable
   */
  public static FolderLock acquire(Path dir, String option) {
    String what = option == null || option.isEmpty() ? dir.toString() : option + " " + dir;
    if (!Files.isDirectory(dir)) throw new InvalidInputException(what + ": not a folder");
    Path key = key(dir);
    FolderLock mine = new FolderLock(dir, key, null, null, List.of(), false);
    if (HELD.putIfAbsent(key, mine) != null) throw busy(what, IN_THIS_JVM);
    FolderLock taken = null;
    try {
      taken = take(dir, key, what);
      AtomicFiles.checkWritable(dir, what);
      List<String> stale = AtomicFiles.removeStaleTemporaries(dir);
      FolderLock done = new FolderLock(dir, key, taken.channel, taken.lock, List.copyOf(stale), taken.created);
      HELD.put(key, done);
      return done;
    } catch (RuntimeException | Error e) {
      if (taken != null) taken.release(taken.created);
      HELD.remove(key, mine);
      throw e;
    }
  }

  private static FolderLock take(Path dir, Path key, String what) {
    Path file = dir.resolve(FILE);
    boolean created;
    FileChannel ch;
    try {
      try {
        ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
        created = true;
      } catch (java.nio.file.FileAlreadyExistsException e) {
        ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        created = false;
      }
    } catch (IOException e) {
      throw new InvalidInputException(what + ": folder is not writable (cannot create its lock file " + FILE + ": "
          + AtomicFiles.reason(e) + ")", e);
    }
    FileLock l;
    try {
      l = ch.tryLock();
    } catch (OverlappingFileLockException e) {
      closeQuietly(ch);
      throw busy(what, IN_THIS_JVM);
    } catch (IOException e) {
      closeQuietly(ch);
      throw new InvalidInputException(what + ": cannot lock the folder (" + AtomicFiles.reason(e) + ")", e);
    }
    if (l == null) {
      String holder = holder(ch);
      closeQuietly(ch);
      throw busy(what, "another segloss process" + (holder.isEmpty() ? "" : " (pid " + holder + ")"));
    }
    try {
      // who holds it, for the message of a refused writer
      ch.truncate(0);
      ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
    } catch (IOException e) {
      releaseQuietly(l, ch);
      throw new InvalidInputException(what + ": cannot write its lock file " + FILE + " (" + AtomicFiles.reason(e) + ")", e);
    }
    return new FolderLock(dir, key, ch, l, List.of(), created);
  }

  /** The process id the holder wrote into the lock file, or "". */
  private static String holder(FileChannel ch) {
    try {
      ByteBuffer b = ByteBuffer.allocate(64);
      ch.read(b, 0);
      String s = new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII).strip();
      int sp = s.indexOf(' ');
      String pid = sp < 0 ? s : s.substring(0, sp);
      return pid.matches("\\d{1,19}") ? pid : "";
    } catch (IOException e) {
      return "";
    }
  }

  private static Path key(Path dir) {
    try {
      return dir.toRealPath();
    } catch (IOException e) {
      return dir.toAbsolutePath().normalize();
    }
  }

  /**
   * Who holds {@code dir} right now, e.g. {@code "another segloss process (pid 4711)"}, or null when
   * nobody does; for messages only (the answer may change at once).
   */
  public static String holder(Path dir) {
    if (HELD.containsKey(key(dir))) return IN_THIS_JVM;
    Path file = dir.resolve(FILE);
    if (!Files.isRegularFile(file)) return null;
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      FileLock l = ch.tryLock();
      if (l != null) {
        l.release();
        return null;
      }
      String pid = holder(ch);
      return "another segloss process" + (pid.isEmpty() ? "" : " (pid " + pid + ")");
    } catch (OverlappingFileLockException e) {
      return IN_THIS_JVM;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** The one-line refusal for a folder {@code who} is writing to ({@code what}: e.g. "--out runs/a"). */
  public static InvalidInputException busy(String what, String who) {
    return new InvalidInputException(what + ": " + who + " is writing to this folder; wait until it ends or choose another folder");
  }

  /** The folder this lock holds. */
  public Path dir() {
    return dir;
  }

  /** Names of the stale temporaries removed when the lock was taken (what a killed writer left). */
  public List<String> removedTemporaries() {
    return removed;
  }

  /** Empties the lock file and releases the lock; idempotent. */
  @Override
  public void close() {
    end(false);
  }

  /**
   * Releases the lock and, when this lock created the lock file, deletes it: for a job that gives up on a
   * folder it created itself, so that the folder can be removed while empty. Idempotent.
   */
  public void closeAndDelete() {
    end(created);
  }

  private void end(boolean delete) {
    synchronized (this) {
      if (closed) return;
      closed = true;
    }
    try {
      release(delete);
    } finally {
      HELD.remove(key, this);
    }
  }

  private void release(boolean delete) {
    try {
      if (delete) Files.deleteIfExists(dir.resolve(FILE));
      else if (channel != null && channel.isOpen()) channel.truncate(0);
    } catch (IOException | RuntimeException e) {
      // a lock file that stays, or keeps a process id, does not block: the next writer takes it over
    }
    releaseQuietly(lock, channel);
  }

  private static void releaseQuietly(FileLock l, FileChannel ch) {
    try {
      if (l != null && l.isValid()) l.release();
    } catch (IOException | RuntimeException e) {
      // closing the channel releases it too
    }
    closeQuietly(ch);
  }

  private static void closeQuietly(FileChannel ch) {
    if (ch == null) return;
    try {
      ch.close();
    } catch (IOException e) {
      // nothing left to do
    }
  }
}
