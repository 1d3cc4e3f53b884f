package dev.segloss.cli;

import dev.segloss.cli.cluster.Cluster;
import dev.segloss.cli.cluster.Clusters;
import dev.segloss.cli.cluster.FileRef;
import dev.segloss.cli.cluster.Locations;
import dev.segloss.cli.cluster.PairRef;
import dev.segloss.cli.cluster.RemoteFiles;
import dev.segloss.cli.cluster.RemoteFolders;
import dev.segloss.cli.cluster.Slice;
import dev.segloss.cli.cluster.SliceTask;
import dev.segloss.cli.cluster.TaskEnv;
import dev.segloss.cli.cluster.TaskFiles;
import dev.segloss.core.InvalidInputException;
import dev.segloss.core.io.Pairing;
import dev.segloss.core.metrics.ImageMetrics;
import java.io.PrintWriter;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code segloss evaluate --spark}: the pairs of two folders evaluated in Spark tasks, one slice of
 * consecutive pairs per task, each pair by the local command's own code ({@link
 * EvaluateCommand#evaluatePair}); the per-image metrics come back to the driver in pair order, where the
 * summary, the table, the JSON and the CSV are made exactly as locally. A bad pair is reported as the local
 * command reports the first bad pair in stem order.
 */
final class EvaluateOnCluster {
  private EvaluateOnCluster() {}

  static List<ImageMetrics> evaluate(ClusterOption opt, PrintWriter err, String truth, String pred, String predSuffix,
      EvaluateCommand.PairSettings s) {
    boolean remote = Locations.isUri(truth) || Locations.isUri(pred);
    List<PairRef> local = remote ? null : pairLocal(truth, pred, predSuffix);
    try (Cluster cluster = opt.connect(err)) {
      List<PairRef> pairs = local != null ? local : pairRemote(cluster, truth, pred, predSuffix);
      List<Slice<PairRef>> slices = Slice.cut(pairs, Clusters.slices(cluster, pairs.size(), opt.partitions));
      List<Result> parts = cluster.run(slices, new EvaluateTask(s));
      List<ImageMetrics> per = new ArrayList<>(pairs.size());
      for (Result r : parts) {
        if (r.error != null) throw new InvalidInputException(r.error);
        per.addAll(r.metrics);
      }
      return per;
    }
  }

  private static List<PairRef> pairLocal(String truth, String pred, String predSuffix) {
    Path t = Path.of(truth);
    Path p = Path.of(pred);
    boolean truthDir = Files.isDirectory(t);
    boolean predDir = Files.isDirectory(p);
    if (truthDir != predDir) throw mixed(truthDir, truth, pred);
    if (!truthDir && Files.isRegularFile(t) && Files.isRegularFile(p)) throw arrays(truth, pred);
    List<PairRef> pairs = new ArrayList<>();
    for (Pairing.Pair pair : Pairing.of(t, p).labels("--truth", "--pred").suffixes("", predSuffix).pair()) {
      pairs.add(new PairRef(pair.stem(), FileRef.local(pair.first()), FileRef.local(pair.second())));
    }
    return pairs;
  }

  private static List<PairRef> pairRemote(Cluster cluster, String truth, String pred, String predSuffix) {
    RemoteFiles fs = cluster.files();
    RemoteFiles.Kind tk = Locations.isUri(truth) ? RemoteFolders.kind(fs, truth) : localKind(truth);
    RemoteFiles.Kind pk = Locations.isUri(pred) ? RemoteFolders.kind(fs, pred) : localKind(pred);
    boolean truthDir = tk == RemoteFiles.Kind.DIRECTORY;
    boolean predDir = pk == RemoteFiles.Kind.DIRECTORY;
    if (truthDir != predDir) throw mixed(truthDir, truth, pred);
    if (tk == RemoteFiles.Kind.FILE && pk == RemoteFiles.Kind.FILE) throw arrays(truth, pred);
    if (!Locations.isUri(truth) || !Locations.isUri(pred)) {
      throw new InvalidInputException("--spark: give both folders as local paths or both as URIs (got " + truth + " and " + pred + ")");
    }
    return RemoteFolders.pair(fs, truth, pred, "--truth", "--pred", "", predSuffix, Pairing.DEFAULT_EXTENSIONS);
  }

  private static RemoteFiles.Kind localKind(String path) {
    Path p = Path.of(path);
    return Files.isDirectory(p) ? RemoteFiles.Kind.DIRECTORY : Files.isRegularFile(p) ? RemoteFiles.Kind.FILE : RemoteFiles.Kind.MISSING;
  }

  private static InvalidInputException mixed(boolean truthDir, String truth, String pred) {
    return new InvalidInputException((truthDir ? "--pred" : "--truth") + ": " + (truthDir ? pred : truth) + " is a file but "
        + (truthDir ? "--truth " + truth : "--pred " + pred) + " is a directory; give two directories or two files");
  }

  private static InvalidInputException arrays(String truth, String pred) {
    return new InvalidInputException("--spark: distributes folders of masks and predictions; " + truth + " and " + pred
        + " are files (.npy arrays are evaluated by one process: drop --spark)");
  }

  /** One task's per-image metrics, or the first bad pair's message. */
  static final class Result implements Serializable {
    private static final long serialVersionUID = 1L;
    final List<ImageMetrics> metrics = new ArrayList<>();
    String error;
  }

  /** Evaluates the pairs of one slice in order, stopping at the first bad pair. */
  static final class EvaluateTask implements SliceTask<PairRef, Result> {
    private static final long serialVersionUID = 1L;
    private final EvaluateCommand.PairSettings settings;

    EvaluateTask(EvaluateCommand.PairSettings settings) {
      this.settings = settings;
    }

    @Override
    public Result run(Slice<PairRef> slice, TaskEnv env) {
      Result r = new Result();
      TaskFiles files = new TaskFiles(env);
      for (PairRef pair : slice.items()) {
        try {
          Path t = files.local(pair.first());
          Path p = files.local(pair.second());
          r.metrics.add(EvaluateCommand.evaluatePair(settings, pair.stem(), t, p));
        } catch (InvalidInputException e) {
          r.error = files.renamed(e).getMessage();
          return r;
        } finally {
          files.release();
        }
      }
      return r;
    }
  }
}
