package dev.segloss.train.compare;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import dev.segloss.djl.DjlLosses;
import dev.segloss.train.AdamOptimizer;
import dev.segloss.train.DjlRuntime;
import dev.segloss.train.TrainConfig;
import dev.segloss.train.TrainingRun;
import dev.segloss.data.batch.Batch;
import dev.segloss.data.batch.BatchLoader;
import dev.segloss.data.Sample;
import dev.segloss.train.model.UNet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Measures, before a comparison starts, what its estimate of the time rests on: one training step (forward,
 * loss, backward, Adam) of the run's network and batch on images of the training size (whole images or
 * patches), and one inference pass per image at the evaluation size, on the run's device and threads. A
 * throw-away network on random images: nothing of it reaches a run. Untimed steps first — the engine's
 * first calls allocate and plan, and its steps keep getting faster for a while: at least {@value #WARMUP},
 * then more until {@value #WARMUP_MAX} or {@value #WARMUP_SECONDS} s (with only 3 the default comparison's
 * step was measured at 0.071 s against about 0.045 s in its runs, and the plan overestimated 6 min 48 s as
 * 11 min 28 s) — then the median of {@value #TIMED} timed ones, so that one hiccup of a shared machine does
 * not set the estimate.
 */
public final class StepTimer {
  /** Untimed warm-up steps, at least. */
  public static final int WARMUP = 3;
  /** Untimed warm-up steps, at most. */
  public static final int WARMUP_MAX = 20;
  /** Warm-up beyond {@link #WARMUP} steps goes on while it has taken less than this. */
  public static final double WARMUP_SECONDS = 4;
  /** Timed steps (median). */
  public static final int TIMED = 5;

  private StepTimer() {}

  /**
   * @param stepSeconds one training update
   * @param forwardSecondsPerImage one image through the network in inference mode, at the evaluation size
   */
  public record Timing(double stepSeconds, double forwardSecondsPerImage) {}

  /**
   * Times {@code cfg}'s network: steps on batches of {@code cfg.batch()} images of {@code trainH × trainW},
   * inference on batches of {@code evalH × evalW}.
   */
  public static Timing measure(TrainConfig cfg, int trainH, int trainW, int evalH, int evalW) {
    Engine engine = DjlRuntime.engine(cfg.threads(), cfg.interopThreads());
    Device device = DjlRuntime.device(engine, cfg.device());
    int b = cfg.batch();
    try (NDManager manager = engine.newBaseManager(device)) {
      UNet net = new UNet(cfg.unet());
      net.initialize(manager, DataType.FLOAT32, new Shape(1, 1, trainH, trainW));
      net.initializeWeights(cfg.seed());
      for (Pair<String, Parameter> p : net.getParameters()) {
        if (p.getValue().requiresGradient()) p.getValue().getArray().setRequiresGradient(true);
      }
      AdamOptimizer opt = AdamOptimizer.withDefaults(0);
      ParameterStore ps = new ParameterStore(manager, false);
      var loss = DjlLosses.fromSpec("bce", dev.segloss.djl.DjlLossOptions.logits().withInputChecks(false)); // as a training step
      Batch batch = randomBatch(b, trainH, trainW);
      long w0 = System.nanoTime();
      for (int i = 0; i < WARMUP_MAX && (i < WARMUP || (System.nanoTime() - w0) / 1e9 < WARMUP_SECONDS); i++) {
        TrainingRun.step(engine, manager, ps, net, loss, opt, batch, 1, trainH, trainW, 1e-4f);
      }
      double[] steps = new double[TIMED];
      for (int i = 0; i < TIMED; i++) {
        long t0 = System.nanoTime();
        TrainingRun.step(engine, manager, ps, net, loss, opt, batch, 1, trainH, trainW, 1e-4f);
        steps[i] = (System.nanoTime() - t0) / 1e9;
      }
      opt.close();
      int eb = Math.max(1, b);
      float[] x = new float[eb * evalH * evalW];
      SplittableRandom r = new SplittableRandom(1);
      for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
      double[] fwd = new double[TIMED];
      for (int i = 0; i < 1 + TIMED; i++) {
        long t0 = System.nanoTime();
        try (NDManager sub = manager.newSubManager()) {
          NDArray in = sub.create(x, new Shape(eb, 1, evalH, evalW));
          net.forward(new ParameterStore(sub, false), new NDList(in), false).singletonOrThrow().toFloatArray();
        }
        if (i >= 1) fwd[i - 1] = (System.nanoTime() - t0) / 1e9 / eb;
      }
      return new Timing(median(steps), median(fwd));
    }
  }

  /** A batch of random images with a random blob of foreground, through the data layer's batch type. */
  static Batch randomBatch(int n, int h, int w) {
    SplittableRandom r = new SplittableRandom(7);
    List<Sample> samples = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      float[] img = new float[h * w], mask = new float[h * w];
      for (int i = 0; i < img.length; i++) {
        int y = i / w, x = i % w;
        mask[i] = (y - h / 2) * (y - h / 2) + (x - w / 2) * (x - w / 2) < h * w / 16 ? 1 : 0;
        img[i] = (float) (r.nextGaussian() + mask[i]);
      }
      samples.add(new Sample("timing-" + k, h, w, img, mask, -1));
    }
    try (BatchLoader l = new BatchLoader(samples, BatchLoader.Config.builder().batchSize(n).shuffle(false).build())) {
      return l.batch(0, 0);
    }
  }

  static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }
}
