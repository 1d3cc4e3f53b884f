package dev.segloss.train.compare;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.training.loss.Loss;
import dev.segloss.core.InvalidInputException;
import dev.segloss.core.metrics.EmptyPolicy;
import dev.segloss.core.metrics.ImageMetrics;
import dev.segloss.core.metrics.Metric;
import dev.segloss.core.metrics.SegmentationMetrics;
import dev.segloss.djl.DjlLosses;
import dev.segloss.train.DjlRuntime;
import dev.segloss.train.ImageSet;
import dev.segloss.train.Inference;
import dev.segloss.train.ModelFiles;
import dev.segloss.train.OutputFiles;
import dev.segloss.train.RunResult;
import dev.segloss.train.TrainConfig;
import dev.segloss.train.TrainingRun;
import dev.segloss.data.batch.BatchLoader;
import dev.segloss.data.Sample;
import dev.segloss.train.model.UNet;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Executes one {@link RunSpec}: trains its U-Net into its run folder ({@link TrainingRun}; the
 * per-epoch checkpoint is removed once the run has ended), evaluates the best-validation-Dice weights on
 * the run's test images and diagnoses the run ({@link Diagnosis}).
 *
 * <p>Evaluation: per test image, the core metrics at the run's threshold and empty policy (dice, iou,
 * precision, recall, hd95 in pixels); threshold-free, the pooled test pixels' precision–recall curve
 * ({@link PrCurve}) and its average precision, and the mean Dice at the threshold that maximises it
 * ({@link BestThreshold}).
 */
public final class RunExecutor {
  /** Metrics per test image, in the order of every table. */
  public static final List<Metric> METRICS = List.of(Metric.DICE, Metric.IOU, Metric.PRECISION, Metric.RECALL, Metric.HD95);
  /** Recall points of the interpolated precision–recall curves. */
  public static final double[] RECALL_GRID = grid(101);

  private RunExecutor() {}

  /**
   * How to report progress: a line on {@code err} (null: none), redrawn in place when {@code live}, and/or
   * the training's states told to {@code listener} (null: nobody), at most five times a second.
   */
  public record Progress(PrintWriter err, String prefix, boolean live, dev.segloss.train.Progress.Listener listener) {
    public Progress(PrintWriter err, String prefix, boolean live) {
      this(err, prefix, live, null);
    }

    public static Progress none() {
      return new Progress(null, "", false);
    }

    /** Nothing drawn; the states told to {@code listener}. */
    public static Progress to(dev.segloss.train.Progress.Listener listener) {
      return new Progress(null, "", false, listener);
    }
  }

  /** Indexes samples by name; two samples of one name are refused. */
  public static Map<String, Sample> byName(List<Sample> samples) {
    Map<String, Sample> m = new HashMap<>();
    for (Sample s : samples) {
      if (m.put(s.name(), s) != null) throw new InvalidInputException("--data: two images are named '" + s.name() + "'");
    }
    return m;
  }

  /**
   * Runs {@code run} with images from {@code images} (by name), writing its folder under {@code root}
   * (which must exist; the run folder is created, or refused when it exists and is not empty unless
   * {@code overwrite}).
   */
  public static RunOutcome execute(RunSpec run, Map<String, Sample> images, Path root, boolean overwrite, Progress progress) {
    TrainConfig tc = run.train();
    Path dir = root.resolve(run.dir());
    OutputFiles.prepareOutputDir(dir, overwrite, "--out");
    Loss loss = DjlLosses.fromSpec(tc.resolvedLoss(), dev.segloss.djl.DjlLossOptions.logits().withInputChecks(false)); // as TrainJob's
    RunResult rr;
    try (BatchLoader loader = new BatchLoader(pick(images, run.trainImages()), tc.loaderConfig())) {
      TrainingRun.Options opts = new TrainingRun.Options().keepCheckpoint(false).epochLines(false)
          .progress(progress.live() ? progress.err() : null, progress.prefix(), progress.live()).progressListener(progress.listener());
      rr = TrainingRun.run(tc, loss, loader, pick(images, run.valImages()), dir, false, opts);
    }
    return evaluate(run, rr, ImageSet.of(pick(images, run.testImages())));
  }

  /** Evaluates a finished run's best weights on its test images. */
  static RunOutcome evaluate(RunSpec run, RunResult rr, ImageSet test) {
    TrainConfig tc = run.train();
    SegmentationMetrics metrics = SegmentationMetrics.builder().threshold(tc.threshold()).emptyPolicy(EmptyPolicy.parse(tc.emptyPolicy())).build();
    String status = rr.status().name().toLowerCase(Locale.ROOT);
    int n = test.size();
    long updates = updatesOf(rr, tc, run.trainImages().size());
    Map<String, Double> macro = new LinkedHashMap<>();
    Map<String, double[]> per = new LinkedHashMap<>();
    if (rr.model() == null) {
      for (Metric m : METRICS) {
        macro.put(m.key(), Double.NaN);
        per.put(m.key(), nan(n));
      }
      Diagnosis d = Diagnosis.of(status, rr.message(), rr.history(), null);
      return new RunOutcome(run.index(), run.lossIndex(), run.seed(), run.fold(), run.dir(), tc.resolvedLoss(), status, rr.message(), rr.epochsRun(),
          updates, 0, Double.NaN, rr.seconds(), macro, per, run.testIndex(), Double.NaN, Double.NaN, Double.NaN, Double.NaN,
          nan(RECALL_GRID.length), null, d, rr.history(), null);
    }
    float[][] probs = probabilities(rr.model(), test, tc);
    int h = test.height(), w = test.width();
    for (Metric m : METRICS) per.put(m.key(), new double[n]);
    for (int j = 0; j < n; j++) {
      ImageMetrics im = metrics.image(test.names().get(j), test.masks().get(j), probs[j], 0, new int[] {h, w}, "mask", "prediction");
      for (Metric m : METRICS) per.get(m.key())[j] = im.get(m);
    }
    for (Metric m : METRICS) macro.put(m.key(), nanMean(per.get(m.key())));
    float[][] masks = test.masks().toArray(new float[0][]);
    PrCurve pr = PrCurve.of(probs, masks);
    double[] bt = BestThreshold.of(probs, masks, metrics.emptyPolicy());
    Diagnosis.Predictions p = Diagnosis.Predictions.of(probs, masks, tc.threshold());
    Diagnosis d = Diagnosis.of(status, rr.message(), rr.history(), p);
    byte[] bits = run.keepMasks() ? pack(probs, tc.threshold()) : null;
    return new RunOutcome(run.index(), run.lossIndex(), run.seed(), run.fold(), run.dir(), tc.resolvedLoss(), status, rr.message(),
        rr.epochsRun(), updates, rr.bestEpoch(), rr.bestValDice(), rr.seconds(), macro, per, run.testIndex(),
        pr.averagePrecision(), bt[1], bt[0], pr.bestF1(), interpolated(pr), p, d, rr.history(), bits);
  }

  /** Updates a run made: its epochs times the steps of each (a diverged run's last epoch counted whole). */
  private static long updatesOf(RunResult rr, TrainConfig tc, int trainImages) {
    return (long) rr.epochsRun() * tc.stepsPerEpoch(Budget.stepsPerPass(trainImages, tc.batch()));
  }

  /** Probabilities of a saved model on a set of images. */
  public static float[][] probabilities(Path model, ImageSet set, TrainConfig tc) {
    Engine engine = DjlRuntime.engine(tc.threads(), tc.interopThreads());
    try (NDManager manager = engine.newBaseManager(DjlRuntime.device(engine, tc.device()))) {
      UNet net = ModelFiles.loadModel(model, manager);
      return Inference.probabilities(net, set, Math.max(1, tc.batch()), manager);
    } catch (IOException e) {
      throw new UncheckedIOException(model + ": " + e.getMessage(), e);
    }
  }

  static List<Sample> pick(Map<String, Sample> images, List<String> names) {
    List<Sample> out = new ArrayList<>(names.size());
    for (String n : names) {
      Sample s = images.get(n);
      if (s == null) throw new InvalidInputException("--data: the run expects an image named '" + n + "', which the data set does not have");
      out.add(s);
    }
    return out;
  }

  /** Thresholded probabilities, one bit per pixel (see {@link RunOutcome#masks()}). */
  static byte[] pack(float[][] probs, double threshold) {
    long total = 0;
    for (float[] p : probs) total += p.length;
    byte[] bits = new byte[(int) ((total + 7) / 8)];
    long k = 0;
    for (float[] p : probs) {
      for (float v : p) {
        if (v >= threshold) bits[(int) (k >>> 3)] |= (byte) (1 << (k & 7));
        k++;
      }
    }
    return bits;
  }

  /** Interpolated precision (the largest precision at recall ≥ r) on {@link #RECALL_GRID}. */
  static double[] interpolated(PrCurve pr) {
    double[] r = pr.recall(), p = pr.precision();
    double[] out = new double[RECALL_GRID.length];
    if (r.length == 0 || Double.isNaN(r[0])) return nan(out.length);
    // suffix maximum of precision over increasing recall
    double[] sufMax = new double[r.length];
    double m = 0;
    for (int i = r.length - 1; i >= 0; i--) {
      m = Math.max(m, p[i]);
      sufMax[i] = m;
    }
    int j = 0;
    for (int g = 0; g < out.length; g++) {
      while (j < r.length && r[j] < RECALL_GRID[g] - 1e-12) j++;
      out[g] = j < r.length ? sufMax[j] : 0;
    }
    return out;
  }

  static double nanMean(double[] v) {
    double s = 0;
    int n = 0;
    for (double x : v) {
      if (!Double.isNaN(x)) {
        s += x;
        n++;
      }
    }
    return n == 0 ? Double.NaN : s / n;
  }

  static double[] nan(int n) {
    double[] a = new double[n];
    Arrays.fill(a, Double.NaN);
    return a;
  }

  private static double[] grid(int n) {
    double[] g = new double[n];
    for (int i = 0; i < n; i++) g[i] = i / (double) (n - 1);
    return g;
  }
}
