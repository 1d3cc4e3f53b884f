package dev.segloss.cli.cluster;

import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Inputs and outputs of a command run with {@code --spark} are either local paths (read as the local command
 * reads them; on a cluster they must name a file system every executor mounts) or Hadoop-filesystem URIs
 * ({@code scheme:/...}, e.g. {@code hdfs://nn:8020/data}, {@code s3a://bucket/x}, {@code file:///shared/x}),
 * read through Hadoop. A URI is recognised by its scheme ({@code [A-Za-z][A-Za-z0-9+.-]*}, RFC 3986) followed
 * by {@code :/}; anything else is a path ({@code ./a:/b} names a local folder {@code a:} if one ever must).
 */
public final class Locations {
  private static final Pattern URI = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*:/.*");

  private Locations() {}

  /** True for a Hadoop-filesystem URI. */
  public static boolean isUri(String location) {
    return URI.matcher(location).matches();
  }

  /** The last segment of a URI or path ({@code hdfs://nn/a/b.png} gives {@code b.png}). */
  public static String name(String location) {
    String s = location;
    while (s.length() > 1 && s.endsWith("/")) s = s.substring(0, s.length() - 1);
    int slash = s.lastIndexOf('/');
    return slash < 0 ? s : s.substring(slash + 1);
  }

  /** {@code dir/name}, with one slash between. */
  public static String child(String dir, String name) {
    return dir.endsWith("/") ? dir + name : dir + "/" + name;
  }

  /** The lower-case extension of a file name without the dot, "" when there is none (as {@code Images.extension}). */
  public static String extension(String name) {
    int dot = name.lastIndexOf('.');
    return dot <= 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
  }

  /** The name without its last extension (as the local commands' stems). */
  public static String stem(String name) {
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }

  /** A local path as executors read it: absolute, so that an executor's working folder does not matter. */
  public static String absolute(Path p) {
    return p.toAbsolutePath().normalize().toString();
  }
}
