package dev.segloss.data.folder;

import dev.segloss.core.InvalidInputException;
import dev.segloss.core.io.ImageData;
import dev.segloss.core.io.ImageHeader;
import dev.segloss.core.io.Images;
import dev.segloss.core.io.Pairing;
import dev.segloss.data.DataSpec;
import dev.segloss.data.Datasets;
import dev.segloss.data.LoadOptions;
import dev.segloss.data.MemoryCheck;
import dev.segloss.data.Options;
import dev.segloss.data.Pool;
import dev.segloss.data.Sample;
import dev.segloss.data.SegDataset;
import dev.segloss.data.Split;
import dev.segloss.data.Splits;
import dev.segloss.data.batch.BatchLoader;
import dev.segloss.data.transform.Geometry;
import dev.segloss.data.transform.Intensity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Loads a folder of images and masks ({@code --data DIR} or {@code folder:path=DIR,...}).
 *
 * <p><b>Layouts.</b> {@code DIR/images/} + {@code DIR/masks/}, split at random by the seed ({@link
 * Splits#random}); or predefined parts, either {@code DIR/train/images} + {@code DIR/train/masks} (and
 * {@code val/}, {@code test/}) or {@code DIR/images/train} + {@code DIR/masks/train} (...). A missing
 * {@code val/} (or {@code test/}) part is carved out of {@code train/} at random (a warning says so).
 * Files are paired by stem ({@link Pairing}: PNG, JPEG, TIFF, BMP; {@code mask_suffix=_mask} strips a
 * suffix from mask stems); names are the stems, prefixed by the part when the parts are predefined.
 *
 * <p><b>Pixels.</b> Images are read as one gray channel (RGB as BT.601 luma, 8- or 16-bit raw values;
 * {@link ImageData#gray()}) and normalised per image ({@code norm}, {@link Intensity}). A mask pixel is
 * foreground when its raw value is above {@link LoadOptions#maskThreshold()} (0 by default: "not black").
 *
 * <p><b>Common size.</b> {@code size=HxW} when given, else, when sizes differ, the median height and the
 * median width over all images; then rounded up to the size multiple. An image larger than that in
 * either direction is scaled down, keeping its aspect ratio, until it fits (bilinear for the image,
 * nearest for the mask); smaller images are never scaled up (that would change the pixel scale of the
 * objects). Then each is centre-padded to the common size with its darkest value (the normalised lower
 * clipping bound), masks with background. A warning counts the images that were scaled.
 *
 * <p><b>Bad files.</b> A missing, unreadable or corrupt image or mask, an image whose mask has another
 * size, an image whose header claims more pixels than the memory can decode, or an image name that is
 * not a regular file (a folder, FIFO, device, symbolic link loop or dangling link, never opened) is an
 * error naming the file; with {@link LoadOptions#skipBad()} it is skipped and listed in {@link
 * SegDataset#skipped()} instead (files without a partner too). Sizes are checked from the headers, before
 * anything is decoded. No pair at all is an error.
 */
public final class FolderLoader {
  private FolderLoader() {}

  /** One image/mask pair and the part it belongs to (null: to be split at random). */
  private static final class Item {
    final String name;
    final Path image;
    final Path mask;
    final Split part;
    int h;
    int w;

    Item(String name, Path image, Path mask, Split part) {
      this.name = name;
      this.image = image;
      this.mask = mask;
      this.part = part;
    }
  }

  public static SegDataset load(DataSpec.Folder spec, LoadOptions options) {
    Path root = spec.path();
    String ctx = "--data " + root;
    if (!Files.isDirectory(root)) {
      throw new InvalidInputException(ctx + ": " + (Files.exists(root) ? "is not a directory" : "no such directory")
          + " (expected synthetic[:options], nifti:... or a folder with images/ and masks/)");
    }
    List<String> warnings = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    List<Item> items = new ArrayList<>();
    boolean predefined = collect(root, spec, options, items, warnings, skipped);
    if (items.isEmpty()) throw new InvalidInputException(ctx + ": no image/mask pairs found");
    long jpegMasks = items.stream().map(i -> Images.extension(i.mask)).filter(e -> e.equals("jpg") || e.equals("jpeg")).count();
    if (jpegMasks > 0 && options.maskThreshold() < 1) {
      warnings.add(jpegMasks + " mask(s) are JPEG, whose lossy compression turns black into small non-zero values: with mask"
          + " threshold " + Options.fmt(options.maskThreshold()) + " those count as foreground; consider --mask-threshold 127");
    }

    // sizes from the file headers, without decoding: a pair whose sizes differ is refused (or skipped with
    // --skip-bad) by name before any decoding
    List<Item> probed = new ArrayList<>();
    for (Item it : items) {
      try {
        int[] hw = probe(it.image);
        int[] mhw = probe(it.mask);
        if (hw[0] != mhw[0] || hw[1] != mhw[1]) {
          throw new InvalidInputException(it.image + ": the image is " + hw[0] + "x" + hw[1] + " but its mask " + it.mask + " is " + mhw[0]
              + "x" + mhw[1]);
        }
        it.h = hw[0];
        it.w = hw[1];
        probed.add(it);
      } catch (InvalidInputException e) {
        if (!options.skipBad()) throw e;
        skipped.add(e.getMessage());
      }
    }
    // an image larger than most whose decoding alone would not fit in memory (a header claiming
    // 100000x100000) is named, and skipped with --skip-bad; images that are all too large for the memory
    // get the data set's estimate below instead
    List<Item> ok = new ArrayList<>();
    long[] pixels = probed.stream().mapToLong(i -> (long) i.h * i.w).sorted().toArray();
    long typical = pixels.length == 0 ? 0 : pixels[(pixels.length - 1) / 2]; // the lower median
    for (Item it : probed) {
      try {
        if ((long) it.h * it.w > typical) {
          MemoryCheck.require(decodeBytes(it.h, it.w), it.image + ": an image of " + it.h + "x" + it.w + " pixels (decoded with its mask)",
              options.skipBad() ? "shrink it" : "shrink or remove it (--skip-bad skips it)", options);
        }
        ok.add(it);
      } catch (InvalidInputException e) {
        if (!options.skipBad()) throw e;
        skipped.add(e.getMessage());
      }
    }
    if (ok.isEmpty()) throw new InvalidInputException(ctx + ": none of the " + items.size() + " images could be read");
    int[] target = commonSize(spec, ok, options.sizeMultiple());
    int H = target[0];
    int W = target[1];
    long largest = 0;
    for (Item it : ok) largest = Math.max(largest, (long) it.h * it.w);
    long bytes = MemoryCheck.pairBytes(ok.size(), H, W) + decodeBytes(largest, 1) * options.threads();
    MemoryCheck.require(bytes, ok.size() + " image/mask pairs at " + H + "x" + W + " (image + mask, float32)", options);

    // decode in parallel, results in order
    Sample[] samples = new Sample[ok.size()];
    String[] errors = new String[ok.size()];
    boolean[] scaled = new boolean[ok.size()];
    int threads = Math.max(1, Math.min(options.threads(), ok.size()));
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "segloss-folder");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<?>> fs = new ArrayList<>();
      for (int c = 0; c < threads; c++) {
        int from = (int) ((long) ok.size() * c / threads);
        int to = (int) ((long) ok.size() * (c + 1) / threads);
        fs.add(pool.submit(() -> {
          for (int i = from; i < to; i++) {
            try {
              Item it = ok.get(i);
              scaled[i] = Math.min(it.h, it.w) > 0 && (it.h > H || it.w > W);
              samples[i] = decode(it, spec, options, H, W);
            } catch (InvalidInputException e) {
              if (!options.skipBad()) throw e;
              errors[i] = e.getMessage();
            }
          }
        }));
      }
      for (Future<?> f : fs) BatchLoader.await(f);
    } finally {
      pool.shutdownNow();
    }
    int nScaled = 0;
    Map<Split, List<Sample>> parts = new EnumMap<>(Split.class);
    for (Split s : Split.values()) parts.put(s, new ArrayList<>());
    List<Sample> unsplit = new ArrayList<>();
    for (int i = 0; i < samples.length; i++) {
      if (errors[i] != null) {
        skipped.add(errors[i]);
        continue;
      }
      if (scaled[i]) nScaled++;
      Item it = ok.get(i);
      if (it.part == null) unsplit.add(samples[i]);
      else parts.get(it.part).add(samples[i]);
    }
    if (nScaled > 0) warnings.add(nScaled + " image(s) larger than " + H + "x" + W + " were scaled down to fit (aspect ratio kept)");
    if (unsplit.isEmpty() && parts.values().stream().allMatch(List::isEmpty)) {
      throw new InvalidInputException(ctx + ": none of the " + items.size() + " image/mask pairs could be read: " + skipped.get(0));
    }
    if (!skipped.isEmpty()) warnings.add(skipped.size() + " file(s) skipped (--skip-bad); see the list of skipped files");
    String canonical = spec.canonical();
    if (!predefined) return Datasets.split(canonical, H, W, unsplit, options, warnings, skipped);
    completeParts(parts, options, warnings);
    List<Sample> all = new ArrayList<>();
    for (Split part : Split.values()) all.addAll(parts.get(part));
    return SegDataset.of(canonical, H, W, parts.get(Split.TRAIN), parts.get(Split.VAL), parts.get(Split.TEST), warnings, skipped,
        options, Pool.ofImages(all).asPredefined());
  }

  /** Finds the pairs; returns true when the parts are predefined by sub-folders. */
  private static boolean collect(Path root, DataSpec.Folder spec, LoadOptions options, List<Item> items, List<String> warnings,
      List<String> skipped) {
    boolean partsFirst = false;
    boolean partsInside = false;
    for (Split s : Split.values()) {
      partsFirst |= Files.isDirectory(root.resolve(s.label()).resolve("images"));
      partsInside |= Files.isDirectory(root.resolve("images").resolve(s.label()));
    }
    if (!partsFirst && !partsInside) {
      Path images = root.resolve("images");
      Path masks = root.resolve("masks");
      if (!Files.isDirectory(images) || !Files.isDirectory(masks)) {
        throw new InvalidInputException("--data " + root + ": expected sub-folders images/ and masks/ (or train/, val/, test/"
            + " each holding images/ and masks/), found " + listing(root));
      }
      pairs(images, masks, null, spec, options, items, skipped);
      return false;
    }
    for (Split s : Split.values()) {
      Path images = partsFirst ? root.resolve(s.label()).resolve("images") : root.resolve("images").resolve(s.label());
      Path masks = partsFirst ? root.resolve(s.label()).resolve("masks") : root.resolve("masks").resolve(s.label());
      if (!Files.isDirectory(images)) continue;
      if (!Files.isDirectory(masks)) {
        throw new InvalidInputException("--data " + root + ": " + images + " has no matching mask folder " + masks);
      }
      pairs(images, masks, s, spec, options, items, skipped);
    }
    return true;
  }

  private static void pairs(Path images, Path masks, Split part, DataSpec.Folder spec, LoadOptions options, List<Item> items,
      List<String> skipped) {
    Set<String> ext = Images.EXTENSIONS;
    // image or mask names that are not regular files (folders, FIFOs, devices, broken links): refused, or
    // skipped and listed with --skip-bad
    List<String> bad = options.skipBad() ? skipped : null;
    String skipHint = " (--skip-bad skips such entries)";
    Map<String, Path> a = Pairing.list(images, "--data images", "", ext, bad, skipHint);
    Map<String, Path> b = Pairing.list(masks, "--data masks", spec.maskSuffix(), ext, bad, skipHint);
    List<String> onlyImages = new ArrayList<>();
    List<String> onlyMasks = new ArrayList<>();
    for (Map.Entry<String, Path> e : a.entrySet()) {
      Path m = b.get(e.getKey());
      if (m == null) onlyImages.add(e.getValue().getFileName().toString());
      else items.add(new Item(part == null ? e.getKey() : part.label() + "/" + e.getKey(), e.getValue(), m, part));
    }
    for (Map.Entry<String, Path> e : b.entrySet()) if (!a.containsKey(e.getKey())) onlyMasks.add(e.getValue().getFileName().toString());
    if (onlyImages.isEmpty() && onlyMasks.isEmpty()) return;
    if (!options.skipBad()) {
      List<String> parts = new ArrayList<>();
      if (!onlyImages.isEmpty()) parts.add(onlyImages.size() + " image(s) in " + images + " without a mask: " + head(onlyImages));
      if (!onlyMasks.isEmpty()) parts.add(onlyMasks.size() + " mask(s) in " + masks + " without an image: " + head(onlyMasks));
      String hint = spec.maskSuffix().isEmpty() ? suffixHint(a.keySet(), b.keySet(), spec) : "";
      throw new InvalidInputException("--data: unpaired files (matched by file stem): " + String.join("; ", parts)
          + " (--skip-bad ignores them)" + hint);
    }
    for (String f : onlyImages) skipped.add(images.resolve(f) + ": no mask with this stem in " + masks);
    for (String f : onlyMasks) skipped.add(masks.resolve(f) + ": no image with this stem in " + images);
  }

  /**
   * When most unmatched mask stems are an image stem plus one common suffix (a.png with a_mask.png), the
   * option that pairs them; else "".
   */
  static String suffixHint(Set<String> imageStems, Set<String> maskStems, DataSpec.Folder spec) {
    Map<String, Integer> votes = new java.util.HashMap<>();
    int unmatched = 0;
    for (String m : maskStems) {
      if (imageStems.contains(m)) continue;
      unmatched++;
      String best = null;
      for (String i : imageStems) {
        if (m.length() > i.length() && m.startsWith(i) && (best == null || i.length() > best.length())) best = i;
      }
      if (best != null) votes.merge(m.substring(best.length()), 1, Integer::sum);
    }
    if (unmatched == 0) return "";
    Map.Entry<String, Integer> top = null;
    for (Map.Entry<String, Integer> e : votes.entrySet()) if (top == null || e.getValue() > top.getValue()) top = e;
    if (top == null || top.getValue() * 2 < unmatched || !top.getKey().matches("[A-Za-z0-9_.-]+")) return "";
    return "; the masks look like <image stem>" + top.getKey() + ": pair them with --data folder:path=" + spec.path()
        + ",mask_suffix=" + top.getKey();
  }

  private static String head(List<String> names) {
    String s = String.join(", ", names.subList(0, Math.min(10, names.size())));
    return names.size() > 10 ? s + " and " + (names.size() - 10) + " more" : s;
  }

  private static String listing(Path root) {
    try (var s = Files.list(root)) {
      TreeSet<String> names = new TreeSet<>();
      s.forEach(p -> names.add(p.getFileName() + (Files.isDirectory(p) ? "/" : "")));
      if (names.isEmpty()) return "an empty folder";
      List<String> l = new ArrayList<>(names);
      return head(l);
    } catch (IOException e) {
      return "an unreadable folder";
    }
  }

  /**
   * {height, width} from the file header, without decoding the pixels ({@link Images#probe}: the
   * header checked as strictly as a full read checks it); a missing file or one the JDK cannot decode is
   * an {@link InvalidInputException} naming it.
   */
  public static int[] probe(Path file) {
    if (!Files.isRegularFile(file)) throw new InvalidInputException(file + ": no such file");
    ImageHeader h = Images.probe(file);
    return new int[] {h.height(), h.width()};
  }

  /**
   * Bytes decoding one image/mask pair of {@code h x w} pixels takes at once (per decoding thread): the
   * decoded raster and its float copies (up to 4 float32 values per pixel), for the image and the mask.
   */
  static long decodeBytes(long h, long w) {
    return h * w * 4 * 4 * 2L;
  }

  /** See the class comment: explicit size, else the common size or the per-axis median, rounded up. */
  static int[] commonSize(DataSpec.Folder spec, List<Item> items, int multiple) {
    int h;
    int w;
    if (spec.size() != null) {
      h = spec.size()[0];
      w = spec.size()[1];
    } else {
      int[] hs = items.stream().mapToInt(i -> i.h).sorted().toArray();
      int[] ws = items.stream().mapToInt(i -> i.w).sorted().toArray();
      h = median(hs);
      w = median(ws);
    }
    return new int[] {Geometry.roundUp(h, multiple), Geometry.roundUp(w, multiple)};
  }

  static int median(int[] sorted) {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (int) Math.ceil((sorted[n / 2 - 1] + sorted[n / 2]) / 2.0);
  }

  private static Sample decode(Item it, DataSpec.Folder spec, LoadOptions options, int H, int W) {
    ImageHeader mh = Images.probe(it.mask); // a size mismatch is reported before either file is decoded
    if (mh.height() != it.h || mh.width() != it.w) {
      throw new InvalidInputException(it.image + ": the image is " + it.h + "x" + it.w + " but its mask " + it.mask + " is " + mh.height() + "x"
          + mh.width());
    }
    ImageData img = Images.read(it.image);
    ImageData msk = Images.read(it.mask);
    if (img.height() != msk.height() || img.width() != msk.width()) {
      throw new InvalidInputException(it.image + ": the image is " + img.height() + "x" + img.width() + " but its mask " + it.mask
          + " is " + msk.height() + "x" + msk.width());
    }
    float[] pixels = img.gray();
    for (float v : pixels) {
      if (!Float.isFinite(v)) throw new InvalidInputException(it.image + ": contains NaN or infinite values");
    }
    Intensity.Transform tf = Intensity.fit(pixels, null, spec.norm());
    tf.applyInPlace(pixels);
    float fill = spec.norm() == Intensity.Mode.NONE ? min(pixels) : tf.floor();
    float[] mask = msk.mask(options.maskThreshold(), Double.NaN);
    int h = img.height();
    int w = img.width();
    if (h > H || w > W) {
      double s = Math.min((double) H / h, (double) W / w);
      int nh = Math.max(1, Math.min(H, (int) Math.round(h * s)));
      int nw = Math.max(1, Math.min(W, (int) Math.round(w * s)));
      pixels = Geometry.resizeBilinear(pixels, h, w, nh, nw);
      mask = Geometry.resizeNearest(mask, h, w, nh, nw);
      h = nh;
      w = nw;
    }
    if (h != H || w != W) {
      pixels = Geometry.cropOrPad(pixels, h, w, H, W, fill);
      mask = Geometry.cropOrPad(mask, h, w, H, W, 0f);
    }
    return new Sample(it.name, H, W, pixels, mask, -1);
  }

  private static float min(float[] a) {
    float m = Float.POSITIVE_INFINITY;
    for (float v : a) m = Math.min(m, v);
    return m;
  }

  /** Carves missing val/test parts out of train (stratified on empty masks, by the seed). */
  private static void completeParts(Map<Split, List<Sample>> parts, LoadOptions options, List<String> warnings) {
    List<Sample> train = parts.get(Split.TRAIN);
    boolean needVal = parts.get(Split.VAL).isEmpty() && options.valFraction() > 0;
    boolean needTest = parts.get(Split.TEST).isEmpty() && options.testFraction() > 0;
    if (train.isEmpty()) {
      throw new InvalidInputException("--data: the predefined parts have no training images (expected train/images and train/masks)");
    }
    if (!needVal && !needTest) return;
    // fractions of the training part, so the parts end up near the requested shares of the whole
    double total = train.size() + parts.get(Split.VAL).size() + parts.get(Split.TEST).size();
    double val = needVal ? options.valFraction() * total / train.size() : 0;
    double test = needTest ? options.testFraction() * total / train.size() : 0;
    if (val + test >= 0.9) { // a tiny train/ part: keep at least half of it for training
      double f = 0.5 / (val + test);
      val *= f;
      test *= f;
    }
    boolean[] empty = new boolean[train.size()];
    for (int i = 0; i < empty.length; i++) empty[i] = train.get(i).isEmpty();
    Split[] where = Splits.random(empty, val, test, options.seed());
    List<Sample> keep = new ArrayList<>();
    for (int i = 0; i < where.length; i++) {
      if (where[i] == Split.TRAIN) keep.add(train.get(i));
      else parts.get(where[i]).add(train.get(i));
    }
    parts.put(Split.TRAIN, keep);
    List<String> carved = new ArrayList<>();
    if (needVal) carved.add(parts.get(Split.VAL).size() + " validation");
    if (needTest) carved.add(parts.get(Split.TEST).size() + " test");
    warnings.add("no " + (needVal && needTest ? "val/ or test/" : needVal ? "val/" : "test/") + " folder: " + String.join(" and ", carved)
        + " images were taken from train/ at random (seed " + options.seed() + ")");
  }
}
