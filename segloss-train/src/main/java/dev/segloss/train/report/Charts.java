package dev.segloss.train.report;

import dev.segloss.train.EpochStats;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Map;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** PNG charts (JFreeChart, headless) for run folders and the compare report. */
public final class Charts {
  static {
    System.setProperty("java.awt.headless", "true");
  }

  /** A colour-blind-safe qualitative palette (Okabe &amp; Ito 2008), then greys. */
  public static final Color[] PALETTE = {
    new Color(0x0072B2), new Color(0xD55E00), new Color(0x009E73), new Color(0xCC79A7), new Color(0xE69F00),
    new Color(0x56B4E9), new Color(0xF0E442), new Color(0x000000), new Color(0x777777), new Color(0xAAAAAA)
  };

  private Charts() {}

  /** A run's curves: training and validation loss (top), validation Dice (bottom), the best epoch marked. */
  public static byte[] trainingCurves(List<EpochStats> history, String title, int bestEpoch) {
    XYSeries train = new XYSeries("train loss"), val = new XYSeries("val loss"), dice = new XYSeries("val dice");
    for (EpochStats e : history) {
      add(train, e.epoch(), e.trainLoss());
      add(val, e.epoch(), e.valLoss());
      add(dice, e.epoch(), e.valDice());
    }
    NumberAxis epochAxis = new NumberAxis("epoch");
    epochAxis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    CombinedDomainXYPlot plot = new CombinedDomainXYPlot(epochAxis);
    XYSeriesCollection losses = new XYSeriesCollection();
    losses.addSeries(train);
    losses.addSeries(val);
    XYPlot top = new XYPlot(losses, null, autoAxis("loss"), renderer(2));
    XYSeriesCollection dices = new XYSeriesCollection(dice);
    NumberAxis diceAxis = new NumberAxis("val dice");
    diceAxis.setAutoRangeIncludesZero(false);
    XYPlot bottom = new XYPlot(dices, null, diceAxis, renderer(1, 2));
    if (bestEpoch > 0) {
      for (XYPlot p : new XYPlot[] {top, bottom}) {
        ValueMarker m = new ValueMarker(bestEpoch, Color.GRAY, new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f,
            new float[] {4f, 4f}, 0f));
        p.addDomainMarker(m);
      }
    }
    style(top);
    style(bottom);
    plot.add(top, 1);
    plot.add(bottom, 1);
    JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 13), plot, true);
    chart.setBackgroundPaint(Color.WHITE);
    return png(chart, 720, 520);
  }

  /**
   * Several runs' curves in one chart: training loss (solid) and validation loss (dashed) on top,
   * validation Dice below, one colour per run (the palette, repeated after ten runs); the legend names the
   * runs.
   */
  public static byte[] runCurves(String title, List<String> labels, List<List<EpochStats>> histories, int width, int height) {
    XYSeriesCollection losses = new XYSeriesCollection(), dices = new XYSeriesCollection();
    for (int i = 0; i < histories.size(); i++) {
      XYSeries train = new XYSeries(labels.get(i) + " train", false, true), val = new XYSeries(labels.get(i) + " val", false, true);
      XYSeries dice = new XYSeries(labels.get(i), false, true);
      for (EpochStats e : histories.get(i)) {
        add(train, e.epoch(), e.trainLoss());
        add(val, e.epoch(), e.valLoss());
        add(dice, e.epoch(), e.valDice());
      }
      losses.addSeries(train);
      losses.addSeries(val);
      dices.addSeries(dice);
    }
    NumberAxis epochAxis = new NumberAxis("epoch");
    epochAxis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    CombinedDomainXYPlot plot = new CombinedDomainXYPlot(epochAxis);
    XYLineAndShapeRenderer lr = new XYLineAndShapeRenderer(true, false);
    BasicStroke dashed = new BasicStroke(1.4f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f, new float[] {5f, 4f}, 0f);
    for (int i = 0; i < histories.size(); i++) {
      Color c = PALETTE[i % PALETTE.length];
      lr.setSeriesPaint(2 * i, c);
      lr.setSeriesPaint(2 * i + 1, c);
      lr.setSeriesStroke(2 * i, new BasicStroke(1.4f));
      lr.setSeriesStroke(2 * i + 1, dashed);
      lr.setSeriesVisibleInLegend(2 * i, false);
      lr.setSeriesVisibleInLegend(2 * i + 1, false);
    }
    XYPlot top = new XYPlot(losses, null, autoAxis("loss (solid: train, dashed: val)"), lr);
    XYLineAndShapeRenderer dr = renderer(histories.size());
    NumberAxis diceAxis = new NumberAxis("val dice");
    diceAxis.setAutoRangeIncludesZero(true);
    XYPlot bottom = new XYPlot(dices, null, diceAxis, dr);
    style(top);
    style(bottom);
    plot.add(top, 1);
    plot.add(bottom, 1);
    JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 13), plot, true);
    chart.setBackgroundPaint(Color.WHITE);
    return png(chart, width, height);
  }

  /**
   * Curves of several named series {x[], y[]}, e.g. validation Dice per epoch per loss, in the given
   * order and colours; non-finite y values are left out.
   */
  public static byte[] lines(String title, String xLabel, String yLabel, Map<String, double[][]> series, int width, int height,
      boolean includeZero, boolean integerX) {
    XYSeriesCollection data = new XYSeriesCollection();
    for (Map.Entry<String, double[][]> s : series.entrySet()) {
      XYSeries xy = new XYSeries(s.getKey(), false, true);
      double[][] pts = s.getValue();
      for (int i = 0; i < pts[0].length; i++) add(xy, pts[0][i], pts[1][i]);
      data.addSeries(xy);
    }
    NumberAxis x = new NumberAxis(xLabel);
    NumberAxis y = new NumberAxis(yLabel);
    x.setAutoRangeIncludesZero(false);
    if (integerX) x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    y.setAutoRangeIncludesZero(includeZero);
    XYLineAndShapeRenderer r = renderer(series.size());
    XYPlot plot = new XYPlot(data, x, y, r);
    style(plot);
    JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 13), plot, true);
    chart.setBackgroundPaint(Color.WHITE);
    return png(chart, width, height);
  }

  /** Precision–recall curves: each series {recall[], precision[]}; both axes [0, 1]. */
  public static byte[] prCurves(String title, Map<String, double[][]> curves, int width, int height) {
    XYSeriesCollection data = new XYSeriesCollection();
    for (Map.Entry<String, double[][]> s : curves.entrySet()) {
      XYSeries xy = new XYSeries(s.getKey(), false, true);
      double[][] pts = s.getValue();
      for (int i = 0; i < pts[0].length; i++) add(xy, pts[0][i], pts[1][i]);
      data.addSeries(xy);
    }
    NumberAxis x = new NumberAxis("recall");
    NumberAxis y = new NumberAxis("precision");
    x.setRange(0, 1.0);
    y.setRange(0, 1.02);
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
    for (int i = 0; i < curves.size(); i++) {
      r.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
      r.setSeriesStroke(i, new BasicStroke(1.8f));
    }
    XYPlot plot = new XYPlot(data, x, y, r);
    style(plot);
    JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 13), plot, true);
    chart.setBackgroundPaint(Color.WHITE);
    return png(chart, width, height);
  }

  /** Encodes an image as PNG. */
  public static byte[] png(BufferedImage img) {
    return dev.segloss.core.io.Images.encodePng(img); // in memory: no ImageIO file cache in java.io.tmpdir
  }

  private static byte[] png(JFreeChart chart, int w, int h) {
    // what ChartUtils.writeChartAsPNG draws (an ARGB image), encoded without ImageIO's file cache
    return png(chart.createBufferedImage(w, h));
  }

  private static void add(XYSeries s, double x, double y) {
    if (Double.isFinite(y)) s.add(x, y);
  }

  private static NumberAxis autoAxis(String label) {
    NumberAxis a = new NumberAxis(label);
    a.setAutoRangeIncludesZero(false);
    return a;
  }

  private static XYLineAndShapeRenderer renderer(int n) {
    return renderer(n, 0);
  }

  private static XYLineAndShapeRenderer renderer(int n, int colourOffset) {
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, n <= 3);
    for (int i = 0; i < n; i++) {
      r.setSeriesPaint(i, PALETTE[(i + colourOffset) % PALETTE.length]);
      r.setSeriesStroke(i, new BasicStroke(1.8f));
    }
    return r;
  }

  private static void style(XYPlot p) {
    p.setBackgroundPaint(Color.WHITE);
    p.setDomainGridlinePaint(new Color(0xDDDDDD));
    p.setRangeGridlinePaint(new Color(0xDDDDDD));
  }
}
