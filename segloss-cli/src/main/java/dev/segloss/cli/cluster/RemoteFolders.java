package dev.segloss.cli.cluster;

import dev.segloss.core.InvalidInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Folder listings of Hadoop-filesystem URIs by the rules of the local commands, with their messages, so that
 * {@code --masks hdfs://nn/m} selects, orders and pairs the same files as {@code --masks m} on a local copy:
 * entries directly in the folder (sub-folders are not entered), sorted by name as the local listing sorts
 * paths (by the bytes of the name, UTF-8), filtered by name and extension.
 */
public final class RemoteFolders {
  private RemoteFolders() {}

  /** Unsigned byte order of the UTF-8 names: the order of {@code Files.list(dir).sorted()} on Linux. */
  static final Comparator<RemoteFiles.Entry> BY_NAME = (a, b) -> Arrays.compareUnsigned(
      a.name().getBytes(StandardCharsets.UTF_8), b.name().getBytes(StandardCharsets.UTF_8));

  /**
   * A listing as {@code FolderEntries.Listing}: the regular files whose names were accepted, sorted by name,
   * and one message per accepted name that is not a regular file (a folder, or on HDFS a symbolic link).
   */
  public record Listing(List<FileRef> files, List<String> problems) {
    /** Refuses the first problem as {@code FolderEntries.Listing.filesOrThrow} does, unless {@code skipped} is given. */
    public List<FileRef> filesOrThrow(String option, List<String> skipped, String hint) {
      if (!problems.isEmpty()) {
        if (skipped == null) {
          String more = problems.size() > 1 ? " (and " + (problems.size() - 1) + " more such entr" + (problems.size() == 2 ? "y" : "ies") + ")" : "";
          throw new InvalidInputException((option == null || option.isEmpty() ? "" : option + " ") + problems.get(0) + more
              + (hint == null ? "" : hint));
        }
        skipped.addAll(problems);
      }
      return files;
    }
  }

  /** The entries of a folder whose names {@code wanted} accepts (see {@link Listing}). */
  public static Listing files(RemoteFiles fs, String dir, Predicate<String> wanted) {
    List<FileRef> files = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (RemoteFiles.Entry e : list(fs, dir)) {
      if (!wanted.test(e.name())) continue;
      if (e.kind() == RemoteFiles.Kind.FILE) files.add(FileRef.uri(e.uri()));
      else if (e.kind() == RemoteFiles.Kind.DIRECTORY) problems.add(e.uri() + ": a folder, not a regular file");
      else problems.add(e.uri() + ": not a regular file");
    }
    return new Listing(List.copyOf(files), List.copyOf(problems));
  }

  /** What a URI names, I/O errors unchecked. */
  public static RemoteFiles.Kind kind(RemoteFiles fs, String uri) {
    try {
      return fs.kind(uri);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot reach " + uri + ": " + e.getMessage(), e);
    }
  }

  private static List<RemoteFiles.Entry> list(RemoteFiles fs, String dir) {
    try {
      List<RemoteFiles.Entry> entries = new ArrayList<>(fs.list(dir));
      entries.sort(BY_NAME);
      return entries;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Pairs two folders by file stem as {@code Pairing.of(first, second).labels(firstLabel, secondLabel).pair()}
   * pairs local ones (suffixes removed from the stems first, as {@code suffixes(firstSuffix, secondSuffix)}), with the same messages: a missing folder, a folder without accepted files, two files
   * of one stem in a folder, files without a partner.
   *
   * @return the pairs sorted by stem
   */
  public static List<PairRef> pair(RemoteFiles fs, String first, String second, String firstLabel, String secondLabel,
      String firstSuffix, String secondSuffix, Set<String> extensions) {
    Map<String, FileRef> a = byStem(fs, first, firstLabel, firstSuffix, extensions);
    Map<String, FileRef> b = byStem(fs, second, secondLabel, secondSuffix, extensions);
    List<String> onlyA = new ArrayList<>();
    List<String> onlyB = new ArrayList<>();
    List<PairRef> pairs = new ArrayList<>();
    for (Map.Entry<String, FileRef> e : a.entrySet()) {
      FileRef other = b.get(e.getKey());
      if (other == null) onlyA.add(e.getValue().name());
      else pairs.add(new PairRef(e.getKey(), e.getValue(), other));
    }
    for (Map.Entry<String, FileRef> e : b.entrySet()) {
      if (!a.containsKey(e.getKey())) onlyB.add(e.getValue().name());
    }
    if (!onlyA.isEmpty() || !onlyB.isEmpty()) {
      List<String> parts = new ArrayList<>();
      if (!onlyA.isEmpty()) parts.add(describe(onlyA, firstLabel, secondLabel));
      if (!onlyB.isEmpty()) parts.add(describe(onlyB, secondLabel, firstLabel));
      throw new InvalidInputException("unpaired files (matched by file stem): " + String.join("; ", parts));
    }
    return pairs;
  }

  private static String describe(List<String> names, String here, String there) {
    StringBuilder sb = new StringBuilder();
    sb.append(names.size()).append(names.size() == 1 ? " file" : " files").append(" in ").append(here)
        .append(" without a partner in ").append(there).append(": ");
    sb.append(String.join(", ", names.subList(0, Math.min(10, names.size()))));
    if (names.size() > 10) sb.append(" and ").append(names.size() - 10).append(" more");
    return sb.toString();
  }

  private static Map<String, FileRef> byStem(RemoteFiles fs, String dir, String label, String suffix, Set<String> extensions) {
    RemoteFiles.Kind k = kind(fs, dir);
    if (k != RemoteFiles.Kind.DIRECTORY) {
      throw new InvalidInputException(label + ": " + (k != RemoteFiles.Kind.MISSING ? dir + " is not a directory" : "no such directory " + dir));
    }
    TreeMap<String, FileRef> byStem = new TreeMap<>();
    Listing listing = files(fs, dir, n -> !n.startsWith(".") && extensions.contains(Locations.extension(n)));
    for (FileRef f : listing.filesOrThrow(label + ":", null, null)) {
      String name = f.name();
      String stem = name.substring(0, name.lastIndexOf('.'));
      if (!suffix.isEmpty() && stem.endsWith(suffix)) stem = stem.substring(0, stem.length() - suffix.length());
      FileRef prev = byStem.put(stem, f);
      if (prev != null) {
        throw new InvalidInputException(label + ": two files with the stem '" + stem + "' in " + dir + ": " + prev.name() + " and " + name + "; keep one");
      }
    }
    if (byStem.isEmpty()) {
      throw new InvalidInputException(label + ": no files with an accepted extension (" + String.join(", ", new TreeSet<>(extensions)) + ") in " + dir);
    }
    return byStem;
  }
}
