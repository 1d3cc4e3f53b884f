package dev.segloss.train.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segloss.train.EpochStats;
import java.awt.Color;
import java.awt.Font;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.junit.jupiter.api.Test;

class ChartsTest {
  /** Okabe &amp; Ito (2008), the eight colours of the colour-blind-safe palette. */
  static final Set<Integer> OKABE_ITO = Set.of(0x000000, 0xE69F00, 0x56B4E9, 0x009E73, 0xF0E442, 0x0072B2, 0xD55E00, 0xCC79A7);

  static List<double[][]> prSeries(int n) {
    List<double[][]> s = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      double[] r = new double[101], p = new double[101];
      for (int i = 0; i <= 100; i++) {
        r[i] = i / 100.0;
        p[i] = 1 - (0.3 + 0.1 * k) * Math.pow(r[i], 3);
      }
      s.add(new double[][] {r, p});
    }
    return s;
  }

  static List<EpochStats> history(int epochs) {
    List<EpochStats> h = new ArrayList<>();
    for (int e = 1; e <= epochs; e++) h.add(new EpochStats(e, 1e-3, 1.0 / e, 1.1 / e, 0.8 - 0.5 / e, 1, 0));
    return h;
  }

  static BufferedImage read(byte[] png) throws IOException {
    return ImageIO.read(new ByteArrayInputStream(png));
  }

  @Test
  void chartsAreDrawnAtTwiceTheirCssSize() throws IOException {
    BufferedImage pr = read(Charts.prCurves(prSeries(2), 760, 420));
    assertEquals(760 * Charts.SCALE, pr.getWidth());
    assertEquals(420 * Charts.SCALE, pr.getHeight());
    BufferedImage lines = read(Charts.lines("epoch", "dice", List.<double[][]>of(new double[][] {{1, 2, 3}, {0.1, 0.4, 0.5}}), 360, 300, true, true, null));
    assertEquals(720, lines.getWidth());
    assertEquals(600, lines.getHeight());
    assertEquals(2, Charts.SCALE, "the report's img width/height attributes assume 2x");
  }

  @Test
  void everyTextOfEveryChartIsAtLeast11CssPixels() {
    List<JFreeChart> charts = List.of(Charts.prChart(prSeries(3)),
        Charts.linesChart("epoch", "validation dice", prSeries(2), true, true, null), Charts.trainingChart(history(5), "dice", 3));
    for (JFreeChart c : charts) {
      List<ValueAxis> axes = new ArrayList<>();
      List<XYPlot> plots = c.getPlot() instanceof CombinedDomainXYPlot comb ? comb.getSubplots() : List.of(c.getXYPlot());
      axes.add(c.getXYPlot().getDomainAxis());
      for (XYPlot p : plots) axes.add(p.getRangeAxis());
      for (ValueAxis a : axes) {
        assertTrue(a.getTickLabelFont().getSize2D() >= 11, a.getLabel() + " ticks " + a.getTickLabelFont());
        assertTrue(a.getLabelFont().getSize2D() >= 11, a.getLabel() + " label " + a.getLabelFont());
      }
      if (c.getLegend() != null) assertTrue(c.getLegend().getItemFont().getSize2D() >= 11);
      if (c.getTitle() != null) assertTrue(c.getTitle().getFont().getSize2D() >= 11);
    }
    // and the sizes the page's legibility check computes with
    assertEquals(new Font(Font.SANS_SERIF, Font.PLAIN, Charts.TICK_PX).getSize2D(), Charts.prChart(prSeries(1)).getXYPlot().getDomainAxis().getTickLabelFont().getSize2D());
  }

  /** Nothing is drawn in the outer 3 CSS px: the last tick label ("1.0" of the recall axis) is not cut at the edge. */
  @Test
  void noLabelTouchesTheEdgeOfThePicture() throws IOException {
    for (int[] size : new int[][] {{760, 420}, {360, 300}}) {
      BufferedImage img = read(Charts.prCurves(prSeries(3), size[0], size[1]));
      int border = 3 * Charts.SCALE;
      List<String> ink = new ArrayList<>();
      for (int y = 0; y < img.getHeight(); y++) {
        for (int x = 0; x < img.getWidth(); x++) {
          boolean edge = x < border || y < border || x >= img.getWidth() - border || y >= img.getHeight() - border;
          if (edge && (img.getRGB(x, y) & 0xFFFFFF) != 0xFFFFFF) ink.add(x + "," + y);
        }
      }
      assertTrue(ink.isEmpty(), size[0] + "x" + size[1] + ": ink at the edge at " + ink.subList(0, Math.min(5, ink.size())));
    }
  }

  @Test
  void lineColoursAreOkabeItoAndAtLeast3To1OnWhite() {
    for (Color c : Charts.PALETTE) {
      assertTrue(OKABE_ITO.contains(c.getRGB() & 0xFFFFFF), Integer.toHexString(c.getRGB()));
      double contrast = (1.05) / (luminance(c) + 0.05);
      assertTrue(contrast >= 3, String.format("%06X: %.2f:1", c.getRGB() & 0xFFFFFF, contrast));
    }
    // the palette's light colours would fail: the check is not vacuous
    assertTrue(1.05 / (luminance(new Color(0xF0E442)) + 0.05) < 1.5, "Okabe-Ito yellow");
    assertTrue(1.05 / (luminance(new Color(0xE69F00)) + 0.05) < 3, "Okabe-Ito orange");
  }

  @Test
  void seriesStylesDifferInColourDashAndMarker() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 60; i++) {
      Charts.SeriesStyle s = Charts.style(i);
      String key = s.hex() + java.util.Arrays.toString(s.dash()) + ReportHtml.svgPath(s.shape());
      assertTrue(seen.add(key), "style " + i + " repeats an earlier one");
    }
    // neighbours differ in every attribute, so two series apart without colour (grey print) still differ in dash and marker
    for (int i = 0; i < 20; i++) {
      Charts.SeriesStyle a = Charts.style(i), b = Charts.style(i + 1);
      assertTrue(!a.colour().equals(b.colour()) && !java.util.Arrays.equals(a.dash(), b.dash())
          && !ReportHtml.svgPath(a.shape()).equals(ReportHtml.svgPath(b.shape())), "styles " + i + " and " + (i + 1));
    }
  }

  /** The page's key draws each series as the chart does: colour, dash pattern and marker shape. */
  @Test
  void theKeyMatchesTheChartStyles() {
    String key = ReportHtml.seriesLegend(List.of("a<b", "dice", "focal"), 0);
    Matcher m = Pattern.compile("<line [^>]*stroke=\"(#[0-9A-F]{6})\"[^>]*?(?: stroke-dasharray=\"([^\"]*)\")?/><path [^>]*fill=\"(#[0-9A-F]{6})\" d=\"([^\"]*)\"")
        .matcher(key);
    int i = 0;
    while (m.find()) {
      Charts.SeriesStyle s = Charts.style(i);
      assertEquals(s.hex(), m.group(1));
      assertEquals(s.hex(), m.group(3));
      String dash = m.group(2) == null ? "" : m.group(2);
      StringBuilder want = new StringBuilder();
      for (float d : s.dash()) want.append(want.length() == 0 ? "" : " ").append(d == Math.rint(d) ? Integer.toString((int) d) : Float.toString(d));
      assertEquals(want.toString(), dash, "dash of series " + i);
      assertEquals(ReportHtml.svgPath(s.shape()), m.group(4));
      i++;
    }
    assertEquals(3, i, key);
    assertTrue(key.contains("a&lt;b") && !key.contains("a<b"), "labels escaped: " + key);
  }

  /** WCAG 2.1 relative luminance of an sRGB colour. */
  static double luminance(Color c) {
    double[] v = {c.getRed() / 255.0, c.getGreen() / 255.0, c.getBlue() / 255.0};
    for (int i = 0; i < 3; i++) v[i] = v[i] <= 0.04045 ? v[i] / 12.92 : Math.pow((v[i] + 0.055) / 1.055, 2.4);
    return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2];
  }
}
