package dev.segloss.cli;

import dev.segloss.train.Predictor;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code segloss predict}: masks (and probability maps) for a folder of images from a trained run. */
@Command(
    name = "predict",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpWidth = 100,
    description = {
      "Masks (and probability maps) for a folder of images, from a trained run.",
      "",
      "Segments every image with the run's best model and writes OUT/<stem>.png masks (0 background,",
      "255 foreground) and, with --probabilities, OUT/probabilities/<stem>.png (16-bit, p·65535).",
      "Images are normalised as in training and may have any size. Score the masks with",
      "'segloss evaluate --truth MASKS --pred OUT'."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  ./segloss predict --model runs/dice --input data/test/images --out preds/dice",
      "  ./segloss predict --model runs/dice --input scans/ --out preds/ --threshold 0.3 --probabilities",
      "  ./segloss evaluate --truth data/test/masks --pred preds/dice"
    })
public final class PredictCommand extends SeglossCommand {
  @Option(names = "--model", required = true, paramLabel = "runs/NAME", description = "A run folder written by 'segloss train' (or compare's runs/...).")
  Path model;

  @Option(names = "--input", required = true, paramLabel = "DIR", description = "Folder of PNG/JPEG/TIFF/BMP images (or one holding images/).")
  Path input;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder (refused when it exists and is not empty, unless --overwrite).")
  Path out;

  @Option(names = "--threshold", paramLabel = "T", description = "Foreground where the probability is >= T (default: the run's, 0.5).")
  Double threshold;

  @Option(names = "--probabilities", description = "Also write the probability maps.")
  boolean probabilities;

  @Option(names = "--skip-bad", description = "Skip unreadable images (listed at the end) instead of stopping.")
  boolean skipBad;

  @Option(names = "--device", paramLabel = "cpu|gpu|auto", description = "Device (default: the run's).")
  String device;

  @Option(names = "--overwrite", description = "Allow an existing, non-empty --out (files of the same names are replaced; nothing is deleted).")
  boolean overwrite;

  @Override
  public Integer call() {
    Predictor.Summary s = Predictor.predict(model, input, out,
        new Predictor.Options(threshold == null ? Double.NaN : threshold, probabilities, overwrite, skipBad, device), err());
    out().println(s.written() + " mask(s) in " + s.out());
    out().flush();
    return 0;
  }
}
