package dev.segloss.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import dev.segloss.core.InvalidInputException;
import dev.segloss.core.metrics.EmptyPolicy;
import dev.segloss.core.metrics.Metric;
import dev.segloss.core.metrics.SegmentationMetrics;
import dev.segloss.data.Sample;
import dev.segloss.data.batch.Batch;
import dev.segloss.data.batch.BatchLoader;
import dev.segloss.train.model.UNet;
import dev.segloss.train.report.Charts;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Trains a {@link UNet} with a DJL {@link Loss} on logits, writing a run folder:
 *
 * <ul>
 *   <li>{@code config.json}: the {@link TrainConfig} (everything needed to reproduce the run) plus
 *       versions;
 *   <li>{@code model.params}: the weights of the epoch with the best validation Dice ({@link ModelFiles});
 *   <li>{@code checkpoint.bin}: the last finished epoch (weights, Adam state, bookkeeping), for
 *       {@code --resume};
 *   <li>{@code history.csv}, {@code curves.png} (loss and validation Dice per epoch) and {@code
 *       summary.json} (how the run ended).
 * </ul>
 *
 * Every file is rewritten atomically after every epoch. The loop is plain: for each batch of the epoch
 * (from a {@link dev.segloss.train.data.BatchLoader}, deterministic in seed and epoch), forward in training mode, loss, backward,
 * one {@link AdamOptimizer} update with the {@link LrSchedule}'s rate for the global step; then the
 * validation loss and per-image Dice in inference mode; the best weights are kept and the run stops early
 * after {@code patience} epochs without improvement. A resumed run restores weights, optimizer moments,
 * step count and bookkeeping from the checkpoint and replays nothing: epoch k's batches, learning rates
 * and updates are the same as in an uninterrupted run — bit for bit with the same engine, device and
 * thread counts (the test checks the loss, validation Dice and final weights for equality). A non-finite
 * loss stops the run at once with status {@code DIVERGED}; the best checkpoint so far stays in place.
 */
public final class TrainingRun {
  private TrainingRun() {}

  /** Called after each finished epoch, once its checkpoint is on disk (tests use it to simulate a crash). */
  @FunctionalInterface
  public interface EpochListener {
    void epochEnd(RunState state);
  }

  /** How to report progress and what to keep. */
  public static final class Options {
    PrintWriter progress;
    String prefix = "";
    boolean live;
    boolean epochLines = true;
    EpochListener listener = s -> {};
    boolean keepCheckpoint = true;

    /** Progress on {@code out} (null for none), prefixed, redrawn in place when {@code live}. */
    public Options progress(PrintWriter out, String prefix, boolean live) {
      this.progress = out;
      this.prefix = prefix;
      this.live = live;
      return this;
    }

    /** Whether to print a line per epoch and the final message (default true; compare prints its own). */
    public Options epochLines(boolean on) {
      this.epochLines = on;
      return this;
    }

    public Options listener(EpochListener l) {
      this.listener = l;
      return this;
    }

    /** Whether to keep {@code checkpoint.bin} once the run has ended (default true). */
    public Options keepCheckpoint(boolean keep) {
      this.keepCheckpoint = keep;
      return this;
    }
  }

  /** Reads a run folder's {@code config.json}. */
  public static TrainConfig readConfig(Path dir) {
    Path f = dir.resolve(ModelFiles.CONFIG);
    if (!Files.isRegularFile(f)) throw new InvalidInputException(dir + ": not a segloss run folder (no " + ModelFiles.CONFIG + ")");
    try {
      var tree = ModelFiles.JSON.readTree(f.toFile());
      return ModelFiles.JSON.treeToValue(tree.get("train"), TrainConfig.class);
    } catch (IOException | RuntimeException e) {
      throw new InvalidInputException(f + ": cannot read the run configuration (" + e.getMessage() + ")", e);
    }
  }

  /**
   * Runs training into {@code dir} (which the caller has prepared, see {@link
   * OutputFiles#prepareOutputDir}); with {@code resume}, continues from {@code dir/checkpoint.bin}.
   */
  public static RunResult run(TrainConfig cfg, Loss loss, BatchLoader train, List<Sample> valSamples, Path dir, boolean resume, Options opts) {
    ImageSet val = ImageSet.of(valSamples);
    checkData(cfg, train, val);
    // a batch never holds more images than the training split has
    MemoryEstimate.check(cfg.unet(), cfg.batch(), Math.min(cfg.batch(), train.samples().size()), val.height(), val.width(), "cpu".equals(cfg.device()) || "auto".equals(cfg.device())
        ? MemoryEstimate.freePhysicalMemory() : -1);
    Engine engine = DjlRuntime.engine(cfg.threads(), cfg.interopThreads());
    Device device = DjlRuntime.device(engine, cfg.device());
    // nothing in the loop draws from the engine's generator (weights come from UNet.initializeWeights,
    // batches and augmentation from the loader's seed); seeded anyway so that an extension that does
    // (dropout, random crops on the device) stays reproducible
    engine.setRandomSeed((int) cfg.seed());
    Progress progress = new Progress(opts.progress, opts.prefix, opts.live, opts.epochLines);
    try (NDManager manager = engine.newBaseManager(device)) {
      UNet net = new UNet(cfg.unet());
      Sample first = train.samples().get(0);
      // parameter shapes do not depend on the batch; DJL's lambda blocks run on zeros of the given shape
      // while initialising, so a batch of 1 keeps that cheap whatever --batch is
      net.initialize(manager, DataType.FLOAT32, new Shape(1, 1, first.height(), first.width()));
      net.initializeWeights(cfg.seed());
      AdamOptimizer opt = AdamOptimizer.withDefaults((float) cfg.weightDecay());
      RunState st;
      if (resume) {
        Path ck = dir.resolve(ModelFiles.CHECKPOINT);
        if (!Files.isRegularFile(ck)) {
          throw new InvalidInputException("--resume " + dir + ": no " + ModelFiles.CHECKPOINT + " (the run finished and its checkpoint was removed, or it never finished an epoch)");
        }
        st = ModelFiles.loadCheckpoint(ck, net, opt, manager);
        if (st.status != RunState.Status.RUNNING) {
          progress.message("run already ended (" + st.status.name().toLowerCase(Locale.ROOT) + "): " + st.message);
          return result(dir, st, cfg);
        }
        progress.message(String.format(Locale.ROOT, "resuming after epoch %d of %d (best val dice %.4f at epoch %d)", st.epochsDone,
            cfg.epochs(), st.bestValDice, st.bestEpoch));
      } else {
        st = new RunState();
        writeConfig(dir, cfg, engine);
      }
      for (Pair<String, Parameter> p : net.getParameters()) {
        if (p.getValue().requiresGradient()) p.getValue().getArray().setRequiresGradient(true);
      }
      loop(cfg, loss, train, val, dir, opts, progress, engine, manager, net, opt, st);
      opt.close();
      return result(dir, st, cfg);
    } catch (IOException e) {
      throw new UncheckedIOException("run " + dir + ": " + e.getMessage(), e);
    }
  }

  private static void loop(TrainConfig cfg, Loss loss, BatchLoader train, ImageSet val, Path dir, Options opts, Progress progress,
      Engine engine, NDManager manager, UNet net, AdamOptimizer opt, RunState st) throws IOException {
    int steps = train.batchesPerEpoch();
    LrSchedule schedule = cfg.lrSchedule(steps);
    ParameterStore ps = new ParameterStore(manager, false);
    int c = 1, h = val.height(), w = val.width();
    double lastEpochSeconds = Double.NaN; // of this process: the first one includes warm-up, a resumed run's may be another machine's
    double lastValSeconds = 0;
    double lastDice = st.history.isEmpty() ? Double.NaN : st.history.get(st.history.size() - 1).valDice();
    for (int e = st.epochsDone; e < cfg.epochs(); e++) {
      long t0 = System.nanoTime();
      double lossSum = 0, wait;
      int done = 0;
      float lr = 0;
      try (BatchLoader.Epoch it = train.epoch(e)) {
        while (it.hasNext()) {
          Batch b = it.next();
          lr = schedule.at(st.globalStep);
          float value = step(engine, manager, ps, net, loss, opt, b, c, h, w, lr);
          if (!Float.isFinite(value)) {
            diverged(cfg, dir, st, progress, e, done, value, lr);
            return;
          }
          st.globalStep++;
          done++;
          lossSum += value;
          double eta = secondsLeft(cfg.epochs(), e, steps, done, (System.nanoTime() - t0) / 1e9, lastValSeconds);
          progress.step(e + 1, cfg.epochs(), done, steps, lossSum / done, lastDice, eta);
        }
        wait = it.waitNanos() / 1e9;
      }
      long v0 = System.nanoTime();
      double[] v = validate(net, val, loss, cfg, manager);
      lastValSeconds = (System.nanoTime() - v0) / 1e9;
      double seconds = (System.nanoTime() - t0) / 1e9;
      EpochStats stats = new EpochStats(e + 1, lr, lossSum / Math.max(1, done), v[0], v[1], seconds, wait);
      st.history.add(stats);
      st.epochsDone = e + 1;
      st.elapsedSeconds += seconds;
      lastDice = v[1];
      double monitor = monitor(v[1]);
      if (st.bestEpoch == 0 || monitor > st.bestValDice + cfg.minDelta()) {
        st.bestEpoch = e + 1;
        st.bestValDice = monitor;
        st.badEpochs = 0;
        ModelFiles.saveModel(dir.resolve(ModelFiles.MODEL), net);
      } else {
        st.badEpochs++;
      }
      if (cfg.patience() > 0 && st.badEpochs >= cfg.patience() && e + 1 < cfg.epochs()) {
        st.status = RunState.Status.EARLY_STOPPED;
        st.message = String.format(Locale.ROOT, "stopped early after epoch %d: no validation Dice gain for %d epoch%s; best %.4f at epoch %d",
            e + 1, st.badEpochs, st.badEpochs == 1 ? "" : "s", st.bestValDice, st.bestEpoch);
      } else if (e + 1 == cfg.epochs()) {
        st.status = RunState.Status.COMPLETED;
        st.message = String.format(Locale.ROOT, "completed %d epoch%s; best validation Dice %.4f at epoch %d", e + 1, e == 0 ? "" : "s", st.bestValDice,
            st.bestEpoch);
      }
      ModelFiles.saveCheckpoint(dir.resolve(ModelFiles.CHECKPOINT), st, net, opt);
      writeHistory(dir, st);
      lastEpochSeconds = seconds;
      progress.epochEnd(stats, cfg.epochs(), st.bestEpoch, st.bestValDice, lastEpochSeconds * (cfg.epochs() - e - 1));
      opts.listener.epochEnd(st);
      if (st.status != RunState.Status.RUNNING) break;
    }
    finish(dir, st, cfg, opts, progress);
  }

  /**
   * One update: forward in training mode, loss, backward, Adam. Returns the loss value; a non-finite
   * value is returned without backward or update (and the gradients are left at zero).
   */
  public static float step(Engine engine, NDManager manager, ParameterStore ps, UNet net, Loss loss, AdamOptimizer opt, Batch b, int c, int h,
      int w, float lr) {
    try (NDManager sub = manager.newSubManager()) {
      NDArray x = sub.create(b.images(), new Shape(b.size(), c, h, w));
      NDArray y = sub.create(b.masks(), new Shape(b.size(), 1, h, w));
      float value;
      try (GradientCollector gc = engine.newGradientCollector()) {
        NDArray logits = net.forward(ps, new NDList(x), true).singletonOrThrow();
        NDArray l = loss.evaluate(new NDList(y), new NDList(logits));
        value = l.getFloat();
        if (Float.isFinite(value)) gc.backward(l);
      }
      if (Float.isFinite(value)) opt.update(net.getParameters(), lr, manager);
      return value;
    }
  }

  private static void diverged(TrainConfig cfg, Path dir, RunState st, Progress progress, int epoch, int batch, float value, float lr)
      throws IOException {
    st.status = RunState.Status.DIVERGED;
    st.message = String.format(Locale.ROOT,
        "loss became %s at epoch %d, batch %d (learning rate %.3g); stopped. %s", Float.isNaN(value) ? "NaN" : value > 0 ? "+Inf" : "-Inf",
        epoch + 1, batch + 1, lr, st.bestEpoch > 0
            ? String.format(Locale.ROOT, "The best weights (epoch %d, validation Dice %.4f) are kept in %s", st.bestEpoch, st.bestValDice,
                dir.resolve(ModelFiles.MODEL))
            : "No epoch finished, so there is no model; try a lower --lr");
    // the checkpoint of the last good epoch stays as it is, so --resume after changing nothing would
    // diverge again; only the bookkeeping records the stop
    finish(dir, st, cfg, null, progress);
  }

  private static void finish(Path dir, RunState st, TrainConfig cfg, Options opts, Progress progress) throws IOException {
    if (!st.history.isEmpty()) {
      writeHistory(dir, st);
      OutputFiles.writeBytes(dir.resolve(ModelFiles.CURVES), Charts.trainingCurves(st.history, cfg.resolvedLoss(), st.bestEpoch));
    }
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("status", st.status.name().toLowerCase(Locale.ROOT));
    summary.put("message", st.message);
    summary.put("epochs_run", st.epochsDone);
    summary.put("best_epoch", st.bestEpoch);
    summary.put("best_val_dice", Double.isFinite(st.bestValDice) ? st.bestValDice : null);
    summary.put("seconds", st.elapsedSeconds);
    summary.put("loss", cfg.resolvedLoss());
    OutputFiles.writeBytes(dir.resolve(ModelFiles.SUMMARY), ModelFiles.JSON.writeValueAsBytes(summary));
    if (opts != null && !opts.keepCheckpoint && st.status != RunState.Status.RUNNING) Files.deleteIfExists(dir.resolve(ModelFiles.CHECKPOINT));
    progress.finish();
  }

  /**
   * Mean validation loss and mean per-image Dice of the thresholded logits (the core metrics, with the
   * run's threshold and empty policy; NaN images left out of the mean).
   */
  private static double[] validate(UNet net, ImageSet val, Loss loss, TrainConfig cfg, NDManager manager) {
    SegmentationMetrics metrics = SegmentationMetrics.builder().threshold(cfg.threshold()).fromLogits(true)
        .emptyPolicy(EmptyPolicy.parse(cfg.emptyPolicy())).distances(false).build();
    double[] acc = new double[4]; // loss sum, images, dice sum, dice count
    int h = val.height(), w = val.width(), px = h * w;
    Inference.forEachBatch(net, val, cfg.batch(), manager, (start, n, logits, sub) -> {
      float[] m = new float[n * px];
      for (int i = 0; i < n; i++) System.arraycopy(val.masks().get(start + i), 0, m, i * px, px);
      NDArray y = sub.create(m, logits.getShape());
      acc[0] += loss.evaluate(new NDList(y), new NDList(logits)).getFloat() * (double) n;
      acc[1] += n;
      float[] z = logits.toFloatArray();
      for (int i = 0; i < n; i++) {
        double d = metrics.image(val.names().get(start + i), m, z, i * px, new int[] {h, w}, "mask", "logits").get(Metric.DICE);
        if (!Double.isNaN(d)) {
          acc[2] += d;
          acc[3]++;
        }
      }
    });
    return new double[] {acc[0] / acc[1], acc[3] == 0 ? Double.NaN : acc[2] / acc[3]};
  }

  /**
   * Time left during epoch {@code epoch} (0-based) of {@code epochs}, after {@code done} of {@code steps}
   * batches took {@code elapsed} seconds: the current epoch's pace per batch for the rest of it and for
   * every later epoch, each plus one validation as long as the last one took. The current pace, not the
   * mean over past epochs: the first epoch carries the engine's warm-up (and a resumed run's past epochs
   * ran in another process, maybe on another machine), which would keep the estimate off for many epochs.
   */
  static double secondsLeft(int epochs, int epoch, int steps, int done, double elapsed, double lastValSeconds) {
    double perStep = elapsed / Math.max(1, done);
    return (steps - done) * perStep + lastValSeconds + (epochs - epoch - 1) * (steps * perStep + lastValSeconds);
  }

  /**
   * The early-stopping monitor: the validation Dice; NaN (every image left out, which under the {@code
   * nan} policy means every image had empty truth and an empty prediction: nothing to improve) counts as
   * 1.
   */
  static double monitor(double valDice) {
    return Double.isNaN(valDice) ? 1.0 : valDice;
  }

  private static void checkData(TrainConfig cfg, BatchLoader train, ImageSet val) {
    if (train.samples().isEmpty()) throw new InvalidInputException("--data: the training split is empty");
    Sample first = train.samples().get(0);
    if (val.size() == 0) throw new InvalidInputException("--data: the validation split is empty (validation Dice drives early stopping and the best checkpoint)");
    if (!val.hasMasks()) throw new InvalidInputException("--data: the validation split has no masks");
    if (cfg.inChannels() != 1) {
      throw new InvalidInputException("--data: the loaders give one-channel images but the run expects " + cfg.inChannels());
    }
    if (val.height() != first.height() || val.width() != first.width()) {
      throw new InvalidInputException("--data: validation images are " + val.height() + "×" + val.width()
          + " but training images " + first.height() + "×" + first.width());
    }
    int m = cfg.unet().sizeMultiple();
    if (first.height() % m != 0 || first.width() % m != 0) {
      throw new InvalidInputException("--data: images of " + first.height() + "×" + first.width() + " pixels; a U-Net of depth "
          + cfg.depth() + " needs multiples of " + m + " (the loaders pad to a multiple when asked)");
    }
  }

  private static void writeConfig(Path dir, TrainConfig cfg, Engine engine) throws IOException {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("format", "segloss-run/1");
    root.put("train", cfg);
    Map<String, Object> env = new LinkedHashMap<>();
    env.put("segloss", seglossVersion());
    env.put("djl", Engine.getDjlVersion());
    env.put("engine", engine.getEngineName() + " " + engine.getVersion());
    env.put("java", System.getProperty("java.version"));
    env.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    root.put("environment", env);
    OutputFiles.writeBytes(dir.resolve(ModelFiles.CONFIG), ModelFiles.JSON.writeValueAsBytes(root));
  }

  /** The project version Maven wrote into {@code version.properties} at build time. */
  static String seglossVersion() {
    try (java.io.InputStream in = TrainingRun.class.getResourceAsStream("version.properties")) {
      java.util.Properties p = new java.util.Properties();
      if (in != null) p.load(in);
      String v = p.getProperty("version", "unknown");
      return v.startsWith("${") ? "unknown" : v; // an IDE build that skipped Maven's resource filtering
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static void writeHistory(Path dir, RunState st) throws IOException {
    OutputFiles.writeString(dir.resolve(ModelFiles.HISTORY), st.historyCsv());
  }

  private static RunResult result(Path dir, RunState st, TrainConfig cfg) {
    return new RunResult(dir, st.status, st.message, st.epochsDone, st.bestEpoch, st.bestValDice, st.elapsedSeconds,
        java.util.List.copyOf(st.history), cfg.resolvedLoss());
  }
}
