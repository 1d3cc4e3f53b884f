package dev.segloss.cli.cluster;

import java.io.Serializable;
import java.nio.file.Path;

/**
 * A file a task reads: {@code shown} is how messages name it (the path as the local command shows it, or the
 * URI), {@code location} is where an executor finds it (an absolute local path, or the URI).
 */
public record FileRef(String shown, String location) implements Serializable {
  /** A local file: shown as given, read by its absolute path. */
  public static FileRef local(Path p) {
    return new FileRef(p.toString(), Locations.absolute(p));
  }

  /** A Hadoop-filesystem file. */
  public static FileRef uri(String uri) {
    return new FileRef(uri, uri);
  }

  /** The file name. */
  public String name() {
    return Locations.name(location);
  }
}
