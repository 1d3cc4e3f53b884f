package dev.segloss.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import dev.segloss.core.InvalidInputException;
import dev.segloss.core.io.AtomicFiles;
import dev.segloss.core.io.FolderEntries;
import dev.segloss.core.io.ImageData;
import dev.segloss.core.io.Images;
import dev.segloss.data.DataSpec;
import dev.segloss.data.folder.FolderLoader;
import dev.segloss.data.transform.Geometry;
import dev.segloss.data.transform.Intensity;
import dev.segloss.train.model.UNet;
import dev.segloss.train.model.UNetConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code segloss predict}: runs a trained model over a folder of images and writes one PNG mask per image
 * ({@code OUT/<stem>.png}, 0 or 255, foreground where the probability is at least the threshold), and
 * with {@code probabilities} the probability maps as 16-bit PNGs ({@code OUT/probabilities/<stem>.png},
 * p·65535). {@code segloss evaluate --truth MASKS --pred OUT} scores the masks (or, with its own
 * {@code --threshold}, the probability maps).
 *
 * <p>Each image is read as the folder loader reads it (gray: BT.601 luma 0.299/0.587/0.114 for colour
 * images), normalised over the whole image with the training data's intensity mode (from the run's {@code
 * config.json}), padded at the bottom and right to a multiple of 2^depth with the normalised floor value
 * (the raw minimum with {@code norm=none}), as the loader pads, passed through the network in inference
 * mode, and cropped back to its own size. Images of any size are accepted: unlike the loader, which scales
 * images larger than the training size down, predict keeps every image at its own resolution (the network
 * is fully convolutional), so masks align with their images pixel for pixel.
 */
public final class Predictor {
  private Predictor() {}

  /**
   * @param threshold probability threshold, or NaN for the run's (0.5 unless configured)
   * @param probabilities also write probability maps
   * @param overwrite allow a non-empty output folder (files of the same names are replaced)
   * @param skipBad skip unreadable images (listed at the end) instead of stopping at the first
   * @param device cpu, gpu, gpu:N or auto
   */
  public record Options(double threshold, boolean probabilities, boolean overwrite, boolean skipBad, String device) {}

  /** What was written. */
  public record Summary(int written, List<String> skipped, double threshold, Path out) {}

  public static Summary predict(Path runDir, Path input, Path out, Options opts, PrintWriter err) {
    TrainConfig cfg = TrainingRun.readConfig(runDir);
    Path modelFile = runDir.resolve(ModelFiles.MODEL);
    if (!Files.isRegularFile(modelFile)) {
      throw new InvalidInputException("--model " + runDir + ": no " + ModelFiles.MODEL + " (the run has not finished an epoch)");
    }
    double threshold = Double.isNaN(opts.threshold()) ? cfg.threshold() : opts.threshold();
    if (!(threshold > 0 && threshold < 1)) throw new InvalidInputException("--threshold: expected a number in (0, 1), got " + threshold);
    List<String> skipped = new ArrayList<>();
    List<Path> files = listImages(input, opts.skipBad() ? skipped : null);
    int entries = files.size() + skipped.size();
    Intensity.Mode norm = normalisation(cfg.data());
    Engine engine = DjlRuntime.engine(cfg.threads(), cfg.interopThreads());
    ai.djl.Device device = DjlRuntime.device(engine, opts.device() == null ? cfg.device() : opts.device());
    refuseReplacingInputs(files, out, opts.probabilities());
    // before anything is written: every header readable, every image small enough for the forward pass
    List<Path> ok = new ArrayList<>();
    long free = device.isGpu() ? -1 : MemoryEstimate.freePhysicalMemory();
    for (Path f : files) {
      try {
        probe(f, cfg.unet(), free);
        ok.add(f);
      } catch (InvalidInputException e) {
        if (!opts.skipBad()) throw e;
        skipped.add(e.getMessage());
      }
    }
    if (ok.isEmpty()) throw new InvalidInputException("--input " + input + ": none of the " + entries + " images can be used: " + skipped.get(0));
    // one writer per output folder (and a read-only one refused) before anything is written
    OutputFiles.Output folder = OutputFiles.openOutputDir(out, opts.overwrite(), "--out");
    try {
      AtomicFiles.removeStaleTemporaries(out.resolve("probabilities"));
      Summary s = run(runDir, ok, skipped, norm, engine, device, threshold, out, opts, err);
      folder.close();
      return s;
    } catch (RuntimeException | Error e) {
      folder.abandon();
      throw e;
    }
  }

  private static Summary run(Path runDir, List<Path> files, List<String> skipped, Intensity.Mode norm, Engine engine, ai.djl.Device device,
      double threshold, Path out, Options opts, PrintWriter err) {
    Path probDir = out.resolve("probabilities");
    int written = 0;
    try (Segmenter seg = Segmenter.open(runDir.resolve(ModelFiles.MODEL), norm, engine, device)) {
      for (Path f : files) {
        Segmentation s;
        try {
          s = seg.segment(f);
        } catch (InvalidInputException e) {
          if (!opts.skipBad()) {
            // a header that reads but pixels that do not (a truncated file): say what is already written
            throw written == 0 ? e : new InvalidInputException(e.getMessage() + "; stopped after writing " + written + " of " + files.size()
                + " mask(s) to " + out + " (--skip-bad continues past unreadable images)", e);
          }
          skipped.add(e.getMessage());
          continue;
        }
        s.write(out, stem(f), threshold, opts.probabilities());
        written++;
      }
    }
    if (err != null) {
      err.printf(Locale.ROOT, "wrote %d mask(s) to %s (threshold %s)%s%n", written, out, threshold,
          opts.probabilities() ? " and probability maps to " + probDir : "");
      if (!skipped.isEmpty()) {
        err.println("skipped " + skipped.size() + " unreadable file(s):");
        for (String s : skipped) err.println("  " + s);
      }
      err.flush();
    }
    return new Summary(written, skipped, threshold, out);
  }

  /**
   * The check predict makes of every image before anything is written: the header reads and the image is
   * small enough for the forward pass ({@code free}: bytes of free memory, negative to skip that check).
   *
   * @throws InvalidInputException naming the file
   */
  public static void probe(Path f, UNetConfig unet, long free) {
    int[] hw = FolderLoader.probe(f);
    int m = unet.sizeMultiple();
    MemoryEstimate.checkInference(unet, f, Geometry.roundUp(hw[0], m), Geometry.roundUp(hw[1], m), free);
  }

  /** The probability map of one image, at the image's size. */
  public record Segmentation(float[] probabilities, int height, int width) {
    /**
     * Writes {@code OUT/<stem>.png} (0 or 255, foreground where the probability is at least {@code threshold})
     * and with {@code probabilities} {@code OUT/probabilities/<stem>.png} (16-bit, p·65535), atomically.
     */
    public void write(Path out, String stem, double threshold, boolean withProbabilities) {
      float[] mask = new float[probabilities.length];
      for (int i = 0; i < probabilities.length; i++) mask[i] = probabilities[i] >= threshold ? 1f : 0f;
      Images.writeGrayPng(out.resolve(stem + ".png"), mask, height, width);
      if (withProbabilities) {
        Path probDir = out.resolve("probabilities");
        try {
          Files.createDirectories(probDir);
        } catch (IOException e) {
          throw new InvalidInputException(probDir + ": cannot create the folder (" + AtomicFiles.reason(e) + ")", e);
        }
        Images.writePng(probDir.resolve(stem + ".png"), probabilities, height, width, 1, 16);
      }
    }
  }

  /**
   * A trained model loaded for predict: segments one image at a time as {@code segloss predict} does (see the
   * class comment). Not thread-safe; close it to free the model's native memory.
   */
  public static final class Segmenter implements AutoCloseable {
    private final NDManager manager;
    private final UNet net;
    private final ParameterStore ps;
    private final Intensity.Mode norm;

    private Segmenter(NDManager manager, UNet net, Intensity.Mode norm) {
      this.manager = manager;
      this.net = net;
      this.ps = new ParameterStore(manager, false);
      this.norm = norm;
    }

    /** Loads {@code modelFile} (a run's {@value ModelFiles#MODEL}) on {@code device}; {@code norm} is the run's intensity mode. */
    public static Segmenter open(Path modelFile, Intensity.Mode norm, Engine engine, ai.djl.Device device) {
      NDManager manager = engine.newBaseManager(device);
      try {
        return new Segmenter(manager, ModelFiles.loadModel(modelFile, manager), norm);
      } catch (IOException e) {
        manager.close();
        throw new UncheckedIOException(e);
      } catch (RuntimeException | Error e) {
        manager.close();
        throw e;
      }
    }

    /** Reads, normalises and pads an image as the folder loader does, and runs the network on it in inference mode. */
    public Segmentation segment(Path f) {
      ImageData img = Images.read(f);
      float[] x = img.gray();
      for (float v : x) {
        if (!Float.isFinite(v)) throw new InvalidInputException(f + ": contains NaN or infinite values");
      }
      int h = img.height(), w = img.width();
      int m = net.config().sizeMultiple();
      Intensity.Transform t = Intensity.fit(x, null, norm);
      t.applyInPlace(x);
      // pad as the folder loader does: with the normalised floor (the raw minimum without normalisation)
      float fill = norm == Intensity.Mode.NONE ? min(x) : t.floor();
      int ph = Geometry.roundUp(h, m), pw = Geometry.roundUp(w, m);
      float[] padded = Geometry.window(x, h, w, 0, 0, ph, pw, fill);
      try (NDManager sub = manager.newSubManager()) {
        NDArray in = sub.create(padded, new Shape(1, 1, ph, pw));
        float[] p = Inference.noGrad(() -> Activation.sigmoid(net.forward(ps, new NDList(in), false).singletonOrThrow()).toFloatArray());
        return new Segmentation(Geometry.window(p, ph, pw, 0, 0, h, w, 0f), h, w);
      }
    }

    @Override
    public void close() {
      manager.close();
    }
  }

  /**
   * Even with {@code --overwrite}, a mask (or probability map) must never replace one of the input images
   * (e.g. {@code --out} equal to {@code --input} holding PNGs): refused, naming the file.
   */
  public static void refuseReplacingInputs(List<Path> files, Path out, boolean probabilities) {
    if (!Files.isDirectory(out)) return;
    for (Path f : files) {
      String name = stem(f) + ".png";
      for (Path target : probabilities ? List.of(out.resolve(name), out.resolve("probabilities").resolve(name)) : List.of(out.resolve(name))) {
        try {
          if (Files.exists(target) && Files.isSameFile(target, f)) {
            throw new InvalidInputException("--out " + out + ": the mask " + target + " would replace the input image " + f
                + "; choose an output folder apart from --input");
          }
        } catch (IOException e) {
          // cannot compare: the write itself will report a problem
        }
      }
    }
  }

  private static float min(float[] v) {
    float m = Float.POSITIVE_INFINITY;
    for (float x : v) m = Math.min(m, x);
    return m;
  }

  /** The intensity mode the run's data used. */
  public static Intensity.Mode normalisation(String dataSpec) {
    DataSpec d = DataSpec.parse(dataSpec);
    if (d instanceof DataSpec.Synthetic s) return s.norm();
    if (d instanceof DataSpec.Folder f) return f.norm();
    return ((DataSpec.Nifti) d).norm();
  }

  /**
   * Image files of {@code input} (or of {@code input/images} when that is where they are), sorted by name.
   * An image name that is not a regular file (a folder, FIFO, device, link loop or dangling link) is
   * refused, or, when {@code skipped} is given (--skip-bad), listed there and left out.
   */
  public static List<Path> listImages(Path input, List<String> skipped) {
    if (!Files.isDirectory(input)) throw new InvalidInputException("--input " + input + ": not a folder");
    FolderEntries.Listing listing = images(input);
    if (listing.files().isEmpty() && listing.problems().isEmpty() && Files.isDirectory(input.resolve("images"))) {
      listing = images(input.resolve("images"));
    }
    List<Path> files = listing.filesOrThrow("--input", skipped, "; --skip-bad skips such entries");
    if (files.isEmpty() && skipped != null && !skipped.isEmpty()) {
      throw new InvalidInputException("--input " + input + ": none of the " + skipped.size() + " image entries is a regular file: " + skipped.get(0));
    }
    if (files.isEmpty()) {
      throw new InvalidInputException("--input " + input + ": no images (expected " + String.join(", ", new java.util.TreeSet<>(Images.EXTENSIONS)) + " files)");
    }
    List<String> stems = new ArrayList<>();
    for (Path f : files) {
      String s = stem(f);
      if (stems.contains(s)) throw new InvalidInputException("--input " + input + ": two images share the stem '" + s + "'; masks are named by stem");
      stems.add(s);
    }
    return files;
  }

  private static FolderEntries.Listing images(Path dir) {
    try {
      return FolderEntries.list(dir, name -> !name.startsWith(".") && Images.EXTENSIONS.contains(Images.extension(Path.of(name))));
    } catch (UncheckedIOException e) {
      throw new InvalidInputException("--input " + e.getMessage(), e);
    }
  }

  public static String stem(Path f) {
    String n = f.getFileName().toString();
    int dot = n.lastIndexOf('.');
    return dot > 0 ? n.substring(0, dot) : n;
  }
}
