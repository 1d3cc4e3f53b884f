package dev.segloss.data.folder;

import dev.segloss.core.InvalidInputException;
import dev.segloss.core.io.AtomicFiles;
import dev.segloss.core.io.Images;
import dev.segloss.data.DataSpec;
import dev.segloss.data.Datasets;
import dev.segloss.data.LoadOptions;
import dev.segloss.data.Sample;
import dev.segloss.data.SegDataset;
import dev.segloss.data.Split;
import dev.segloss.data.transform.Intensity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * Exports a data set as a folder that {@link FolderLoader} (and so {@code --data DIR}, {@code predict},
 * {@code evaluate} and {@code weights}) reads back:
 *
 * <pre>
 * DIR/train/images/NAME.png   16-bit gray: the raw image, its minimum..maximum mapped linearly onto
 *                             0..65535 (a constant image is all 0)
 * DIR/train/masks/NAME.png    8-bit gray: 0 background, 255 foreground (predict's mask convention)
 * DIR/val/..., DIR/test/...   the same for the other parts (a part without images is left out)
 * DIR/export.json             the source spec, split seed and fractions, size and counts
 * </pre>
 *
 * {@link #export} writes the source's images before intensity normalisation ({@code norm=none}) and before
 * padding to the size multiple, so that loading DIR back with the source's {@code norm} (zscore by default,
 * as for DIR itself) repeats what loading the source did: the split is kept (the parts are sub-folders),
 * the masks are the same exactly and the images the same up to the 16-bit quantisation, because the
 * percentile clipping and the normalisations are all unchanged by an increasing linear map of an image's
 * values. Exceptions: a NIfTI source is normalised over the whole volume, its exported slices per slice
 * (each slice the same up to a linear map); images of a folder source that were resized to the common size
 * are exported resized. PNG for every source, NIfTI slices included: the one format every command reads and
 * any viewer shows. NAME is the sample's name with every character other than letters, digits, '.', '_'
 * and '-' replaced by '_' ({@code T1:axial:093} becomes {@code T1_axial_093}).
 *
 * <p>Atomic: everything is written into a hidden sibling folder ({@code .DIR.tmp-XXXX}) that is renamed
 * to DIR at the end; DIR must not exist or be an empty folder, so nothing the user has is overwritten,
 * and of two exports to one DIR one fails with nothing written. On failure the temporary folder is
 * removed.
 */
public final class FolderExport {
  /** Name of the description file at the top of the folder. */
  public static final String MANIFEST = "export.json";

  private FolderExport() {}

  /** What was written. */
  public record Summary(Path folder, int height, int width, Map<Split, Integer> counts) {
    /** Image/mask pairs over all parts. */
    public int total() {
      return counts.values().stream().mapToInt(Integer::intValue).sum();
    }
  }

  /**
   * Loads {@code spec} without normalisation or padding (see the class comment) and writes it to {@code
   * out}. The target is checked before anything is loaded.
   *
   * @param option the option that named {@code out}, for messages (e.g. {@code --out})
   * @param options split seed and fractions, mask threshold, --skip-bad, threads (the size multiple is
   *     not applied: loading the export pads)
   * @return the summary and the loaded data set (its warnings and skipped files are for the user)
   */
  public static Export export(DataSpec spec, Path out, String option, LoadOptions options) {
    checkTarget(out.toAbsolutePath().normalize(), out, option);
    SegDataset raw = Datasets.load(spec.withNorm(Intensity.Mode.NONE), options.toBuilder().sizeMultiple(1).build());
    return new Export(write(raw, spec.canonical(), out, option, options), raw);
  }

  /** What {@link #export} wrote, and the raw data set it wrote. */
  public record Export(Summary summary, SegDataset data) {}

  /**
   * Writes {@code data}'s samples as they are to {@code out}.
   *
   * @param source the source's canonical spec, recorded in the manifest
   * @param option the option that named {@code out}, for messages (e.g. {@code --out})
   * @param options the options {@code data} was loaded with (recorded in the manifest)
   * @throws InvalidInputException when {@code out} exists and is not an empty folder
   */
  public static Summary write(SegDataset data, String source, Path out, String option, LoadOptions options) {
    Path target = out.toAbsolutePath().normalize();
    checkTarget(target, out, option);
    Path parent = target.getParent();
    Path createdTop = null;
    for (Path p = parent; p != null && !Files.exists(p); p = p.getParent()) createdTop = p;
    Path tmp = null;
    try {
      Files.createDirectories(parent);
      tmp = parent.resolve("." + target.getFileName() + ".tmp-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1));
      Files.createDirectory(tmp);
      Map<Split, Integer> counts = new EnumMap<>(Split.class);
      for (Split s : Split.values()) {
        List<Sample> part = data.split(s);
        counts.put(s, part.size());
        if (part.isEmpty()) continue;
        Path images = Files.createDirectories(tmp.resolve(s.label()).resolve("images"));
        Path masks = Files.createDirectories(tmp.resolve(s.label()).resolve("masks"));
        Map<String, String> used = new HashMap<>();
        for (Sample x : part) {
          String name = fileName(x.name(), s);
          String clash = used.putIfAbsent(name.toLowerCase(Locale.ROOT), x.name());
          if (clash != null) {
            throw new InvalidInputException(option + " " + out + ": samples '" + clash + "' and '" + x.name() + "' would both be written as "
                + name + ".png");
          }
          writeImage(images.resolve(name + ".png"), x);
          writeMask(masks.resolve(name + ".png"), x);
        }
      }
      AtomicFiles.write(tmp.resolve(MANIFEST), o -> o.write(manifest(data, source, options, counts).getBytes(StandardCharsets.UTF_8)));
      publish(tmp, target, out, option);
      tmp = null;
      return new Summary(out, data.height(), data.width(), counts);
    } catch (IOException e) {
      throw new UncheckedIOException(option + " " + out + ": cannot write (" + e.getMessage() + ")", e);
    } finally {
      if (tmp != null) {
        deleteTree(tmp);
        removeEmpty(parent, createdTop);
      }
    }
  }

  private static void checkTarget(Path target, Path out, String option) {
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
        throw new InvalidInputException(option + " " + out + ": exists and is not a folder");
      }
      try (Stream<Path> s = Files.list(target)) {
        if (s.findAny().isPresent()) {
          throw new InvalidInputException(option + " " + out + ": folder exists and is not empty; export writes a new folder, choose"
              + " another name");
        }
      } catch (IOException e) {
        throw new UncheckedIOException(option + " " + out + ": cannot list (" + e.getMessage() + ")", e);
      }
    }
  }

  /** Renames the finished temporary folder to the target, which must still be missing or empty. */
  private static void publish(Path tmp, Path target, Path out, String option) throws IOException {
    try {
      if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) Files.delete(target); // empty (checked; refused if not)
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (DirectoryNotEmptyException | FileAlreadyExistsException e) {
      throw new InvalidInputException(option + " " + out + ": another writer filled the folder meanwhile; nothing was written");
    } catch (AtomicMoveNotSupportedException e) {
      throw new UncheckedIOException(option + " " + out + ": the file system cannot rename folders atomically", e);
    }
    if (Files.exists(tmp)) throw new IOException("the temporary folder " + tmp + " is still there after the rename");
  }

  /** The file stem of a sample: its name without a leading "part/" and with unsafe characters replaced. */
  static String fileName(String sampleName, Split part) {
    String n = sampleName;
    String prefix = part.label() + "/";
    if (n.startsWith(prefix)) n = n.substring(prefix.length());
    StringBuilder sb = new StringBuilder(n.length());
    for (int i = 0; i < n.length(); i++) {
      char c = n.charAt(i);
      sb.append((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-' ? c : '_');
    }
    if (sb.length() == 0 || sb.charAt(0) == '.') sb.insert(0, '_'); // never a hidden file
    return sb.toString();
  }

  private static void writeImage(Path file, Sample x) {
    float[] v = x.image();
    float lo = Float.POSITIVE_INFINITY;
    float hi = Float.NEGATIVE_INFINITY;
    for (float f : v) {
      lo = Math.min(lo, f);
      hi = Math.max(hi, f);
    }
    double span = (double) hi - lo;
    float[] scaled = new float[v.length];
    if (span > 0) for (int i = 0; i < v.length; i++) scaled[i] = (float) Math.min(1.0, Math.max(0.0, (v[i] - (double) lo) / span));
    Images.writePng(file, scaled, x.height(), x.width(), 1, 16);
  }

  private static void writeMask(Path file, Sample x) {
    float[] m = x.mask();
    float[] b = new float[m.length];
    for (int i = 0; i < m.length; i++) b[i] = m[i] > 0.5f ? 1f : 0f;
    Images.writePng(file, b, x.height(), x.width(), 1, 8);
  }

  static String manifest(SegDataset data, String source, LoadOptions options, Map<Split, Integer> counts) {
    StringBuilder sb = new StringBuilder("{\n");
    sb.append("  \"source\": ").append(json(source)).append(",\n");
    sb.append("  \"split_seed\": ").append(options.seed()).append(",\n");
    sb.append("  \"val_fraction\": ").append(options.valFraction()).append(",\n");
    sb.append("  \"test_fraction\": ").append(options.testFraction()).append(",\n");
    sb.append("  \"mask_threshold\": ").append(options.maskThreshold()).append(",\n");
    sb.append("  \"height\": ").append(data.height()).append(",\n");
    sb.append("  \"width\": ").append(data.width()).append(",\n");
    sb.append("  \"counts\": {");
    List<String> c = new ArrayList<>();
    for (Split s : Split.values()) c.add(json(s.label()) + ": " + counts.get(s));
    sb.append(String.join(", ", c)).append("},\n");
    sb.append("  \"images\": ").append(json("16-bit gray PNG: each image (as loaded by " + data.spec() + ") with its minimum..maximum"
        + " mapped linearly onto 0..65535"))
        .append(",\n");
    sb.append("  \"masks\": ").append(json("8-bit gray PNG: 0 background, 255 foreground")).append("\n");
    return sb.append("}\n").toString();
  }

  /** A JSON string literal. */
  static String json(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          else sb.append(c);
        }
      }
    }
    return sb.append('"').toString();
  }

  /** Deletes the temporary folder this export made (never anything else). */
  private static void deleteTree(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) Files.deleteIfExists(p);
    } catch (IOException | UncheckedIOException e) {
      // best effort: the failure being reported matters more
    }
  }

  /** Removes the parents this export created, from {@code dir} up to {@code top}, while they are empty. */
  private static void removeEmpty(Path dir, Path top) {
    if (top == null) return;
    for (Path p = dir; p != null && p.startsWith(top); p = p.getParent()) {
      try {
        Files.delete(p);
      } catch (IOException e) {
        return;
      }
    }
  }
}
