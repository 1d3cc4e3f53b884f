package dev.segloss.train.compare;

import dev.segloss.core.InvalidInputException;
import dev.segloss.train.Progress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fits a comparison into {@code --time}: the estimated time of the plan (from a measured step, see
 * {@link StepTimer}) must not exceed the limit. What gives way, in this order:
 *
 * <ol>
 *   <li>the training length, down to half of what was asked (below that the runs would be judged on far
 *       less training than the user wanted);
 *   <li>then the seeds, down to one;
 *   <li>then the cross-validation folds, down to {@value #MIN_FOLDS}, then a single split.
 * </ol>
 *
 * Once the runs fit at half length, the length is raised again as far as the limit allows (never above
 * what was asked). When even the smallest plan does not fit, the comparison is refused with the time it
 * would need.
 */
public final class TimeFit {
  /** Fewest cross-validation folds the fit goes down to before a single split. */
  public static final int MIN_FOLDS = 3;

  private TimeFit() {}

  /** Estimated seconds of a plan with this training length, seeds and folds (1: a single split). */
  @FunctionalInterface
  public interface Cost {
    double seconds(long length, int seeds, int folds);
  }

  /**
   * A plan that fits.
   *
   * @param length updates (or epochs) per run
   * @param seeds seeds
   * @param folds folds (1: a single split)
   * @param seconds its estimated time
   * @param changes what was reduced, e.g. "updates 420 → 300"; empty when the plan fitted as asked
   */
  public record Result(long length, int seeds, int folds, double seconds, List<String> changes) {}

  /**
   * @param unit "updates" or "epochs", for the messages
   * @param limit seconds ({@code --time})
   */
  public static Result fit(long length, int seeds, int folds, String unit, double limit, Cost cost) {
    double asked = cost.seconds(length, seeds, folds);
    if (asked <= limit) return new Result(length, seeds, folds, asked, List.of());
    long floor = Math.max(1, (length + 1) / 2);
    for (int[] sf : candidates(seeds, folds)) {
      int s = sf[0], k = sf[1];
      if (cost.seconds(floor, s, k) > limit) continue;
      // the longest training that fits, between the floor and what was asked
      long lo = floor, hi = length;
      while (lo < hi) {
        long mid = lo + (hi - lo + 1) / 2;
        if (cost.seconds(mid, s, k) <= limit) lo = mid;
        else hi = mid - 1;
      }
      long l = lo >= 100 && lo < length ? Math.max(floor, lo / 10 * 10) : lo;
      List<String> changes = new ArrayList<>();
      if (l != length) changes.add(unit + " per run " + length + " → " + l);
      if (s != seeds) changes.add("seeds " + seeds + " → " + s);
      if (k != folds) changes.add(k == 1 ? folds + "-fold cross-validation → a single split" : "folds " + folds + " → " + k);
      return new Result(l, s, k, cost.seconds(l, s, k), changes);
    }
    int leastFolds = folds >= MIN_FOLDS ? 1 : folds;
    double least = cost.seconds(floor, 1, leastFolds);
    throw new InvalidInputException(String.format(Locale.ROOT,
        "--time %s: the comparison needs about %s as planned and still about %s with the least it allows (%d %s per run, 1 seed%s); allow --time %s or compare fewer losses",
        Progress.duration(limit), Progress.duration(asked), Progress.duration(least), floor, unit,
        folds >= MIN_FOLDS ? ", a single split" : "", roundUpMinutes(least)));
  }

  /** (seeds, folds) in the order they are tried: all seeds first, then fewer seeds, then fewer folds. */
  static List<int[]> candidates(int seeds, int folds) {
    List<int[]> out = new ArrayList<>();
    for (int s = seeds; s >= 1; s--) out.add(new int[] {s, folds});
    if (folds >= MIN_FOLDS) {
      for (int k = folds - 1; k >= MIN_FOLDS; k--) out.add(new int[] {1, k});
      out.add(new int[] {1, 1});
    }
    return out;
  }

  /** E.g. {@code 21m} for 20.3 minutes, {@code 2h5m}. */
  static String roundUpMinutes(double seconds) {
    long m = Math.max(1, (long) Math.ceil(seconds / 60 - 1e-9));
    return m >= 60 ? (m / 60) + "h" + (m % 60 == 0 ? "" : (m % 60) + "m") : m + "m";
  }

  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)([hms])");

  /**
   * Parses {@code --time}: one or more number–unit pairs with units {@code h}, {@code m}, {@code s}, each
   * unit at most once and in that order ({@code 30m}, {@code 1h30m}, {@code 1.5h}, {@code 90s}). Returns
   * seconds.
   */
  public static double parseDuration(String text) {
    String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    String error = "--time: expected a duration such as 30m, 1h30m, 1.5h or 90s, got '" + text + "'";
    if (t.isEmpty()) throw new InvalidInputException(error);
    Matcher m = PART.matcher(t);
    int at = 0;
    double seconds = 0;
    String order = "hms";
    int lastUnit = -1;
    while (at < t.length()) {
      if (!m.find(at) || m.start() != at) throw new InvalidInputException(error);
      int unit = order.indexOf(m.group(2));
      if (unit <= lastUnit) throw new InvalidInputException(error);
      lastUnit = unit;
      seconds += Double.parseDouble(m.group(1)) * (unit == 0 ? 3600 : unit == 1 ? 60 : 1);
      at = m.end();
    }
    if (!(seconds >= 1)) throw new InvalidInputException("--time: expected at least 1s, got '" + text + "'");
    if (seconds > 366 * 24 * 3600.0) throw new InvalidInputException("--time: expected at most a year, got '" + text + "'");
    return seconds;
  }
}
