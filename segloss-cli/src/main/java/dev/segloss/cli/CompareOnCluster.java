package dev.segloss.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.segloss.cli.cluster.Cluster;
import dev.segloss.cli.cluster.Locations;
import dev.segloss.cli.cluster.RemoteFiles;
import dev.segloss.cli.cluster.Slice;
import dev.segloss.cli.cluster.SliceTask;
import dev.segloss.cli.cluster.TaskEnv;
import dev.segloss.core.InvalidInputException;
import dev.segloss.train.ModelFiles;
import dev.segloss.train.OutputFiles;
import dev.segloss.train.compare.CompareConfig;
import dev.segloss.train.compare.CompareJob;
import dev.segloss.train.compare.RunExecutor;
import dev.segloss.train.compare.RunOutcome;
import dev.segloss.train.compare.RunSpec;
import dev.segloss.train.compare.RunWorker;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code segloss compare --spark}: the plan on the driver, one Spark task per run description, the
 * aggregation and report on the driver ({@link CompareJob} with a Spark {@link CompareJob.Executor}).
 *
 * <p>A task trains its run in a folder of its own on the executor's disk ({@link RunWorker}: the data set
 * loaded once per executor JVM, one training at a time per JVM, on the task's GPU when Spark's resource
 * scheduling gives it one), and only a finished run is published to {@code --out}: copied file by file
 * (each atomically) into {@code --out/runs/...} when {@code --out} is a local folder every executor sees, or
 * uploaded when it is a URI. A task whose executor is lost is run again by Spark from the start, in a new
 * folder, and gives the same outcome (a run is deterministic in its description: seed, data, threads);
 * nothing half-written reaches {@code --out}. The outcomes come back to the driver as JSON, in plan order.
 *
 * <p>With a URI {@code --out} the driver writes the report into a local staging folder, with a copy of the
 * run folders (the report's overlay pictures read models), and uploads the report's files at the end.
 */
final class CompareOnCluster {
  private CompareOnCluster() {}

  /**
   * @param b the comparison as the options give it
   * @param outTyped {@code --out} as typed (null: the default local folder of {@code b})
   * @param overwrite {@code --overwrite}
   */
  static void run(ClusterOption opt, CompareConfig.Builder b, String outTyped, boolean overwrite, PrintWriter out, PrintWriter err) {
    boolean remote = outTyped != null && Locations.isUri(outTyped);
    Cluster[] cluster = {null};
    ClusterOutput[] held = {null};
    Path staging = null;
    try {
      if (remote) {
        staging = Files.createTempDirectory("segloss-compare-");
        b.out(staging.resolve("report")).overwrite(false);
      }
      CompareConfig c = b.build();
      String runsTo = remote ? outTyped : Locations.absolute(c.out());
      // Spark starts once the plan stands (a refused plan fails at once); a URI --out is checked and locked then
      CompareJob.Executor spark = (plan, e, live, done) -> {
        cluster[0] = opt.connect(err);
        if (remote) {
          try {
            held[0] = ClusterOutput.prepare(cluster[0].files(), outTyped, overwrite, List.of());
          } catch (IOException x) {
            throw new UncheckedIOException("--out " + outTyped + ": " + x.getMessage(), x);
          }
        }
        return execute(cluster[0], plan.runs(), runsTo, remote ? plan.config().out() : null, done, err);
      };
      CompareJob.run(c, out, err, false, spark);
      if (remote) {
        upload(cluster[0].files(), c.out(), outTyped);
        held[0].release(cluster[0].files());
        err.println("report uploaded to " + Locations.child(outTyped, "report.html") + " (with results.json, results.csv, per_image.csv; runs/ by the tasks)");
        err.flush();
      }
    } catch (RuntimeException | Error x) {
      if (held[0] != null) held[0].abandon(cluster[0].files());
      throw x;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      if (cluster[0] != null) cluster[0].close();
      if (staging != null) deleteTree(staging);
    }
  }

  /** One task per run; the outcomes in plan order. With {@code stageRuns}, the runs are also copied there from the URI. */
  private static List<RunOutcome> execute(Cluster cluster, List<RunSpec> runs, String out, Path stageRuns, CompareJob.Done done, PrintWriter err) {
    ObjectMapper json = ModelFiles.json().copy().disable(SerializationFeature.INDENT_OUTPUT);
    List<String> specs = new ArrayList<>();
    for (RunSpec r : runs) {
      try {
        specs.add(json.writeValueAsString(r));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    List<Ran> results = cluster.run(Slice.cut(specs, specs.size()), new TrainTask(out));
    List<String> again = new ArrayList<>();
    for (int i = 0; i < results.size(); i++) if (results.get(i).attempt > 0) again.add(runs.get(i).label() + " (attempt " + (results.get(i).attempt + 1) + ")");
    if (!again.isEmpty()) {
      err.println("spark: " + again.size() + " run(s) ran again after a lost executor or a failed task, with the same description: "
          + String.join("; ", again));
      err.flush();
    }
    List<RunOutcome> outcomes = new ArrayList<>();
    for (int i = 0; i < results.size(); i++) {
      Ran r = results.get(i);
      if (r.bad != null) throw new InvalidInputException(r.bad);
      try {
        RunOutcome o = json.readValue(r.outcome, RunOutcome.class);
        outcomes.add(o);
        done.finished(runs.get(i), o, r.seconds);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    if (stageRuns != null) {
      for (RunSpec r : runs) download(cluster.files(), Locations.child(out, r.dir()), stageRuns.resolve(r.dir()));
    }
    return outcomes;
  }

  /** A task's answer: the outcome as JSON, or the run's bad-input message. */
  static final class Ran implements Serializable {
    private static final long serialVersionUID = 1L;
    String outcome;
    String bad;
    double seconds;
    int attempt;
    String executor;
  }

  /** Trains one run in a folder of its own, then publishes the finished run folder. */
  static final class TrainTask implements SliceTask<String, Ran> {
    private static final long serialVersionUID = 1L;
    private final String out;

    TrainTask(String out) {
      this.out = out;
    }

    @Override
    public Ran run(Slice<String> slice, TaskEnv env) throws IOException {
      ObjectMapper json = ModelFiles.json().copy().disable(SerializationFeature.INDENT_OUTPUT);
      RunSpec run = json.readValue(slice.items().get(0), RunSpec.class);
      String device = env.device(run.train().device());
      if (!device.equals(run.train().device())) {
        run = new RunSpec(run.index(), run.lossIndex(), run.loss(), run.seed(), run.fold(), run.dir(), run.train().toBuilder().device(device).build(),
            run.trainImages(), run.valImages(), run.testImages(), run.testIndex(), run.keepMasks());
      }
      Ran r = new Ran();
      r.attempt = env.attempt();
      r.executor = env.executorId();
      Path work = Files.createDirectories(env.tempDir().resolve("attempt"));
      long t0 = System.nanoTime();
      RunOutcome o;
      try {
        o = RunWorker.execute(run, work, false, RunExecutor.Progress.none());
      } catch (InvalidInputException e) {
        r.bad = e.getMessage();
        return r;
      }
      publish(env.files(), work.resolve(run.dir()), Locations.isUri(out) ? Locations.child(out, run.dir()) : Path.of(out).resolve(run.dir()).toString());
      r.seconds = (System.nanoTime() - t0) / 1e9;
      r.outcome = json.writeValueAsString(o);
      return r;
    }
  }

  /** Copies a finished run folder to its place in --out, each file atomically (a local folder, or a URI). */
  static void publish(RemoteFiles fs, Path from, String to) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.walk(from)) {
      files = s.filter(Files::isRegularFile).sorted().toList();
    }
    for (Path f : files) {
      String rel = from.relativize(f).toString().replace('\\', '/');
      if (Locations.isUri(to)) {
        fs.upload(f, Locations.child(to, rel));
      } else {
        OutputFiles.writeBytes(Path.of(to).resolve(rel), Files.readAllBytes(f));
      }
    }
  }

  private static void download(RemoteFiles fs, String from, Path to) {
    try {
      for (RemoteFiles.Entry e : fs.list(from)) {
        if (e.kind() == RemoteFiles.Kind.DIRECTORY) {
          download(fs, e.uri(), to.resolve(e.name()));
        } else if (e.kind() == RemoteFiles.Kind.FILE) {
          Files.createDirectories(to);
          fs.download(e.uri(), to.resolve(e.name()));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy " + from + " back for the report: " + e.getMessage(), e);
    }
  }

  /** The report's files (not the runs, which the tasks uploaded) from the staging folder to the URI. */
  private static void upload(RemoteFiles fs, Path report, String to) throws IOException {
    try (Stream<Path> s = Files.list(report)) {
      for (Path f : s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList()) {
        fs.upload(f, Locations.child(to, f.getFileName().toString()));
      }
    }
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) Files.deleteIfExists(p);
    } catch (IOException | UncheckedIOException e) {
      // a temporary folder
    }
  }
}
