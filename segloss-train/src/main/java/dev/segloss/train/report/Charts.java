package dev.segloss.train.report;

import dev.segloss.train.EpochStats;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Map;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * PNG charts (JFreeChart, headless) for run folders and the compare report.
 *
 * <p><b>Legibility.</b> Charts are laid out at a size in CSS pixels and drawn at {@value #SCALE}× that
 * size (sharp on high-density screens and on paper; the page shows them at their CSS size). Tick labels are
 * {@value #TICK_PX} px, axis labels {@value #LABEL_PX} px at the CSS size. A right padding keeps the last
 * tick label of the domain axis (e.g. "1.00" of a [0, 1] axis) inside the picture.
 *
 * <p><b>Series styles</b> ({@link #style(int)}): colour, dash pattern and marker shape all change from one
 * series to the next, so that series stay apart without colour (colour-blind readers, grey-scale print).
 * The colours are the five of Okabe and Ito's colour-blind-safe palette (Okabe &amp; Ito 2008, "Color
 * Universal Design", https://jfly.uni-koeln.de/color/) whose contrast with white reaches the 3:1 that WCAG
 * 2.1 (success criterion 1.4.11, non-text contrast) asks of graphical objects: blue, vermillion, bluish
 * green, reddish purple and black. Its orange (2.3:1), sky blue (2.3:1) and yellow (1.2:1) are too light
 * for lines on white and are not used.
 */
public final class Charts {
  static {
    System.setProperty("java.awt.headless", "true");
  }

  /** Pixels drawn per CSS pixel. */
  public static final int SCALE = 2;
  /** Tick label size in CSS pixels. */
  public static final int TICK_PX = 12;
  /** Axis label size in CSS pixels. */
  public static final int LABEL_PX = 13;
  /** Legend item and title size in CSS pixels. */
  public static final int LEGEND_PX = 12;

  /**
   * The line colours: Okabe–Ito blue #0072B2, vermillion #D55E00, bluish green #009E73, reddish purple
   * #CC79A7 and black, each at least 3:1 against white.
   */
  public static final Color[] PALETTE = {new Color(0x0072B2), new Color(0xD55E00), new Color(0x009E73), new Color(0xCC79A7), new Color(0x000000)};

  /** Dash patterns of the series styles, in CSS pixels (empty: solid). */
  static final float[][] DASHES = {{}, {7f, 4f}, {2f, 3f}, {9f, 3f, 2f, 3f}};
  /** Marker shapes of the series styles, centred on 0, in CSS pixels. */
  static final Shape[] SHAPES = {new Ellipse2D.Double(-4, -4, 8, 8), new Rectangle2D.Double(-3.5, -3.5, 7, 7),
      polygon(0, -4.6, 4.2, 3.4, -4.2, 3.4), polygon(0, -5, 5, 0, 0, 5, -5, 0), polygon(0, 4.6, 4.2, -3.4, -4.2, -3.4),
      polygon(-4.5, -1.5, -1.5, -1.5, -1.5, -4.5, 1.5, -4.5, 1.5, -1.5, 4.5, -1.5, 4.5, 1.5, 1.5, 1.5, 1.5, 4.5, -1.5, 4.5, -1.5, 1.5, -4.5, 1.5)};
  /** Line width in CSS pixels. */
  static final float LINE_WIDTH = 2f;
  /** About this many markers are drawn along a series (every k-th point, staggered between series). */
  static final int MARKERS_PER_SERIES = 8;

  private static final Color GRID = new Color(0xDDDDDD);
  private static final Color INK = new Color(0x222222);
  private static final RectangleInsets PADDING = new RectangleInsets(6, 4, 6, 18);

  /**
   * How series {@code i} is drawn: colour {@code i mod 5}, dash pattern {@code i mod 4}, marker {@code i
   * mod 6}; no two of the first 60 series look alike.
   *
   * @param colour the line and marker colour
   * @param dash the dash pattern (empty: solid), CSS pixels
   * @param shape the marker, centred on 0, CSS pixels
   */
  public record SeriesStyle(Color colour, float[] dash, Shape shape) {
    BasicStroke stroke() {
      return dash.length == 0 ? new BasicStroke(LINE_WIDTH, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND)
          : new BasicStroke(LINE_WIDTH, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, dash, 0f);
    }

    /** The colour as {@code #rrggbb}. */
    public String hex() {
      return String.format("#%06X", colour.getRGB() & 0xFFFFFF);
    }
  }

  /** The style of series {@code i} (0-based). */
  public static SeriesStyle style(int i) {
    return new SeriesStyle(PALETTE[i % PALETTE.length], DASHES[i % DASHES.length], SHAPES[i % SHAPES.length]);
  }

  private Charts() {}

  /**
   * A run's curves for its folder ({@code curves.png}, a picture on its own: title and legend inside):
   * training and validation loss (top), validation Dice (bottom), the best epoch marked.
   */
  public static byte[] trainingCurves(List<EpochStats> history, String title, int bestEpoch) {
    return png(trainingChart(history, title, bestEpoch), 720, 520);
  }

  static JFreeChart trainingChart(List<EpochStats> history, String title, int bestEpoch) {
    XYSeries train = new XYSeries("train loss"), val = new XYSeries("val loss"), dice = new XYSeries("val dice");
    for (EpochStats e : history) {
      add(train, e.epoch(), e.trainLoss());
      add(val, e.epoch(), e.valLoss());
      add(dice, e.epoch(), e.valDice());
    }
    NumberAxis epochAxis = axis("epoch");
    epochAxis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    epochAxis.setAutoRangeIncludesZero(false);
    CombinedDomainXYPlot plot = new CombinedDomainXYPlot(epochAxis);
    XYSeriesCollection losses = new XYSeriesCollection();
    losses.addSeries(train);
    losses.addSeries(val);
    NumberAxis lossAxis = axis("loss");
    lossAxis.setAutoRangeIncludesZero(false);
    XYPlot top = new XYPlot(losses, null, lossAxis, renderer(2, 0, history.size()));
    XYSeriesCollection dices = new XYSeriesCollection(dice);
    NumberAxis diceAxis = axis("val dice");
    diceAxis.setAutoRangeIncludesZero(false);
    XYPlot bottom = new XYPlot(dices, null, diceAxis, renderer(1, 2, history.size()));
    if (bestEpoch > 0) {
      for (XYPlot p : new XYPlot[] {top, bottom}) p.addDomainMarker(bestMarker(bestEpoch));
    }
    style(top);
    style(bottom);
    plot.add(top, 1);
    plot.add(bottom, 1);
    return chart(plot, title, true);
  }

  /**
   * Several runs' learning curves in one chart: training loss (solid) and validation loss (dashed) on top,
   * validation Dice below; run {@code i} in the colour and marker of {@link #style(int) style i}. No title
   * and no legend in the picture: the page names the runs with {@link ReportHtml#runLegend}.
   */
  public static byte[] runCurves(List<List<EpochStats>> histories, int width, int height) {
    return png(runChart(histories), width, height);
  }

  static JFreeChart runChart(List<List<EpochStats>> histories) {
    XYSeriesCollection losses = new XYSeriesCollection(), dices = new XYSeriesCollection();
    int points = 0;
    for (int i = 0; i < histories.size(); i++) {
      XYSeries train = new XYSeries("train " + i, false, true), val = new XYSeries("val " + i, false, true), dice = new XYSeries("dice " + i, false, true);
      for (EpochStats e : histories.get(i)) {
        add(train, e.epoch(), e.trainLoss());
        add(val, e.epoch(), e.valLoss());
        add(dice, e.epoch(), e.valDice());
      }
      points = Math.max(points, histories.get(i).size());
      losses.addSeries(train);
      losses.addSeries(val);
      dices.addSeries(dice);
    }
    NumberAxis epochAxis = axis("epoch");
    epochAxis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    epochAxis.setAutoRangeIncludesZero(false);
    CombinedDomainXYPlot plot = new CombinedDomainXYPlot(epochAxis);
    plot.setGap(12);
    int n = histories.size(), every = Math.max(1, (int) Math.round(points / (double) MARKERS_PER_SERIES));
    XYLineAndShapeRenderer lr = new XYLineAndShapeRenderer(true, true) {
      @Override
      public boolean getItemShapeVisible(int series, int item) {
        return (item + (series / 2) * every / Math.max(1, n)) % every == 0;
      }
    };
    lr.setDrawSeriesLineAsPath(true);
    for (int i = 0; i < n; i++) {
      SeriesStyle s = style(i);
      for (int k = 0; k < 2; k++) {
        lr.setSeriesPaint(2 * i + k, s.colour());
        lr.setSeriesShape(2 * i + k, s.shape());
        lr.setSeriesStroke(2 * i + k, new SeriesStyle(s.colour(), k == 0 ? DASHES[0] : DASHES[1], s.shape()).stroke());
      }
    }
    NumberAxis lossAxis = axis("loss");
    lossAxis.setAutoRangeIncludesZero(false);
    XYPlot top = new XYPlot(losses, null, lossAxis, lr);
    XYLineAndShapeRenderer dr = renderer(n, 0, points);
    for (int i = 0; i < n; i++) dr.setSeriesStroke(i, new SeriesStyle(style(i).colour(), DASHES[0], style(i).shape()).stroke());
    NumberAxis diceAxis = axis("val dice");
    diceAxis.setAutoRangeIncludesZero(true);
    XYPlot bottom = new XYPlot(dices, null, diceAxis, dr);
    style(top);
    style(bottom);
    plot.add(top, 1);
    plot.add(bottom, 1);
    return chart(plot, null, false);
  }

  /**
   * Curves of several named series {x[], y[]}, series {@code i} in {@link #style(int) style i}; non-finite
   * y values are left out. No title and no legend in the picture: the page names the series with {@link
   * ReportHtml#seriesLegend}.
   *
   * @param includeZero whether the y axis reaches 0
   * @param integerX whether x ticks are integers (epochs)
   * @param yRange {lo, hi} of the y axis, or null to fit the data
   */
  public static byte[] lines(String xLabel, String yLabel, List<double[][]> series, int width, int height, boolean includeZero, boolean integerX,
      double[] yRange) {
    return png(linesChart(xLabel, yLabel, series, includeZero, integerX, yRange), width, height);
  }

  static JFreeChart linesChart(String xLabel, String yLabel, List<double[][]> series, boolean includeZero, boolean integerX, double[] yRange) {
    XYSeriesCollection data = new XYSeriesCollection();
    int points = 0;
    for (int s = 0; s < series.size(); s++) {
      XYSeries xy = new XYSeries("series " + s, false, true);
      double[][] pts = series.get(s);
      for (int i = 0; i < pts[0].length; i++) add(xy, pts[0][i], pts[1][i]);
      points = Math.max(points, xy.getItemCount());
      data.addSeries(xy);
    }
    NumberAxis x = axis(xLabel), y = axis(yLabel);
    x.setAutoRangeIncludesZero(false);
    if (integerX) x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    y.setAutoRangeIncludesZero(includeZero);
    if (yRange != null) y.setRange(yRange[0], yRange[1]);
    XYPlot plot = new XYPlot(data, x, y, renderer(series.size(), 0, points));
    style(plot);
    return chart(plot, null, false);
  }

  /**
   * Precision–recall curves, each series {recall[], precision[]} in {@link #style(int) style i}; both
   * axes [0, 1]. No title and no legend in the picture (see {@link #lines}).
   */
  public static byte[] prCurves(List<double[][]> curves, int width, int height) {
    return png(prChart(curves), width, height);
  }

  static JFreeChart prChart(List<double[][]> curves) {
    XYSeriesCollection data = new XYSeriesCollection();
    int points = 0;
    for (int s = 0; s < curves.size(); s++) {
      XYSeries xy = new XYSeries("series " + s, false, true);
      double[][] pts = curves.get(s);
      for (int i = 0; i < pts[0].length; i++) add(xy, pts[0][i], pts[1][i]);
      points = Math.max(points, xy.getItemCount());
      data.addSeries(xy);
    }
    NumberAxis x = axis("recall"), y = axis("precision");
    x.setRange(0, 1.0);
    y.setRange(0, 1.02);
    XYPlot plot = new XYPlot(data, x, y, renderer(curves.size(), 0, points));
    style(plot);
    return chart(plot, null, false);
  }

  /** Encodes an image as PNG. */
  public static byte[] png(BufferedImage img) {
    return dev.segloss.core.io.Images.encodePng(img); // in memory: no ImageIO file cache in java.io.tmpdir
  }

  /**
   * Draws a chart at {@value #SCALE}× its size in CSS pixels, laid out at that size, on an opaque RGB image
   * (no alpha channel to store: a quarter fewer bytes than JFreeChart's own scaled PNG).
   */
  static byte[] png(JFreeChart chart, int w, int h) {
    BufferedImage img = new BufferedImage(w * SCALE, h * SCALE, BufferedImage.TYPE_INT_RGB);
    java.awt.Graphics2D g = img.createGraphics();
    try {
      g.setRenderingHint(java.awt.RenderingHints.KEY_ANTIALIASING, java.awt.RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(java.awt.RenderingHints.KEY_TEXT_ANTIALIASING, java.awt.RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setRenderingHint(java.awt.RenderingHints.KEY_STROKE_CONTROL, java.awt.RenderingHints.VALUE_STROKE_PURE);
      g.scale(SCALE, SCALE);
      chart.draw(g, new Rectangle2D.Double(0, 0, w, h));
    } finally {
      g.dispose();
    }
    return png(img);
  }

  /** A chart with the report's fonts, padding and white background; the legend (if any) at the bottom. */
  static JFreeChart chart(org.jfree.chart.plot.Plot plot, String title, boolean legend) {
    JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, LEGEND_PX + 2), plot, legend);
    chart.setBackgroundPaint(Color.WHITE);
    chart.setPadding(PADDING);
    LegendTitle l = chart.getLegend();
    if (l != null) {
      l.setItemFont(new Font(Font.SANS_SERIF, Font.PLAIN, LEGEND_PX));
      l.setItemPaint(INK);
      l.setFrame(org.jfree.chart.block.BlockBorder.NONE);
    }
    return chart;
  }

  /** A number axis with the report's label and tick fonts. */
  static NumberAxis axis(String label) {
    NumberAxis a = new NumberAxis(label);
    fonts(a);
    return a;
  }

  static void fonts(ValueAxis a) {
    a.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, LABEL_PX));
    a.setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, TICK_PX));
    a.setLabelPaint(INK);
    a.setTickLabelPaint(INK);
  }

  private static void add(XYSeries s, double x, double y) {
    if (Double.isFinite(y)) s.add(x, y);
  }

  private static ValueMarker bestMarker(int epoch) {
    return new ValueMarker(epoch, Color.GRAY, new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f, new float[] {4f, 4f}, 0f));
  }

  /**
   * Series {@code i} of the renderer in style {@code offset + i}; a marker on about {@value
   * #MARKERS_PER_SERIES} of its {@code points} points, staggered so that markers of different series do not
   * fall on the same x.
   */
  static XYLineAndShapeRenderer renderer(int n, int offset, int points) {
    int every = Math.max(1, (int) Math.round(points / (double) MARKERS_PER_SERIES));
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true) {
      @Override
      public boolean getItemShapeVisible(int series, int item) {
        return (item + series * every / Math.max(1, n)) % every == 0;
      }
    };
    r.setDrawSeriesLineAsPath(true); // dash patterns run on along the curve instead of restarting at every point
    for (int i = 0; i < n; i++) {
      SeriesStyle s = style(offset + i);
      r.setSeriesPaint(i, s.colour());
      r.setSeriesStroke(i, s.stroke());
      r.setSeriesShape(i, s.shape());
      r.setSeriesShapesFilled(i, true);
    }
    return r;
  }

  static void style(XYPlot p) {
    p.setBackgroundPaint(Color.WHITE);
    p.setDomainGridlinePaint(GRID);
    p.setRangeGridlinePaint(GRID);
    p.setDomainGridlineStroke(new BasicStroke(1f));
    p.setRangeGridlineStroke(new BasicStroke(1f));
    p.setOutlinePaint(new Color(0x999999));
  }

  private static Shape polygon(double... xy) {
    Path2D.Double p = new Path2D.Double();
    p.moveTo(xy[0], xy[1]);
    for (int i = 2; i < xy.length; i += 2) p.lineTo(xy[i], xy[i + 1]);
    p.closePath();
    return p;
  }
}
