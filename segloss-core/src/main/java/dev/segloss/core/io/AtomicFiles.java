package dev.segloss.core.io;

import dev.segloss.core.InvalidInputException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a file atomically: the content goes to a hidden temporary file in the same directory
 * ({@code .name.tmp-<random>}), which is then renamed over the target. Readers therefore see either the
 * old file or the complete new one, never a half-written file, and a failed write leaves the target
 * untouched (the temporary file is deleted). The data is forced to the storage device before the rename,
 * so a crash or power loss leaves either the old or the complete new file, never an empty one.
 */
public final class AtomicFiles {
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
   * @throws InvalidInputException when the directory does not exist or the target is a directory
   * @throws UncheckedIOException on an I/O failure while writing
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
    Path tmp = dir.resolve("." + abs.getFileName() + ".tmp-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
        content.write(out);
        out.flush();
        ch.force(true); // the data is on disk before the rename makes it visible: a crash leaves old or new
      }
      try {
        Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
      }
      return existed;
    } catch (IOException e) {
      throw new UncheckedIOException(target + ": cannot write: " + e, e);
    } finally {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // best effort: the temporary file is hidden and named after the target
      }
    }
  }
}
