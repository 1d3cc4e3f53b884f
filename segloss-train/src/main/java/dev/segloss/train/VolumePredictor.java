package dev.segloss.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Activation;
import dev.segloss.core.InvalidInputException;
import dev.segloss.data.DataSpec;
import dev.segloss.data.LoadOptions;
import dev.segloss.data.MemoryCheck;
import dev.segloss.data.nifti.NiftiHeader;
import dev.segloss.data.nifti.NiftiInput;
import dev.segloss.data.nifti.NiftiLoader;
import dev.segloss.data.nifti.NiftiReader;
import dev.segloss.data.nifti.NiftiWriter;
import dev.segloss.data.nifti.SliceGeometry;
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

/**
 * {@code segloss predict --input nifti:image=PATH[,axis=...][,volume=N]}: segments a NIfTI-1 volume slice
 * by slice with a trained model and writes the result on the input's voxel grid.
 *
 * <ol>
 *   <li>The volume is read with {@link NiftiReader} (.nii, .nii.gz, .hdr/.img; scl_slope/scl_inter
 *       applied); a 4-D image needs {@code volume=N}.
 *   <li>It is normalised exactly as the NIfTI loader normalises training volumes ({@link
 *       Intensity#normalizeVolume}: NaN/Inf to 0, statistics over the head voxels, the run's intensity mode
 *       from its {@code config.json}).
 *   <li>It is cut into slices along {@code axis} (default: the axis of the run's NIfTI training data,
 *       else axial), oriented by anatomy exactly as the loader's slices ({@link SliceGeometry}). Every
 *       slice is used whole, padded centred to a multiple of 2^depth with the loader's padding value (as
 *       the loader's {@code size=full} does); the network is fully convolutional, so no crop is needed.
 *   <li>Slices go through the network in inference mode in batches of up to the run's {@code --batch}
 *       (fewer when the forward pass would not fit in memory), the sigmoid probabilities are cropped back
 *       and written into the voxels they came from.
 *   <li>{@code OUT/<stem>_mask.nii.gz}: uint8, 1 where the probability is at least the threshold, else 0,
 *       intent NIFTI_INTENT_LABEL; with {@code probabilities} also {@code OUT/<stem>_prob.nii.gz}: float32
 *       probabilities. Both on exactly the input's grid ({@link NiftiWriter}: dims, pixdim, qform, sform and
 *       their codes copied; voxel order i fastest as in the input), written atomically.
 * </ol>
 *
 * Checked before anything is written: the run (config, model, 1 input channel), the header, the volume
 * choice, the heap the volume needs ({@link MemoryCheck}: the volume, its sorted copy for the percentiles,
 * the tissue mask, the probabilities and the encoded outputs) and the forward pass of one slice ({@link
 * MemoryEstimate#checkInference}). Existing output files are refused unless {@code overwrite}; an output
 * that would replace the input is always refused.
 */
public final class VolumePredictor {
  private VolumePredictor() {}

  /**
   * @param threshold probability threshold, or NaN for the run's (0.5 unless configured)
   * @param probabilities also write the probability volume
   * @param overwrite replace existing output files
   * @param device cpu, gpu, gpu:N or auto; null for the run's
   * @param memory the heap budget for the volume, or {@link LoadOptions#defaults()} (80 % of the free heap)
   */
  public record Options(double threshold, boolean probabilities, boolean overwrite, String device, LoadOptions memory) {
    public Options(double threshold, boolean probabilities, boolean overwrite, String device) {
      this(threshold, probabilities, overwrite, device, LoadOptions.defaults());
    }
  }

  /**
   * What was written.
   *
   * @param mask the mask volume
   * @param probabilities the probability volume, or null
   * @param axis the slicing axis used (its name, e.g. {@code axial})
   * @param voxelAxis the voxel axis sliced along (0 = i, 1 = j, 2 = k)
   * @param slices slices predicted
   * @param sliceHeight padded slice height given to the network
   * @param sliceWidth padded slice width
   * @param batch slices per forward pass
   * @param foreground voxels in the mask
   * @param voxels voxels in the volume
   * @param threshold the threshold used
   */
  public record Summary(Path mask, Path probabilities, String axis, int voxelAxis, int slices, int sliceHeight, int sliceWidth,
      int batch, long foreground, long voxels, double threshold) {}

  /** Runs {@code segloss predict} on a volume; see the class comment. */
  public static Summary predict(Path runDir, NiftiInput input, Path out, Options opts, PrintWriter err) {
    TrainConfig cfg = TrainingRun.readConfig(runDir);
    Path modelFile = runDir.resolve(ModelFiles.MODEL);
    if (!Files.isRegularFile(modelFile)) {
      throw new InvalidInputException("--model " + runDir + ": no " + ModelFiles.MODEL + " (the run has not finished an epoch)");
    }
    if (cfg.inChannels() != 1) {
      throw new InvalidInputException("--model " + runDir + ": the model takes " + cfg.inChannels()
          + "-channel images, but a NIfTI volume gives 1-channel slices; use a model trained on gray images or volumes");
    }
    double threshold = Double.isNaN(opts.threshold()) ? cfg.threshold() : opts.threshold();
    if (!(threshold > 0 && threshold < 1)) throw new InvalidInputException("--threshold: expected a number in (0, 1), got " + threshold);
    DataSpec trained = DataSpec.parse(cfg.data());
    Intensity.Mode norm = Predictor.normalisation(cfg.data());

    Path image = input.image();
    NiftiHeader h = NiftiReader.readHeader(image);
    if (input.volume() < 0 && h.frames() > 1) {
      throw new InvalidInputException("--input: image " + image + " holds " + h.frames() + " volumes (" + h.describe()
          + "); choose one with nifti:image=" + image + ",volume=N (N from 0 to " + (h.frames() - 1) + ")");
    }
    if (input.volume() >= h.frames()) {
      throw new InvalidInputException("--input: option 'volume' = " + input.volume() + " but image " + image + " holds " + h.frames()
          + " volume(s)");
    }
    int frame = Math.max(0, input.volume());
    DataSpec.Axis axis = input.axis() != null ? input.axis()
        : trained instanceof DataSpec.Nifti n ? n.axis() : DataSpec.Axis.AXIAL;
    SliceGeometry g = SliceGeometry.of(h, axis);
    int m = cfg.unet().sizeMultiple();
    int rows = g.rows(), cols = g.cols();
    int H = Geometry.roundUp(rows, m), W = Geometry.roundUp(cols, m);

    // memory, before anything is read or written
    long nvox = h.voxelsPerFrame();
    if (nvox > Integer.MAX_VALUE - 8) {
      throw new InvalidInputException("--input: image " + image + " has " + nvox + " voxels per volume (" + h.describe()
          + "), more than a Java array holds");
    }
    long heap = nvox * (4L + 4 + 1 + 4) // voxels, their sorted copy, tissue mask, probabilities
        + nvox * (4L + 1) + (opts.probabilities() ? 4L * nvox : 0) // the 0/1 mask and the encoded outputs
        + 3L * Math.min(cfg.batch(), g.slices()) * H * W * 4 // a batch in, its probabilities out (and a copy)
        + (1L << 20);
    MemoryCheck.require(heap, "--input: image " + image + " (" + h.describe() + ")", "predict a smaller volume", opts.memory());
    Engine engine = DjlRuntime.engine(cfg.threads(), cfg.interopThreads());
    ai.djl.Device dev = DjlRuntime.device(engine, opts.device() == null ? cfg.device() : opts.device());
    long free = dev.isGpu() ? -1 : MemoryEstimate.freePhysicalMemory();
    MemoryEstimate.checkInference(cfg.unet(), "--input: image " + image + " (" + axis.label() + " slices)", H, W, free);
    int batch = Math.max(1, Math.min(cfg.batch(), g.slices()));
    if (free > 0) { // as many slices per pass as fit next to the parameters (one always does, checked above)
      long params = cfg.unet().parameterCount() * 4L;
      long perSlice = Math.max(1, MemoryEstimate.inferenceBytes(cfg.unet(), H, W) - params);
      batch = (int) Math.max(1, Math.min(batch, ((long) (free * MemoryEstimate.SHARE) - params) / perSlice));
    }

    // outputs: never the input, existing files only with --overwrite
    String stem = NiftiLoader.stem(image);
    Path maskFile = out.resolve(stem + "_mask.nii.gz");
    Path probFile = opts.probabilities() ? out.resolve(stem + "_prob.nii.gz") : null;
    List<Path> targets = new ArrayList<>();
    targets.add(maskFile);
    if (probFile != null) targets.add(probFile);
    for (Path t : targets) checkTarget(t, image, opts.overwrite());
    OutputFiles.Output folder = OutputFiles.openOutputDir(out, true, "--out"); // one writer per output folder
    try {
      Summary s = run(runDir, h, image, frame, g, axis, norm, H, W, batch, engine, dev, threshold, maskFile, probFile, err);
      folder.close();
      return s;
    } catch (RuntimeException | Error e) {
      folder.abandon();
      throw e;
    }
  }

  private static Summary run(Path runDir, NiftiHeader h, Path image, int frame, SliceGeometry g, DataSpec.Axis axis, Intensity.Mode norm,
      int H, int W, int batch, Engine engine, ai.djl.Device device, double threshold, Path maskFile, Path probFile, PrintWriter err) {
    float[] vox = NiftiReader.read(image, frame).data();
    Intensity.VolumeNormalization vn = Intensity.normalizeVolume(vox, norm);
    if (vn.nonFinite() > 0 && err != null) {
      err.println("warning: image " + image.getFileName() + ": " + vn.nonFinite() + " NaN/Inf voxels were set to 0 (as in training)");
    }
    float[] prob;
    try (NDManager manager = engine.newBaseManager(device)) {
      UNet net = ModelFiles.loadModel(runDir.resolve(ModelFiles.MODEL), manager);
      if (net.config().inChannels() != 1) {
        throw new InvalidInputException("--model " + runDir + ": the model takes " + net.config().inChannels()
            + "-channel images, but a NIfTI volume gives 1-channel slices");
      }
      prob = probabilities(net, vox, g, H, W, vn.fill(), batch, image.getFileName().toString(), manager);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    vox = null;
    float[] mask = new float[prob.length];
    long fg = 0;
    for (int i = 0; i < prob.length; i++) {
      if (prob[i] >= threshold) {
        mask[i] = 1f;
        fg++;
      }
    }
    String what = String.format(Locale.ROOT, "segloss predict %s, %s, threshold %s", runDir.getFileName(), axis.label(), threshold);
    // the probabilities first, then the mask: if the mask cannot be written, a probability file this call
    // created is removed again, so a failure never leaves a new file of the pair without its partner
    boolean probExisted = probFile != null && Files.exists(probFile);
    try {
      if (probFile != null) {
        NiftiWriter.onGridOf(h).datatype(NiftiHeader.DT_FLOAT32).intent(NiftiWriter.INTENT_ESTIMATE).displayRange(0, 1)
            .description("probability: " + what).write(probFile, prob);
      }
      try {
        NiftiWriter.onGridOf(h).datatype(NiftiHeader.DT_UINT8).intent(NiftiWriter.INTENT_LABEL).displayRange(0, 1)
            .description("mask: " + what).write(maskFile, mask);
      } catch (IOException | RuntimeException e) {
        if (probFile != null && !probExisted) Files.deleteIfExists(probFile);
        throw e;
      }
    } catch (IOException e) {
      throw new InvalidInputException("--out: cannot write " + maskFile.getParent() + " (" + e.getMessage() + ")", e);
    }
    if (err != null) {
      err.printf(Locale.ROOT, "predicted %d %s slices of %dx%d (padded to %dx%d, %d per pass): %d of %d voxels foreground (threshold %s)%n",
          g.slices(), axis.label(), g.rows(), g.cols(), H, W, batch, fg, (long) prob.length, threshold);
      err.println("wrote " + maskFile + (probFile != null ? " and " + probFile : ""));
      err.flush();
    }
    return new Summary(maskFile, probFile, axis.label(), g.axis(), g.slices(), H, W, batch, fg, prob.length, threshold);
  }

  /**
   * The model's probabilities for every voxel: the slices, padded to H×W as they are needed (a lazy list,
   * so the padded volume is never held whole), go through {@link Inference#forEachBatch}, and each slice's
   * probabilities are cropped back into the voxels it came from.
   */
  private static float[] probabilities(UNet net, float[] vox, SliceGeometry g, int H, int W, float fill, int batch, String name,
      NDManager manager) {
    int rows = g.rows(), cols = g.cols(), px = H * W;
    List<float[]> padded = new java.util.AbstractList<>() {
      @Override
      public float[] get(int s) {
        return Geometry.cropOrPad(g.slice(vox, s), rows, cols, H, W, fill);
      }

      @Override
      public int size() {
        return g.slices();
      }
    };
    ImageSet slices = new ImageSet(java.util.Collections.nCopies(g.slices(), name), padded, null, 1, H, W);
    float[] prob = new float[vox.length];
    Inference.forEachBatch(net, slices, batch, manager, (start, n, logits, sub) -> {
      float[] p = Activation.sigmoid(logits).toFloatArray();
      for (int i = 0; i < n; i++) {
        g.put(Geometry.cropOrPad(java.util.Arrays.copyOfRange(p, i * px, (i + 1) * px), H, W, rows, cols, 0f), start + i, prob);
      }
    });
    return prob;
  }

  /** Refuses replacing the input (always) and an existing file (unless {@code overwrite}). */
  static void checkTarget(Path target, Path image, boolean overwrite) {
    if (!Files.exists(target)) return;
    if (Files.isDirectory(target)) throw new InvalidInputException("--out: " + target + " is a folder; cannot write the volume there");
    List<Path> inputs = new ArrayList<>(List.of(image));
    String lower = image.getFileName().toString().toLowerCase(Locale.ROOT);
    if (lower.endsWith(".hdr") || lower.endsWith(".hdr.gz")) {
      String base = image.getFileName().toString().replaceFirst("(?i)\\.hdr(\\.gz)?$", "");
      for (String ext : new String[] {".img", ".img.gz"}) inputs.add(image.resolveSibling(base + ext));
    }
    for (Path in : inputs) {
      try {
        if (Files.exists(in) && Files.isSameFile(target, in)) {
          throw new InvalidInputException("--out: " + target + " would replace the input " + in + "; choose an output folder apart from it");
        }
      } catch (IOException e) {
        // cannot compare: the write itself reports a problem
      }
    }
    if (!overwrite) {
      throw new InvalidInputException("--out: " + target + " exists; pass --overwrite to replace it (or choose another --out)");
    }
  }
}
