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
import java.util.ArrayList;
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
      "  ./segloss weights --masks data/masks/ --method effective --beta 0.999",
      "  ./segloss weights --masks hdfs://nn/data/masks --spark 'local[4]'      # docs/SPARK.md"
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

  @Option(names = "--skip-bad",
      description = "A folder of masks: skip files that cannot be read or counted (and names that are not regular files), list them on stderr.")
  boolean skipBad;

  @Mixin ClusterOption cluster;

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
    List<String> skipped = new ArrayList<>();
    String shown = cluster.given() ? typed("--masks") : masks.toString(); // a URI as typed
    cluster.checkLocal();
    if (cluster.given()) {
      counter = WeightsOnCluster.count(cluster, err(), shown, maskThreshold, ignore, check, skipBad ? skipped : null);
      if (counter.images() == 0) {
        throw new InvalidInputException("--masks: none of the " + skipped.size() + " mask entries in " + shown + " could be used: " + skipped.get(0));
      }
      checked = "files";
    } else if (Inputs.isDirectory(masks)) {
      List<Path> files = Inputs.listFolder("--masks", masks, skipBad ? skipped : null);
      try (FileProgress progress = FileProgress.onTerminal(err(), "weights", "files", files.size())) {
        for (Path f : files) {
          try {
            counter.merge(countMask(f, maskThreshold, ignore, check)); // counts nothing when it throws
          } catch (InvalidInputException e) {
            if (!skipBad) throw e;
            skipped.add(skippedMessage(e));
          }
          progress.advance();
        }
      }
      if (counter.images() == 0) {
        throw new InvalidInputException("--masks: none of the " + skipped.size() + " mask entries in " + masks + " could be used: " + skipped.get(0));
      }
      checked = "files";
    } else {
      if (skipBad) throw new InvalidInputException("--skip-bad: applies to a folder of masks, not to one .npy array");
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
      throw new InvalidInputException("--masks: " + shown + ": " + e.getMessage(), e);
    }
    if (json) {
      ObjectNode o = object();
      o.put("masks", shown);
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
      if (skipBad) {
        var a = o.putArray("skipped");
        for (String f : skipped) a.add(f);
      }
      printJson(o);
    } else {
      out().printf(Locale.ROOT, "images: %d, counted pixels: %s, ignored: %d%n", w.images(), fmt(w.positive() + w.negative()), w.ignored());
      out().printf(Locale.ROOT, "foreground: %s (%.4f %%), background: %s (%.4f %%)%n", fmt(w.positive()), 100 * w.positiveFrequency(),
          fmt(w.negative()), 100 * w.negativeFrequency());
      out().println("method: " + m.word() + (m == WeightMethod.EFFECTIVE ? " (beta=" + fmt(beta) + ")" : ""));
      out().println(w.toSpecFragment());
      out().flush();
    }
    if (!skipped.isEmpty()) {
      err().println("skipped " + skipped.size() + " unreadable file(s):");
      for (String f : skipped) err().println("  " + f);
      err().flush();
    }
    return 0;
  }

  /** How --skip-bad lists a file it skipped: the message without the option. */
  static String skippedMessage(InvalidInputException e) {
    return e.getMessage().startsWith("--masks: ") ? e.getMessage().substring("--masks: ".length()) : e.getMessage();
  }

  /**
   * The counts of one mask file (a fresh counter holding that image only), with the file noted in {@code check}:
   * what the command does for each file of a folder, here and in Spark tasks. Merging these counters in file
   * order gives the same sums, bit for bit, as adding the images to one counter. A file that fails counts
   * nothing and is not noted.
   */
  static ClassPixelCounter countMask(Path f, double maskThreshold, double ignore, MaskCheck check) {
    ClassPixelCounter one = new ClassPixelCounter(ignore);
    if (Images.extension(f).equals("npy")) {
      Inputs.Item it = Inputs.mask("--masks", f, maskThreshold, ignore);
      one.addImage(it.values, "--masks: " + f);
      check.labels(it.values, 0, it.values.length, ignore);
    } else {
      ImageData img = Inputs.image("--masks", f); // as Inputs.mask reads it, keeping the raw values for the check
      float[] labels = img.mask(maskThreshold, ignore);
      one.addImage(labels, "--masks: " + f);
      check.image(img.gray(), labels, ignore);
    }
    return one;
  }
}
