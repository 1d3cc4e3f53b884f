package dev.segloss.data.nifti;

import dev.segloss.core.InvalidInputException;
import java.util.Arrays;
import java.util.StringJoiner;
import java.util.TreeSet;

/**
 * Which values of a label volume are foreground: a set of integer labels ({@code 37+38}) or {@code any}
 * non-zero label, as the {@code label=} option of {@code --data nifti:...}. A voxel's value is rounded to
 * the nearest integer before the test (labels stored as floats, or scaled by scl_slope, are integers up to
 * rounding); {@link #binarize} refuses values that are not integers at all, so that a probability map
 * given as a label volume is an error instead of a silently rounded mask.
 */
public final class LabelSelection {
  /** Largest distance of a label voxel from an integer (float storage or scaling leaves less). */
  public static final double INTEGER_TOLERANCE = 1e-3;

  private final int[] values;

  private LabelSelection(int[] values) {
    this.values = values;
  }

  /** Every non-zero label is foreground. */
  public static LabelSelection any() {
    return new LabelSelection(null);
  }

  /** Exactly these labels are foreground. */
  public static LabelSelection of(int... labels) {
    if (labels.length == 0) throw new IllegalArgumentException("no label");
    return new LabelSelection(Arrays.stream(labels).distinct().sorted().toArray());
  }

  /**
   * Parses {@code 37+38} or {@code any}.
   *
   * @param option named in the error, e.g. {@code --truth-label}
   */
  public static LabelSelection parse(String option, String text) {
    String t = text == null ? "" : text.trim();
    if (t.equalsIgnoreCase("any")) return any();
    String[] parts = t.split("\\+", -1);
    int[] v = new int[parts.length];
    for (int i = 0; i < parts.length; i++) {
      try {
        v[i] = Integer.parseInt(parts[i].trim());
      } catch (NumberFormatException e) {
        throw new InvalidInputException(option + ": expected integer label values joined by '+' (e.g. 37+38) or 'any', got '" + text + "'");
      }
    }
    return of(v);
  }

  /** True for {@link #any()}. */
  public boolean isAny() {
    return values == null;
  }

  /** The selected labels, sorted (null for any). */
  public int[] values() {
    return values == null ? null : values.clone();
  }

  /** True when a voxel of value {@code x} is foreground. */
  public boolean selects(float x) {
    long r = Math.round((double) x);
    if (values == null) return r != 0;
    return r >= Integer.MIN_VALUE && r <= Integer.MAX_VALUE && Arrays.binarySearch(values, (int) r) >= 0;
  }

  /**
   * A 0/1 mask of {@code labels}: 1 where the (rounded) value is selected. Voxels equal to {@code
   * ignoreValue} keep that value (NaN: none are ignored).
   *
   * @param what names the volume in errors, e.g. {@code "--truth: labels.nii.gz"}
   * @throws InvalidInputException for a non-finite or non-integer voxel (naming {@code what} and the voxel)
   */
  public float[] binarize(float[] labels, String what, double ignoreValue) {
    float[] out = new float[labels.length];
    boolean ign = !Double.isNaN(ignoreValue);
    float iv = (float) ignoreValue;
    for (int i = 0; i < labels.length; i++) {
      float x = labels[i];
      if (ign && x == iv) {
        out[i] = iv;
        continue;
      }
      if (!Float.isFinite(x)) throw new InvalidInputException(what + ": voxel " + i + " is " + x + "; a label volume holds finite integers");
      if (Math.abs(x - Math.rint(x)) > INTEGER_TOLERANCE * Math.max(1, Math.abs(x))) {
        throw new InvalidInputException(what + ": voxel " + i + " is " + x + ", not an integer label (a probability map? give it as the"
            + " prediction, without a label option)");
      }
      out[i] = selects(x) ? 1f : 0f;
    }
    return out;
  }

  /** Up to {@code max} distinct non-zero (rounded) labels present, for messages: "[2, 37, 38]". */
  public static String present(float[] labels, int max) {
    TreeSet<Long> s = new TreeSet<>();
    for (float x : labels) {
      if (Float.isFinite(x) && Math.round((double) x) != 0) s.add(Math.round((double) x));
      if (s.size() > max) break;
    }
    if (s.isEmpty()) return "none (every voxel is 0)";
    return s.toString().replace("]", s.size() > max ? ", ...]" : "]");
  }

  /** {@code 37+38} or {@code any}. */
  @Override
  public String toString() {
    if (values == null) return "any";
    StringJoiner j = new StringJoiner("+");
    for (int v : values) j.add(Integer.toString(v));
    return j.toString();
  }
}
