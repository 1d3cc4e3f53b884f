package dev.segloss.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Notices masks that are probably not masks, for a one-line warning: image masks with more than two
 * distinct raw values (photographs, JPEG-compressed masks, probability maps) and masks that are mostly
 * foreground (more than {@value #MOSTLY_FOREGROUND} of the counted pixels: swapped classes, a too low
 * --mask-threshold, or images given as masks). The 50 % line: segloss is for tasks where foreground is
 * the rarer class, which is what class weights from pixel counts assume. Thread-safe; serializable, so
 * that Spark tasks' checks reach the driver.
 */
final class MaskCheck implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  /** Foreground share of one mask above which it counts as "mostly foreground". */
  static final double MOSTLY_FOREGROUND = 0.5;

  private int items;
  private int manyValues;
  private int mostlyForeground;

  /**
   * One image mask: its raw single-channel values (before thresholding) and its labels (0/1, or the
   * ignore value).
   */
  synchronized void image(float[] raw, float[] labels, double ignoreValue) {
    items++;
    boolean ign = !Double.isNaN(ignoreValue);
    float iv = (float) ignoreValue;
    float a = Float.NaN;
    float b = Float.NaN;
    for (float x : raw) {
      if (ign && x == iv) continue;
      if (Float.isNaN(a) || x == a) {
        a = x;
      } else if (Float.isNaN(b) || x == b) {
        b = x;
      } else {
        manyValues++;
        break;
      }
    }
    count(labels, ign, iv);
  }

  /** One mask of labels in [0, 1] (a .npy mask: soft labels are allowed, so only the share is checked). */
  synchronized void labels(float[] labels, int from, int length, double ignoreValue) {
    items++;
    boolean ign = !Double.isNaN(ignoreValue);
    float iv = (float) ignoreValue;
    double fg = 0;
    long n = 0;
    for (int i = from; i < from + length; i++) {
      float y = labels[i];
      if (ign && y == iv) continue;
      fg += y;
      n++;
    }
    if (n > 0 && fg / n > MOSTLY_FOREGROUND) mostlyForeground++;
  }

  private void count(float[] labels, boolean ign, float iv) {
    double fg = 0;
    long n = 0;
    for (float y : labels) {
      if (ign && y == iv) continue;
      fg += y;
      n++;
    }
    if (n > 0 && fg / n > MOSTLY_FOREGROUND) mostlyForeground++;
  }

  /** Adds the notes of another check (of other files, e.g. a Spark task's). */
  synchronized void merge(MaskCheck other) {
    items += other.items;
    manyValues += other.manyValues;
    mostlyForeground += other.mostlyForeground;
  }

  /**
   * The warning line, or null when every mask looks like one.
   *
   * @param option e.g. {@code --masks}
   * @param noun plural of what was checked, e.g. {@code files} or {@code images of the array}
   */
  synchronized String warning(String option, String noun) {
    if (manyValues == 0 && mostlyForeground == 0) return null;
    List<String> why = new ArrayList<>();
    if (manyValues > 0) why.add(manyValues + " have more than two pixel values");
    if (mostlyForeground > 0) why.add(mostlyForeground + " are mostly foreground (> " + Math.round(100 * MOSTLY_FOREGROUND) + " %)");
    int worst = Math.max(manyValues, mostlyForeground);
    return "warning: " + option + ": " + (worst == items ? "all " + items : worst + " of " + items) + " " + noun
        + " do not look like masks: " + String.join(", ", why) + "; check that " + option
        + " names masks, not images, and --mask-threshold (a raw value > T is foreground)";
  }
}
