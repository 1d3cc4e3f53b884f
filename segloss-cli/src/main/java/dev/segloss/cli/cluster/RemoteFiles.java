package dev.segloss.cli.cluster;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.List;

/**
 * Files named by Hadoop-filesystem URIs ({@code hdfs://nn/data/masks}, {@code s3a://bucket/x}, {@code
 * file:///shared/x}), reached through the engine's Hadoop configuration. Serializable: tasks use the same
 * object on the executors.
 */
public interface RemoteFiles extends Serializable {
  /** What a URI names. */
  enum Kind { MISSING, FILE, DIRECTORY, OTHER }

  /** One entry of a folder: its name (last path segment), URI and kind. */
  record Entry(String name, String uri, Kind kind) implements Serializable {}

  Kind kind(String uri) throws IOException;

  /** The entries directly in a folder (any order). */
  List<Entry> list(String dirUri) throws IOException;

  /** Copies a remote file to a new local file. */
  void download(String uri, Path target) throws IOException;

  /**
   * Copies a local file to {@code uri} so that readers see the old file or the whole new one: written to a
   * hidden temporary sibling first, then renamed over the target.
   *
   * @return true when an existing file was replaced
   */
  boolean upload(Path source, String uri) throws IOException;

  /** Creates a folder and its parents; true when it did not exist. */
  boolean mkdirs(String uri) throws IOException;

  /** Creates a new file with {@code bytes}, failing (false) when it exists already: a lock. */
  boolean createExclusive(String uri, byte[] bytes) throws IOException;

  /** Deletes a file or an empty folder; false when there was none. */
  boolean delete(String uri) throws IOException;
}
