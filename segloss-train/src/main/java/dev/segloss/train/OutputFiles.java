package dev.segloss.train;

import dev.segloss.core.InvalidInputException;
import dev.segloss.core.io.AtomicFiles;
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
    Files.createDirectories(target.toAbsolutePath().getParent());
    try {
      AtomicFiles.write(target, body::accept);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
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
        boolean empty;
        try (var s = Files.list(dir)) {
          empty = s.findAny().isEmpty();
        }
        if (!empty && !overwrite) {
          throw new InvalidInputException(option + " " + dir
              + ": folder exists and is not empty; choose another name or pass --overwrite (files of the same names are replaced, nothing is deleted)");
        }
      }
      Path top = null;
      for (Path p = dir.toAbsolutePath().normalize(); p != null && !Files.exists(p); p = p.getParent()) top = p;
      Files.createDirectories(dir);
      if (!Files.isWritable(dir)) throw new InvalidInputException(option + " " + dir + ": folder is not writable");
      return top;
    } catch (IOException e) {
      throw new InvalidInputException(option + " " + dir + ": cannot create the folder (" + e.getMessage() + ")", e);
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
