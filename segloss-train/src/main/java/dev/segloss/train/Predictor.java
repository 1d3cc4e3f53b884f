package dev.segloss.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import dev.segloss.core.InvalidInputException;
import dev.segloss.core.io.ImageData;
import dev.segloss.core.io.Images;
import dev.segloss.data.DataSpec;
import dev.segloss.data.folder.FolderLoader;
import dev.segloss.data.transform.Geometry;
import dev.segloss.data.transform.Intensity;
import dev.segloss.train.model.UNet;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

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
   * @param device cpu, gpu or auto
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
    List<Path> files = listImages(input);
    Intensity.Mode norm = normalisation(cfg.data());
    Engine engine = DjlRuntime.engine(cfg.threads(), cfg.interopThreads());
    ai.djl.Device device = DjlRuntime.device(engine, opts.device() == null ? cfg.device() : opts.device());
    refuseReplacingInputs(files, out, opts.probabilities());
    // before anything is written: every header readable, every image small enough for the forward pass
    List<String> skipped = new ArrayList<>();
    List<Path> ok = new ArrayList<>();
    long free = device.isGpu() ? -1 : MemoryEstimate.freePhysicalMemory();
    for (Path f : files) {
      try {
        int[] hw = FolderLoader.probe(f);
        int m = cfg.unet().sizeMultiple();
        MemoryEstimate.checkInference(cfg.unet(), f, Geometry.roundUp(hw[0], m), Geometry.roundUp(hw[1], m), free);
        ok.add(f);
      } catch (InvalidInputException e) {
        if (!opts.skipBad()) throw e;
        skipped.add(e.getMessage());
      }
    }
    if (ok.isEmpty()) throw new InvalidInputException("--input " + input + ": none of the " + files.size() + " images can be used: " + skipped.get(0));
    Path created = OutputFiles.prepareOutputDir(out, opts.overwrite(), "--out");
    try {
      return run(runDir, ok, skipped, norm, engine, device, threshold, out, opts, err);
    } catch (RuntimeException | Error e) {
      OutputFiles.removeCreatedIfEmpty(out, created);
      throw e;
    }
  }

  private static Summary run(Path runDir, List<Path> files, List<String> skipped, Intensity.Mode norm, Engine engine, ai.djl.Device device,
      double threshold, Path out, Options opts, PrintWriter err) {
    Path modelFile = runDir.resolve(ModelFiles.MODEL);
    Path probDir = out.resolve("probabilities");
    int written = 0;
    try (NDManager manager = engine.newBaseManager(device)) {
      UNet net = ModelFiles.loadModel(modelFile, manager);
      ParameterStore ps = new ParameterStore(manager, false);
      int m = net.config().sizeMultiple();
      for (Path f : files) {
        ImageData img;
        float[] x;
        try {
          img = Images.read(f);
          x = img.gray();
          for (float v : x) {
            if (!Float.isFinite(v)) throw new InvalidInputException(f + ": contains NaN or infinite values");
          }
        } catch (InvalidInputException e) {
          if (!opts.skipBad()) {
            // a header that reads but pixels that do not (a truncated file): say what is already written
            throw written == 0 ? e : new InvalidInputException(e.getMessage() + "; stopped after writing " + written + " of " + files.size()
                + " mask(s) to " + out + " (--skip-bad continues past unreadable images)", e);
          }
          skipped.add(e.getMessage());
          continue;
        }
        int h = img.height(), w = img.width();
        Intensity.Transform t = Intensity.fit(x, null, norm);
        t.applyInPlace(x);
        // pad as the folder loader does: with the normalised floor (the raw minimum without normalisation)
        float fill = norm == Intensity.Mode.NONE ? min(x) : t.floor();
        int ph = Geometry.roundUp(h, m), pw = Geometry.roundUp(w, m);
        float[] padded = Geometry.window(x, h, w, 0, 0, ph, pw, fill);
        float[] prob;
        try (NDManager sub = manager.newSubManager()) {
          NDArray in = sub.create(padded, new Shape(1, 1, ph, pw));
          NDArray logits = net.forward(ps, new NDList(in), false).singletonOrThrow();
          prob = Geometry.window(Activation.sigmoid(logits).toFloatArray(), ph, pw, 0, 0, h, w, 0f);
        }
        float[] mask = new float[prob.length];
        for (int i = 0; i < prob.length; i++) mask[i] = prob[i] >= threshold ? 1f : 0f;
        String stem = stem(f);
        Images.writeGrayPng(out.resolve(stem + ".png"), mask, h, w);
        if (opts.probabilities()) {
          Files.createDirectories(probDir);
          Images.writePng(probDir.resolve(stem + ".png"), prob, h, w, 1, 16);
        }
        written++;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
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
   * Even with {@code --overwrite}, a mask (or probability map) must never replace one of the input images
   * (e.g. {@code --out} equal to {@code --input} holding PNGs): refused, naming the file.
   */
  static void refuseReplacingInputs(List<Path> files, Path out, boolean probabilities) {
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
  static Intensity.Mode normalisation(String dataSpec) {
    DataSpec d = DataSpec.parse(dataSpec);
    if (d instanceof DataSpec.Synthetic s) return s.norm();
    if (d instanceof DataSpec.Folder f) return f.norm();
    return ((DataSpec.Nifti) d).norm();
  }

  /** Image files of {@code input} (or of {@code input/images} when that is where they are), sorted by name. */
  static List<Path> listImages(Path input) {
    if (!Files.isDirectory(input)) throw new InvalidInputException("--input " + input + ": not a folder");
    List<Path> files = images(input);
    if (files.isEmpty() && Files.isDirectory(input.resolve("images"))) files = images(input.resolve("images"));
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

  private static List<Path> images(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(Files::isRegularFile).filter(Images::isImageFile).sorted().toList();
    } catch (IOException e) {
      throw new InvalidInputException("--input " + dir + ": cannot list (" + e.getMessage() + ")");
    }
  }

  static String stem(Path f) {
    String n = f.getFileName().toString();
    int dot = n.lastIndexOf('.');
    return dot > 0 ? n.substring(0, dot) : n;
  }
}
