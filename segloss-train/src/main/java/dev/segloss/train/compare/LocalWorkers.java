package dev.segloss.train.compare;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.segloss.core.InvalidInputException;
import dev.segloss.train.ModelFiles;
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
    List<RunSpec> runs = plan.runs();
    RunOutcome[] outcomes = new RunOutcome[runs.size()];
    String[] failures = new String[runs.size()];
    boolean[] bad = new boolean[runs.size()];
    ConcurrentLinkedQueue<RunSpec> queue = new ConcurrentLinkedQueue<>(runs);
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> threads = new ArrayList<>();
    List<Process> children = new ArrayList<>();
    try {
      for (int w = 0; w < Math.min(workers, runs.size()); w++) {
        Process child = start(plan.config().out(), plan.config().overwrite());
        synchronized (children) {
          children.add(child);
        }
        Thread t = new Thread(() -> serve(child, queue, stop, outcomes, failures, bad, done), "segloss-compare-worker-" + w);
        t.setDaemon(true);
        threads.add(t);
        t.start();
      }
      for (Thread t : threads) t.join();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start a worker JVM: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } finally {
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

  /** One child: hands it runs from the queue until the queue is empty or a run failed, then closes its input. */
  private static void serve(Process child, ConcurrentLinkedQueue<RunSpec> queue, AtomicBoolean stop, RunOutcome[] outcomes, String[] failures,
      boolean[] bad, CompareJob.Done done) {
    ObjectMapper json = ModelFiles.json().copy().disable(SerializationFeature.INDENT_OUTPUT);
    RunSpec current = null;
    try (BufferedWriter to = new BufferedWriter(new OutputStreamWriter(child.getOutputStream(), StandardCharsets.UTF_8));
        BufferedReader from = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      for (RunSpec run = stop.get() ? null : queue.poll(); run != null; run = stop.get() ? null : queue.poll()) {
        current = run;
        long t0 = System.nanoTime();
        to.write(json.writeValueAsString(run));
        to.newLine();
        to.flush();
        String line;
        do {
          line = from.readLine();
        } while (line != null && !line.startsWith(RunWorker.LINE));
        if (line == null) {
          record(failures, bad, run.index(), "the worker JVM ended unexpectedly (exit code " + exitCode(child) + ")", false, stop);
          return;
        }
        String answer = line.substring(RunWorker.LINE.length());
        if (answer.startsWith("outcome ")) {
          RunOutcome o = json.readValue(answer.substring("outcome ".length()), RunOutcome.class);
          outcomes[run.index()] = o;
          synchronized (done) {
            done.finished(run, o, (System.nanoTime() - t0) / 1e9);
          }
        } else if (answer.startsWith("bad ")) {
          record(failures, bad, run.index(), answer.substring("bad ".length()), true, stop);
        } else {
          record(failures, bad, run.index(), answer.startsWith("error ") ? answer.substring("error ".length()) : answer, false, stop);
        }
        current = null;
      }
    } catch (IOException e) {
      if (current != null) record(failures, bad, current.index(), "talking to a worker JVM: " + e.getMessage(), false, stop);
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

  /** A child JVM running {@link RunWorker}: this JVM's java, class path and options. */
  static Process start(Path root, boolean overwrite) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      // not a debugger or an agent of this JVM (a second one would clash on its port or file)
      if (a.startsWith("-agentlib") || a.startsWith("-javaagent") || a.startsWith("-Xrunjdwp") || a.startsWith("-Xdebug")) continue;
      cmd.add(a);
    }
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), RunWorker.class.getName(), root.toAbsolutePath().toString(),
        Boolean.toString(overwrite)));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.redirectError(ProcessBuilder.Redirect.INHERIT);
    return pb.start();
  }
}
