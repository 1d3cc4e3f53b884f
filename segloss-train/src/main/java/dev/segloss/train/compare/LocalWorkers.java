package dev.segloss.train.compare;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.segloss.core.InvalidInputException;
import dev.segloss.train.LiveLine;
import dev.segloss.train.ModelFiles;
import dev.segloss.train.Progress;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code compare --workers N}: N trainings at once, each in its own child JVM (a {@link RunWorker}; DJL
 * trains one network per process, and PyTorch's thread settings are process-wide), each with the run's
 * {@code --threads} PyTorch threads. The children take the plan's runs in order from a shared queue as
 * they finish; each loads the data set once. A run's outcome is the same as in the sequential loop (same
 * description, same threads: the same computation), so the comparison is the same, number for number.
 *
 * <p>The children are started with this JVM's java, class path and JVM options (heap, {@code
 * --add-modules}, system properties). When a run fails, no further runs are handed out, the children finish
 * what they run and stop, and the failure of the earliest run in plan order is reported — what the
 * sequential loop would have reported, since it stops at that run.
 *
 * <p>On a terminal ({@code live}) the children report their runs' progress to this JVM ({@link RunWorker}'s
 * {@code progress} lines, at most five a second each), which draws one {@link StatusLine} for all the runs
 * training at once; a finished run's line and anything a child writes on stderr are printed above it.
 * Otherwise nothing is reported and a child writes on this JVM's stderr directly.
 */
public final class LocalWorkers implements CompareJob.Executor {
  private final int workers;

  /** @param workers trainings at once (at least 1) */
  public LocalWorkers(int workers) {
    if (workers < 1) throw new InvalidInputException("--workers: expected at least 1, got " + workers);
    this.workers = workers;
  }

  @Override
  public List<RunOutcome> execute(ComparePlan plan, PrintWriter err, boolean live, CompareJob.Done done) {
    return execute(plan, err, live, LiveLine.columns(), done);
  }

  /** As {@link #execute(ComparePlan, PrintWriter, boolean, CompareJob.Done)} on a terminal {@code columns} wide. */
  List<RunOutcome> execute(ComparePlan plan, PrintWriter err, boolean live, int columns, CompareJob.Done done) {
    List<RunSpec> runs = plan.runs();
    RunOutcome[] outcomes = new RunOutcome[runs.size()];
    String[] failures = new String[runs.size()];
    boolean[] bad = new boolean[runs.size()];
    ConcurrentLinkedQueue<RunSpec> queue = new ConcurrentLinkedQueue<>(runs);
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> threads = new ArrayList<>();
    List<Thread> pumps = new ArrayList<>();
    List<Process> children = new ArrayList<>();
    int n = Math.min(workers, runs.size());
    StatusLine status = new StatusLine(err, live, columns, runs.size(), n);
    try {
      for (int w = 0; w < n; w++) {
        Process child = start(plan.config().out(), plan.config().overwrite(), status.live(), plan.config().threads());
        synchronized (children) {
          children.add(child);
        }
        if (status.live()) pumps.add(daemon(() -> pump(child, status), "segloss-compare-worker-" + w + "-stderr"));
        threads.add(daemon(() -> serve(child, queue, stop, outcomes, failures, bad, done, status), "segloss-compare-worker-" + w));
      }
      for (Thread t : threads) t.join();
      for (Thread t : pumps) t.join(10_000); // a worker's last words, printed before what follows
    } catch (IOException e) {
      throw new IllegalStateException("cannot start a worker JVM: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } finally {
      status.close();
      synchronized (children) {
        for (Process p : children) if (p.isAlive()) p.destroyForcibly();
      }
    }
    for (int i = 0; i < runs.size(); i++) {
      if (failures[i] != null) {
        if (bad[i]) throw new InvalidInputException(failures[i]);
        throw new IllegalStateException(runs.get(i).label() + ": " + failures[i]);
      }
    }
    List<RunOutcome> out = new ArrayList<>(Arrays.asList(outcomes));
    for (int i = 0; i < out.size(); i++) {
      if (out.get(i) == null) throw new IllegalStateException(runs.get(i).label() + ": no outcome from the worker JVMs");
    }
    return out;
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  /**
   * One child: hands it runs from the queue until the queue is empty or a run failed, then closes its input.
   * While a run trains, the child's progress lines go to {@code status}; any other line that is not the
   * protocol's (a library writing to stdout) is skipped, and so is a progress line that cannot be read.
   */
  static void serve(Process child, ConcurrentLinkedQueue<RunSpec> queue, AtomicBoolean stop, RunOutcome[] outcomes, String[] failures,
      boolean[] bad, CompareJob.Done done, StatusLine status) {
    ObjectMapper json = ModelFiles.json().copy().disable(SerializationFeature.INDENT_OUTPUT);
    RunSpec current = null;
    try (BufferedWriter to = new BufferedWriter(new OutputStreamWriter(child.getOutputStream(), StandardCharsets.UTF_8));
        BufferedReader from = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      for (RunSpec run = stop.get() ? null : queue.poll(); run != null; run = stop.get() ? null : queue.poll()) {
        current = run;
        long t0 = System.nanoTime();
        status.started(run);
        to.write(json.writeValueAsString(run));
        to.newLine();
        to.flush();
        String answer = null;
        for (String line = from.readLine(); line != null; line = from.readLine()) {
          if (!line.startsWith(RunWorker.LINE)) continue;
          String a = line.substring(RunWorker.LINE.length());
          if (a.startsWith(RunWorker.PROGRESS)) {
            Progress.State s = RunWorker.parseProgress(json, a, run.index());
            if (s != null) status.progress(run, s);
            continue;
          }
          answer = a;
          break;
        }
        if (answer == null) {
          status.failed(run);
          record(failures, bad, run.index(), "the worker JVM ended unexpectedly (exit code " + exitCode(child) + ")", false, stop);
          return;
        }
        if (answer.startsWith("outcome ")) {
          RunOutcome o = json.readValue(answer.substring("outcome ".length()), RunOutcome.class);
          outcomes[run.index()] = o;
          RunSpec r = run;
          status.finished(run, () -> done.finished(r, o, (System.nanoTime() - t0) / 1e9));
        } else if (answer.startsWith("bad ")) {
          status.failed(run);
          record(failures, bad, run.index(), answer.substring("bad ".length()), true, stop);
        } else {
          status.failed(run);
          record(failures, bad, run.index(), answer.startsWith("error ") ? answer.substring("error ".length()) : answer, false, stop);
        }
        current = null;
      }
    } catch (IOException e) {
      if (current != null) {
        status.failed(current);
        record(failures, bad, current.index(), "talking to a worker JVM: " + e.getMessage(), false, stop);
      }
    }
  }

  /** Copies a child's stderr, line by line, above the live line (live only; else the child writes to this JVM's stderr itself). */
  private static void pump(Process child, StatusLine status) {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getErrorStream(), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) status.println(line);
    } catch (IOException e) {
      // the child is gone: nothing more to copy
    }
  }

  private static synchronized void record(String[] failures, boolean[] bad, int index, String message, boolean isBad, AtomicBoolean stop) {
    failures[index] = message;
    bad[index] = isBad;
    stop.set(true);
  }

  private static String exitCode(Process p) {
    try {
      return Integer.toString(p.waitFor());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown";
    }
  }

  /**
   * A child JVM running {@link RunWorker}: this JVM's java, class path and options, but PyTorch's thread
   * counts those of the runs ({@code threads} intra-op, 1 inter-op), so that the child's engine starts as
   * its runs use it instead of starting with this JVM's counts and switching. With {@code progress}, it
   * reports its runs' progress and its stderr comes to this JVM (to be printed above the live line); else
   * its stderr is this JVM's.
   */
  static Process start(Path root, boolean overwrite, boolean progress, int threads) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      // not a debugger or an agent of this JVM (a second one would clash on its port or file)
      if (a.startsWith("-agentlib") || a.startsWith("-javaagent") || a.startsWith("-Xrunjdwp") || a.startsWith("-Xdebug")) continue;
      if (a.startsWith("-Dai.djl.pytorch.num_threads=") || a.startsWith("-Dai.djl.pytorch.num_interop_threads=")) continue;
      cmd.add(a);
    }
    cmd.add("-Dai.djl.pytorch.num_threads=" + threads);
    cmd.add("-Dai.djl.pytorch.num_interop_threads=1");
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), RunWorker.class.getName(), root.toAbsolutePath().toString(),
        Boolean.toString(overwrite), Boolean.toString(progress)));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.redirectError(progress ? ProcessBuilder.Redirect.PIPE : ProcessBuilder.Redirect.INHERIT);
    return pb.start();
  }
}
