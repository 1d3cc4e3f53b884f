package dev.segloss.train.compare;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which test images the report shows for the leading losses, all losses on the same images side by side
 * (issue 12): the best loss's best, median and worst image, then the {@value #DISAGREEMENTS} images where
 * the leading losses' Dice differ most (largest max − min, where each loss has a Dice), so that the pictures
 * show where the choice of loss matters.
 *
 * <p>Only images with foreground in the truth and a defined Dice for the best loss are candidates (on an
 * empty image Dice only counts false alarms, and is undefined under the {@code nan} policy); an image is
 * shown once, under the first reason that picks it; an image on which the losses agree exactly is not a
 * disagreement.
 */
public final class OverlayChoice {
  /** Images picked for disagreement at most. */
  public static final int DISAGREEMENTS = 3;

  private OverlayChoice() {}

  /**
   * One picked image.
   *
   * @param index the image's position in the comparison's test images
   * @param why e.g. {@code "best of dice"} or {@code "losses disagree most (Dice 0.12 to 0.81)"}
   */
  public record Pick(int index, String why) {}

  /**
   * @param losses the leading losses' specs, best first
   * @param dice per leading loss, per test image, the Dice of the shown prediction (NaN where undefined)
   * @param foreground per test image, whether its truth has foreground
   */
  public static List<Pick> choose(List<String> losses, double[][] dice, boolean[] foreground) {
    int n = foreground.length;
    List<Integer> candidates = new ArrayList<>();
    for (int j = 0; j < n; j++) if (foreground[j] && !Double.isNaN(dice[0][j])) candidates.add(j);
    List<Pick> out = new ArrayList<>();
    if (candidates.isEmpty()) return out;
    List<Integer> byBest = new ArrayList<>(candidates);
    byBest.sort((a, b) -> dice[0][a] != dice[0][b] ? Double.compare(dice[0][b], dice[0][a]) : Integer.compare(a, b));
    int[] at = {0, byBest.size() / 2, byBest.size() - 1};
    String[] label = {"best", "median", "worst"};
    for (int q = 0; q < 3; q++) {
      if (q == 1 && byBest.size() < 3) continue; // two images: best and worst, no median
      add(out, byBest.get(at[q]), label[q] + " of " + losses.get(0));
    }
    if (losses.size() < 2) return out;
    List<double[]> spread = new ArrayList<>(); // {index, max - min, min, max}
    for (int j : candidates) {
      double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
      boolean all = true;
      for (double[] d : dice) {
        if (Double.isNaN(d[j])) all = false;
        lo = Math.min(lo, d[j]);
        hi = Math.max(hi, d[j]);
      }
      if (all && hi > lo) spread.add(new double[] {j, hi - lo, lo, hi});
    }
    spread.sort((a, b) -> a[1] != b[1] ? Double.compare(b[1], a[1]) : Double.compare(a[0], b[0]));
    int added = 0;
    for (double[] s : spread) {
      if (added == DISAGREEMENTS) break;
      if (add(out, (int) s[0], String.format(Locale.ROOT, "losses disagree most (Dice %.2f to %.2f)", s[2], s[3]))) added++;
    }
    return out;
  }

  private static boolean add(List<Pick> out, int index, String why) {
    for (Pick p : out) if (p.index() == index) return false;
    out.add(new Pick(index, why));
    return true;
  }
}
