package dev.segloss.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segloss.core.io.Npy;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 2's "Bad input" list, each through the CLI: exit code 2, one line on stderr naming the argument
 * or file and what was expected, no stack trace (unless --verbose).
 */
class BadInputTest {
  @TempDir Path dir;

  private String npy(String name, float[] data, int... shape) {
    Path f = dir.resolve(name);
    Npy.write(f, data, shape);
    return f.toString();
  }

  private String truth() {
    return npy("t.npy", new float[] {1, 0, 0, 1}, 2, 2);
  }

  private String pred() {
    return npy("p.npy", new float[] {0.9f, 0.1f, 0.2f, 0.8f}, 2, 2);
  }

  @Test
  void shapeMismatchNamesBothShapes() {
    String p = npy("p3.npy", new float[] {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f}, 2, 3);
    Cli.run("loss", "--loss", "dice", "--y-true", truth(), "--y-pred", p)
        .badInput("--y-pred", "p3.npy", "[2, 3]", "--y-true", "[2, 2]");
  }

  @Test
  void nanOrInfInPredictions() {
    String p = npy("nan.npy", new float[] {0.9f, Float.NaN, 0.2f, 0.8f}, 2, 2);
    Cli.run("loss", "--loss", "dice", "--y-true", truth(), "--y-pred", p).badInput("--y-pred", "nan.npy", "NaN", "finite");
    String q = npy("inf.npy", new float[] {0.9f, 0.1f, Float.POSITIVE_INFINITY, 0.8f}, 2, 2);
    Cli.run("loss", "--loss", "bce", "--y-true", truth(), "--y-pred", q, "--logits").badInput("--y-pred", "inf.npy", "Infinity", "finite");
  }

  @Test
  void nanOrInfInWeights() {
    String w = npy("w.npy", new float[] {1f, Float.NaN}, 2);
    Cli.run("loss", "--loss", "dice", "--y-true", truth(), "--y-pred", pred(), "--weights", w).badInput("--weights", "w.npy", "NaN", "finite");
    String v = npy("v.npy", new float[] {1f, Float.POSITIVE_INFINITY, 1f, 1f}, 2, 2);
    Cli.run("loss", "--loss", "bce", "--y-true", truth(), "--y-pred", pred(), "--weights", v).badInput("--weights", "v.npy", "Infinity");
  }

  @Test
  void probabilitiesOutsideUnitRangeSuggestLogits() {
    String p = npy("big.npy", new float[] {0.9f, 1.5f, 0.2f, 0.8f}, 2, 2);
    Cli.run("loss", "--loss", "bce", "--y-true", truth(), "--y-pred", p).badInput("--y-pred", "big.npy", "1.5", "[0,1]", "--logits");
    String n = npy("neg.npy", new float[] {0.9f, -0.1f, 0.2f, 0.8f}, 2, 2);
    Cli.run("evaluate", "--truth", truth(), "--pred", n).badInput("--pred", "neg.npy", "-0.1", "--logits");
  }

  @Test
  void labelsOutsideUnitRangeAndNotTheIgnoreValue() {
    String t = npy("t2.npy", new float[] {1, 2, 0, 1}, 2, 2);
    Cli.run("loss", "--loss", "dice", "--y-true", t, "--y-pred", pred()).badInput("--y-true", "t2.npy", "2.0", "[0,1]", "--ignore-value");
    String u = npy("t255.npy", new float[] {1, 255, 0, 7}, 2, 2);
    Cli.run("loss", "--loss", "dice", "--y-true", u, "--y-pred", pred(), "--ignore-value", "255").badInput("--y-true", "t255.npy", "7.0", "ignore value");
    Cli.run("evaluate", "--truth", u, "--pred", pred(), "--ignore-value", "255").badInput("--truth", "t255.npy", "7.0");
    Cli.run("weights", "--masks", t).badInput("--masks", "t2.npy", "2.0");
  }

  /** Every command that reads labels checks --ignore-value the same way (one shared option). */
  @Test
  void ignoreValueMustBeFinite() {
    for (String v : new String[] {"NaN", "Infinity"}) {
      Cli.run("loss", "--loss", "dice", "--y-true", truth(), "--y-pred", pred(), "--ignore-value", v).badInput("--ignore-value", "finite", v);
      Cli.run("evaluate", "--truth", truth(), "--pred", pred(), "--ignore-value", v).badInput("--ignore-value", "finite", v);
      Cli.run("weights", "--masks", truth(), "--ignore-value", v).badInput("--ignore-value", "finite", v);
    }
    assertTrue(Cli.run("evaluate", "--truth", truth(), "--pred", pred(), "--ignore-value", "NaN").err.startsWith("segloss evaluate: --ignore-value: "));
  }

  @Test
  void negativeWeights() {
    String w = npy("neg.npy", new float[] {1f, -0.5f, 1f, 1f}, 2, 2);
    Cli.run("loss", "--loss", "bce", "--y-true", truth(), "--y-pred", pred(), "--weights", w).badInput("--weights", "neg.npy", "-0.5", ">= 0");
  }

  @Test
  void emptyArrays() {
    String t = npy("empty_t.npy", new float[0], 0, 4);
    String p = npy("empty_p.npy", new float[0], 0, 4);
    Cli.run("loss", "--loss", "dice", "--y-true", t, "--y-pred", p).badInput("--y-true", "empty_t.npy", "empty");
    Cli.run("evaluate", "--truth", t, "--pred", p).badInput("--truth", "empty_t.npy", "empty");
    Cli.run("weights", "--masks", t).badInput("--masks", "empty_t.npy", "empty");
  }

  @Test
  void unknownLossOrParameter() {
    Cli.run("loss", "--loss", "dise", "--y-true", truth(), "--y-pred", pred()).badInput("--loss", "unknown loss 'dise'", "known:", "dice");
    Cli.run("loss", "--loss", "bce(w_poss=2)", "--y-true", truth(), "--y-pred", pred())
        .badInput("--loss", "unknown parameter 'w_poss'", "column", "w_pos");
    Cli.run("loss", "--loss", "0.5*bce +", "--y-true", truth(), "--y-pred", pred()).badInput("--loss", "column");
  }

  @Test
  void missingFile() {
    String missing = dir.resolve("nope.npy").toString();
    Cli.run("loss", "--loss", "dice", "--y-true", missing, "--y-pred", pred()).badInput("--y-true", "nope.npy", "no such file");
    Cli.run("loss", "--loss", "dice", "--y-true", truth(), "--y-pred", pred(), "--weights", missing).badInput("--weights", "nope.npy", "no such file");
    Cli.run("evaluate", "--truth", truth(), "--pred", missing).badInput("--pred", "nope.npy", "no such file");
    Cli.run("weights", "--masks", missing).badInput("--masks", "nope.npy", "no such file");
  }

  @Test
  void unpairedFilesInMaskFoldersAreListed() throws java.io.IOException {
    Path t = java.nio.file.Files.createDirectory(dir.resolve("masks"));
    Path p = java.nio.file.Files.createDirectory(dir.resolve("preds"));
    for (String n : new String[] {"a", "b", "c"}) dev.segloss.core.io.Images.writeGrayPng(t.resolve(n + ".png"), new float[4], 2, 2);
    for (String n : new String[] {"a", "d"}) dev.segloss.core.io.Images.writeGrayPng(p.resolve(n + ".png"), new float[4], 2, 2);
    Cli.run("evaluate", "--truth", t.toString(), "--pred", p.toString())
        .badInput("unpaired files", "--truth without a partner in --pred: b.png, c.png", "--pred without a partner in --truth: d.png");
  }

  @Test
  void predictionOfADifferentSizeThanItsMask() throws java.io.IOException {
    Path t = java.nio.file.Files.createDirectory(dir.resolve("masks"));
    Path p = java.nio.file.Files.createDirectory(dir.resolve("preds"));
    dev.segloss.core.io.Images.writeGrayPng(t.resolve("a.png"), new float[6], 2, 3);
    dev.segloss.core.io.Images.writeGrayPng(p.resolve("a.png"), new float[6], 3, 2);
    Cli.run("evaluate", "--truth", t.toString(), "--pred", p.toString())
        .badInput("--pred", p.resolve("a.png").toString(), "size 3x2", "its mask " + t.resolve("a.png"), "size 2x3");
  }

  @Test
  void usageErrorsAreOneLineToo() {
    Cli.run("loss", "--loss", "dice", "--y-true", truth()).badInput("--y-pred", "Missing required option");
    Cli.run("loss", "--loss", "dice", "--y-true", truth(), "--y-pred", pred(), "--ignore-value", "abc").badInput("--ignore-value", "abc");
    Cli.run("los").badInput("'los'", "did you mean loss");
    Cli.run().badInput("missing command", "loss");
  }

  /** A JVM error escaping a command (out of memory on large inputs) is one line with a hint, exit code 1. */
  @Test
  void outOfMemoryIsOneLineWithAHint() {
    for (boolean verbose : new boolean[] {false, true}) {
      java.io.StringWriter o = new java.io.StringWriter();
      java.io.StringWriter e = new java.io.StringWriter();
      picocli.CommandLine cl = Segloss.commandLine(new java.io.PrintWriter(o), new java.io.PrintWriter(e));
      cl.addSubcommand("huge", new picocli.CommandLine(new Huge()));
      int code = verbose ? Segloss.run(cl, "huge", "--verbose") : Segloss.run(cl, "huge");
      assertEquals(1, code);
      String err = e.toString();
      assertTrue(err.startsWith("segloss huge: out of memory (Java heap space); give the JVM more heap, e.g. SEGLOSS_JAVA_OPTS=-Xmx"), err);
      if (verbose) {
        assertTrue(err.contains("OutOfMemoryError") && err.contains("\tat "), err);
      } else {
        assertEquals(1, err.strip().lines().count(), err);
        assertTrue(!err.contains("\tat ") && err.contains("--verbose"), err);
      }
    }
  }

  @picocli.CommandLine.Command(name = "huge")
  static final class Huge implements java.util.concurrent.Callable<Integer> {
    @Override
    public Integer call() {
      throw new OutOfMemoryError("Java heap space");
    }
  }

  @Test
  void verbosePrintsTheStackTraceInEitherPosition() {
    String missing = dir.resolve("nope.npy").toString();
    for (String[] args : new String[][] {
        {"--verbose", "loss", "--loss", "dice", "--y-true", missing, "--y-pred", pred()},
        {"loss", "--loss", "dice", "--y-true", missing, "--y-pred", pred(), "--verbose"}}) {
      Cli c = Cli.run(args);
      assertEquals(2, c.code);
      assertTrue(c.err.startsWith("segloss loss: --y-true: " + missing + ": no such file\n"), c.err);
      assertTrue(c.err.contains("InvalidInputException") && c.err.contains("\tat "), c.err);
    }
  }
}
