package dev.segloss.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.segloss.core.InvalidInputException;
import dev.segloss.core.Tensor;
import dev.segloss.core.io.ImageData;
import dev.segloss.core.io.Images;
import dev.segloss.core.weights.ClassPixelCounter;
import dev.segloss.core.weights.ClassWeights;
import dev.segloss.core.weights.WeightMethod;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code segloss weights}: foreground/background pixel counts of a set of masks, their frequencies and
 * class weights by a {@link WeightMethod}, printed as a loss-spec fragment.
 */
@Command(
    name = "weights",
    mixinStandardHelpOptions = true,
    header = "Class weights from the pixel counts of masks, as a loss-spec fragment.",
    sortOptions = false,
    usageHelpWidth = 100,
    description = {
      "Counts foreground and background pixels of masks and derives class weights, printed as a spec",
      "fragment (w_pos=1, w_neg=0.111) for bce, topk or combined. Soft labels count fractionally.",
      "Methods: inverse (the seed's rule: 1/frequency, the rarer class gets 1), balanced (N/(2 n_c),",
      "scikit-learn), median (median frequency balancing, Eigen & Fergus 2015), effective (effective",
      "number of samples, Cui et al. 2019, --beta)."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  ./segloss weights --masks examples/seed/y_true.npy",
      "  ./segloss weights --masks data/masks/ --method median --ignore-value 255 --json",
      "  ./segloss weights --masks data/masks/ --method effective --beta 0.999"
    })
public final class WeightsCommand extends SeglossCommand {
  @Option(names = "--masks", required = true, paramLabel = "DIR|M.npy",
      description = "A .npy array [N, ...] of labels in [0,1], or a folder of mask images (PNG/JPEG/TIFF/BMP) and single-image .npy files.")
  Path masks;

  @Option(names = "--method", paramLabel = "METHOD", defaultValue = "inverse",
      description = "inverse | balanced | median | effective (default: ${DEFAULT-VALUE}).")
  String method;

  @Option(names = "--beta", paramLabel = "B", defaultValue = "0.9999", description = "Beta of the effective method, in [0, 1) (default: ${DEFAULT-VALUE}).")
  double beta;

  @Mixin IgnoreValueOption ignoreValue;

  @Option(names = "--mask-threshold", paramLabel = "T", defaultValue = "0",
      description = "Mask images: a raw pixel value > T is foreground (default: ${DEFAULT-VALUE}).")
  double maskThreshold;

  @Option(names = "--json", description = "Print counts, frequencies, weights and the spec fragment as JSON.")
  boolean json;

  @Override
  public Integer call() {
    WeightMethod m;
    try {
      m = WeightMethod.parse(method);
    } catch (InvalidInputException e) {
      throw new InvalidInputException("--" + e.getMessage(), e);
    }
    if (!(beta >= 0 && beta < 1)) throw new InvalidInputException("--beta: expected a value in [0, 1), got " + beta);
    double ignore = ignoreValue.orNaN();
    ClassPixelCounter counter = new ClassPixelCounter(ignore);
    MaskCheck check = new MaskCheck();
    String checked;
    if (Inputs.isDirectory(masks)) {
      List<Path> files = Inputs.listFolder("--masks", masks);
      try (FileProgress progress = FileProgress.onTerminal(err(), "weights", "files", files.size())) {
        for (Path f : files) {
          if (Images.extension(f).equals("npy")) {
            Inputs.Item it = Inputs.mask("--masks", f, maskThreshold, ignore);
            counter.addImage(it.values, "--masks: " + f);
            check.labels(it.values, 0, it.values.length, ignore);
          } else {
            ImageData img = Inputs.image("--masks", f); // as Inputs.mask reads it, keeping the raw values for the check
            float[] labels = img.mask(maskThreshold, ignore);
            counter.addImage(labels, "--masks: " + f);
            check.image(img.gray(), labels, ignore);
          }
          progress.advance();
        }
      }
      checked = "files";
    } else {
      Tensor t = Inputs.npy("--masks", masks);
      if (t.size() == 0) throw new InvalidInputException("--masks: " + masks + ": the array is empty " + Tensor.shapeString(t.shape()));
      if (t.rank() < 2) throw new InvalidInputException("--masks: " + masks + ": expected shape [N, d1, ...] (batch first), got " + Tensor.shapeString(t.shape()));
      counter.addBatch(t, "--masks: " + masks);
      for (int n = 0; n < t.batch(); n++) check.labels(t.data(), n * t.imageSize(), t.imageSize(), ignore);
      checked = "images of the array";
    }
    String warning = check.warning("--masks", checked);
    if (warning != null) {
      err().println(warning);
      err().flush();
    }
    ClassWeights w;
    try {
      w = counter.weights(m, beta);
    } catch (InvalidInputException e) {
      throw new InvalidInputException("--masks: " + masks + ": " + e.getMessage(), e);
    }
    if (json) {
      ObjectNode o = object();
      o.put("masks", masks.toString());
      o.put("method", m.word());
      if (m == WeightMethod.EFFECTIVE) o.set("beta", number(beta));
      o.put("images", w.images());
      ObjectNode counts = o.putObject("counts");
      counts.set("foreground", number(w.positive()));
      counts.set("background", number(w.negative()));
      counts.put("ignored", w.ignored());
      ObjectNode freq = o.putObject("frequencies");
      freq.set("foreground", number(w.positiveFrequency()));
      freq.set("background", number(w.negativeFrequency()));
      ObjectNode ws = o.putObject("weights");
      ws.set("w_pos", number(w.wPos()));
      ws.set("w_neg", number(w.wNeg()));
      o.put("spec", w.toSpecFragment());
      printJson(o);
    } else {
      out().printf(Locale.ROOT, "images: %d, counted pixels: %s, ignored: %d%n", w.images(), fmt(w.positive() + w.negative()), w.ignored());
      out().printf(Locale.ROOT, "foreground: %s (%.4f %%), background: %s (%.4f %%)%n", fmt(w.positive()), 100 * w.positiveFrequency(),
          fmt(w.negative()), 100 * w.negativeFrequency());
      out().println("method: " + m.word() + (m == WeightMethod.EFFECTIVE ? " (beta=" + fmt(beta) + ")" : ""));
      out().println(w.toSpecFragment());
      out().flush();
    }
    return 0;
  }
}
