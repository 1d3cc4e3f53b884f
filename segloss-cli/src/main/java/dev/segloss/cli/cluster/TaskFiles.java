package dev.segloss.cli.cluster;

import dev.segloss.core.InvalidInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Local files for the readers inside a task. A local {@link FileRef} is read where it is; a URI is copied to
 * the task's temporary folder under its own file name (so extensions and stems are the same), read by the
 * same readers as the local command, and the copy deleted by {@link #release}. Messages of the readers name
 * the file they were given; {@link #renamed} puts the user's name back ({@link FileRef#shown()}), so that an
 * error reads exactly as the local command's.
 */
public final class TaskFiles {
  private final TaskEnv env;
  private final Map<String, String> names = new LinkedHashMap<>();
  private final Map<Path, Boolean> copies = new LinkedHashMap<>();
  private int counter;

  public TaskFiles(TaskEnv env) {
    this.env = env;
  }

  /** A local path holding the file's bytes. */
  public Path local(FileRef f) {
    Path p;
    if (Locations.isUri(f.location())) {
      try {
        Path dir = Files.createDirectory(env.tempDir().resolve("in-" + (counter++)));
        p = dir.resolve(f.name());
        env.files().download(f.location(), p);
        copies.put(p, true);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + f.shown() + ": " + e.getMessage(), e);
      }
    } else {
      p = Path.of(f.location());
    }
    names.put(p.toString(), f.shown());
    return p;
  }

  /** {@code e} with every local name this object handed out replaced by the name the user knows. */
  public InvalidInputException renamed(InvalidInputException e) {
    String m = String.valueOf(e.getMessage());
    String r = m;
    for (Map.Entry<String, String> n : names.entrySet()) r = r.replace(n.getKey(), n.getValue());
    return r.equals(m) ? e : new InvalidInputException(r, e);
  }

  /** Deletes the copies made so far and forgets the names. */
  public void release() {
    for (Path p : copies.keySet()) {
      try {
        Files.deleteIfExists(p);
        Files.deleteIfExists(p.getParent());
      } catch (IOException e) {
        // the task's temporary folder goes when the task ends
      }
    }
    copies.clear();
    names.clear();
  }
}
