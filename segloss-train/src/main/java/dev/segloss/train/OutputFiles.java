package dev.segloss.train;

import dev.segloss.core.InvalidInputException;
import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Crash-safe file output: every file is written to a temporary sibling ({@code .NAME.tmp-XXXX}), flushed
 * to disk, and renamed over the target in one atomic step, so a reader (or a run resumed after a crash)
 * sees either the old file or the complete new one, never a torn one. Also the "refuse an existing
 * output folder unless --overwrite" rule.
 */
public final class OutputFiles {
  private OutputFiles() {}

  /** Writes whatever {@code body} writes to {@code target}, atomically. */
  public static void write(Path target, IoConsumer<OutputStream> body) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = dir.resolve("." + target.getFileName() + ".tmp-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16));
    try {
      try (FileOutputStream fos = new FileOutputStream(tmp.toFile());
          BufferedOutputStream out = new BufferedOutputStream(fos, 1 << 16)) {
        body.accept(out);
        out.flush();
        fos.getChannel().force(true);
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
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
   */
  public static void prepareOutputDir(Path dir, boolean overwrite, String option) {
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
      Files.createDirectories(dir);
      if (!Files.isWritable(dir)) throw new InvalidInputException(option + " " + dir + ": folder is not writable");
    } catch (IOException e) {
      throw new InvalidInputException(option + " " + dir + ": cannot create the folder (" + e.getMessage() + ")", e);
    }
  }

  /** A consumer that may throw {@link IOException}. */
  @FunctionalInterface
  public interface IoConsumer<T> {
    void accept(T t) throws IOException;
  }
}
