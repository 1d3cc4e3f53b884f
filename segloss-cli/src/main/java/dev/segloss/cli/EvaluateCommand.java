package dev.segloss.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.segloss.core.InvalidInputException;
import dev.segloss.core.Tensor;
import dev.segloss.core.io.AtomicFiles;
import dev.segloss.core.io.Images;
import dev.segloss.core.io.Pairing;
import dev.segloss.core.metrics.Confusion;
import dev.segloss.core.metrics.EmptyPolicy;
import dev.segloss.core.metrics.ImageMetrics;
import dev.segloss.core.metrics.Metric;
import dev.segloss.core.metrics.MetricsSummary;
import dev.segloss.core.metrics.SegmentationMetrics;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code segloss evaluate}: per-image metrics of thresholded predictions against masks, with micro and
 * macro summaries ({@link SegmentationMetrics}). Inputs are two {@code .npy} arrays {@code [N, ...]} or
 * two folders paired by file stem ({@link Pairing}).
 */
@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    header = "Per-image segmentation metrics with micro and macro summaries.",
    sortOptions = false,
    usageHelpWidth = 100,
    description = {
      "Per-image metrics of thresholded predictions against ground-truth masks, and their summary:",
      "micro (from the pooled TP/FP/FN/TN) and macro (mean ± std over images, NaN left out).",
      "Metrics: dice, iou, precision, recall, specificity, f_beta, accuracy, balanced_accuracy, mcc,",
      "hd, hd95, assd (surface distances as MedPy/nnU-Net define them, exact EDT, with --spacing).",
      "Inputs: two .npy arrays [N, d1, ..., dk] (truth foreground where >= 0.5), or two folders of",
      "PNG/JPEG/TIFF/BMP (or single-image .npy) files paired by file stem: a mask pixel > --mask-threshold",
      "(raw value, default 0) is foreground; prediction images are probability maps scaled to [0,1]",
      "(8-bit /255, 16-bit /65535), except palette images and with --pred-as-mask (then masks too)."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  ./segloss evaluate --truth examples/seed/y_true.npy --pred examples/seed/y_pred.npy",
      "  ./segloss evaluate --truth data/masks/ --pred out/probabilities/ --threshold 0.4 --json",
      "  ./segloss evaluate --truth t.npy --pred logits.npy --logits --spacing 0.8,0.8 --csv metrics.csv",
      "  ./segloss evaluate --truth masks/ --pred preds/ --empty one --ignore-value 255",
      "  ./segloss evaluate --truth hdfs://nn:8020/masks --pred hdfs://nn:8020/preds --spark 'local[4]' --json",
      "",
      "Empty policies (--empty): nan (default; dice/iou NaN when truth and prediction are both empty,",
      "left out of the macro mean, as nnU-Net), nan_if_truth_empty (NaN whenever the truth is empty,",
      "MONAI's default), one, zero (the value when both are empty). Distances with an empty side: NaN."
    })
public final class EvaluateCommand extends SeglossCommand {
  @Option(names = "--truth", required = true, paramLabel = "DIR|T.npy", description = "Ground truth: a .npy array [N, ...] or a folder of masks.")
  Path truth;

  @Option(names = "--pred", required = true, paramLabel = "DIR|P.npy",
      description = "Predictions: a .npy array of the same shape, or a folder paired with --truth by file stem.")
  Path pred;

  @Option(names = "--threshold", paramLabel = "T", defaultValue = "0.5",
      description = "Foreground where the probability is >= T (on logits: x >= logit(T)); default ${DEFAULT-VALUE}.")
  double threshold;

  @Option(names = "--logits", description = "The .npy predictions are logits.")
  boolean logits;

  @Option(names = "--beta", paramLabel = "B", defaultValue = "1", description = "Beta of f_beta (default ${DEFAULT-VALUE}).")
  double beta;

  @Option(names = "--spacing", paramLabel = "S", split = ",",
      description = "Pixel size per image axis for hd, hd95, assd, e.g. 0.8,0.8 or 3,0.7,0.7 (default 1 each).")
  double[] spacing;

  @Option(names = "--empty", paramLabel = "POLICY", defaultValue = "nan",
      description = "nan | nan_if_truth_empty | one | zero (default ${DEFAULT-VALUE}); see below.")
  String empty;

  @Mixin IgnoreValueOption ignoreValue;

  @Option(names = "--mask-threshold", paramLabel = "T", defaultValue = "0",
      description = "Mask images: a raw pixel value > T is foreground (default ${DEFAULT-VALUE}).")
  double maskThreshold;

  @Option(names = "--pred-as-mask",
      description = "Prediction images are label masks (raw value > --mask-threshold is foreground), not probability maps."
          + " Palette images always are.")
  boolean predAsMask;

  @Option(names = "--no-distances", description = "Skip hd, hd95 and assd (two distance transforms per image).")
  boolean noDistances;

  @Option(names = "--threads", paramLabel = "N", defaultValue = "1", description = "Images evaluated in parallel (default ${DEFAULT-VALUE}).")
  int threads;

  @Option(names = "--csv", paramLabel = "OUT.csv", description = "Also write the per-image table as CSV (NaN as NaN), atomically.")
  Path csv;

  @Option(names = "--json", description = "Print {\"per_image\": [...], \"micro\": {...}, \"macro\": {...}} (null for NaN).")
  boolean json;

  @Mixin ClusterOption cluster;

  /** One unit of work: reads its inputs and computes its metrics. */
  private interface Task {
    ImageMetrics run();
  }

  @Override
  public Integer call() {
    double ignore = ignoreValue.orNaN();
    EmptyPolicy policy;
    SegmentationMetrics sm;
    try {
      policy = EmptyPolicy.parse(empty);
      sm = SegmentationMetrics.builder()
          .threshold(threshold)
          .fromLogits(logits)
          .beta(beta)
          .spacing(spacing)
          .emptyPolicy(policy)
          .ignoreValue(ignore)
          .distances(!noDistances)
          .build();
    } catch (InvalidInputException e) {
      throw new InvalidInputException("--" + e.getMessage(), e);
    }
    if (threads < 1) throw new InvalidInputException("--threads: expected at least 1, got " + threads);
    if (csv != null) {
      Map<String, Path> inputs = new LinkedHashMap<>();
      inputs.put("--truth", truth);
      inputs.put("--pred", pred);
      checkOutput("--csv", csv, inputs);
    }
    cluster.checkLocal();
    if (cluster.given() && threads != 1) {
      throw new InvalidInputException("--threads: applies to a local run; with --spark the executors' cores evaluate the images in parallel");
    }
    List<ImageMetrics> per;
    boolean truthDir;
    if (cluster.given()) {
      per = EvaluateOnCluster.evaluate(cluster, err(), typed("--truth"), typed("--pred"), pairSettings(sm));
      truthDir = true;
    } else {
      truthDir = Inputs.isDirectory(truth);
      boolean predDir = Inputs.isDirectory(pred);
      if (truthDir != predDir) {
        throw new InvalidInputException((truthDir ? "--pred" : "--truth") + ": " + (truthDir ? pred : truth) + " is a file but "
            + (truthDir ? "--truth " + truth : "--pred " + pred) + " is a directory; give two directories or two .npy files");
      }
      List<Task> tasks = truthDir ? folderTasks(sm) : npyTasks(sm);
      per = runAll(tasks);
    }
    MetricsSummary summary = sm.summarize(per);
    if (csv != null) writeCsv(per, !truthDir);
    if (json) printJson(per, summary, !truthDir);
    else printText(per, summary);
    return 0;
  }

  private List<Task> npyTasks(SegmentationMetrics sm) {
    Tensor t = Inputs.npy("--truth", truth);
    Tensor p = Inputs.npy("--pred", pred);
    String tn = "--truth (" + truth + ")";
    String pn = "--pred (" + pred + ")";
    if (!t.sameShape(p)) {
      throw new InvalidInputException(pn + ": shape " + Tensor.shapeString(p.shape()) + " does not match " + tn + " shape " + Tensor.shapeString(t.shape()));
    }
    if (t.size() == 0) throw new InvalidInputException(tn + ": the array is empty " + Tensor.shapeString(t.shape()));
    if (t.rank() < 2) {
      throw new InvalidInputException(tn + ": expected shape [N, d1, ...] (batch first, then the image axes), got " + Tensor.shapeString(t.shape()));
    }
    int[] imageShape = Arrays.copyOfRange(t.shape(), 1, t.rank());
    int m = t.imageSize();
    List<Task> tasks = new ArrayList<>();
    for (int n = 0; n < t.batch(); n++) {
      int img = n;
      tasks.add(() -> spacingErrors(() -> sm.image(Integer.toString(img), t.data(), p.data(), img * m, imageShape, tn, pn)));
    }
    return tasks;
  }

  private List<Task> folderTasks(SegmentationMetrics sm) {
    List<Pairing.Pair> pairs = Pairing.of(truth, pred).labels("--truth", "--pred").pair();
    PairSettings settings = pairSettings(sm);
    List<Task> tasks = new ArrayList<>();
    for (Pairing.Pair pair : pairs) tasks.add(() -> evaluatePair(settings, pair.stem(), pair.first(), pair.second()));
    return tasks;
  }

  /** What {@link #evaluatePair} needs besides the files: serializable, for Spark tasks. */
  record PairSettings(SegmentationMetrics sm, boolean logits, double maskThreshold, double ignore, boolean predAsMask)
      implements java.io.Serializable {}

  PairSettings pairSettings(SegmentationMetrics sm) {
    return new PairSettings(sm, logits, maskThreshold, ignoreValue.orNaN(), predAsMask);
  }

  /** The metrics of one mask file and its prediction file, here and in Spark tasks. */
  static ImageMetrics evaluatePair(PairSettings s, String stem, Path truthFile, Path predFile) {
    if (s.logits() && !Images.extension(predFile).equals("npy")) {
      throw new InvalidInputException("--logits: " + predFile + " is an image, and image predictions are probabilities;"
          + " --logits applies to .npy predictions only");
    }
    Inputs.Item t = Inputs.mask("--truth", truthFile, s.maskThreshold(), s.ignore());
    Inputs.Item p = Inputs.prediction("--pred", predFile, s.predAsMask(), s.maskThreshold());
    if (!Arrays.equals(t.shape, p.shape)) {
      throw new InvalidInputException("--pred: " + predFile + " has size " + size(p.shape) + " but its mask " + truthFile
          + " has size " + size(t.shape));
    }
    return spacingErrors(() -> s.sm().image(stem, t.values, p.values, 0, t.shape,
        "--truth (" + truthFile + ")", "--pred (" + predFile + ")"));
  }

  private static String size(int[] shape) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < shape.length; i++) {
      if (i > 0) sb.append('x');
      sb.append(shape[i]);
    }
    return sb.toString();
  }

  private static ImageMetrics spacingErrors(Task t) {
    try {
      return t.run();
    } catch (InvalidInputException e) {
      if (e.getMessage().startsWith("spacing:")) throw new InvalidInputException("--" + e.getMessage(), e);
      throw e;
    }
  }

  private List<ImageMetrics> runAll(List<Task> tasks) {
    List<ImageMetrics> out = new ArrayList<>(tasks.size());
    if (threads == 1 || tasks.size() == 1) {
      for (Task t : tasks) out.add(t.run());
      return out;
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, tasks.size()), r -> {
      Thread th = new Thread(r, "segloss-evaluate");
      th.setDaemon(true);
      return th;
    });
    try {
      List<Future<ImageMetrics>> futures = new ArrayList<>();
      for (Task t : tasks) futures.add(pool.submit(t::run));
      for (Future<ImageMetrics> f : futures) {
        try {
          out.add(f.get());
        } catch (ExecutionException e) {
          Throwable c = e.getCause();
          if (c instanceof RuntimeException) throw (RuntimeException) c;
          if (c instanceof Error) throw (Error) c;
          throw new IllegalStateException(c);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted", e);
        }
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  private List<Metric> shownMetrics() {
    List<Metric> ms = new ArrayList<>();
    for (Metric m : Metric.values()) if (!(noDistances && m.isDistance())) ms.add(m);
    return ms;
  }

  private void printJson(List<ImageMetrics> per, MetricsSummary s, boolean numericNames) {
    List<Metric> ms = shownMetrics();
    ObjectNode root = object();
    ArrayNode rows = root.putArray("per_image");
    for (ImageMetrics im : per) {
      ObjectNode r = rows.addObject();
      if (numericNames) r.put("image", Integer.parseInt(im.name()));
      else r.put("image", im.name());
      putCounts(r, im.counts());
      for (Metric m : ms) r.set(m.key(), number(im.get(m)));
    }
    ObjectNode micro = root.putObject("micro");
    putCounts(micro, s.pooled());
    for (Metric m : Metric.COUNT_METRICS) micro.set(m.key(), number(s.micro(m)));
    ObjectNode macro = root.putObject("macro");
    for (Metric m : ms) {
      MetricsSummary.Stat st = s.macro(m);
      ObjectNode o = macro.putObject(m.key());
      o.set("mean", number(st.mean()));
      o.set("std", number(st.std()));
      o.put("n", st.n());
    }
    printJson(root);
  }

  private static void putCounts(ObjectNode o, Confusion c) {
    o.put("tp", c.tp());
    o.put("fp", c.fp());
    o.put("fn", c.fn());
    o.put("tn", c.tn());
  }

  private static String f4(double v) {
    return Double.isNaN(v) ? "nan" : String.format(Locale.ROOT, "%.4f", v);
  }

  private void printText(List<ImageMetrics> per, MetricsSummary s) {
    List<Metric> ms = shownMetrics();
    PrintWriter o = out();
    int nameWidth = 5;
    for (ImageMetrics im : per) nameWidth = Math.max(nameWidth, im.name().length());
    StringBuilder h = new StringBuilder(String.format(Locale.ROOT, "%-" + nameWidth + "s", "image"));
    for (String c : new String[] {"tp", "fp", "fn", "tn"}) h.append(String.format(Locale.ROOT, " %9s", c));
    for (Metric m : ms) h.append(String.format(Locale.ROOT, " %" + Math.max(7, m.key().length()) + "s", m.key()));
    o.println(h);
    for (ImageMetrics im : per) {
      StringBuilder r = new StringBuilder(String.format(Locale.ROOT, "%-" + nameWidth + "s", im.name()));
      Confusion c = im.counts();
      for (long v : new long[] {c.tp(), c.fp(), c.fn(), c.tn()}) r.append(String.format(Locale.ROOT, " %9d", v));
      for (Metric m : ms) r.append(String.format(Locale.ROOT, " %" + Math.max(7, m.key().length()) + "s", f4(im.get(m))));
      o.println(r);
    }
    o.println();
    Confusion pc = s.pooled();
    o.printf(Locale.ROOT, "summary over %d image%s (pooled TP=%d FP=%d FN=%d TN=%d)%n", s.images(), s.images() == 1 ? "" : "s",
        pc.tp(), pc.fp(), pc.fn(), pc.tn());
    o.printf(Locale.ROOT, "%-18s %9s   %s%n", "metric", "micro", "macro mean ± std (n)");
    for (Metric m : ms) {
      MetricsSummary.Stat st = s.macro(m);
      String micro = m.isDistance() ? "-" : f4(s.micro(m));
      o.printf(Locale.ROOT, "%-18s %9s   %s ± %s (%d)%n", m.key(), micro, f4(st.mean()), f4(st.std()), st.n());
    }
    o.flush();
  }

  private void writeCsv(List<ImageMetrics> per, boolean numericNames) {
    List<Metric> ms = shownMetrics();
    writeOutput("--csv", csv, () -> AtomicFiles.write(csv, os -> {
      PrintWriter w = new PrintWriter(new OutputStreamWriter(os, StandardCharsets.UTF_8));
      StringBuilder h = new StringBuilder("image,tp,fp,fn,tn");
      for (Metric m : ms) h.append(',').append(m.key());
      w.print(h.append("\n"));
      for (ImageMetrics im : per) {
        StringBuilder r = new StringBuilder(numericNames ? im.name() : csvField(im.name()));
        Confusion c = im.counts();
        r.append(',').append(c.tp()).append(',').append(c.fp()).append(',').append(c.fn()).append(',').append(c.tn());
        for (Metric m : ms) {
          double v = im.get(m);
          r.append(',').append(Double.isNaN(v) ? "NaN" : Double.toString(v));
        }
        w.print(r.append("\n"));
      }
      w.flush();
    }));
  }

  /** RFC 4180 quoting when needed. */
  static String csvField(String s) {
    if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) return s;
    return '"' + s.replace("\"", "\"\"") + '"';
  }
}
