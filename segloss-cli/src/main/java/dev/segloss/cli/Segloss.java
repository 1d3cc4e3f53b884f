package dev.segloss.cli;

import dev.segloss.core.InvalidInputException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code segloss} command line: {@code segloss <command> [options]}.
 *
 * <p><b>Adding a subcommand</b> (e.g. {@code train}, {@code predict}, {@code compare}): write a class
 * annotated with picocli's {@code @Command(name = "...", mixinStandardHelpOptions = true, header = "One
 * sentence.", ...)} (the header is the summary {@code segloss --help} lists; give a footer with examples
 * too, {@code HelpTest} checks both for every command) that
 * extends {@link SeglossCommand} (it gives {@code out()}, {@code err()}, JSON output and the error
 * conventions) and implements {@code call()}, then add its class to the {@code subcommands} list of the
 * {@code @Command} annotation on this class, before {@code HelpCommand.class}. That one line is the only
 * change needed here; {@code segloss --help} lists the new command and the error handling below applies
 * to it. A command that reads labels takes {@code @Mixin IgnoreValueOption} for {@code --ignore-value}.
 *
 * <p><b>Errors</b>: bad input (an {@link InvalidInputException} anywhere in the cause chain, or a picocli
 * usage error) prints one line on stderr, {@code segloss <command>: <message>}, naming the argument or
 * file, and exits with code 2; any other failure prints one line and exits with code 1. Stack traces
 * only with {@code --verbose} (accepted before or after the command name). Exit code 0 on success.
 */
@Command(
    name = "segloss",
    mixinStandardHelpOptions = true,
    versionProvider = Segloss.Version.class,
    sortOptions = false,
    usageHelpWidth = 100,
    description = {
      "Losses, metrics and class weights for binary segmentation under class imbalance.",
      "Inputs are .npy arrays [N, d1, ..., dk] (batch first) or folders of PNG/JPEG/TIFF/BMP images."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  ./segloss loss --loss 'bce(w_pos=1, w_neg=0.2)' \\",
      "      --y-true examples/seed/y_true.npy --y-pred examples/seed/y_pred.npy",
      "  ./segloss losses tversky",
      "  ./segloss weights --masks masks/ --method inverse",
      "  ./segloss evaluate --truth masks/ --pred predictions/ --json",
      "  ./segloss compare                      # which loss? 7 losses x 3 seeds on synthetic data",
      "  ./segloss train --loss 'bce(w_pos=auto)' --out runs/wbce",
      "  ./segloss predict --model runs/wbce --input images/ --out preds/",
      "  ./segloss help evaluate",
      "",
      "Exit codes: 0 success, 1 internal error, 2 bad input (one line on stderr; --verbose: stack trace)."
    },
    subcommands = {
      LossCommand.class,
      LossesCommand.class,
      WeightsCommand.class,
      EvaluateCommand.class,
      TrainCommand.class,
      PredictCommand.class,
      CompareCommand.class,
      DataCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Segloss implements Runnable {
  /** Exit code for bad input and usage errors. */
  public static final int BAD_INPUT = 2;
  /** Exit code for internal errors. */
  public static final int INTERNAL_ERROR = 1;

  @Spec CommandSpec spec;

  @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Print stack traces of errors (and more detail where commands offer it).")
  boolean verbose;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing command; one of: " + String.join(", ", commandNames(spec)));
  }

  private static List<String> commandNames(CommandSpec spec) {
    return spec.subcommands().keySet().stream().filter(n -> !n.equals("help")).toList();
  }

  /** The command line with segloss's error handling, printing to the given writers. */
  public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
    CommandLine cl = new CommandLine(new Segloss());
    cl.setOut(out);
    cl.setErr(err);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setExecutionExceptionHandler(Segloss::handleExecutionException);
    cl.setParameterExceptionHandler(Segloss::handleParameterException);
    return cl;
  }

  /** Runs the command line and returns the exit code. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    return run(commandLine(out, err), args);
  }

  /**
   * Runs a command line built by {@link #commandLine}. A JVM error that escapes a command (picocli
   * handles exceptions only) is one line too: out of memory says how to give the JVM more heap; the stack
   * trace only with {@code --verbose}. Exit code 1.
   */
  static int run(CommandLine cl, String... args) {
    PrintWriter err = cl.getErr();
    try {
      return cl.execute(args);
    } catch (OutOfMemoryError | StackOverflowError e) {
      boolean verbose = Arrays.asList(args).contains("--verbose");
      String who = "segloss" + (args.length > 0 && cl.getSubcommands().containsKey(args[0]) ? " " + args[0] : "");
      if (e instanceof OutOfMemoryError) {
        err.println(who + ": out of memory (" + oneLine(e.getMessage()) + "); give the JVM more heap, e.g. SEGLOSS_JAVA_OPTS=-Xmx"
            + Math.max(2, 2 * (Runtime.getRuntime().maxMemory() >> 30)) + "g, or use smaller inputs"
            + (verbose ? "" : " (--verbose for the stack trace)"));
      } else {
        err.println(who + ": internal error: " + e + (verbose ? "" : " (--verbose for the stack trace)"));
      }
      if (verbose) e.printStackTrace(err);
      return INTERNAL_ERROR;
    } finally {
      cl.getOut().flush();
      err.flush();
    }
  }

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
    PrintWriter err = new PrintWriter(new java.io.OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
    System.exit(run(out, err, args));
  }

  private static int handleExecutionException(Exception ex, CommandLine cl, ParseResult parseResult) {
    PrintWriter err = cl.getErr();
    String who = cl.getCommandSpec().qualifiedName();
    boolean verbose = verbose(parseResult);
    InvalidInputException bad = cause(ex, InvalidInputException.class);
    int code;
    if (bad != null) {
      err.println(who + ": " + oneLine(bad.getMessage()));
      code = BAD_INPUT;
    } else if (cause(ex, UncheckedIOException.class) != null || cause(ex, IOException.class) != null) {
      Throwable io = cause(ex, UncheckedIOException.class) != null ? cause(ex, UncheckedIOException.class) : cause(ex, IOException.class);
      err.println(who + ": I/O error: " + oneLine(String.valueOf(io.getMessage())) + (verbose ? "" : " (--verbose for details)"));
      code = INTERNAL_ERROR;
    } else {
      err.println(who + ": internal error: " + oneLine(ex.toString()) + (verbose ? "" : " (--verbose for the stack trace)"));
      code = INTERNAL_ERROR;
    }
    if (verbose) ex.printStackTrace(err);
    err.flush();
    return code;
  }

  private static int handleParameterException(ParameterException ex, String[] args) {
    CommandLine cl = ex.getCommandLine();
    PrintWriter err = cl.getErr();
    String who = cl.getCommandSpec().qualifiedName();
    // picocli checks required options before it reports unknown ones: "--ytrue x" would say "Missing
    // required option '--y-true'"; the unknown flag is the user's actual mistake, so name it first
    if (ex instanceof CommandLine.MissingParameterException) {
      String unknown = firstUnknownOption(cl, args);
      if (unknown != null) ex = new UnmatchedArgumentException(cl, List.of(unknown));
    }
    StringBuilder msg = new StringBuilder(who).append(": ").append(oneLine(ex.getMessage()));
    if (ex instanceof UnmatchedArgumentException) {
      List<String> s = ((UnmatchedArgumentException) ex).getSuggestions();
      if (s.isEmpty()) s = similarOptions(cl.getCommandSpec(), ((UnmatchedArgumentException) ex).getUnmatched());
      if (!s.isEmpty()) msg.append("; did you mean ").append(String.join(" or ", s.subList(0, Math.min(3, s.size())))).append('?');
    }
    msg.append(" (see '").append(who).append(" --help')");
    err.println(msg);
    if (Arrays.asList(args).contains("--verbose")) ex.printStackTrace(err);
    err.flush();
    return BAD_INPUT;
  }

  /**
   * The first argument after the command's name that looks like an option (starts with {@code -}, is not
   * a number such as {@code -1}) but names none of the command's options, skipping the values of options
   * that take one; null when there is none.
   */
  static String firstUnknownOption(CommandLine cl, String[] args) {
    CommandSpec spec = cl.getCommandSpec();
    int i = 0;
    List<String> path = new java.util.ArrayList<>();
    for (CommandSpec s = spec; s.parent() != null; s = s.parent()) path.add(0, s.name());
    // skip to just after the (sub)command names
    for (String name : path) {
      while (i < args.length && !args[i].equals(name)) i++;
      i++;
    }
    for (; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--")) return null;
      if (!a.startsWith("-") || a.equals("-") || a.matches("-[0-9.].*")) continue;
      String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
      CommandLine.Model.OptionSpec o = spec.findOption(name);
      if (o == null) return name;
      if (!a.contains("=") && o.arity().max() > 0 && !o.typeInfo().isBoolean()) i++;
    }
    return null;
  }

  /**
   * Option names close to the first unmatched argument when picocli (which suggests only names sharing the
   * first two letters) has none: the same name but for dashes ({@code --ytrue} for {@code --y-true}), or at
   * most two edits away ({@code --tresh} for {@code --threshold} is not; {@code --treshold} is).
   */
  static List<String> similarOptions(CommandSpec spec, List<String> unmatched) {
    if (unmatched == null || unmatched.isEmpty() || !unmatched.get(0).startsWith("-")) return List.of();
    String arg = unmatched.get(0);
    String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
    String bare = name.replace("-", "");
    List<String> out = new java.util.ArrayList<>();
    for (CommandLine.Model.OptionSpec o : spec.options()) {
      if (o.hidden()) continue;
      String longest = o.longestName();
      if (longest.replace("-", "").equals(bare) || editDistance(longest, name) <= 2) out.add(longest);
    }
    return out;
  }

  private static int editDistance(String a, String b) {
    int[] prev = new int[b.length() + 1], cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) prev[j] = j;
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        cur[j] = Math.min(Math.min(cur[j - 1], prev[j]) + 1, prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  private static boolean verbose(ParseResult pr) {
    for (ParseResult p = pr; p != null; p = p.subcommand()) {
      if (p.hasMatchedOption("--verbose")) return true;
    }
    return false;
  }

  static <T extends Throwable> T cause(Throwable t, Class<T> type) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (type.isInstance(c)) return type.cast(c);
    }
    return null;
  }

  static String oneLine(String s) {
    return s == null ? "" : s.strip().replaceAll("\\s*\\R\\s*", " ");
  }

  /** Version from the jar manifest (Implementation-Version). */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Segloss.class.getPackage().getImplementationVersion();
      return new String[] {"segloss " + (v == null ? "(development build)" : v), "Java " + System.getProperty("java.version")};
    }
  }
}
