package dev.segloss.cli;

import dev.segloss.core.InvalidInputException;
import dev.segloss.data.nifti.NiftiInput;
import dev.segloss.train.Predictor;
import dev.segloss.train.VolumePredictor;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code segloss predict}: masks (and probability maps) for a folder of images ({@link Predictor}) or a
 * NIfTI volume ({@link VolumePredictor}) from a trained run.
 */
@Command(
    name = "predict",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpWidth = 100,
    description = {
      "Masks (and probability maps) for a folder of images or a NIfTI volume, from a trained run.",
      "",
      "Segments every image with the run's best model and writes OUT/<stem>.png masks (0 background,",
      "255 foreground) and, with --probabilities, OUT/probabilities/<stem>.png (16-bit, p·65535).",
      "Images are normalised as in training and may have any size. Score the masks with",
      "'segloss evaluate --truth MASKS --pred OUT'.",
      "",
      "With --input nifti:image=PATH[,axis=axial|coronal|sagittal][,volume=N] the volume is normalised",
      "as NIfTI training normalises it, segmented slice by slice along the axis (default: the run's",
      "training axis, else axial) and written on the input's voxel grid: OUT/<stem>_mask.nii.gz (uint8",
      "0/1) and, with --probabilities, OUT/<stem>_prob.nii.gz (float32). Existing files of those names",
      "are refused unless --overwrite."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  ./segloss predict --model runs/dice --input data/test/images --out preds/dice",
      "  ./segloss predict --model runs/dice --input scans/ --out preds/ --threshold 0.3 --probabilities",
      "  ./segloss predict --model runs/hippo --input nifti:image=T1.nii.gz --out preds/ --probabilities",
      "  ./segloss evaluate --truth data/test/masks --pred preds/dice",
      "  ./segloss predict --model runs/dice --input hdfs://nn/scans --out hdfs://nn/p --spark 'local[4]'"
    })
public final class PredictCommand extends SeglossCommand {
  @Option(names = "--model", required = true, paramLabel = "runs/NAME", description = "A run folder written by 'segloss train' (or compare's runs/...).")
  Path model;

  @Option(names = "--input", required = true, paramLabel = "DIR|nifti:image=PATH[,axis=A][,volume=N]",
      description = "Folder of PNG/JPEG/TIFF/BMP images (or one holding images/), or one NIfTI-1 volume (.nii, .nii.gz, .hdr/.img).")
  String input;

  @Option(names = "--out", required = true, paramLabel = "DIR",
      description = "Output folder (images: refused when it exists and is not empty, unless --overwrite; a volume: its output files are refused when they exist, unless --overwrite).")
  Path out;

  @Option(names = "--threshold", paramLabel = "T", description = "Foreground where the probability is >= T (default: the run's, 0.5).")
  Double threshold;

  @Option(names = "--probabilities", description = "Also write the probability maps.")
  boolean probabilities;

  @Option(names = "--skip-bad", description = "Skip unreadable images (listed at the end) instead of stopping.")
  boolean skipBad;

  @Option(names = "--device", paramLabel = "cpu|gpu[:N]|auto", description = "Device: cpu, gpu (GPU 0), gpu:N (GPU N) or auto (default: the run's).")
  String device;

  @Option(names = "--overwrite", description = "Allow an existing, non-empty --out (files of the same names are replaced; nothing is deleted).")
  boolean overwrite;

  @Mixin ClusterOption cluster;

  @Override
  public Integer call() {
    cluster.checkLocal();
    if (cluster.given()) {
      PredictOnCluster.Summary s = PredictOnCluster.predict(cluster, err(), new PredictOnCluster.Request(typed("--model"), input, typed("--out"),
          threshold == null ? Double.NaN : threshold, probabilities, overwrite, skipBad, device));
      out().println(s.written() + " mask(s) in " + s.out());
      out().flush();
      return 0;
    }
    if (NiftiInput.matches(input)) {
      if (skipBad) throw new InvalidInputException("--skip-bad: applies to a folder --input, not to a NIfTI volume");
      NiftiInput in = NiftiInput.parse("--input", input);
      VolumePredictor.Summary v = VolumePredictor.predict(model, in, out,
          new VolumePredictor.Options(threshold == null ? Double.NaN : threshold, probabilities, overwrite, device), err());
      out().println("mask: " + v.mask() + (v.probabilities() != null ? "\nprobabilities: " + v.probabilities() : ""));
      out().flush();
      return 0;
    }
    Path input;
    try {
      input = Path.of(this.input);
    } catch (InvalidPathException e) {
      throw new InvalidInputException("--input " + this.input + ": not a valid path (" + e.getMessage() + ")");
    }
    Predictor.Summary s = Predictor.predict(model, input, out,
        new Predictor.Options(threshold == null ? Double.NaN : threshold, probabilities, overwrite, skipBad, device), err());
    out().println(s.written() + " mask(s) in " + s.out());
    out().flush();
    return 0;
  }
}
