package dev.segloss.cli;

import dev.segloss.cli.cluster.Cluster;
import dev.segloss.cli.cluster.Clusters;
import dev.segloss.cli.cluster.FileRef;
import dev.segloss.cli.cluster.Locations;
import dev.segloss.cli.cluster.RemoteFiles;
import dev.segloss.cli.cluster.RemoteFolders;
import dev.segloss.cli.cluster.Shared;
import dev.segloss.cli.cluster.Slice;
import dev.segloss.cli.cluster.SliceTask;
import dev.segloss.cli.cluster.TaskEnv;
import dev.segloss.cli.cluster.TaskFiles;
import dev.segloss.core.InvalidInputException;
import dev.segloss.core.io.Images;
import dev.segloss.data.transform.Intensity;
import dev.segloss.train.DjlRuntime;
import dev.segloss.train.MemoryEstimate;
import dev.segloss.train.ModelFiles;
import dev.segloss.train.OutputFiles;
import dev.segloss.train.Predictor;
import dev.segloss.train.TrainConfig;
import dev.segloss.train.TrainingRun;
import dev.segloss.train.model.UNetConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code segloss predict --spark}: batch inference over a folder of images in Spark tasks, with the local
 * command's rules and outputs ({@link Predictor}): the same images (a local folder listed by the local code,
 * a URI by the same rules), every header probed before anything is written (a first job), then the masks
 * (and probability maps) written by the tasks straight into {@code --out} (a local folder every executor
 * sees, or a URI: each file is written on the executor's disk and uploaded under a temporary name, then
 * renamed), file for file what the local command writes.
 *
 * <p>The model's bytes go to each executor once (a broadcast), and each executor JVM loads the model once per
 * device and keeps it for every task it runs (a static cache keyed by the model's SHA-256 and the device);
 * tasks that share an executor take turns on it.
 */
final class PredictOnCluster {
  private PredictOnCluster() {}

  /** What the job wrote. */
  record Summary(int written, List<String> skipped, double threshold, String out, int modelLoads) {}

  /** The user's options. */
  record Request(String model, String input, String out, double threshold, boolean probabilities, boolean overwrite, boolean skipBad,
      String device) {}

  static Summary predict(ClusterOption opt, PrintWriter err, Request q) {
    Path localTemp = null;
    try {
      boolean remoteModel = Locations.isUri(q.model());
      boolean remoteInput = Locations.isUri(q.input());
      boolean remoteOut = Locations.isUri(q.out());
      // local inputs are checked before Spark starts
      Loaded model = remoteModel ? null : load(Path.of(q.model()), q.model());
      List<String> skipped = new ArrayList<>();
      List<FileRef> files = remoteInput ? null : listLocal(q.input(), q.skipBad() ? skipped : null);
      if (model != null && files != null && !remoteOut) {
        Predictor.refuseReplacingInputs(files.stream().map(f -> Path.of(f.shown())).toList(), Path.of(q.out()), q.probabilities());
      }
      if (model != null) checkOptions(q, model);
      try (Cluster cluster = opt.connect(err)) {
        if (model == null) {
          localTemp = Files.createTempDirectory("segloss-model-");
          model = loadRemote(cluster.files(), q.model(), localTemp);
          checkOptions(q, model);
        }
        if (files == null) files = listRemote(cluster.files(), q.input(), q.skipBad() ? skipped : null);
        if (remoteOut) refuseReplacingRemote(files, q.out(), q.probabilities());
        Summary s = run(cluster, opt, err, q, model, files, skipped, checkOptions(q, model),
            DjlRuntime.checkDeviceName(q.device() == null ? model.cfg.device() : q.device()));
        err.println("spark: the model was loaded " + s.modelLoads() + " time(s), once per executor and device");
        err.flush();
        return s;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      if (localTemp != null) deleteTree(localTemp);
    }
  }

  private static Summary run(Cluster cluster, ClusterOption opt, PrintWriter err, Request q, Loaded model, List<FileRef> files,
      List<String> skipped, double threshold, String device) throws IOException {
    int entries = files.size() + skipped.size();
    // before anything is written: every header readable, every image small enough for the forward pass
    List<Slice<FileRef>> slices = Slice.cut(files, Clusters.slices(cluster, files.size(), opt.partitions));
    List<Probe> probes = cluster.run(slices, new ProbeTask(model.cfg.unet(), device, model.cfg.threads(), model.cfg.interopThreads()));
    for (Probe part : probes) if (part.error != null) throw new InvalidInputException(part.error);
    List<FileRef> ok = new ArrayList<>();
    int i = 0;
    for (Probe part : probes) {
      for (String problem : part.problems) {
        FileRef f = files.get(i++);
        if (problem == null) {
          ok.add(f);
        } else if (!q.skipBad()) {
          throw new InvalidInputException(problem);
        } else {
          skipped.add(problem);
        }
      }
    }
    if (ok.isEmpty()) throw new InvalidInputException("--input " + q.input() + ": none of the " + entries + " images can be used: " + skipped.get(0));
    ClusterOutput out = ClusterOutput.prepare(cluster.files(), q.out(), q.overwrite(), q.probabilities() ? List.of("probabilities") : List.of());
    try {
      Shared<ModelBlob> blob = cluster.share(new ModelBlob(model.bytes, sha256(model.bytes)));
      PredictTask task = new PredictTask(blob, model.norm, model.cfg.threads(), model.cfg.interopThreads(), device, threshold, q.probabilities(),
          q.skipBad(), out.location);
      List<Written> parts = cluster.run(Slice.cut(ok, Clusters.slices(cluster, ok.size(), opt.partitions)), task);
      int written = 0;
      int loads = 0;
      String error = null;
      for (Written w : parts) {
        written += w.count;
        loads += w.loaded ? 1 : 0;
        skipped.addAll(w.skipped);
        if (error == null) error = w.error;
      }
      if (error != null) {
        throw written == 0 ? new InvalidInputException(error) : new InvalidInputException(error + "; stopped after writing " + written + " of " + ok.size()
            + " mask(s) to " + q.out() + " (--skip-bad continues past unreadable images)");
      }
      out.release(cluster.files());
      err.printf(Locale.ROOT, "wrote %d mask(s) to %s (threshold %s)%s%n", written, q.out(), threshold,
          q.probabilities() ? " and probability maps to " + Locations.child(q.out(), "probabilities") : "");
      if (!skipped.isEmpty()) {
        err.println("skipped " + skipped.size() + " unreadable file(s):");
        for (String s : skipped) err.println("  " + s);
      }
      err.flush();
      return new Summary(written, skipped, threshold, q.out(), loads);
    } catch (RuntimeException | Error e) {
      out.abandon(cluster.files());
      throw e;
    }
  }

  // ------------------------------------------------------------------------------------------------
  // the driver's side

  /** The threshold (the run's unless given) after checking it and the device's spelling. */
  private static double checkOptions(Request q, Loaded model) {
    double threshold = Double.isNaN(q.threshold()) ? model.cfg.threshold() : q.threshold();
    if (!(threshold > 0 && threshold < 1)) throw new InvalidInputException("--threshold: expected a number in (0, 1), got " + threshold);
    DjlRuntime.checkDeviceName(q.device() == null ? model.cfg.device() : q.device());
    return threshold;
  }

  /** A run folder's configuration and model bytes. */
  private record Loaded(TrainConfig cfg, Intensity.Mode norm, byte[] bytes) {}

  private static Loaded load(Path runDir, String shown) {
    TrainConfig cfg = TrainingRun.readConfig(runDir);
    Path modelFile = runDir.resolve(ModelFiles.MODEL);
    if (!Files.isRegularFile(modelFile)) {
      throw new InvalidInputException("--model " + shown + ": no " + ModelFiles.MODEL + " (the run has not finished an epoch)");
    }
    try {
      return new Loaded(cfg, Predictor.normalisation(cfg.data()), Files.readAllBytes(modelFile));
    } catch (IOException e) {
      throw new UncheckedIOException("--model " + shown + ": cannot read " + modelFile + ": " + e.getMessage(), e);
    }
  }

  /** A run folder on a Hadoop file system: its two files copied to a local folder, read as the local command reads them. */
  private static Loaded loadRemote(RemoteFiles fs, String uri, Path local) throws IOException {
    for (String name : new String[] {ModelFiles.CONFIG, ModelFiles.MODEL}) {
      String f = Locations.child(uri, name);
      if (RemoteFolders.kind(fs, f) == RemoteFiles.Kind.FILE) fs.download(f, local.resolve(name));
    }
    try {
      return load(local, uri);
    } catch (InvalidInputException e) {
      throw new InvalidInputException(e.getMessage().replace(local.toString(), uri), e);
    }
  }

  private static List<FileRef> listLocal(String input, List<String> skipped) {
    if (dev.segloss.data.nifti.NiftiInput.matches(input)) {
      throw new InvalidInputException("--spark: distributes a folder of images; a NIfTI volume is segmented by one process (drop --spark)");
    }
    List<FileRef> files = new ArrayList<>();
    for (Path f : Predictor.listImages(Path.of(input), skipped)) files.add(FileRef.local(f));
    return files;
  }

  /**
   * The images of a URI by {@link Predictor#listImages}'s rules: the folder, or its images/ sub-folder;
   * hidden names skipped; an image name that is not a file refused or (--skip-bad) skipped; no two stems alike.
   */
  private static List<FileRef> listRemote(RemoteFiles fs, String input, List<String> skipped) {
    if (RemoteFolders.kind(fs, input) != RemoteFiles.Kind.DIRECTORY) throw new InvalidInputException("--input " + input + ": not a folder");
    java.util.function.Predicate<String> wanted = n -> !n.startsWith(".") && Images.EXTENSIONS.contains(Locations.extension(n));
    RemoteFolders.Listing listing = RemoteFolders.files(fs, input, wanted);
    String sub = Locations.child(input, "images");
    if (listing.files().isEmpty() && listing.problems().isEmpty() && RemoteFolders.kind(fs, sub) == RemoteFiles.Kind.DIRECTORY) {
      listing = RemoteFolders.files(fs, sub, wanted);
    }
    List<FileRef> files = listing.filesOrThrow("--input", skipped, "; --skip-bad skips such entries");
    if (files.isEmpty() && skipped != null && !skipped.isEmpty()) {
      throw new InvalidInputException("--input " + input + ": none of the " + skipped.size() + " image entries is a regular file: " + skipped.get(0));
    }
    if (files.isEmpty()) {
      throw new InvalidInputException("--input " + input + ": no images (expected " + String.join(", ", new TreeSet<>(Images.EXTENSIONS)) + " files)");
    }
    List<String> stems = new ArrayList<>();
    for (FileRef f : files) {
      String s = Locations.stem(f.name());
      if (stems.contains(s)) throw new InvalidInputException("--input " + input + ": two images share the stem '" + s + "'; masks are named by stem");
      stems.add(s);
    }
    return files;
  }

  /** As {@link Predictor#refuseReplacingInputs}, for URIs: no mask may be written over an input image. */
  private static void refuseReplacingRemote(List<FileRef> files, String out, boolean probabilities) {
    for (FileRef f : files) {
      String name = Locations.stem(f.name()) + ".png";
      List<String> targets = new ArrayList<>(List.of(Locations.child(out, name)));
      if (probabilities) targets.add(Locations.child(Locations.child(out, "probabilities"), name));
      for (String t : targets) {
        if (t.equals(f.location())) {
          throw new InvalidInputException("--out " + out + ": the mask " + t + " would replace the input image " + f.shown()
              + "; choose an output folder apart from --input");
        }
      }
    }
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void deleteTree(Path root) {
    try (var s = Files.walk(root)) {
      for (Path p : (Iterable<Path>) s.sorted(java.util.Comparator.reverseOrder())::iterator) Files.deleteIfExists(p);
    } catch (IOException | UncheckedIOException e) {
      // a temporary folder
    }
  }

  // ------------------------------------------------------------------------------------------------
  // the executors' side

  /** The model file's bytes and their SHA-256 (the executors' cache key). */
  record ModelBlob(byte[] bytes, String sha256) implements Serializable {}

  /** Per image: null when it can be segmented, else the local command's message; or the task's own error (the device). */
  static final class Probe implements Serializable {
    private static final long serialVersionUID = 1L;
    final ArrayList<String> problems = new ArrayList<>();
    String error;
  }

  /** Probes the images of one slice as the local command does before it writes anything. */
  static final class ProbeTask implements SliceTask<FileRef, Probe> {
    private static final long serialVersionUID = 1L;
    private final int[] unet; // UNetConfig's in channels, depth, width (the record is not Serializable)
    private final String device;
    private final int threads;
    private final int interop;

    ProbeTask(UNetConfig unet, String device, int threads, int interop) {
      this.unet = new int[] {unet.inChannels(), unet.depth(), unet.baseWidth()};
      this.device = device;
      this.threads = threads;
      this.interop = interop;
    }

    @Override
    public Probe run(Slice<FileRef> slice, TaskEnv env) {
      Probe out = new Probe();
      boolean gpu;
      try {
        // the device as the predict task will see it; a GPU that the executor lacks is the user's error (one line, exit 2)
        gpu = DjlRuntime.device(DjlRuntime.engine(threads, interop), env.device(device)).isGpu();
      } catch (InvalidInputException e) {
        out.error = e.getMessage() + " (on executor " + env.executorId() + ")";
        return out;
      }
      long free = gpu ? -1 : MemoryEstimate.freePhysicalMemory();
      UNetConfig net = new UNetConfig(unet[0], unet[1], unet[2]);
      TaskFiles files = new TaskFiles(env);
      for (FileRef f : slice.items()) {
        try {
          Predictor.probe(files.local(f), net, free);
          out.problems.add(null);
        } catch (InvalidInputException e) {
          out.problems.add(files.renamed(e).getMessage());
        } finally {
          files.release();
        }
      }
      return out;
    }
  }

  /** One task's work: how many masks it wrote, what it skipped, its first error, whether it loaded the model. */
  static final class Written implements Serializable {
    private static final long serialVersionUID = 1L;
    int count;
    final List<String> skipped = new ArrayList<>();
    String error;
    boolean loaded;
  }

  /** Each executor JVM's models: SHA-256 and device to the loaded model. */
  private static final Map<String, Predictor.Segmenter> MODELS = new ConcurrentHashMap<>();

  /** Segments the images of one slice and writes their outputs. */
  static final class PredictTask implements SliceTask<FileRef, Written> {
    private static final long serialVersionUID = 1L;
    private final Shared<ModelBlob> model;
    private final Intensity.Mode norm;
    private final int threads;
    private final int interop;
    private final String device;
    private final double threshold;
    private final boolean probabilities;
    private final boolean skipBad;
    private final String out;

    PredictTask(Shared<ModelBlob> model, Intensity.Mode norm, int threads, int interop, String device, double threshold, boolean probabilities,
        boolean skipBad, String out) {
      this.model = model;
      this.norm = norm;
      this.threads = threads;
      this.interop = interop;
      this.device = device;
      this.threshold = threshold;
      this.probabilities = probabilities;
      this.skipBad = skipBad;
      this.out = out;
    }

    @Override
    public Written run(Slice<FileRef> slice, TaskEnv env) throws IOException {
      Written w = new Written();
      Predictor.Segmenter seg;
      try {
        seg = segmenter(env, w);
      } catch (InvalidInputException e) {
        w.error = e.getMessage();
        return w;
      }
      TaskFiles files = new TaskFiles(env);
      boolean remote = Locations.isUri(out);
      Path target = remote ? Files.createDirectory(env.tempDir().resolve("out")) : Path.of(out);
      for (FileRef f : slice.items()) {
        try {
          Predictor.Segmentation s;
          synchronized (seg) {
            s = seg.segment(files.local(f));
          }
          String stem = Locations.stem(f.name());
          s.write(target, stem, threshold, probabilities);
          if (remote) upload(env, target, stem);
          w.count++;
        } catch (InvalidInputException e) {
          String m = files.renamed(e).getMessage();
          if (!skipBad) {
            w.error = m;
            return w;
          }
          w.skipped.add(m);
        } finally {
          files.release();
        }
      }
      return w;
    }

    private void upload(TaskEnv env, Path local, String stem) throws IOException {
      String name = stem + ".png";
      env.files().upload(local.resolve(name), Locations.child(out, name));
      Files.delete(local.resolve(name));
      if (probabilities) {
        Path p = local.resolve("probabilities").resolve(name);
        env.files().upload(p, Locations.child(Locations.child(out, "probabilities"), name));
        Files.delete(p);
      }
    }

    /** This executor's model for the task's device, loaded on first use. */
    private Predictor.Segmenter segmenter(TaskEnv env, Written w) throws IOException {
      String dev = env.device(device);
      ModelBlob blob = model.get();
      String key = blob.sha256() + " " + dev + " " + threads + " " + interop;
      Predictor.Segmenter seg = MODELS.get(key);
      if (seg != null) return seg;
      synchronized (MODELS) {
        seg = MODELS.get(key);
        if (seg != null) return seg;
        var engine = DjlRuntime.engine(threads, interop);
        ai.djl.Device d = DjlRuntime.device(engine, dev);
        Path file = Files.createTempFile("segloss-model-", ".params");
        try {
          Files.write(file, blob.bytes());
          seg = Predictor.Segmenter.open(file, norm, engine, d);
        } finally {
          Files.deleteIfExists(file);
        }
        MODELS.put(key, seg);
        w.loaded = true;
        return seg;
      }
    }
  }
}
