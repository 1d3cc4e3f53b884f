package dev.segloss.train.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OverlaysTest {
  /**
   * Simulated colour vision deficiencies at severity 1, as matrices on linear RGB (Machado, Oliveira &amp;
   * Fernandes 2009, "A physiologically-based model for simulation of color vision deficiency", IEEE TVCG
   * 15(6), table of severity 1.0).
   */
  static final double[][][] VISION = {
    {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}},
    {{0.152286, 1.052583, -0.204868}, {0.114503, 0.786281, 0.099216}, {-0.003882, -0.048116, 1.051998}}, // protanopia
    {{0.367322, 0.860646, -0.227968}, {0.280085, 0.672501, 0.047413}, {-0.011820, 0.042940, 0.968881}}, // deuteranopia
    {{1.255528, -0.076749, -0.178779}, {-0.078411, 0.930809, 0.147602}, {0.004733, 0.691367, 0.303900}} // tritanopia
  };
  static final String[] VISION_NAMES = {"normal", "protanopia", "deuteranopia", "tritanopia"};
  static final int[] GREYS = {40, 128, 215};

  @Test
  void eachPixelIsTintedByWhatThePredictionGotRightOrWrong() {
    int h = 2, w = 2;
    float[] image = {0, 1, 2, 3};
    float[] truth = {1, 1, 0, 0};
    float[] prob = {0.9f, 0.2f, 0.7f, 0.1f}; // TP, FN, FP, TN at threshold 0.5
    BufferedImage img = Overlays.render(image, truth, prob, h, w, 0.5, 3);
    assertEquals(6, img.getWidth());
    assertEquals(6, img.getHeight());
    // grey stretched between the 1st and 99th percentile (0 and 2 here: index 0.01*3 -> 0, 0.99*3 -> 2)
    double[] grey = {0, 127.5, 255, 255};
    Overlays.Kind[] kinds = {Overlays.Kind.TRUE_POSITIVE, Overlays.Kind.FALSE_NEGATIVE, Overlays.Kind.FALSE_POSITIVE, null};
    for (int i = 0; i < 4; i++) {
      int expected = kinds[i] == null ? (int) grey[i] * 0x010101 : Overlays.blend(grey[i], kinds[i].colour());
      for (int dy = 0; dy < 3; dy++) {
        for (int dx = 0; dx < 3; dx++) {
          assertEquals(Integer.toHexString(expected), Integer.toHexString(img.getRGB((i % w) * 3 + dx, (i / w) * 3 + dy) & 0xFFFFFF), "pixel " + i);
        }
      }
    }
    assertEquals(Overlays.Kind.TRUE_POSITIVE, Overlays.Kind.of(true, true));
    assertEquals(Overlays.Kind.FALSE_POSITIVE, Overlays.Kind.of(false, true));
    assertEquals(Overlays.Kind.FALSE_NEGATIVE, Overlays.Kind.of(true, false));
    assertNull(Overlays.Kind.of(false, false));
    // blend: 60 % tint over 40 % grey
    assertEquals((int) Math.round(0.4 * 100 + 0.6 * 0xF0), (Overlays.blend(100, new Color(0xF0E442)) >> 16) & 255);
  }

  @Test
  void theTintsAreOkabeIto() {
    for (Overlays.Kind k : Overlays.Kind.values()) assertTrue(ChartsTest.OKABE_ITO.contains(k.colour().getRGB() & 0xFFFFFF), k + " " + k.hex());
  }

  /**
   * The three tints, laid over dark, middle and light grey, stay at least ΔE*ab 15 apart from each other and
   * 10 from the grey itself, for normal vision and each simulated dichromacy. The former green/red/blue
   * tints fail it: true and false positives are 9 apart under deuteranopia.
   */
  @Test
  void theTintsStayApartForColourBlindReaders() {
    List<String> close = separations(new Color[] {Overlays.Kind.TRUE_POSITIVE.colour(), Overlays.Kind.FALSE_POSITIVE.colour(),
        Overlays.Kind.FALSE_NEGATIVE.colour()}, Overlays.ALPHA, 15, 10);
    assertTrue(close.isEmpty(), "too close: " + close);
    List<String> old = separations(new Color[] {new Color(0, 200, 80), new Color(230, 40, 40), new Color(40, 110, 255)}, 0.55, 15, 10);
    assertTrue(old.stream().anyMatch(s -> s.startsWith("deuteranopia") && s.contains("0-1")), "the test tells the old palette apart: " + old);
  }

  /** The pairs (and tints vs grey) closer than the limits, as "vision grey pair distance". */
  static List<String> separations(Color[] tints, double alpha, double pairLimit, double greyLimit) {
    List<String> close = new ArrayList<>();
    for (int v = 0; v < VISION.length; v++) {
      for (int g : GREYS) {
        double[][] lab = new double[tints.length][];
        for (int k = 0; k < tints.length; k++) {
          Color c = tints[k];
          lab[k] = seen(v, (1 - alpha) * g + alpha * c.getRed(), (1 - alpha) * g + alpha * c.getGreen(), (1 - alpha) * g + alpha * c.getBlue());
        }
        double[] grey = seen(v, g, g, g);
        for (int a = 0; a < tints.length; a++) {
          for (int b = a + 1; b < tints.length; b++) {
            double d = dist(lab[a], lab[b]);
            if (d < pairLimit) close.add(String.format("%s grey %d pair %d-%d: %.1f", VISION_NAMES[v], g, a, b, d));
          }
          double d = dist(lab[a], grey);
          if (d < greyLimit) close.add(String.format("%s grey %d tint %d vs grey: %.1f", VISION_NAMES[v], g, a, d));
        }
      }
    }
    return close;
  }

  /** CIELAB (D65) of an sRGB colour (0..255 per channel) as seen with vision {@code v}. */
  static double[] seen(int v, double r, double g, double b) {
    double[] lin = {lin(r), lin(g), lin(b)}, sim = new double[3];
    for (int i = 0; i < 3; i++) {
      double s = 0;
      for (int j = 0; j < 3; j++) s += VISION[v][i][j] * lin[j];
      sim[i] = Math.min(1, Math.max(0, s));
    }
    double x = 0.4124 * sim[0] + 0.3576 * sim[1] + 0.1805 * sim[2];
    double y = 0.2126 * sim[0] + 0.7152 * sim[1] + 0.0722 * sim[2];
    double z = 0.0193 * sim[0] + 0.1192 * sim[1] + 0.9505 * sim[2];
    double fx = f(x / 0.95047), fy = f(y), fz = f(z / 1.08883);
    return new double[] {116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)};
  }

  private static double lin(double c) {
    c /= 255;
    return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
  }

  private static double f(double t) {
    return t > 216.0 / 24389 ? Math.cbrt(t) : (24389.0 / 27 * t + 16) / 116;
  }

  private static double dist(double[] a, double[] b) {
    return Math.sqrt((a[0] - b[0]) * (a[0] - b[0]) + (a[1] - b[1]) * (a[1] - b[1]) + (a[2] - b[2]) * (a[2] - b[2]));
  }
}
