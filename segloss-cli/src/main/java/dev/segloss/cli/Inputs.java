package dev.segloss.cli;

import dev.segloss.core.InvalidInputException;
import dev.segloss.core.Tensor;
import dev.segloss.core.io.FolderEntries;
import dev.segloss.core.io.ImageData;
import dev.segloss.core.io.ImageHeader;
import dev.segloss.core.io.Images;
import dev.segloss.core.io.Npy;
import dev.segloss.core.io.Pairing;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reading masks and predictions for the CLI: a {@code .npy} file ({@code [N, ...]}, one image per item of
 * the first axis) or a folder of images ({@link Images#EXTENSIONS}) and single-image {@code .npy} files.
 * Every error names the option and the file.
 */
final class Inputs {
  private Inputs() {}

  /** One image: its name (file stem or batch index), values and spatial shape. */
  static final class Item {
    final String name;
    final float[] values;
    final int[] shape;
    final Path file;

    Item(String name, float[] values, int[] shape, Path file) {
      this.name = name;
      this.values = values;
      this.shape = shape;
      this.file = file;
    }
  }

  /** True when the path is an existing directory. */
  static boolean isDirectory(Path p) {
    return Files.isDirectory(p);
  }

  /** Reads a .npy array given to {@code option}. */
  static Tensor npy(String option, Path file) {
    if (Files.isDirectory(file)) throw new InvalidInputException(option + ": " + file + " is a directory; expected a .npy file here");
    requireRegular(option, file);
    try {
      return Npy.read(file);
    } catch (InvalidInputException e) {
      throw new InvalidInputException(option + ": " + e.getMessage(), e);
    }
  }

  /**
   * A file named on the command line must be a regular file (links followed): a FIFO or a device is
   * refused before it is opened (reading one can block forever or never end).
   */
  static void requireRegular(String option, Path file) {
    if (Files.exists(file) && !Files.isDirectory(file)) {
      String problem = FolderEntries.problem(file);
      if (problem != null) throw new InvalidInputException(option + ": " + problem);
    }
  }

  /**
   * The image and .npy files of a folder, sorted by name (hidden files skipped). Such a name that is not a
   * regular file (a folder, FIFO, device, link loop or dangling link) is refused, naming it, or, when
   * {@code skipped} is given (--skip-bad), listed there and left out.
   */
  static List<Path> listFolder(String option, Path dir, List<String> skipped) {
    if (!Files.isDirectory(dir)) throw new InvalidInputException(option + ": no such directory " + dir);
    FolderEntries.Listing listing;
    try {
      listing = FolderEntries.list(dir, n -> !n.startsWith(".") && Pairing.DEFAULT_EXTENSIONS.contains(Images.extension(Path.of(n))));
    } catch (UncheckedIOException e) {
      throw new UncheckedIOException(option + ": " + e.getMessage(), e.getCause());
    }
    List<Path> files = listing.filesOrThrow(option + ":", skipped, skipped == null ? "; --skip-bad skips such entries" : null);
    if (files.isEmpty()) {
      throw new InvalidInputException(option + ": no .png, .jpg, .jpeg, .tif, .tiff, .bmp or .npy files in " + dir
          + (listing.problems().isEmpty() ? "" : " (" + listing.problems().size() + " such name(s) are not regular files)"));
    }
    return files;
  }

  static String stem(Path file) {
    String n = file.getFileName().toString();
    int dot = n.lastIndexOf('.');
    return dot > 0 ? n.substring(0, dot) : n;
  }

  /**
   * A mask file as labels: an image gives 1 where its raw value &gt; {@code maskThreshold}, 0 elsewhere and
   * the ignore value where the raw value equals it; a .npy file gives its values as they are (labels in
   * [0,1] or the ignore value, checked by the consumer).
   */
  static Item mask(String option, Path file, double maskThreshold, double ignoreValue) {
    if (Images.extension(file).equals("npy")) {
      Tensor t = npy(option, file);
      return new Item(stem(file), t.data(), Tensor.squeeze(t.shape()), file);
    }
    ImageData img = image(option, file);
    return new Item(stem(file), img.mask(maskThreshold, ignoreValue), img.shape(), file);
  }

  /**
   * A prediction file: an image gives its single-channel view scaled to [0,1] (8-bit /255, 16-bit
   * /65535: a probability map, or a 0/255 mask); a palette image, or any image when {@code asMask}, is a
   * label mask instead: 1 where the raw value (palette index) is &gt; {@code maskThreshold}, else 0. A
   * .npy file gives its values (probabilities or logits).
   */
  static Item prediction(String option, Path file, boolean asMask, double maskThreshold) {
    if (Images.extension(file).equals("npy")) {
      Tensor t = npy(option, file);
      return new Item(stem(file), t.data(), Tensor.squeeze(t.shape()), file);
    }
    ImageData img = image(option, file);
    float[] v = asMask || img.indexed() ? img.mask(maskThreshold, Double.NaN) : img.grayScaled();
    return new Item(stem(file), v, img.shape(), file);
  }

  /**
   * The spatial shape of a mask or prediction file from its header alone (a .npy header, or an image
   * header: {height, width}), as {@link #mask} and {@link #prediction} would give it.
   */
  static int[] shape(String option, Path file) {
    try {
      if (Images.extension(file).equals("npy")) return Tensor.squeeze(Npy.readHeader(file).shape());
      ImageHeader h = Images.probe(file);
      return new int[] {h.height(), h.width()};
    } catch (InvalidInputException e) {
      throw new InvalidInputException(option + ": " + e.getMessage(), e);
    }
  }

  static ImageData image(String option, Path file) {
    requireRegular(option, file);
    try {
      return Images.read(file);
    } catch (InvalidInputException e) {
      throw new InvalidInputException(option + ": " + e.getMessage(), e);
    }
  }
}
