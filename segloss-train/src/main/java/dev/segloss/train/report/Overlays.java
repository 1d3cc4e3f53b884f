package dev.segloss.train.report;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.Arrays;

/**
 * Pictures of a prediction over its image: the image in grey (stretched between its 1st and 99th
 * percentile), each pixel tinted by what the thresholded prediction got right or wrong, enlarged by pixel
 * replication.
 *
 * <p><b>Colours</b> ({@link Kind}): true positives yellow, false positives vermillion, false negatives blue,
 * from Okabe and Ito's colour-blind-safe palette (Okabe &amp; Ito 2008, "Color Universal Design",
 * https://jfly.uni-koeln.de/color/), laid over the grey at {@value #ALPHA} opacity. Of the triples of that
 * palette this one keeps the three tints furthest apart for normal vision and simulated protanopia,
 * deuteranopia and tritanopia (Machado, Oliveira &amp; Fernandes 2009, severity 1) over dark, middle and
 * light grey; {@code OverlaysTest} checks the distances. The truth is the yellow and blue pixels together;
 * the prediction the yellow and vermillion ones.
 */
public final class Overlays {
  /** Opacity of the tints over the grey image. */
  public static final double ALPHA = 0.6;

  /** What a pixel is, with its tint ({@link #colour()}) and what the legend says of it ({@link #label()}). */
  public enum Kind {
    TRUE_POSITIVE(new Color(0xF0E442), "true positive (predicted, and in the truth)"),
    FALSE_POSITIVE(new Color(0xD55E00), "false positive (predicted, not in the truth)"),
    FALSE_NEGATIVE(new Color(0x0072B2), "false negative (in the truth, missed)");

    private final Color colour;
    private final String label;

    Kind(Color colour, String label) {
      this.colour = colour;
      this.label = label;
    }

    /** The tint. */
    public Color colour() {
      return colour;
    }

    /** What the legend says. */
    public String label() {
      return label;
    }

    /** The tint as {@code #RRGGBB}. */
    public String hex() {
      return String.format("#%06X", colour.getRGB() & 0xFFFFFF);
    }

    /** The kind of a pixel; null for a true negative. */
    public static Kind of(boolean truth, boolean predicted) {
      return truth && predicted ? TRUE_POSITIVE : predicted ? FALSE_POSITIVE : truth ? FALSE_NEGATIVE : null;
    }
  }

  private Overlays() {}

  /**
   * @param image {@code h·w} intensities (any range)
   * @param truth {@code h·w}, foreground where ≥ 0.5
   * @param prob {@code h·w} probabilities, foreground where ≥ {@code threshold}
   * @param scale pixel replication factor (≥ 1)
   */
  public static BufferedImage render(float[] image, float[] truth, float[] prob, int h, int w, double threshold, int scale) {
    float[] sorted = image.clone();
    Arrays.sort(sorted);
    float lo = sorted[(int) (0.01 * (sorted.length - 1))], hi = sorted[(int) (0.99 * (sorted.length - 1))];
    float span = hi > lo ? hi - lo : 1;
    BufferedImage out = new BufferedImage(w * scale, h * scale, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int i = y * w + x;
        double g = Math.min(1, Math.max(0, (image[i] - lo) / span)) * 255;
        Kind k = Kind.of(truth[i] >= 0.5f, prob[i] >= threshold);
        int rgb = k == null ? grey(g) : blend(g, k.colour());
        for (int dy = 0; dy < scale; dy++) for (int dx = 0; dx < scale; dx++) out.setRGB(x * scale + dx, y * scale + dy, rgb);
      }
    }
    return out;
  }

  /** The image alone, in grey as under the tints, enlarged by {@code scale}. */
  public static BufferedImage image(float[] image, int h, int w, int scale) {
    float[] none = new float[h * w];
    return render(image, none, none, h, w, 1, scale);
  }

  /** The grey {@code g} (0..255) under a tint at {@link #ALPHA}, as RGB. */
  static int blend(double g, Color c) {
    int r = (int) Math.round((1 - ALPHA) * g + ALPHA * c.getRed());
    int gr = (int) Math.round((1 - ALPHA) * g + ALPHA * c.getGreen());
    int b = (int) Math.round((1 - ALPHA) * g + ALPHA * c.getBlue());
    return (r << 16) | (gr << 8) | b;
  }

  private static int grey(double g) {
    int v = (int) Math.round(g);
    return (v << 16) | (v << 8) | v;
  }
}
