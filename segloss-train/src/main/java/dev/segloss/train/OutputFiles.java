package dev.segloss.train;

import dev.segloss.core.InvalidInputException;
import dev.segloss.core.io.AtomicFiles;
import dev.segloss.core.io.FolderLock;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Crash-safe file output: every file is written to a temporary sibling ({@code .NAME.tmp-XXXX}), flushed
 * to disk, and renamed over the target in one atomic step, so a reader (or a run resumed after a crash)
 * sees either the old file or the complete new one, never a torn one. Also the "refuse an existing
 * output folder unless --overwrite" rule.
 */
public final class OutputFiles {
  private OutputFiles() {}

  /**
   * Writes whatever {@code body} writes to {@code target}, atomically (segloss-core's {@link AtomicFiles}:
   * temporary sibling, fsync, rename), creating the folder first.
   */
  public static void write(Path target, IoConsumer<OutputStream> body) throws IOException {
    Path parent = target.toAbsolutePath().getParent();
    try {
      Files.createDirectories(parent);
    } catch (IOException e) {
      throw new InvalidInputException(target + ": cannot write, cannot create the folder " + parent + " (" + AtomicFiles.reason(e) + ")", e);
    }
    AtomicFiles.write(target, body::accept); // a failed write is an InvalidInputException naming the file and the reason
  }

  /** Writes a UTF-8 text file atomically. */
  public static void writeString(Path target, String text) throws IOException {
    write(target, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
  }

  /** Writes bytes atomically. */
  public static void writeBytes(Path target, byte[] bytes) throws IOException {
    write(target, out -> out.write(bytes));
  }

  /** {@link #writeString} that throws unchecked. */
  public static void writeStringUnchecked(Path target, String text) {
    try {
      writeString(target, text);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
    }
  }

  /**
   * Prepares an output folder: creates it when missing; when it exists and is not empty, refuses with a
   * one-line message unless {@code overwrite} (then files of the same names are replaced, nothing is
   * deleted).
   *
   * @param option the option that named the folder, for the message (e.g. {@code --out})
   * @return the top-most folder this call created ({@code dir} itself or one of its parents), or null
   *     when {@code dir} existed already; give it to {@link #removeCreatedIfEmpty} when the job fails
   *     before writing anything, so that a refused input does not leave an empty folder behind
   */
  public static Path prepareOutputDir(Path dir, boolean overwrite, String option) {
    try {
      if (Files.exists(dir)) {
        if (!Files.isDirectory(dir)) throw new InvalidInputException(option + " " + dir + ": exists and is not a folder");
        if (!overwrite) requireEmpty(dir, option);
      }
      Path top = null;
      for (Path p = dir.toAbsolutePath().normalize(); p != null && !Files.exists(p); p = p.getParent()) top = p;
      Files.createDirectories(dir);
      String problem = AtomicFiles.writeProblem(dir); // tried: permission bits do not tell (superuser, read-only mounts)
      if (problem != null) throw new InvalidInputException(option + " " + dir + ": " + problem);
      return top;
    } catch (IOException e) {
      throw new InvalidInputException(option + " " + dir + ": cannot create the folder (" + e.getMessage() + ")", e);
    }
  }

  /**
   * Refuses {@code dir} when it holds anything but segloss's own bookkeeping (its lock file {@link
   * FolderLock#FILE} and stale temporaries, {@link AtomicFiles#isTemporaryName}); when another segloss
   * process is writing to it, says so. Call it again once the folder is locked ({@link FolderLock}): two
   * writers may both have found it empty before either locked it.
   */
  public static void requireEmpty(Path dir, String option) {
    boolean empty;
    try (var s = Files.list(dir)) {
      empty = s.map(p -> p.getFileName().toString()).allMatch(n -> n.equals(FolderLock.FILE) || AtomicFiles.isTemporaryName(n));
    } catch (IOException e) {
      throw new InvalidInputException(option + " " + dir + ": cannot list the folder (" + AtomicFiles.reason(e) + ")", e);
    }
    if (empty) return;
    String holder = FolderLock.holder(dir);
    if (holder != null) throw FolderLock.busy(option + " " + dir, holder);
    throw new InvalidInputException(option + " " + dir
        + ": folder exists and is not empty; choose another name or pass --overwrite (files of the same names are replaced, nothing is deleted)");
  }

  /**
   * Prepares and locks an output folder for one writer: {@link #prepareOutputDir}, then {@link
   * FolderLock#acquire} (which refuses a folder another writer holds and removes stale temporaries),
   * then, without {@code overwrite}, {@link #requireEmpty} again under the lock. Close the result when
   * done; on failure, {@link Output#abandon} it (unlocks and removes what this call created while it is
   * empty).
   */
  public static Output openOutputDir(Path dir, boolean overwrite, String option) {
    Path created = prepareOutputDir(dir, overwrite, option);
    FolderLock lock;
    try {
      lock = FolderLock.acquire(dir, option);
    } catch (RuntimeException e) {
      removeCreatedIfEmpty(dir, created);
      throw e;
    }
    Output o = new Output(dir, created, lock);
    try {
      if (!overwrite) requireEmpty(dir, option);
    } catch (RuntimeException e) {
      o.abandon();
      throw e;
    }
    return o;
  }

  /** A locked output folder ({@link #openOutputDir}). */
  public static final class Output implements AutoCloseable {
    private final Path dir;
    private final Path created;
    private final FolderLock lock;

    Output(Path dir, Path created, FolderLock lock) {
      this.dir = dir;
      this.created = created;
      this.lock = lock;
    }

    /** The folder. */
    public Path dir() {
      return dir;
    }

    /** The lock (e.g. for the stale temporaries it removed). */
    public FolderLock lock() {
      return lock;
    }

    /**
     * After a failure: unlocks (deleting the lock file when this job created it), then removes the folders
     * this job created while they are empty.
     */
    public void abandon() {
      lock.closeAndDelete();
      removeCreatedIfEmpty(dir, created);
    }

    /** Unlocks (the hidden lock file stays, empty; see {@link FolderLock}). */
    @Override
    public void close() {
      lock.close();
    }
  }

  /**
   * Undoes {@link #prepareOutputDir} after a failure: when that call created the folder ({@code created}
   * is what it returned; null: the folder existed, nothing is done), removes the empty folders inside
   * {@code dir} (e.g. per-run sub-folders that got no file), then {@code dir} and its parents up to {@code
   * created}, each only while it is empty. Never removes a file, so nothing but empty folders this job
   * created goes; errors are ignored (the failure being reported matters more).
   */
  public static void removeCreatedIfEmpty(Path dir, Path created) {
    if (created == null) return;
    Path start = dir.toAbsolutePath().normalize();
    if (!start.startsWith(created) || !Files.isDirectory(start, LinkOption.NOFOLLOW_LINKS)) return;
    try (Stream<Path> s = Files.walk(start)) {
      List<Path> dirs = s.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).sorted(Comparator.reverseOrder()).toList();
      for (Path d : dirs) {
        if (d.equals(start)) continue;
        try {
          Files.delete(d); // refuses a folder that is not empty
        } catch (IOException e) {
          // keeps what holds files
        }
      }
    } catch (IOException | RuntimeException e) {
      return;
    }
    Path stop = created.getParent();
    for (Path p = start; p != null && !p.equals(stop) && p.startsWith(created); p = p.getParent()) {
      try {
        Files.delete(p);
      } catch (IOException | RuntimeException e) {
        return;
      }
    }
  }

  /** A consumer that may throw {@link IOException}. */
  @FunctionalInterface
  public interface IoConsumer<T> {
    void accept(T t) throws IOException;
  }
}
