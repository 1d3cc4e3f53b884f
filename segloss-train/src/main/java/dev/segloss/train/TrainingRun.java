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
 * Every file is written atomically: config.json when the run starts; model.params when the validation
 * Dice improves, then checkpoint.bin and history.csv after every epoch; history.csv, curves.png and
 * summary.json when the run ends. The end files depend only on the final checkpoint's state, so a run
 * killed after its final checkpoint (or while writing them) is completed by {@code --resume}: the files
 * that are missing or differ are written, and the folder ends as an uninterrupted run's does (the
 * timings in history.csv, summary.json and the checkpoint are the only values that differ between two
 * runs). The loop is plain: for each batch of the epoch
 * (from a {@link dev.segloss.data.batch.BatchLoader}, deterministic in seed and epoch), forward in training mode, loss, backward,
 * one {@link AdamOptimizer} update with the {@link LrSchedule}'s rate for the global step; then the
 * validation loss and per-image Dice in inference mode; the best weights are kept and the run stops early
 * after {@code patience} epochs without improvement. A resumed run restores weights, optimizer moments,
 * step count and bookkeeping from the checkpoint and replays nothing: epoch k's batches, learning rates
 * and updates are the same as in an uninterrupted run — bit for bit with the same engine, device and
 * thread counts (the test checks the loss, validation Dice and final weights for equality). A resume may
 * also change the budget and the patience ({@link Options#change}, {@link ResumeChange}): the change is
 * written to config.json first, and a completed or early-stopped run is then reopened and trained on from
 * its checkpoint, the best epoch tracked across old and new epochs. A non-finite loss stops the run at once
 * with status {@code DIVERGED}; the best checkpoint so far stays in place.
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
    Progress.Listener progressListener;
    ResumeChange change = ResumeChange.NONE;

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

    /** Also tells {@code l} the training's progress, at most five times a second (null: nobody; the default). */
    public Options progressListener(Progress.Listener l) {
      this.progressListener = l;
      return this;
    }

    /** With {@code resume}: the new budget and patience ({@link ResumeChange}; default none). */
    public Options change(ResumeChange c) {
      this.change = c == null ? ResumeChange.NONE : c;
      return this;
    }

    /** Whether to keep {@code checkpoint.bin} once the run has ended (default true). */
    public Options keepCheckpoint(boolean keep) {
      this.keepCheckpoint = keep;
      return this;
    }
  }

  /** The {@code format} value of {@code config.json}. */
  static final String FORMAT = "segloss-run/1";

  /**
   * Reads a run folder's {@code config.json}. The file must be what {@link #run} writes: a JSON object
   * of format {@value #FORMAT} (when it names one) whose {@code train} object holds every field of {@link
   * TrainConfig} (none null) with valid values. Anything else (an empty, truncated or edited file) is a one-line
   * {@link InvalidInputException} naming the file and what is wrong, never a half-filled configuration.
   */
  public static TrainConfig readConfig(Path dir) {
    Path f = dir.resolve(ModelFiles.CONFIG);
    if (!Files.isRegularFile(f)) throw new InvalidInputException(dir + ": not a segloss run folder (no " + ModelFiles.CONFIG + ")");
    String damaged = "; the run folder is damaged (" + ModelFiles.CONFIG + " is written when a run starts)";
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(f);
    } catch (IOException e) {
      throw new InvalidInputException(f + ": cannot read the run configuration (" + dev.segloss.core.io.AtomicFiles.reason(e) + ")", e);
    }
    if (bytes.length == 0) throw new InvalidInputException(f + ": empty file, expected the run configuration" + damaged);
    com.fasterxml.jackson.databind.JsonNode root;
    try {
      root = ModelFiles.JSON.readTree(bytes);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      var at = e.getLocation();
      throw new InvalidInputException(f + ": not valid JSON (" + e.getOriginalMessage()
          + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr()) + ")" + damaged, e);
    } catch (IOException e) {
      throw new InvalidInputException(f + ": cannot read the run configuration (" + dev.segloss.core.io.AtomicFiles.reason(e) + ")", e);
    }
    if (root == null || !root.isObject()) throw new InvalidInputException(f + ": expected a JSON object, the run configuration" + damaged);
    var format = root.get("format"); // written by every run; a configuration made by hand may leave it out
    if (format != null && !FORMAT.equals(format.asText(null))) {
      throw new InvalidInputException(f + ": not a segloss run configuration (format " + format + ", expected \"" + FORMAT + "\")");
    }
    var train = root.get("train");
    if (train == null || !train.isObject()) throw new InvalidInputException(f + ": no \"train\" object" + damaged);
    java.util.List<String> missing = new java.util.ArrayList<>();
    for (var c : TrainConfig.class.getRecordComponents()) {
      var v = train.get(c.getName());
      if (v == null || v.isNull()) missing.add(c.getName());
    }
    if (!missing.isEmpty()) {
      throw new InvalidInputException(f + ": the run configuration lacks " + String.join(", ", missing) + damaged);
    }
    try {
      return ModelFiles.JSON.treeToValue(train, TrainConfig.class);
    } catch (com.fasterxml.jackson.core.JsonProcessingException | RuntimeException e) {
      InvalidInputException bad = cause(e, InvalidInputException.class);
      String why = bad != null ? bad.getMessage()
          : e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : String.valueOf(e.getMessage());
      throw new InvalidInputException(f + ": invalid run configuration (" + why + ")", e);
    }
  }

  private static <T extends Throwable> T cause(Throwable t, Class<T> type) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) if (type.isInstance(c)) return type.cast(c);
    return null;
  }

  /**
   * Runs training into {@code dir} (which the caller has prepared, see {@link
   * OutputFiles#prepareOutputDir}); with {@code resume}, continues from {@code dir/checkpoint.bin}.
   */
  public static RunResult run(TrainConfig cfg, Loss loss, BatchLoader train, List<Sample> valSamples, Path dir, boolean resume, Options opts) {
    ImageSet val = ImageSet.of(valSamples);
    checkData(cfg, train, val);
    // what a killed writer left (a folder locked by TrainJob is cleaned already; compare's run folders not)
    dev.segloss.core.io.AtomicFiles.removeStaleTemporaries(dir);
    // a batch never holds more images than the training split has
    MemoryEstimate.check(cfg.unet(), cfg.batch(), Math.min(cfg.batch(), train.samples().size()), val.height(), val.width(), "cpu".equals(cfg.device()) || "auto".equals(cfg.device())
        ? MemoryEstimate.freePhysicalMemory() : -1);
    Engine engine = DjlRuntime.engine(cfg.threads(), cfg.interopThreads());
    Device device = DjlRuntime.device(engine, cfg.device());
    // nothing in the loop draws from the engine's generator (weights come from UNet.initializeWeights,
    // batches and augmentation from the loader's seed); seeded anyway so that an extension that does
    // (dropout, random crops on the device) stays reproducible
    engine.setRandomSeed((int) cfg.seed());
    Progress progress = new Progress(opts.progress, opts.prefix, opts.live, opts.epochLines).listener(opts.progressListener);
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
        Path ck = checkResumable(dir, cfg);
        st = ModelFiles.loadCheckpoint(ck, net, opt, manager);
        checkState(ck, st, cfg);
        ResumeChange.Plan plan = opts.change.plan(dir, cfg, st);
        if (plan.changed()) ResumeChange.record(dir, plan); // before any epoch: a stop from here on resumes with the change
        cfg = plan.config();
        if (st.status != RunState.Status.RUNNING && !plan.reopen()) {
          // killed after its final checkpoint: write what the end of the run had not (or not completely)
          List<String> wrote = writeEnd(dir, st, cfg, opts, true);
          progress.message("run already ended (" + st.status.name().toLowerCase(Locale.ROOT) + "): " + st.message
              + (wrote.isEmpty() ? "" : "; completed the interrupted end of the run: wrote " + String.join(", ", wrote)));
          opt.close();
          return result(dir, st, cfg);
        }
        progress.message(plan.describe());
        String lrNote = plan.lrNote(cfg.stepsPerEpoch(train.batchesPerEpoch()), st.history.isEmpty() ? Double.NaN
            : st.history.get(st.history.size() - 1).lr());
        if (lrNote != null) progress.message(lrNote);
        if (plan.patienceNote() != null) progress.message(plan.patienceNote());
        if (plan.reopen()) {
          // the run trains again: its summary says so until the new end is written
          st.status = RunState.Status.RUNNING;
          st.message = String.format(Locale.ROOT, "reopened after epoch %d to continue to %d epochs", st.epochsDone, cfg.epochs());
          writeSummary(dir, st, cfg, false, new java.util.ArrayList<>());
          st.message = "";
        }
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
    // an epoch is one pass over the training images, or its first epochSteps batches (a fresh random
    // subset each epoch) when the run's budget asks for shorter epochs
    int perPass = train.batchesPerEpoch();
    int steps = cfg.stepsPerEpoch(perPass);
    // an epoch longer than a pass takes the loader's passes e·m .. e·m + m − 1 (the last one cut short)
    int passes = (steps + perPass - 1) / perPass;
    LrSchedule schedule = cfg.lrSchedule(steps);
    ParameterStore ps = new ParameterStore(manager, false);
    int c = 1;
    double lastEpochSeconds = Double.NaN; // of this process: the first one includes warm-up, a resumed run's may be another machine's
    double lastValSeconds = 0;
    double lastDice = st.history.isEmpty() ? Double.NaN : st.history.get(st.history.size() - 1).valDice();
    for (int e = st.epochsDone; e < cfg.epochs(); e++) {
      long t0 = System.nanoTime();
      double lossSum = 0, wait = 0;
      int done = 0;
      float lr = 0;
      for (int p = 0; p < passes && done < steps; p++) {
        try (BatchLoader.Epoch it = train.epoch(passes == 1 ? e : e * passes + p)) {
          while (it.hasNext() && done < steps) {
            Batch b = it.next();
            lr = schedule.at(st.globalStep);
            // whole images or patches: the batch's own size
            float value = step(engine, manager, ps, net, loss, opt, b, c, b.height(), b.width(), lr);
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
          wait += it.waitNanos() / 1e9;
        }
      }
      long v0 = System.nanoTime();
      double[] v = validate(net, val, loss, cfg, manager);
      if (v[2] > 0) {
        // the last update left weights that give non-finite outputs (its loss was finite): the run diverged
        divergedOutputs(cfg, dir, st, progress, e, lr, (long) v[2]);
        return;
      }
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

  /** As {@link #diverged}, found by the validation after epoch {@code epoch}: {@code count} non-finite outputs. */
  private static void divergedOutputs(TrainConfig cfg, Path dir, RunState st, Progress progress, int epoch, float lr, long count) throws IOException {
    st.status = RunState.Status.DIVERGED;
    st.message = String.format(Locale.ROOT,
        "the network's outputs became non-finite (%d validation pixels) after the last update of epoch %d (learning rate %.3g); stopped. %s", count,
        epoch + 1, lr, st.bestEpoch > 0
            ? String.format(Locale.ROOT, "The best weights (epoch %d, validation Dice %.4f) are kept in %s", st.bestEpoch, st.bestValDice,
                dir.resolve(ModelFiles.MODEL))
            : "No epoch finished, so there is no model; try a lower --lr");
    finish(dir, st, cfg, null, progress);
  }

  private static void finish(Path dir, RunState st, TrainConfig cfg, Options opts, Progress progress) throws IOException {
    writeEnd(dir, st, cfg, opts, false);
    progress.finish(); // the outcome is printed once, by the caller (train: stdout; compare: its table)
  }

  /**
   * The files the end of a run writes, all determined by the run's state (so an interrupted end can be
   * written again, byte for byte): {@code history.csv}, {@code curves.png}, then {@code summary.json}; then,
   * without {@link Options#keepCheckpoint}, the checkpoint of an ended run is deleted. With {@code
   * onlyChanged}, a file that already holds exactly these bytes is left alone.
   *
   * @return the names of the files written
   */
  private static List<String> writeEnd(Path dir, RunState st, TrainConfig cfg, Options opts, boolean onlyChanged) throws IOException {
    List<String> wrote = new java.util.ArrayList<>();
    if (!st.history.isEmpty()) {
      put(dir.resolve(ModelFiles.HISTORY), st.historyCsv().getBytes(java.nio.charset.StandardCharsets.UTF_8), onlyChanged, wrote);
      put(dir.resolve(ModelFiles.CURVES), Charts.trainingCurves(st.history, cfg.resolvedLoss(), st.bestEpoch), onlyChanged, wrote);
    }
    writeSummary(dir, st, cfg, onlyChanged, wrote);
    if (opts != null && !opts.keepCheckpoint && st.status != RunState.Status.RUNNING) Files.deleteIfExists(dir.resolve(ModelFiles.CHECKPOINT));
    return wrote;
  }

  private static void writeSummary(Path dir, RunState st, TrainConfig cfg, boolean onlyChanged, List<String> wrote) throws IOException {
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("status", st.status.name().toLowerCase(Locale.ROOT));
    summary.put("message", st.message);
    summary.put("epochs_run", st.epochsDone);
    summary.put("best_epoch", st.bestEpoch);
    summary.put("best_val_dice", Double.isFinite(st.bestValDice) ? st.bestValDice : null);
    summary.put("seconds", st.elapsedSeconds);
    summary.put("loss", cfg.resolvedLoss());
    put(dir.resolve(ModelFiles.SUMMARY), ModelFiles.JSON.writeValueAsBytes(summary), onlyChanged, wrote);
  }

  private static void put(Path file, byte[] bytes, boolean onlyChanged, List<String> wrote) throws IOException {
    if (onlyChanged && Files.isRegularFile(file) && Files.size(file) == bytes.length && java.util.Arrays.equals(Files.readAllBytes(file), bytes)) {
      return;
    }
    OutputFiles.writeBytes(file, bytes);
    wrote.add(file.getFileName().toString());
  }

  /**
   * Checks, without loading weights, that {@code dir} holds a checkpoint this run can resume from: it
   * exists, is intact (checksum) and fits the configuration ({@link #checkState}). Returns its path.
   */
  static Path checkResumable(Path dir, TrainConfig cfg) {
    resumableState(dir, cfg);
    return dir.resolve(ModelFiles.CHECKPOINT);
  }

  /** {@link #checkResumable}, returning the checkpoint's bookkeeping. */
  static RunState resumableState(Path dir, TrainConfig cfg) {
    Path ck = dir.resolve(ModelFiles.CHECKPOINT);
    if (!Files.isRegularFile(ck)) {
      throw new InvalidInputException("--resume " + dir + ": no " + ModelFiles.CHECKPOINT
          + " (the run finished and its checkpoint was removed, or it never finished an epoch)");
    }
    try {
      RunState st = ModelFiles.readCheckpointState(ck);
      checkState(ck, st, cfg);
      return st;
    } catch (IOException e) {
      throw new InvalidInputException(ck + ": cannot read the checkpoint (" + dev.segloss.core.io.AtomicFiles.reason(e) + ")", e);
    }
  }

  /**
   * Refuses a checkpoint whose bookkeeping cannot belong to this run's configuration (its contents are
   * checksummed, so this catches a config.json edited or swapped since, not a torn file).
   */
  static void checkState(Path file, RunState st, TrainConfig cfg) {
    String bad = null;
    if (st.status == null) bad = "no status";
    else if (st.epochsDone < 0 || st.epochsDone > cfg.epochs()) {
      bad = "it is after epoch " + st.epochsDone + " but " + ModelFiles.CONFIG + " asks for " + cfg.epochs() + " epoch(s)";
    } else if (st.history == null || st.history.size() != st.epochsDone) {
      bad = "its history holds " + (st.history == null ? 0 : st.history.size()) + " epoch(s), not " + st.epochsDone;
    } else if (st.status == RunState.Status.RUNNING && st.epochsDone == cfg.epochs()) {
      bad = "all " + cfg.epochs() + " epochs are done but the run is marked running";
    } else if (st.bestEpoch < (st.epochsDone > 0 ? 1 : 0) || st.bestEpoch > st.epochsDone) {
      bad = "best epoch " + st.bestEpoch + " of " + st.epochsDone;
    }
    if (bad != null) {
      throw new InvalidInputException(file + ": the checkpoint does not fit the run's " + ModelFiles.CONFIG + " (" + bad + ")");
    }
    if (st.message == null) st.message = "";
  }

  /**
   * Mean validation loss and mean per-image Dice of the thresholded logits (the core metrics, with the
   * run's threshold and empty policy; NaN images left out of the mean), and the number of non-finite
   * outputs of the first batch that had any (0: none; then the run has diverged and nothing else counts).
   */
  private static double[] validate(UNet net, ImageSet val, Loss loss, TrainConfig cfg, NDManager manager) {
    SegmentationMetrics metrics = SegmentationMetrics.builder().threshold(cfg.threshold()).fromLogits(true)
        .emptyPolicy(EmptyPolicy.parse(cfg.emptyPolicy())).distances(false).build();
    double[] acc = new double[5]; // loss sum, images, dice sum, dice count, non-finite outputs
    int h = val.height(), w = val.width(), px = h * w;
    Inference.forEachBatch(net, val, cfg.batch(), manager, (start, n, logits, sub) -> {
      if (acc[4] > 0) return;
      float[] z = logits.toFloatArray();
      for (float x : z) if (!Float.isFinite(x)) acc[4]++;
      if (acc[4] > 0) return;
      float[] m = new float[n * px];
      for (int i = 0; i < n; i++) System.arraycopy(val.masks().get(start + i), 0, m, i * px, px);
      NDArray y = sub.create(m, logits.getShape());
      acc[0] += loss.evaluate(new NDList(y), new NDList(logits)).getFloat() * (double) n;
      acc[1] += n;
      for (int i = 0; i < n; i++) {
        double d = metrics.image(val.names().get(start + i), m, z, i * px, new int[] {h, w}, "mask", "logits").get(Metric.DICE);
        if (!Double.isNaN(d)) {
          acc[2] += d;
          acc[3]++;
        }
      }
    });
    return new double[] {acc[0] / acc[1], acc[3] == 0 ? Double.NaN : acc[2] / acc[3], acc[4]};
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
