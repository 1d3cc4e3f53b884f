package dev.segloss.train.compare;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segloss.core.InvalidInputException;
import dev.segloss.data.Datasets;
import dev.segloss.data.LoadOptions;
import dev.segloss.data.Sample;
import dev.segloss.train.ModelFiles;
import dev.segloss.train.Progress;
import dev.segloss.train.TrainConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Executes {@link RunSpec}s away from the comparison's own loop: inside a Spark task ({@link #execute}) or in
 * a child JVM of {@link LocalWorkers} ({@link #main}). A JVM loads each data set once — the one {@code
 * train.data()} names, with the run's load options, as the plan loaded it, so the images found by name are
 * the plan's — and trains one network at a time: DJL's gradient collector is process-wide ("A
 * PtGradientCollector is already collecting"), so runs handed to one JVM from several threads take turns.
 */
public final class RunWorker {
  /** Starts every protocol line the child writes on stdout; other output there is not the parent's business. */
  static final String LINE = "segloss-run ";
  /** After {@link #LINE}: a running run's progress, {@code progress <JSON of a Report>}; not an answer. */
  static final String PROGRESS = "progress ";

  /** A running run's progress as the child reports it: the run's plan index and its training's state. */
  record Report(int run, Progress.State state) {}

  private static final Map<String, Map<String, Sample>> DATA = new ConcurrentHashMap<>();
  private static final Object ONE_TRAINING = new Object();

  private RunWorker() {}

  /** The images of a run's data set by name, loaded once per JVM. */
  public static Map<String, Sample> images(RunSpec run) {
    TrainConfig tc = run.train();
    LoadOptions lo = tc.loadOptions();
    String key = String.join("\n", tc.data(), Long.toString(lo.seed()), Double.toString(lo.valFraction()), Double.toString(lo.testFraction()),
        Double.toString(lo.maskThreshold()), Boolean.toString(lo.skipBad()), Integer.toString(lo.sizeMultiple()), String.valueOf(lo.emptyPolicy()));
    return DATA.computeIfAbsent(key, k -> RunExecutor.byName(Datasets.load(tc.data(), lo).pool().images()));
  }

  /** Executes {@code run} in this JVM (see the class comment), its folder under {@code root}. */
  public static RunOutcome execute(RunSpec run, Path root, boolean overwrite, RunExecutor.Progress progress) {
    Map<String, Sample> images = images(run);
    synchronized (ONE_TRAINING) {
      return RunExecutor.execute(run, images, root, overwrite, progress);
    }
  }

  /**
   * The child JVM of {@link LocalWorkers}: {@code RunWorker ROOT OVERWRITE [PROGRESS]}. Reads one run
   * description per line (JSON) on stdin and answers each with one line on stdout: {@code segloss-run outcome
   * <JSON>}, {@code segloss-run bad <message>} (bad input, as the sequential run would report it) or {@code
   * segloss-run error <exception>}. With {@code PROGRESS} {@code true} (the parent draws a live line), the
   * answer is preceded by {@code segloss-run progress <JSON>} lines ({@link #progressLine}) at most five
   * times a second while the run trains. Ends at the end of stdin. Anything else the libraries print goes to
   * stderr.
   */
  public static void main(String[] args) throws Exception {
    PrintStream protocol = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    System.setOut(System.err);
    Path root = Path.of(args[0]);
    boolean overwrite = Boolean.parseBoolean(args[1]);
    boolean progress = args.length > 2 && Boolean.parseBoolean(args[2]);
    ObjectMapper json = ModelFiles.json().copy().disable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT);
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    boolean warmedUp = false;
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      if (line.isBlank()) continue;
      String answer;
      try {
        RunSpec run = json.readValue(line, RunSpec.class);
        if (!warmedUp) {
          warmUp(run);
          warmedUp = true;
        }
        RunExecutor.Progress p = progress ? RunExecutor.Progress.to(s -> report(protocol, json, run.index(), s)) : RunExecutor.Progress.none();
        answer = "outcome " + json.writeValueAsString(execute(run, root, overwrite, p));
      } catch (InvalidInputException e) {
        answer = "bad " + oneLine(e.getMessage());
      } catch (Exception | Error e) {
        answer = "error " + oneLine(e.toString());
      }
      protocol.println(LINE + answer);
    }
    System.exit(0);
  }

  /** Sends a progress line; a report that cannot be written is dropped (it must not stop the training). */
  private static void report(PrintStream protocol, ObjectMapper json, int run, Progress.State s) {
    String line;
    try {
      line = progressLine(json, run, s);
    } catch (RuntimeException e) {
      return;
    }
    protocol.println(line);
  }

  /** {@code segloss-run progress {"run":R,"state":{...}}}: one line. */
  static String progressLine(ObjectMapper json, int run, Progress.State s) {
    try {
      return LINE + PROGRESS + json.writeValueAsString(new Report(run, s));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The state a progress answer (the text after {@link #LINE}, starting with {@link #PROGRESS}) reports for
   * run {@code run}, or null when it is malformed, about another run or impossible (epoch or step out of
   * range): progress is shown, never trusted, so a damaged line is dropped and the run goes on.
   */
  static Progress.State parseProgress(ObjectMapper json, String answer, int run) {
    if (!answer.startsWith(PROGRESS)) return null;
    Report r;
    try {
      r = json.readerFor(Report.class).with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES,
          DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES).readValue(answer.substring(PROGRESS.length()));
    } catch (IOException | RuntimeException e) {
      return null;
    }
    Progress.State s = r == null ? null : r.state();
    if (s == null || r.run() != run) return null;
    if (s.epochs() < 1 || s.epoch() < 1 || s.epoch() > s.epochs() || s.steps() < 1 || s.step() < 0 || s.step() > s.steps()) return null;
    return s;
  }

  /**
   * Before a worker JVM's first run: a few training steps of a throw-away network of the run's shape and
   * threads ({@link StepTimer}), as the comparison's own JVM does when it plans. The first run of a fresh
   * worker JVM then starts on an engine that has already allocated, planned and run its kernels, as every
   * run one after another does. (Seen twice under heavy load, never reproduced idle: the first run of a
   * fresh worker JVM diverging with NaN weights, or differing in a late digit, while the same run in the
   * planning JVM did not; the cause is not known. Nothing of the warm-up reaches a run.)
   */
  static void warmUp(RunSpec run) {
    TrainConfig tc = run.train();
    Sample any = images(run).values().iterator().next();
    int h = tc.patchHeight() > 0 ? Math.min(tc.patchHeight(), any.height()) : any.height();
    int w = tc.patchWidth() > 0 ? Math.min(tc.patchWidth(), any.width()) : any.width();
    StepTimer.measure(tc, h, w, any.height(), any.width());
  }

  static String oneLine(String s) {
    return s == null ? "" : s.strip().replaceAll("\\s*\\R\\s*", " ");
  }
}
