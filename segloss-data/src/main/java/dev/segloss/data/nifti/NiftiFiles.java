package dev.segloss.data.nifti;

import dev.segloss.core.InvalidInputException;
import dev.segloss.core.io.FolderEntries;
import dev.segloss.data.DataSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Finding and pairing NIfTI volumes, and what comparing two of them voxel by voxel needs: the same grid
 * and the voxel size in millimetres.
 */
public final class NiftiFiles {
  /** File name endings of NIfTI-1 headers (single files and header/image pairs), lower case. */
  public static final List<String> ENDINGS = List.of(".nii.gz", ".nii", ".hdr.gz", ".hdr");

  private NiftiFiles() {}

  /** True when the file name ends in .nii, .nii.gz, .hdr or .hdr.gz (any case). */
  public static boolean isNifti(Path file) {
    Path name = file.getFileName();
    if (name == null) return false;
    String n = name.toString().toLowerCase(Locale.ROOT);
    for (String e : ENDINGS) if (n.endsWith(e) && n.length() > e.length()) return true;
    return false;
  }

  /** True when the folder holds at least one NIfTI volume (not entering sub-folders; hidden files skipped). */
  public static boolean holdsNifti(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      // by name: an entry named like a volume that is not a regular file is then refused by list(), not passed over
      return s.anyMatch(p -> !p.getFileName().toString().startsWith(".") && isNifti(p));
    } catch (IOException e) {
      return false;
    }
  }

  /** Two volumes with the same stem. */
  public record Pair(String stem, Path first, Path second) {}

  /** What {@link #pair} found: the pairs (sorted by stem) and the files skipped for lacking the suffix. */
  public record Pairs(List<Pair> pairs, int skippedFirst, int skippedSecond) {}

  /**
   * The volumes of {@code dir} by stem (the name without its NIfTI ending; and without {@code suffix},
   * when given: then only the volumes whose stem ends with it count, others are skipped).
   *
   * @param label the option that named the folder, for messages
   * @param skipped receives the number of volumes skipped for lacking the suffix (may be null)
   */
  public static Map<String, Path> list(Path dir, String label, String suffix, int[] skipped) {
    if (!Files.isDirectory(dir)) {
      throw new InvalidInputException(label + ": " + (Files.exists(dir) ? dir + " is not a directory" : "no such directory " + dir));
    }
    TreeMap<String, Path> byStem = new TreeMap<>();
    int skip = 0;
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : (Iterable<Path>) s.sorted()::iterator) {
        String name = p.getFileName().toString();
        if (name.startsWith(".") || !isNifti(p)) continue;
        // a folder, FIFO, device, link loop or dangling link named like a volume: refused, never opened (issue 9)
        String problem = FolderEntries.problem(p);
        if (problem != null) throw new InvalidInputException(label + ": " + problem);
        String stem = NiftiLoader.stem(p);
        if (!suffix.isEmpty()) {
          if (!stem.endsWith(suffix) || stem.length() == suffix.length()) {
            skip++;
            continue;
          }
          stem = stem.substring(0, stem.length() - suffix.length());
        }
        Path prev = byStem.put(stem, p);
        if (prev != null) {
          throw new InvalidInputException(label + ": two volumes with the stem '" + stem + "' in " + dir + ": " + prev.getFileName()
              + " and " + name + "; keep one");
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(label + ": cannot list " + dir + ": " + e.getMessage(), e);
    }
    if (skipped != null) skipped[0] = skip;
    if (byStem.isEmpty()) {
      throw new InvalidInputException(label + ": no NIfTI volumes (.nii, .nii.gz, .hdr/.img)" + (suffix.isEmpty() ? "" : " whose name ends in '"
          + suffix + "' before the extension") + " in " + dir);
    }
    return byStem;
  }

  /**
   * Pairs the volumes of two folders by stem; every volume must have a partner (one-line error listing
   * the first ten unpaired files of each side).
   */
  public static Pairs pair(Path firstDir, String firstLabel, String firstSuffix, Path secondDir, String secondLabel, String secondSuffix) {
    int[] skipA = new int[1];
    int[] skipB = new int[1];
    Map<String, Path> a = list(firstDir, firstLabel, firstSuffix, skipA);
    Map<String, Path> b = list(secondDir, secondLabel, secondSuffix, skipB);
    List<String> onlyA = new ArrayList<>();
    List<String> onlyB = new ArrayList<>();
    List<Pair> pairs = new ArrayList<>();
    for (Map.Entry<String, Path> e : a.entrySet()) {
      Path other = b.get(e.getKey());
      if (other == null) onlyA.add(e.getValue().getFileName().toString());
      else pairs.add(new Pair(e.getKey(), e.getValue(), other));
    }
    for (Map.Entry<String, Path> e : b.entrySet()) if (!a.containsKey(e.getKey())) onlyB.add(e.getValue().getFileName().toString());
    if (!onlyA.isEmpty() || !onlyB.isEmpty()) {
      List<String> parts = new ArrayList<>();
      if (!onlyA.isEmpty()) parts.add(unpaired(onlyA, firstLabel, secondLabel));
      if (!onlyB.isEmpty()) parts.add(unpaired(onlyB, secondLabel, firstLabel));
      throw new InvalidInputException("unpaired volumes (matched by name without .nii/.nii.gz"
          + (firstSuffix.isEmpty() && secondSuffix.isEmpty() ? "" : " and the suffix") + "): " + String.join("; ", parts));
    }
    return new Pairs(pairs, skipA[0], skipB[0]);
  }

  private static String unpaired(List<String> names, String here, String there) {
    int listed = 10;
    return names.size() + (names.size() == 1 ? " volume" : " volumes") + " in " + here + " without a partner in " + there + ": "
        + String.join(", ", names.subList(0, Math.min(listed, names.size())))
        + (names.size() > listed ? " and " + (names.size() - listed) + " more" : "");
  }

  /**
   * Refuses two volumes that are not on one voxel grid: the spatial sizes must be equal and the
   * voxel-to-world matrices ({@link NiftiHeader#affine()}) within {@code tolerance} mm per entry.
   *
   * @param aWhat names the first volume, e.g. {@code "--truth labels.nii.gz"}
   */
  public static void requireSameGrid(String aWhat, NiftiHeader a, String bWhat, NiftiHeader b, double tolerance) {
    int[] da = a.spatialDims();
    int[] db = b.spatialDims();
    if (da[0] != db[0] || da[1] != db[1] || da[2] != db[2]) {
      throw new InvalidInputException(bWhat + " is " + da(db) + " voxels but " + aWhat + " is " + da(da)
          + "; the two must be on one voxel grid (resample one onto the other's)");
    }
    double[][] x = a.affine();
    double[][] y = b.affine();
    double worst = 0;
    for (int r = 0; r < 3; r++) for (int c = 0; c < 4; c++) worst = Math.max(worst, Math.abs(x[r][c] - y[r][c]));
    if (!(worst <= tolerance)) {
      throw new InvalidInputException(bWhat + " and " + aWhat + " have different voxel-to-world matrices (" + b.affineSource() + " "
          + NiftiHeader.matrix(y) + " vs " + a.affineSource() + " " + NiftiHeader.matrix(x) + ", largest difference "
          + num(worst) + " mm, tolerance " + num(tolerance) + " mm): they are not on one voxel grid; resample one onto the other's, or raise --affine-tol if the headers alone differ");
    }
  }

  /** Three significant digits without trailing zeros: 5, 0.001, 2.35. */
  static String num(double v) {
    return new java.math.BigDecimal(String.format(Locale.ROOT, "%.3g", v)).stripTrailingZeros().toPlainString();
  }

  private static String da(int[] d) {
    return d[0] + "x" + d[1] + "x" + d[2];
  }

  /** Default of {@link #requireSameGrid}'s tolerance: the {@code affine_tol} default of {@code --data nifti:}. */
  public static final double DEFAULT_AFFINE_TOL = DataSpec.Nifti.DEFAULT_AFFINE_TOL;

  /**
   * The voxel size {dx, dy, dz} in millimetres from pixdim[1..3] and the spatial unit of xyzt_units
   * (nifti1.h: 1 metre, 2 mm, 3 micron; 0, "unknown", is taken as mm, as ITK and nibabel do).
   *
   * @throws InvalidInputException when a size is not positive and finite (naming {@code what})
   */
  public static double[] spacingMm(NiftiHeader h, String what) {
    double[] s = h.spacing();
    double f = millimetresPerUnit(h);
    int[] d = h.spatialDims();
    for (int i = 0; i < 3; i++) {
      if (d[i] == 1 && !(s[i] > 0 && Double.isFinite(s[i]))) s[i] = 1; // a singleton axis has no distance along it
      if (!(s[i] > 0 && Double.isFinite(s[i]))) {
        throw new InvalidInputException(what + ": pixdim[" + (i + 1) + "] is " + s[i] + ", not a voxel size; give the voxel size with --spacing");
      }
      s[i] *= f;
    }
    return s;
  }

  /** Millimetres per pixdim unit (1 when the unit is unknown or not spatial). */
  public static double millimetresPerUnit(NiftiHeader h) {
    switch (h.xyztUnits() & 7) {
      case 1:
        return 1000;
      case 3:
        return 1e-3;
      default:
        return 1;
    }
  }

  /** True when the header does not state its spatial unit (xyzt_units code 0). */
  public static boolean unitUnknown(NiftiHeader h) {
    return (h.xyztUnits() & 7) == 0;
  }
}
