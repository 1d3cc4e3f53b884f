package dev.segloss.train.compare;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segloss.core.InvalidInputException;
import dev.segloss.data.Datasets;
import dev.segloss.data.LoadOptions;
import dev.segloss.data.Sample;
import dev.segloss.train.ModelFiles;
import dev.segloss.train.TrainConfig;
import java.io.BufferedReader;
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
   * The child JVM of {@link LocalWorkers}: {@code RunWorker ROOT OVERWRITE}. Reads one run description per
   * line (JSON) on stdin and answers each with one line on stdout: {@code segloss-run outcome <JSON>}, {@code
   * segloss-run bad <message>} (bad input, as the sequential run would report it) or {@code segloss-run error
   * <exception>}. Ends at the end of stdin. Anything else the libraries print goes to stderr.
   */
  public static void main(String[] args) throws Exception {
    PrintStream protocol = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    System.setOut(System.err);
    Path root = Path.of(args[0]);
    boolean overwrite = Boolean.parseBoolean(args[1]);
    ObjectMapper json = ModelFiles.json().copy().disable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT);
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      if (line.isBlank()) continue;
      String answer;
      try {
        RunSpec run = json.readValue(line, RunSpec.class);
        answer = "outcome " + json.writeValueAsString(execute(run, root, overwrite, RunExecutor.Progress.none()));
      } catch (InvalidInputException e) {
        answer = "bad " + oneLine(e.getMessage());
      } catch (Exception | Error e) {
        answer = "error " + oneLine(e.toString());
      }
      protocol.println(LINE + answer);
    }
    System.exit(0);
  }

  static String oneLine(String s) {
    return s == null ? "" : s.strip().replaceAll("\\s*\\R\\s*", " ");
  }
}
