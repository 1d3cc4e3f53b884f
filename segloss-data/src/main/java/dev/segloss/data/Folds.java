package dev.segloss.data;

import dev.segloss.core.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Grouped K-fold cross-validation of a {@link Pool}: every image is a test image in exactly one fold, and
 * a group (one 2-D image, or a slab of neighbouring slices of a volume) never straddles two folds.
 *
 * <p><b>Dealing.</b> The groups are shuffled with the seed, then dealt as the single slab split deals its
 * slabs: the groups with foreground first, each to the fold furthest below its share of foreground images
 * (relative to that share; ties to the lowest fold), then the groups without, by share of all images. The
 * folds are therefore stratified on foreground, as {@link Splits#random} stratifies a single split.
 *
 * <p><b>Fold f</b> (1-based) tests the groups dealt to it, validates on those of fold f + 1 (fold 1
 * after the last) — the best checkpoint's choice — and trains on all others. Then, within each volume, a
 * training slice within {@link Pool#gap()} positions of a validation or test slice is dropped, and a
 * validation slice within the gap of a test slice: neighbouring slices never sit in two parts of one fold.
 * Test slices are never dropped.
 *
 * <p><b>Re-dealing.</b> With thin slabs a deal can interleave the folds so that, after the gap, a fold
 * keeps no training or no validation slice (9 slabs of 2 slices, gap 1, 3 folds: every training slab sits
 * between a test and a validation slab). Such a deal is not used: the groups are dealt again from the next
 * random stream of the same seed, up to {@value #DEALS} deals, and the first deal whose every fold keeps
 * training and validation images is taken. A deal that works at once is the deal it always was; only when
 * none of the deals works is {@code --folds} refused, naming the fold that came out empty.
 */
public final class Folds {
  private Folds() {}

  /** Deals tried before refusing (each is cheap: one shuffle and one pass over the images). */
  static final int DEALS = 64;

  /**
   * One fold.
   *
   * @param number 1-based
   * @param train training images
   * @param val validation images
   * @param test test images
   * @param dropped images left out of this fold for the gap
   */
  public record Fold(int number, List<Sample> train, List<Sample> val, List<Sample> test, int dropped) {}

  /** The fold (0-based) of each group. */
  static int[] deal(Pool pool, int k, long seed, int attempt) {
    int groups = pool.groups();
    if (k < 3) throw new InvalidInputException("--folds: expected at least 3 folds (test, validation and training), got " + k);
    if (groups < k) {
      throw new InvalidInputException(String.format(Locale.ROOT, "--folds %d: the data make only %d group%s (%s), fewer than the folds; use fewer folds",
          k, groups, groups == 1 ? "" : "s", pool.unit()));
    }
    int[] fg = new int[groups], size = new int[groups];
    int fgTotal = 0, total = pool.images().size();
    for (int i = 0; i < total; i++) {
      size[pool.group()[i]]++;
      if (!pool.images().get(i).isEmpty()) {
        fg[pool.group()[i]]++;
        fgTotal++;
      }
    }
    int[] order = Rng.permutation(groups, attempt == 0 ? Rng.stream(seed, Rng.FOLDS, k) : Rng.stream(seed, Rng.FOLDS, k, attempt));
    int[] fold = new int[groups];
    int[] gotFg = new int[k], gotAll = new int[k];
    for (int pass = 0; pass < 2; pass++) {
      for (int g : order) {
        if ((fg[g] > 0) != (pass == 0)) continue;
        int best = 0;
        double bestDeficit = Double.NEGATIVE_INFINITY;
        for (int f = 0; f < k; f++) {
          double deficit = pass == 0 ? 1 - gotFg[f] / (fgTotal / (double) k) : 1 - gotAll[f] / (total / (double) k);
          if (deficit > bestDeficit + 1e-12) {
            bestDeficit = deficit;
            best = f;
          }
        }
        fold[g] = best;
        gotFg[best] += fg[g];
        gotAll[best] += size[g];
      }
    }
    return fold;
  }

  /** The {@code k} folds of {@code pool}, dealt with {@code seed}. */
  public static List<Fold> of(Pool pool, int k, long seed) {
    InvalidInputException first = null;
    for (int attempt = 0; attempt < DEALS; attempt++) {
      try {
        return folds(pool, k, deal(pool, k, seed, attempt));
      } catch (EmptyFold e) {
        if (first == null) first = new InvalidInputException(e.getMessage());
      }
    }
    throw first;
  }

  /** A deal that leaves a fold without training or validation images; {@link #of} deals again. */
  private static final class EmptyFold extends RuntimeException {
    EmptyFold(String message) {
      super(message, null, false, false);
    }
  }

  private static List<Fold> folds(Pool pool, int k, int[] groupFold) {
    int n = pool.images().size();
    List<Fold> out = new ArrayList<>();
    for (int f = 0; f < k; f++) {
      int valFold = (f + 1) % k;
      // 0 train, 1 val, 2 test, -1 dropped
      int[] part = new int[n];
      for (int i = 0; i < n; i++) {
        int gf = groupFold[pool.group()[i]];
        part[i] = gf == f ? 2 : gf == valFold ? 1 : 0;
      }
      int dropped = 0;
      // validation slices next to test slices first, then training slices next to what is left of both
      for (int side = 1; side >= 0 && pool.gap() > 0; side--) {
        for (int i = 0; i < n; i++) {
          if (part[i] != side || pool.volume()[i] < 0) continue;
          for (int j = 0; j < n; j++) {
            if (pool.volume()[j] != pool.volume()[i] || part[j] <= side) continue;
            if (Math.abs(pool.images().get(i).slice() - pool.images().get(j).slice()) <= pool.gap()) {
              part[i] = -1;
              dropped++;
              break;
            }
          }
        }
      }
      List<Sample> train = new ArrayList<>(), val = new ArrayList<>(), test = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        if (part[i] == 0) train.add(pool.images().get(i));
        else if (part[i] == 1) val.add(pool.images().get(i));
        else if (part[i] == 2) test.add(pool.images().get(i));
      }
      if (train.isEmpty() || val.isEmpty()) {
        throw new EmptyFold(String.format(Locale.ROOT, "--folds %d: fold %d has %d training and %d validation images left"
            + " (after keeping neighbouring slices apart, in each of %d deals); use fewer folds", k, f + 1, train.size(), val.size(), DEALS));
      }
      out.add(new Fold(f + 1, train, val, test, dropped));
    }
    return out;
  }
}
