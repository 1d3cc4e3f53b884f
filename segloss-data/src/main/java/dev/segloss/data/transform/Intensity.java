package dev.segloss.data.transform;

import dev.segloss.core.InvalidInputException;
import java.util.Arrays;
import java.util.Locale;

/**
 * Intensity normalisation of images and volumes.
 *
 * <p>Every mode first clips to the robust range [{@value #LOW_PERCENTILE}th, {@value
 * #HIGH_PERCENTILE}th percentile] of the values (nnU-Net's clipping percentiles, Isensee et al., "nnU-Net:
 * a self-configuring method for deep learning-based biomedical image segmentation", Nature Methods
 * 18, 2021), so that a few hot pixels do not set the scale. Then:
 *
 * <ul>
 *   <li>{@link Mode#ZSCORE} (default): {@code (x - mean) / std} of the clipped values: mean 0, std 1, as
 *       nnU-Net does for MRI;
 *   <li>{@link Mode#MINMAX}: {@code (x - lo) / (hi - lo)} into [0, 1];
 *   <li>{@link Mode#NONE}: the raw values (no clipping either).
 * </ul>
 *
 * Statistics are accumulated in double. A constant image maps to all zeros.
 */
public final class Intensity {
  /** Lower clipping percentile (nnU-Net). */
  public static final double LOW_PERCENTILE = 0.5;
  /** Upper clipping percentile (nnU-Net). */
  public static final double HIGH_PERCENTILE = 99.5;

  /** Normalisation mode; the {@code norm=} option of a {@code --data} value (parsed by {@code Options.norm}). */
  public enum Mode {
    ZSCORE,
    MINMAX,
    NONE;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The affine map {@code x -> clamp(x, lo, hi) * scale + shift} found by {@link #fit}. */
  public static final class Transform {
    final double lo;
    final double hi;
    final double scale;
    final double shift;

    Transform(double lo, double hi, double scale, double shift) {
      this.lo = lo;
      this.hi = hi;
      this.scale = scale;
      this.shift = shift;
    }

    public float apply(float x) {
      double v = x < lo ? lo : (x > hi ? hi : x);
      return (float) (v * scale + shift);
    }

    /** The normalised value of the lower clipping bound (used as padding: "as dark as the darkest tissue"). */
    public float floor() {
      return apply((float) lo);
    }

    public void applyInPlace(float[] a) {
      for (int i = 0; i < a.length; i++) a[i] = apply(a[i]);
    }
  }

  private Intensity() {}

  /**
   * Fits the normalisation to {@code values} (all of them when {@code select} is null, else those
   * where {@code select[i]} is true).
   */
  public static Transform fit(float[] values, boolean[] select, Mode mode) {
    if (mode == Mode.NONE) return new Transform(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, 1, 0);
    float[] v;
    if (select == null) {
      v = values.clone();
    } else {
      int n = 0;
      for (boolean b : select) if (b) n++;
      v = new float[n];
      int j = 0;
      for (int i = 0; i < values.length; i++) if (select[i]) v[j++] = values[i];
    }
    if (v.length == 0) return new Transform(0, 0, 0, 0);
    for (float x : v) {
      if (!Float.isFinite(x)) throw new InvalidInputException("image: contains NaN or infinite values");
    }
    Arrays.sort(v);
    double lo = percentileSorted(v, LOW_PERCENTILE);
    double hi = percentileSorted(v, HIGH_PERCENTILE);
    if (mode == Mode.MINMAX) {
      if (hi <= lo) return new Transform(lo, hi, 0, 0);
      return new Transform(lo, hi, 1.0 / (hi - lo), -lo / (hi - lo));
    }
    double sum = 0;
    for (float x : v) sum += Math.min(Math.max(x, lo), hi);
    double mean = sum / v.length;
    double ss = 0;
    for (float x : v) {
      double d = Math.min(Math.max(x, lo), hi) - mean;
      ss += d * d;
    }
    double std = Math.sqrt(ss / v.length);
    if (!(std > 1e-12 * Math.max(1, Math.abs(mean)))) return new Transform(lo, hi, 0, 0);
    return new Transform(lo, hi, 1.0 / std, -mean / std);
  }

  /** Share of the robust intensity range above which a voxel of a volume counts as head/tissue. */
  public static final double TISSUE_LEVEL = 0.1;

  /**
   * What {@link #normalizeVolume} did to a volume.
   *
   * @param tissue per voxel: brighter than the tissue level (the voxels the statistics came from; when no
   *     voxel is, they came from every voxel)
   * @param fill the padding value: the normalised lower clipping bound (the darkest tissue), or with
   *     {@link Mode#NONE} the raw 0.5th percentile of all voxels
   * @param nonFinite NaN/Inf voxels that were set to 0
   */
  public record VolumeNormalization(boolean[] tissue, float fill, int nonFinite) {}

  /**
   * Normalises a 3-D volume in place, as the NIfTI loader does for training and {@code segloss predict}
   * for inference (the one place this rule lives):
   *
   * <ol>
   *   <li>NaN/Inf voxels become 0 (counted in the result);
   *   <li>the "head" (tissue) is the voxels brighter than {@value #TISSUE_LEVEL} of the way from the
   *       {@value #LOW_PERCENTILE}th to the {@value #HIGH_PERCENTILE}th percentile of all voxels, so the
   *       air around a head does not set the statistics;
   *   <li>{@link #fit} with {@code mode} over the tissue voxels (over all voxels when there are none), then
   *       applied to every voxel.
   * </ol>
   */
  public static VolumeNormalization normalizeVolume(float[] voxels, Mode mode) {
    int nonFinite = 0;
    for (int i = 0; i < voxels.length; i++) {
      if (!Float.isFinite(voxels[i])) {
        voxels[i] = 0;
        nonFinite++;
      }
    }
    float[] sorted = voxels.clone();
    Arrays.sort(sorted);
    double lo = percentileSorted(sorted, LOW_PERCENTILE);
    double hi = percentileSorted(sorted, HIGH_PERCENTILE);
    sorted = null;
    double level = lo + TISSUE_LEVEL * (hi - lo);
    boolean[] tissue = new boolean[voxels.length];
    int tissueCount = 0;
    for (int i = 0; i < voxels.length; i++) {
      if (voxels[i] > level) {
        tissue[i] = true;
        tissueCount++;
      }
    }
    Transform tf = fit(voxels, tissueCount > 0 ? tissue : null, mode);
    tf.applyInPlace(voxels);
    float fill = mode == Mode.NONE ? (float) lo : tf.floor();
    return new VolumeNormalization(tissue, fill, nonFinite);
  }

  /** Normalises {@code image} in place with statistics of the whole image. */
  public static float[] normalize(float[] image, Mode mode) {
    fit(image, null, mode).applyInPlace(image);
    return image;
  }

  /** Percentile p in [0,100] of sorted values, linear interpolation between ranks (NumPy's default). */
  static double percentileSorted(float[] sorted, double p) {
    if (sorted.length == 1) return sorted[0];
    double r = p / 100.0 * (sorted.length - 1);
    int i = (int) Math.floor(r);
    if (i >= sorted.length - 1) return sorted[sorted.length - 1];
    double f = r - i;
    return sorted[i] + f * (sorted[i + 1] - (double) sorted[i]);
  }
}
