package dev.segloss.cli;

import dev.segloss.cli.cluster.Cluster;
import dev.segloss.cli.cluster.Clusters;
import dev.segloss.cli.cluster.FileRef;
import dev.segloss.cli.cluster.Locations;
import dev.segloss.cli.cluster.RemoteFiles;
import dev.segloss.cli.cluster.RemoteFolders;
import dev.segloss.cli.cluster.Slice;
import dev.segloss.cli.cluster.SliceTask;
import dev.segloss.cli.cluster.TaskEnv;
import dev.segloss.cli.cluster.TaskFiles;
import dev.segloss.core.InvalidInputException;
import dev.segloss.core.io.Images;
import dev.segloss.core.io.Pairing;
import dev.segloss.core.weights.ClassPixelCounter;
import java.io.PrintWriter;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code segloss weights --spark}: the masks of a folder counted in Spark tasks, one slice of consecutive
 * files per task, and the counts added on the driver, so that the counter is the one the local command
 * fills, to the last bit.
 *
 * <p>The local command adds each image's counts to running sums in file order. When every image's counts
 * are whole numbers (image masks always are: a pixel is 0 or 1; soft labels only come from .npy files) every
 * partial sum is exact below 2<sup>53</sup>, so adding each task's total on the driver gives the same
 * doubles. Otherwise the order of the additions matters; the job then runs again returning each image's
 * counts, which the driver adds in file order as the local command does.
 */
final class WeightsOnCluster {
  private WeightsOnCluster() {}

  private static final double EXACT = 0x1p53;

  /**
   * @param skipped null: the first bad file is an error; else (--skip-bad) bad files are skipped and their
   *     messages added here in file order, as the local command lists them
   */
  static ClassPixelCounter count(ClusterOption opt, PrintWriter err, String masks, double maskThreshold, double ignore, MaskCheck check,
      List<String> skipped) {
    // local folders are checked before Spark starts (seconds), so that a typo fails at once
    List<FileRef> local = Locations.isUri(masks) ? null : listLocal(masks, skipped);
    try (Cluster cluster = opt.connect(err)) {
      List<FileRef> files = local != null ? local : listRemote(cluster, masks, skipped);
      List<Slice<FileRef>> slices = Slice.cut(files, Clusters.slices(cluster, files.size(), opt.partitions));
      boolean skipBad = skipped != null;
      List<Counts> parts = cluster.run(slices, new CountTask(maskThreshold, ignore, false, skipBad));
      firstError(parts);
      for (Counts c : parts) if (skipBad) skipped.addAll(c.skipped);
      boolean exact = true;
      ClassPixelCounter total = new ClassPixelCounter(ignore);
      for (Counts c : parts) {
        exact &= c.exact;
        total.merge(c.total);
        check.merge(c.check);
      }
      if (exact && total.positive() <= EXACT && total.negative() <= EXACT && total.pixelsWherePositive() <= EXACT
          && total.pixelsWhereNegative() <= EXACT) {
        return total;
      }
      parts = cluster.run(slices, new CountTask(maskThreshold, ignore, true, skipBad));
      firstError(parts);
      total = new ClassPixelCounter(ignore);
      for (Counts c : parts) for (ClassPixelCounter one : c.perImage) total.merge(one);
      return total;
    }
  }

  /** The mask files of a URI, by the rules of the local listing ({@code Inputs.listFolder}). */
  private static List<FileRef> listRemote(Cluster cluster, String masks, List<String> skipped) {
    RemoteFiles.Kind k = RemoteFolders.kind(cluster.files(), masks);
    if (k == RemoteFiles.Kind.FILE) throw singleArray(masks);
    if (k != RemoteFiles.Kind.DIRECTORY) throw new InvalidInputException("--masks: no such directory " + masks);
    RemoteFolders.Listing listing = RemoteFolders.files(cluster.files(), masks,
        n -> !n.startsWith(".") && Pairing.DEFAULT_EXTENSIONS.contains(Locations.extension(n)));
    List<FileRef> files = listing.filesOrThrow("--masks:", skipped, skipped == null ? "; --skip-bad skips such entries" : null);
    if (files.isEmpty()) {
      throw new InvalidInputException("--masks: no .png, .jpg, .jpeg, .tif, .tiff, .bmp or .npy files in " + masks
          + (listing.problems().isEmpty() ? "" : " (" + listing.problems().size() + " such name(s) are not regular files)"));
    }
    return files;
  }

  /** The mask files of a local folder, listed by the local command's own code. */
  private static List<FileRef> listLocal(String masks, List<String> skipped) {
    Path dir = Path.of(masks);
    if (Files.isRegularFile(dir)) throw singleArray(masks);
    List<FileRef> files = new ArrayList<>();
    for (Path f : Inputs.listFolder("--masks", dir, skipped)) files.add(FileRef.local(f));
    return files;
  }

  private static InvalidInputException singleArray(String masks) {
    return new InvalidInputException("--spark: distributes a folder of masks; " + masks + " is one file (a .npy array is counted by one"
        + " process: drop --spark)");
  }

  private static void firstError(List<Counts> parts) {
    for (Counts c : parts) if (c.error != null) throw new InvalidInputException(c.error);
  }

  /** One task's counts. */
  static final class Counts implements Serializable {
    private static final long serialVersionUID = 1L;
    ClassPixelCounter total;
    /** Every image's counts are whole numbers below 2^53. */
    boolean exact = true;
    /** Each image's own counter, when asked for. */
    List<ClassPixelCounter> perImage;
    /** The first bad file's message (the task stops there, as the local command does). */
    String error;
    /** What the files looked like (for the "do not look like masks" warning). */
    final MaskCheck check = new MaskCheck();
    /** With --skip-bad: the messages of the files skipped, in order. */
    final List<String> skipped = new ArrayList<>();
  }

  /** Counts the masks of one slice as the local command counts each file. */
  static final class CountTask implements SliceTask<FileRef, Counts> {
    private static final long serialVersionUID = 1L;
    private final double maskThreshold;
    private final double ignore;
    private final boolean perImage;
    private final boolean skipBad;

    CountTask(double maskThreshold, double ignore, boolean perImage, boolean skipBad) {
      this.maskThreshold = maskThreshold;
      this.ignore = ignore;
      this.perImage = perImage;
      this.skipBad = skipBad;
    }

    @Override
    public Counts run(Slice<FileRef> slice, TaskEnv env) {
      Counts c = new Counts();
      c.total = new ClassPixelCounter(ignore);
      if (perImage) c.perImage = new ArrayList<>(slice.items().size());
      TaskFiles files = new TaskFiles(env);
      for (FileRef f : slice.items()) {
        try {
          Path p = files.local(f);
          ClassPixelCounter one = WeightsCommand.countMask(p, maskThreshold, ignore, c.check);
          c.exact &= whole(one.positive()) && whole(one.negative());
          c.total.merge(one);
          if (perImage) c.perImage.add(one);
        } catch (InvalidInputException e) {
          if (skipBad) {
            c.skipped.add(WeightsCommand.skippedMessage(files.renamed(e)));
            continue;
          }
          c.error = files.renamed(e).getMessage();
          return c;
        } finally {
          files.release();
        }
      }
      c.exact &= c.total.positive() + c.total.negative() <= EXACT;
      return c;
    }

    private static boolean whole(double v) {
      return v == Math.rint(v) && v <= EXACT;
    }
  }
}
