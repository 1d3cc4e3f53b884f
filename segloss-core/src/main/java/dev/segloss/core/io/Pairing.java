package dev.segloss.core.io;

import dev.segloss.core.InvalidInputException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Pairs the files of two folders by file stem (the name without its last extension): {@code a/img1.png}
 * goes with {@code b/img1.tif}. Only non-hidden files whose extension is in the accepted set are
 * considered (by default {@link #DEFAULT_EXTENSIONS}: the image formats and {@code npy}); sub-folders are
 * not entered. Such a name that is not a regular file (a folder, FIFO, device, symbolic link loop or
 * dangling link) is refused, never silently passed over ({@link FolderEntries}). Optional suffixes are removed from the stems before matching, for layouts such as
 * {@code images/case7.png} + {@code masks/case7_mask.png}.
 *
 * <pre>{@code
 * List<Pairing.Pair> pairs = Pairing.of(truthDir, predDir).labels("--truth", "--pred").pair();
 * for (Pairing.Pair p : pairs) { ... p.stem(), p.first(), p.second() ... }
 * }</pre>
 *
 * The result is sorted by stem. It is an {@link InvalidInputException} (one line) when a folder is
 * missing or holds no accepted file, when one folder has two files of the same stem, or when any file
 * has no partner: the message lists the unpaired files of each side (the first ten, then a count).
 */
public final class Pairing {
  /** Image extensions plus {@code npy}. */
  public static final Set<String> DEFAULT_EXTENSIONS = Set.of("png", "jpg", "jpeg", "tif", "tiff", "bmp", "npy");
  private static final int LISTED = 10;

  /** Two files with the same stem. */
  public static final class Pair {
    private final String stem;
    private final Path first;
    private final Path second;

    public Pair(String stem, Path first, Path second) {
      this.stem = Objects.requireNonNull(stem);
      this.first = Objects.requireNonNull(first);
      this.second = Objects.requireNonNull(second);
    }

    /** The common stem (after suffix removal). */
    public String stem() {
      return stem;
    }

    /** The file of the first folder. */
    public Path first() {
      return first;
    }

    /** The file of the second folder. */
    public Path second() {
      return second;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Pair && ((Pair) o).stem.equals(stem) && ((Pair) o).first.equals(first) && ((Pair) o).second.equals(second);
    }

    @Override
    public int hashCode() {
      return Objects.hash(stem, first, second);
    }

    @Override
    public String toString() {
      return stem + ": " + first + " + " + second;
    }
  }

  private final Path firstDir;
  private final Path secondDir;
  private String firstLabel;
  private String secondLabel;
  private Set<String> extensions = DEFAULT_EXTENSIONS;
  private String firstSuffix = "";
  private String secondSuffix = "";

  private Pairing(Path firstDir, Path secondDir) {
    this.firstDir = Objects.requireNonNull(firstDir);
    this.secondDir = Objects.requireNonNull(secondDir);
    this.firstLabel = firstDir.toString();
    this.secondLabel = secondDir.toString();
  }

  /** Starts pairing the files of two folders. */
  public static Pairing of(Path firstDir, Path secondDir) {
    return new Pairing(firstDir, secondDir);
  }

  /** Pairs with the defaults (all image extensions and npy, no suffixes). */
  public static List<Pair> pair(Path firstDir, Path secondDir) {
    return of(firstDir, secondDir).pair();
  }

  /** Names of the two sides in messages, e.g. the command-line options {@code --truth}, {@code --pred}. */
  public Pairing labels(String first, String second) {
    this.firstLabel = first;
    this.secondLabel = second;
    return this;
  }

  /** Accepted extensions, lower case without the dot. */
  public Pairing extensions(Set<String> ext) {
    this.extensions = Set.copyOf(ext);
    return this;
  }

  /** Suffixes removed from the stems before matching (e.g. {@code ""} and {@code "_mask"}). */
  public Pairing suffixes(String first, String second) {
    this.firstSuffix = first == null ? "" : first;
    this.secondSuffix = second == null ? "" : second;
    return this;
  }

  /** Lists, checks and pairs; see the class comment for the errors. */
  public List<Pair> pair() {
    Map<String, Path> a = list(firstDir, firstLabel, firstSuffix, extensions);
    Map<String, Path> b = list(secondDir, secondLabel, secondSuffix, extensions);
    List<String> onlyA = new ArrayList<>();
    List<String> onlyB = new ArrayList<>();
    List<Pair> pairs = new ArrayList<>();
    for (Map.Entry<String, Path> e : a.entrySet()) {
      Path other = b.get(e.getKey());
      if (other == null) onlyA.add(e.getValue().getFileName().toString());
      else pairs.add(new Pair(e.getKey(), e.getValue(), other));
    }
    for (Map.Entry<String, Path> e : b.entrySet()) {
      if (!a.containsKey(e.getKey())) onlyB.add(e.getValue().getFileName().toString());
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
    sb.append(String.join(", ", names.subList(0, Math.min(LISTED, names.size()))));
    if (names.size() > LISTED) sb.append(" and ").append(names.size() - LISTED).append(" more");
    return sb.toString();
  }

  /**
   * The accepted files of one folder by stem (suffix removed), sorted. An accepted name that is not a
   * regular file (a folder, FIFO, device, link loop or dangling link, see {@link FolderEntries}) is
   * refused.
   *
   * @throws InvalidInputException when the folder is missing, empty of accepted files, holds an accepted
   *     name that is not a regular file, or two files share a stem
   */
  public static Map<String, Path> list(Path dir, String label, String suffix, Set<String> extensions) {
    return list(dir, label, suffix, extensions, null);
  }

  /**
   * {@link #list(Path, String, String, Set)}, but accepted names that are not regular files are added to
   * {@code skipped} (one message each, naming the path) instead of refused, when it is not null.
   */
  public static Map<String, Path> list(Path dir, String label, String suffix, Set<String> extensions, List<String> skipped) {
    return list(dir, label, suffix, extensions, skipped, null);
  }

  /** {@link #list(Path, String, String, Set, List)} whose refusal ends with {@code hint} (e.g. how to skip). */
  public static Map<String, Path> list(Path dir, String label, String suffix, Set<String> extensions, List<String> skipped, String hint) {
    if (!Files.isDirectory(dir)) {
      throw new InvalidInputException(label + ": " + (Files.exists(dir) ? dir + " is not a directory" : "no such directory " + dir));
    }
    TreeMap<String, Path> byStem = new TreeMap<>();
    FolderEntries.Listing listing;
    try {
      listing = FolderEntries.list(dir, name -> !name.startsWith(".") && extensions.contains(Images.extension(Path.of(name))));
    } catch (UncheckedIOException e) {
      throw new UncheckedIOException(label + ": " + e.getMessage(), e.getCause());
    }
    for (Path p : listing.filesOrThrow(label + ":", skipped, hint)) {
      String name = p.getFileName().toString();
      String stem = name.substring(0, name.lastIndexOf('.'));
      if (!suffix.isEmpty() && stem.endsWith(suffix)) stem = stem.substring(0, stem.length() - suffix.length());
      Path prev = byStem.put(stem, p);
      if (prev != null) {
        throw new InvalidInputException(label + ": two files with the stem '" + stem + "' in " + dir + ": "
            + prev.getFileName() + " and " + name + "; keep one");
      }
    }
    if (byStem.isEmpty()) {
      throw new InvalidInputException(label + ": no files with an accepted extension (" + String.join(", ", new java.util.TreeSet<>(extensions))
          + ") in " + dir);
    }
    return byStem;
  }
}
