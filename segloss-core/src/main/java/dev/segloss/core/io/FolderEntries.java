package dev.segloss.core.io;

import dev.segloss.core.InvalidInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Lists the input files of a folder without opening any of them. An entry whose name asks for it (not
 * hidden, an accepted extension) but that is not a regular file once symbolic links are followed — a
 * folder, a FIFO, a device (or a link to one, such as {@code /dev/zero}), a socket, a symbolic link loop
 * or a dangling link — is never silently passed over: it is reported as a problem, which the caller
 * refuses (one line naming the path) or, with {@code --skip-bad}, skips and lists. FIFOs and devices
 * are never opened (reading one can block forever or never end). Entries whose names are not asked for
 * (other extensions, hidden files) are ignored, as before.
 */
public final class FolderEntries {
  private FolderEntries() {}

  /**
   * The result of a listing.
   *
   * @param files the regular files (after following links) whose names were accepted, sorted by name
   * @param problems one message per accepted name that is not a regular file ({@link #problem}), sorted
   */
  public record Listing(List<Path> files, List<String> problems) {
    /**
     * Refuses the first problem, unless {@code skipped} is given (then every problem is added to it).
     *
     * @param option prefix of the refusal, e.g. {@code "--input"} (null or empty: none)
     * @param hint appended to the refusal, e.g. {@code "; --skip-bad skips it"} (null or empty: none)
     */
    public List<Path> filesOrThrow(String option, List<String> skipped, String hint) {
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

  /**
   * Lists {@code dir} (not its sub-folders) and sorts the entries whose file name {@code wanted} accepts.
   *
   * @throws InvalidInputException when {@code dir} is not a folder
   * @throws UncheckedIOException when it cannot be listed
   */
  public static Listing list(Path dir, Predicate<String> wanted) {
    if (!Files.isDirectory(dir)) throw new InvalidInputException(dir + ": " + (Files.exists(dir) ? "not a folder" : "no such folder"));
    List<Path> names = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
      for (Path p : s) if (wanted.test(p.getFileName().toString())) names.add(p);
    } catch (IOException e) {
      throw new UncheckedIOException(dir + ": cannot list the folder (" + AtomicFiles.reason(e) + ")", e);
    }
    names.sort(null);
    List<Path> files = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (Path p : names) {
      String problem = problem(p);
      if (problem == null) files.add(p);
      else problems.add(problem);
    }
    return new Listing(List.copyOf(files), List.copyOf(problems));
  }

  /**
   * Null when {@code entry} is a regular file (directly or through symbolic links), else a one-line
   * message naming it and what it is, e.g. {@code "data/x.png: a dangling symbolic link (to y.png), not
   * a regular file"}. Reads only file attributes; opens nothing.
   */
  public static String problem(Path entry) {
    BasicFileAttributes own;
    try {
      own = Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      return entry + ": cannot be read (" + AtomicFiles.reason(e) + ")";
    }
    if (own.isRegularFile()) return null;
    if (own.isDirectory()) return entry + ": a folder, not a regular file";
    if (!own.isSymbolicLink()) return entry + ": " + special(entry) + ", not a regular file";
    String to = target(entry);
    BasicFileAttributes followed;
    try {
      followed = Files.readAttributes(entry, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      return entry + ": a dangling symbolic link" + to + ", not a regular file";
    } catch (FileSystemException e) {
      String r = e.getReason() == null ? "" : e.getReason();
      if (r.toLowerCase(java.util.Locale.ROOT).contains("symbolic link")) return entry + ": a symbolic link loop" + to + ", not a regular file";
      return entry + ": a symbolic link" + to + " that cannot be followed (" + AtomicFiles.reason(e) + ")";
    } catch (IOException e) {
      return entry + ": a symbolic link" + to + " that cannot be followed (" + AtomicFiles.reason(e) + ")";
    }
    if (followed.isRegularFile()) return null;
    if (followed.isDirectory()) return entry + ": a symbolic link" + to + " to a folder, not a regular file";
    return entry + ": a symbolic link" + to + " to " + special(entry) + ", not a regular file";
  }

  private static String target(Path link) {
    try {
      return " (to " + Files.readSymbolicLink(link) + ")";
    } catch (IOException | UnsupportedOperationException e) {
      return "";
    }
  }

  /** "a FIFO (named pipe)", "a character device", ... from the Unix mode when the platform gives it. */
  private static String special(Path p) {
    try {
      Object mode = Files.getAttribute(p, "unix:mode");
      if (mode instanceof Integer m) {
        switch (m & 0170000) {
          case 0010000:
            return "a FIFO (named pipe)";
          case 0020000:
            return "a character device";
          case 0060000:
            return "a block device";
          case 0140000:
            return "a socket";
          default:
            break;
        }
      }
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      // not a Unix file system view: say it generally
    }
    return "a device, FIFO or socket";
  }
}
