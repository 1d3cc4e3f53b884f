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
import dev.segloss.data.MemoryCheck;
import dev.segloss.data.LoadOptions;
import dev.segloss.data.nifti.LabelSelection;
import dev.segloss.data.nifti.NiftiFiles;
import dev.segloss.data.nifti.NiftiHeader;
import dev.segloss.data.nifti.NiftiLoader;
import dev.segloss.data.nifti.NiftiReader;
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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code segloss evaluate}: per-image metrics of thresholded predictions against masks, with micro and
 * macro summaries ({@link SegmentationMetrics}). Inputs are two {@code .npy} arrays {@code [N, ...]},
 * two folders of images paired by file stem ({@link Pairing}), or NIfTI volumes (two files, or two folders
 * paired by name, {@link NiftiFiles}): one row per volume, metrics over the whole volume, distances in mm.
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
      "(8-bit /255, 16-bit /65535), except palette images and with --pred-as-mask (then masks too).",
      "NIfTI (.nii, .nii.gz, .hdr/.img): two volumes, or two folders of volumes paired by name; one row per",
      "volume, every metric over the whole 3-D volume, hd/hd95/assd in mm from each volume's pixdim",
      "(unless --spacing). Truth voxels are labels (--truth-label, default any non-zero label);",
      "predictions are probabilities or 0/1 masks (such as predict's <stem>_mask.nii.gz) thresholded at",
      "--threshold, or label volumes with --pred-label. The two volumes of a pair must share one voxel grid."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  ./segloss evaluate --truth examples/seed/y_true.npy --pred examples/seed/y_pred.npy",
      "  ./segloss evaluate --truth data/masks/ --pred out/probabilities/ --threshold 0.4 --json",
      "  ./segloss evaluate --truth t.npy --pred logits.npy --logits --spacing 0.8,0.8 --csv metrics.csv",
      "  ./segloss evaluate --truth masks/ --pred preds/ --empty one --ignore-value 255",
      "  ./segloss evaluate --truth aal.nii.gz --truth-label 37+38 --pred preds/ch2_mask.nii.gz",
      "  ./segloss evaluate --truth labels/ --pred preds/ --pred-suffix _mask --truth-label 1 --json",
      "  ./segloss evaluate --truth hdfs://nn/masks --pred hdfs://nn/preds --spark 'local[4]' --json",
      "",
      "Empty policies (--empty): nan (default; dice/iou NaN when truth and prediction are both empty,",
      "left out of the macro mean, as nnU-Net), nan_if_truth_empty (NaN whenever the truth is empty,",
      "MONAI's default), one, zero (the value when both are empty). Distances with an empty side: NaN."
    })
public final class EvaluateCommand extends SeglossCommand {
  @Option(names = "--truth", required = true, paramLabel = "DIR|T.npy|T.nii.gz",
      description = "Ground truth: a .npy array [N, ...], a folder of masks, a NIfTI label volume or a folder of them.")
  Path truth;

  @Option(names = "--pred", required = true, paramLabel = "DIR|P.npy",
      description = "Predictions: a .npy array of the same shape, a folder paired with --truth by file stem, or NIfTI volume(s).")
  Path pred;

  @Option(names = "--truth-label", paramLabel = "L[+L...]|any",
      description = "NIfTI truth: the labels that are foreground, e.g. 37+38 (default: any non-zero label).")
  String truthLabel;

  @Option(names = "--pred-label", paramLabel = "L[+L...]|any",
      description = "NIfTI predictions are label volumes: these labels are foreground (default: probabilities or 0/1 masks, --threshold).")
  String predLabel;

  @Option(names = "--pred-suffix", paramLabel = "S",
      description = "Folders: removed from prediction file stems before pairing (e.g. _mask for predict's <stem>_mask.nii.gz);"
          + " in NIfTI folders volumes without it are skipped.")
  String predSuffix;

  @Option(names = "--affine-tol", paramLabel = "MM", defaultValue = "1e-3",
      description = "NIfTI: largest difference between the voxel-to-world matrices of a pair, in mm (default ${DEFAULT-VALUE}).")
  double affineTol;

  @Option(names = "--threshold", paramLabel = "T", defaultValue = "0.5",
      description = "Foreground where the probability is >= T (on logits: x >= logit(T)); default ${DEFAULT-VALUE}.")
  double threshold;

  @Option(names = "--logits", description = "The .npy predictions are logits.")
  boolean logits;

  @Option(names = "--beta", paramLabel = "B", defaultValue = "1", description = "Beta of f_beta (default ${DEFAULT-VALUE}).")
  double beta;

  @Option(names = "--spacing", paramLabel = "S", split = ",",
      description = "Pixel size per image axis for hd, hd95, assd, e.g. 0.8,0.8 or 3,0.7,0.7 (default 1 each; NIfTI: i,j,k in mm, default pixdim).")
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

  /** Set by the NIfTI path: the unit of hd, hd95 and assd ("mm", or "spacing" with --spacing). */
  private String distanceUnit;

  @Override
  public Integer call() {
    SegmentationMetrics sm = metrics(spacing);
    if (threads < 1) throw new InvalidInputException("--threads: expected at least 1, got " + threads);
    if (csv != null) {
      Map<String, Path> inputs = new LinkedHashMap<>();
      inputs.put("--truth", truth);
      inputs.put("--pred", pred);
      checkOutput("--csv", csv, inputs);
    }
    cluster.checkLocal();
    if (cluster.given()) return report(onCluster(sm), sm, false);
    boolean truthDir = Inputs.isDirectory(truth);
    boolean predDir = Inputs.isDirectory(pred);
    if (truthDir != predDir) {
      throw new InvalidInputException((truthDir ? "--pred" : "--truth") + ": " + (truthDir ? pred : truth) + " is a file but "
          + (truthDir ? "--truth " + truth : "--pred " + pred) + " is a directory; give two directories or two files");
    }
    boolean nifti = truthDir ? NiftiFiles.holdsNifti(truth) || NiftiFiles.holdsNifti(pred)
        : NiftiFiles.isNifti(truth) || NiftiFiles.isNifti(pred);
    if (!nifti) {
      for (String[] o : new String[][] {{"--truth-label", truthLabel}, {"--pred-label", predLabel}}) {
        if (o[1] != null) throw new InvalidInputException(o[0] + ": applies to NIfTI volumes (.nii, .nii.gz); mask images use --mask-threshold");
      }
    }
    if (!nifti && !truthDir && predSuffix != null) throw new InvalidInputException("--pred-suffix: applies to folders, not to two files");
    List<Task> tasks = nifti ? niftiTasks(truthDir) : truthDir ? folderTasks(sm) : npyTasks(sm);
    List<ImageMetrics> per = runAll(tasks);
    for (java.util.function.Supplier<String> w : pendingWarnings) {
      String line = w.get();
      if (line != null) err().println(line);
    }
    err().flush();
    return report(per, sm, !truthDir && !nifti);
  }

  /** Prints (and with --csv writes) the per-image metrics and their summary. */
  private int report(List<ImageMetrics> per, SegmentationMetrics sm, boolean numericNames) {
    MetricsSummary summary = sm.summarize(per);
    if (csv != null) writeCsv(per, numericNames);
    if (json) printJson(per, summary, numericNames);
    else printText(per, summary);
    return 0;
  }

  /** --spark: two folders of images or .npy files (local or Hadoop URIs) evaluated in Spark tasks. */
  private List<ImageMetrics> onCluster(SegmentationMetrics sm) {
    if (threads != 1) throw new InvalidInputException("--threads: applies to a local run; with --spark the executors' cores evaluate the images in parallel");
    for (String[] o : new String[][] {{"--truth-label", truthLabel}, {"--pred-label", predLabel}}) {
      if (o[1] != null) throw new InvalidInputException("--spark: distributes folders of images and .npy files; NIfTI volumes (" + o[0]
          + ") are evaluated by one process (drop --spark)");
    }
    String t = typed("--truth");
    String p = typed("--pred");
    for (String loc : new String[] {t, p}) {
      Path local = dev.segloss.cli.cluster.Locations.isUri(loc) ? null : Path.of(loc);
      if (local != null && (Inputs.isDirectory(local) ? NiftiFiles.holdsNifti(local) : NiftiFiles.isNifti(local))) {
        throw new InvalidInputException("--spark: distributes folders of images and .npy files; NIfTI volumes (" + loc
            + ") are evaluated by one process (drop --spark)");
      }
    }
    return EvaluateOnCluster.evaluate(cluster, err(), t, p, predSuffix == null ? "" : predSuffix, pairSettings(sm));
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

  /** The metrics settings of the options, with {@code pixelSpacing} (null: 1 per axis). */
  private SegmentationMetrics metrics(double[] pixelSpacing) {
    double ignore = ignoreValue.orNaN();
    try {
      return SegmentationMetrics.builder()
          .threshold(threshold)
          .fromLogits(logits)
          .beta(beta)
          .spacing(pixelSpacing)
          .emptyPolicy(EmptyPolicy.parse(empty))
          .ignoreValue(ignore)
          .distances(!noDistances)
          .build();
    } catch (InvalidInputException e) {
      throw new InvalidInputException("--" + e.getMessage(), e);
    }
  }

  /**
   * NIfTI volumes: two files, or two folders paired by name. Every pair's headers are read and checked
   * (one volume, one grid, a voxel size) before any voxels are, so that a bad pair fails at once.
   */
  private List<Task> niftiTasks(boolean folders) {
    if (logits && predLabel != null) throw new InvalidInputException("--logits: the predictions are label volumes (--pred-label), not logits");
    if (!(affineTol >= 0 && Double.isFinite(affineTol))) throw new InvalidInputException("--affine-tol: expected a finite number >= 0, got " + affineTol);
    LabelSelection truthSel = truthLabel == null ? LabelSelection.any() : LabelSelection.parse("--truth-label", truthLabel);
    LabelSelection predSel = predLabel != null ? LabelSelection.parse("--pred-label", predLabel) : predAsMask ? LabelSelection.any() : null;
    if (spacing != null && spacing.length != 3) {
      throw new InvalidInputException("--spacing: NIfTI volumes take 3 values (the voxel size along i, j, k), got " + spacing.length);
    }
    List<NiftiFiles.Pair> pairs;
    if (folders) {
      NiftiFiles.Pairs ps = NiftiFiles.pair(truth, "--truth", "", pred, "--pred", predSuffix == null ? "" : predSuffix);
      for (Path d : List.of(truth, pred)) {
        if (holdsImages(d)) {
          throw new InvalidInputException((d == truth ? "--truth " : "--pred ") + d + ": holds both NIfTI volumes and images or .npy files;"
              + " keep one kind per folder");
        }
      }
      if (ps.skippedSecond() > 0) {
        err().println("note: --pred: skipped " + ps.skippedSecond() + " volume" + (ps.skippedSecond() == 1 ? "" : "s") + " of " + pred
            + " whose name does not end in '" + predSuffix + "'");
        err().flush();
      }
      pairs = ps.pairs();
    } else {
      for (String[] o : new String[][] {{"--truth", truth.toString()}, {"--pred", pred.toString()}}) {
        if (!NiftiFiles.isNifti(Path.of(o[1]))) {
          throw new InvalidInputException(o[0] + ": " + o[1] + " is not a NIfTI volume (.nii, .nii.gz, .hdr); give two NIfTI volumes"
              + " (the other one is)");
        }
      }
      pairs = List.of(new NiftiFiles.Pair(NiftiLoader.stem(truth), truth, pred));
    }
    List<NiftiHeader[]> headers = new ArrayList<>();
    long largest = 0;
    int unknownUnit = 0;
    for (NiftiFiles.Pair pr : pairs) {
      NiftiHeader th = header("--truth", pr.first());
      NiftiHeader ph = header("--pred", pr.second());
      NiftiFiles.requireSameGrid("--truth " + pr.first(), th, "--pred " + pr.second(), ph, affineTol);
      if (spacing == null && !noDistances) {
        NiftiFiles.spacingMm(th, "--truth " + pr.first());
        if (NiftiFiles.unitUnknown(th)) unknownUnit++;
      }
      largest = Math.max(largest, th.voxelsPerFrame());
      headers.add(new NiftiHeader[] {th, ph});
    }
    distanceUnit = spacing == null ? "mm" : "spacing";
    if (unknownUnit > 0) {
      err().println("warning: --truth: " + unknownUnit + " of " + pairs.size() + " volumes do not state the unit of their voxel size"
          + " (xyzt_units 0); hd, hd95 and assd take it as mm");
      err().flush();
    }
    // two float volumes, the two masks and their surfaces, two distance transforms (double) and the
    // sorted surface distances, per volume in flight
    long perVoxel = 4 + 4 + 1 + 1 + 2 + (noDistances ? 0 : 2 * 8 + 8);
    MemoryCheck.require(perVoxel * largest * Math.min(threads, pairs.size()),
        "evaluate: the largest volume (" + largest + " voxels) on " + Math.min(threads, pairs.size()) + " thread(s)",
        "use fewer --threads" + (noDistances ? "" : " or --no-distances"), LoadOptions.defaults());
    AtomicInteger truthEmpty = new AtomicInteger();
    List<Task> tasks = new ArrayList<>();
    for (int i = 0; i < pairs.size(); i++) {
      NiftiFiles.Pair pr = pairs.get(i);
      NiftiHeader th = headers.get(i)[0];
      tasks.add(() -> {
        String tn = "--truth (" + pr.first() + ")";
        String pn = "--pred (" + pr.second() + ")";
        float[] tv = volume("--truth", pr.first());
        float[] pv = volume("--pred", pr.second());
        float[] t = truthSel.binarize(tv, "--truth: " + pr.first(), ignoreValue.orNaN());
        boolean any = false;
        for (float x : t) if (x == 1f) { any = true; break; }
        if (!any && truthLabel != null) truthEmpty.incrementAndGet();
        float[] p;
        if (predSel != null) {
          p = predSel.binarize(pv, "--pred: " + pr.second(), Double.NaN);
        } else {
          p = pv;
          if (!logits) labelMapHint(pv, pr.second());
        }
        int[] d = th.spatialDims();
        int[] shape = {d[2], d[1], d[0]};
        double[] ijk = spacing != null ? spacing : noDistances ? null : NiftiFiles.spacingMm(th, "--truth " + pr.first());
        double[] kji = ijk == null ? null : new double[] {ijk[2], ijk[1], ijk[0]};
        return spacingErrors(() -> metrics(kji).image(pr.stem(), t, p, 0, shape, tn, pn));
      });
    }
    if (truthLabel != null) {
      // reported after the run (see call): the count is only known then
      pendingWarnings.add(() -> truthEmpty.get() == 0 ? null : "warning: --truth-label " + truthSel + " selects no voxel in "
          + truthEmpty.get() + " of " + pairs.size() + " truth volume" + (pairs.size() == 1 ? "" : "s")
          + " (their dice and iou follow --empty; check the label values)");
    }
    return tasks;
  }

  /** True when the folder holds an image or .npy file (the kinds image pairing reads). */
  private static boolean holdsImages(Path dir) {
    try (java.util.stream.Stream<Path> s = java.nio.file.Files.list(dir)) {
      return s.anyMatch(p -> !p.getFileName().toString().startsWith(".") && Pairing.DEFAULT_EXTENSIONS.contains(Images.extension(p)));
    } catch (java.io.IOException e) {
      return false;
    }
  }

  /** Warnings known only after the run, printed before the results. */
  private final List<java.util.function.Supplier<String>> pendingWarnings = new ArrayList<>();

  private static NiftiHeader header(String option, Path file) {
    NiftiHeader h;
    try {
      h = NiftiReader.readHeader(file);
    } catch (InvalidInputException e) {
      throw new InvalidInputException(option + ": " + e.getMessage(), e);
    }
    if (h.frames() > 1) {
      throw new InvalidInputException(option + ": " + file + " holds " + h.frames() + " volumes (" + h.describe()
          + "); evaluate compares one 3-D volume with another");
    }
    return h;
  }

  private static float[] volume(String option, Path file) {
    try {
      return NiftiReader.read(file, 0).data();
    } catch (InvalidInputException e) {
      throw new InvalidInputException(option + ": " + e.getMessage(), e);
    }
  }

  /** A prediction volume of integer labels beyond 1 is a label map given without --pred-label: say so. */
  private static void labelMapHint(float[] v, Path file) {
    float max = 0;
    for (float x : v) {
      if (!(x >= 0f && x <= 1f) && Float.isFinite(x)) {
        if (x != Math.rint(x)) return; // not labels: the core's message about probabilities applies
        max = Math.max(max, x);
      }
    }
    if (max > 1) {
      throw new InvalidInputException("--pred: " + file + " holds integer labels up to " + fmt(max)
          + ", not probabilities; select the foreground labels with --pred-label (e.g. --pred-label any)");
    }
  }

  private List<Task> folderTasks(SegmentationMetrics sm) {
    List<Pairing.Pair> pairs = Pairing.of(truth, pred).labels("--truth", "--pred").suffixes("", predSuffix == null ? "" : predSuffix).pair();
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
    // sizes from the headers first: a mismatch is reported before either file is decoded
    int[] ts = Inputs.shape("--truth", truthFile);
    int[] ps = Inputs.shape("--pred", predFile);
    if (!Arrays.equals(ts, ps)) {
      throw new InvalidInputException("--pred: " + predFile + " has size " + size(ps) + " but its mask " + truthFile + " has size " + size(ts));
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
    try (FileProgress progress = FileProgress.onTerminal(err(), "evaluate", distanceUnit != null ? "volumes" : "images", tasks.size())) {
      return runAll(tasks, progress);
    }
  }

  private List<ImageMetrics> runAll(List<Task> tasks, FileProgress progress) {
    List<ImageMetrics> out = new ArrayList<>(tasks.size());
    if (threads == 1 || tasks.size() == 1) {
      for (Task t : tasks) {
        out.add(t.run());
        progress.advance();
      }
      return out;
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, tasks.size()), r -> {
      Thread th = new Thread(r, "segloss-evaluate");
      th.setDaemon(true);
      return th;
    });
    try {
      List<Future<ImageMetrics>> futures = new ArrayList<>();
      for (Task t : tasks) {
        futures.add(pool.submit(() -> {
          ImageMetrics m = t.run();
          progress.advance();
          return m;
        }));
      }
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
    if (distanceUnit != null && !noDistances) root.put("distance_unit", distanceUnit);
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
    o.printf(Locale.ROOT, "summary over %d %s%s (pooled TP=%d FP=%d FN=%d TN=%d)%n", s.images(), distanceUnit != null ? "volume" : "image",
        s.images() == 1 ? "" : "s",
        pc.tp(), pc.fp(), pc.fn(), pc.tn());
    o.printf(Locale.ROOT, "%-18s %9s   %s%n", "metric", "micro", "macro mean ± std (n)");
    for (Metric m : ms) {
      MetricsSummary.Stat st = s.macro(m);
      String micro = m.isDistance() ? "-" : f4(s.micro(m));
      o.printf(Locale.ROOT, "%-18s %9s   %s ± %s (%d)%n", m.key(), micro, f4(st.mean()), f4(st.std()), st.n());
    }
    if (distanceUnit != null && !noDistances) {
      o.println(distanceUnit.equals("mm") ? "(hd, hd95, assd in mm, from each volume's voxel size)" : "(hd, hd95, assd in the unit of --spacing)");
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
