package dev.segloss.core.testkit;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.segloss.core.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Makes a folder read-only for the test and back: permission bits (r-x) for an ordinary user; for the
 * superuser, whom permission bits do not stop, the immutable attribute ({@code chattr +i}, ext4 and most
 * Linux file systems). The result is checked by trying to create a file there ({@link
 * AtomicFiles#writeProblem}), so a test never passes on a folder that is still writable. Shared by the
 * core's and the CLI's tests (core test jar).
 */
public final class ReadOnlyFolder implements AutoCloseable {
  private final Path dir;
  private final Set<PosixFilePermission> before;
  private boolean immutable;

  private ReadOnlyFolder(Path dir) throws IOException {
    this.dir = dir;
    this.before = Files.getPosixFilePermissions(dir);
  }

  public static ReadOnlyFolder of(Path dir) throws IOException, InterruptedException {
    ReadOnlyFolder r = new ReadOnlyFolder(dir);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-xr-xr-x"));
    if (AtomicFiles.writeProblem(dir) == null) {
      r.immutable = new ProcessBuilder("chattr", "+i", dir.toString()).inheritIO().start().waitFor() == 0;
    }
    assertNotNull(AtomicFiles.writeProblem(dir), "could not make " + dir + " read-only (neither chmod nor chattr +i works here)");
    return r;
  }

  @Override
  public void close() throws IOException, InterruptedException {
    if (immutable) new ProcessBuilder("chattr", "-i", dir.toString()).inheritIO().start().waitFor();
    Files.setPosixFilePermissions(dir, before);
  }
}
