package dev.segloss.train.report;

import java.awt.Shape;
import java.awt.geom.PathIterator;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * The page around the compare report's content: head, style sheet, and the pieces that must read on any
 * screen and on paper (issue 12).
 *
 * <ul>
 *   <li><b>Phones.</b> A viewport meta tag lays the page out at the device's width; wide tables scroll inside
 *       their own box ({@link #tableStart}) with the loss column kept in view; charts come in two layouts
 *       ({@link #chart}): the wide one, and a narrow one drawn for phone width, so that tick labels keep
 *       their size instead of being scaled down.
 *   <li><b>Print.</b> A4 pages; headings never end a page ({@code break-after: avoid}), figures and table
 *       rows are not split, table headers repeat on every page. Legend swatches and line keys are inline
 *       SVG shapes, which print whether or not the reader's print dialogue keeps background colours (CSS
 *       backgrounds are dropped by default), and {@code print-color-adjust: exact} asks to keep the
 *       coloured boxes as they are.
 *   <li><b>Self-contained.</b> Images are {@code data:} URIs, there are no scripts, and a Content Security
 *       Policy lets the page load nothing else (no favicon request either).
 * </ul>
 */
public final class ReportHtml {
  /** Widest viewport (CSS px) that gets the narrow chart layouts. */
  public static final int NARROW_MAX = 560;

  private ReportHtml() {}

  /** The style sheet. */
  static final String CSS = String.join("\n",
      "*,*::before,*::after{box-sizing:border-box}",
      "html{-webkit-text-size-adjust:100%;text-size-adjust:100%}",
      "body{font-family:system-ui,-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;line-height:1.45;max-width:1240px;margin:0 auto;"
          + "padding:1.5em 1em;color:#222;background:#fff}",
      "h1{font-size:1.6em;line-height:1.25;margin:.2em 0 .6em}",
      "h2{font-size:1.25em;margin:2em 0 .6em;border-bottom:1px solid #ccc;padding-bottom:.15em}",
      "h3{font-size:1.05em;margin:1.4em 0 .4em}",
      "h1,h2,h3,h4{break-after:avoid;page-break-after:avoid;overflow-wrap:break-word}",
      "p,li,figcaption,td,th{overflow-wrap:break-word}",
      // a font list, not the bare generic "monospace" (browsers shrink that one to 13 px)
      "code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,'DejaVu Sans Mono','Liberation Mono',monospace;font-size:.95em}",
      "code{background:#f3f3f3;padding:0 .25em;border-radius:3px;overflow-wrap:anywhere}",
      "pre{background:#f7f7f7;padding:.6em;white-space:pre-wrap;overflow-wrap:anywhere;font-size:.85em}",
      ".small{font-size:.85em;color:#555}.nw{white-space:nowrap}",
      ".rec{background:#eef6ee;border:1px solid #b9d8b9;border-left:6px solid #2a7a2a;padding:.8em 1em;font-size:1.05em;"
          + "overflow-wrap:anywhere;-webkit-print-color-adjust:exact;print-color-adjust:exact}",
      ".rec.none{background:#fff4e5;border-color:#e8c9a0;border-left-color:#a35a00}",
      // tables: scroll sideways inside their own box; the loss column stays in view
      ".scroll{overflow-x:auto;max-width:100%;margin:1em 0;border:1px solid #e4e4e4}",
      ".scroll:focus{outline:2px solid #0072B2;outline-offset:2px}",
      "table{border-collapse:collapse;font-size:.9em;margin:0}",
      "th,td{border-bottom:1px solid #e4e4e4;padding:.3em .5em;text-align:right;vertical-align:top;white-space:nowrap}",
      "td code{overflow-wrap:break-word}.sd,.why{display:block}",
      "th{background:#f4f4f4;vertical-align:bottom;white-space:normal}td.l,th.l{text-align:left}td.w{white-space:normal;min-width:12em}td.n{white-space:normal;min-width:6em}",
      "th.stick,td.stick{position:sticky;left:0;z-index:1;background:#fff;box-shadow:1px 0 0 #e4e4e4;white-space:normal;max-width:18em}",
      "th.stick{background:#f4f4f4}",
      "tr{break-inside:avoid;page-break-inside:avoid}thead{display:table-header-group}",
      ".best td{font-weight:600}.worse td{color:#555}.failed td{color:#a00}",
      ".hint{display:none}",
      // figures
      "img{max-width:100%;height:auto}",
      "figure{margin:.6em 0;break-inside:avoid;page-break-inside:avoid}",
      "figcaption{font-size:.85em;color:#444;margin:.2em 0}figcaption .small{font-size:1em}",
      ".charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,520px),1fr));gap:1em}",
      ".key{list-style:none;padding:0;margin:.3em 0;font-size:.85em;display:flex;flex-wrap:wrap;gap:.2em 1.2em}",
      ".key li{display:flex;align-items:center;gap:.4em;break-inside:avoid}",
      ".key svg,.legend svg{flex:none;vertical-align:middle}",
      ".legend{font-size:.85em;display:flex;flex-wrap:wrap;gap:.3em 1.2em;margin:.5em 0}",
      ".legend span{display:inline-flex;align-items:center;gap:.35em}",
      "svg{-webkit-print-color-adjust:exact;print-color-adjust:exact}",
      // overlays: one row per test image, one column per loss
      ".ov{display:grid;gap:.5em;margin:.4em 0 1em;break-inside:avoid;page-break-inside:avoid}",
      ".ov figure{margin:0;text-align:center}",
      ".ov img{width:100%;image-rendering:pixelated}",
      ".ov .head{grid-column:1/-1;font-size:.9em;margin-top:.4em;break-after:avoid}",
      ".ov figcaption{font-size:.85em}.ov .none{display:flex;align-items:center;justify-content:center;border:1px dashed #999;color:#555}",
      ".diag-under_trained,.diag-collapsed,.diag-diverged{color:#a34700;font-weight:600}",
      "@media (max-width:" + NARROW_MAX + "px){body{padding:.8em .6em}h1{font-size:1.35em}.hint{display:block}"
          + "figcaption{font-size:.8em}.ov{gap:.3em}th.stick,td.stick{min-width:42vw;max-width:42vw}td.stick code{overflow-wrap:anywhere}}",
      "@page{size:A4;margin:14mm 12mm}",
      "@media print{body{max-width:none;padding:0;font-size:10pt}h2{margin-top:1.2em}"
          + ".scroll{overflow:visible;border:0}table{font-size:7.5pt}th,td{padding:.15em .3em;white-space:normal}"
          + "th.stick,td.stick{position:static;box-shadow:none;min-width:8em}td.w,td.n{min-width:0}td code{overflow-wrap:anywhere}.sd{white-space:nowrap}"
          + ".charts{grid-template-columns:1fr 1fr}.hint{display:none}pre{font-size:8pt}}");

  /** The page up to and including {@code <body>}. */
  public static String head(String title) {
    return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"color-scheme\" content=\"light\">\n"
        + "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; style-src 'unsafe-inline'\">\n"
        + "<link rel=\"icon\" href=\"data:,\">\n<title>" + esc(title) + "</title>\n<style>\n" + CSS + "\n</style></head><body>\n";
  }

  /** The end of the page. */
  public static String tail() {
    return "</body></html>\n";
  }

  /**
   * Opens a table in its own horizontally scrolling box (keyboard-reachable, named for screen readers),
   * with a hint on narrow screens that it scrolls.
   */
  public static String tableStart(String label) {
    return "<p class=\"hint small\">The table scrolls sideways.</p>\n<div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-label=\"" + esc(label)
        + "\"><table>";
  }

  /** Closes {@link #tableStart}. */
  public static String tableEnd() {
    return "</table></div>\n";
  }

  /**
   * A chart in its wide and narrow layouts: the narrow one (drawn for phone width) where the viewport is at
   * most {@value #NARROW_MAX} px, the wide one elsewhere and on paper — except for charts in a {@code
   * charts} grid, which print two to a row and so in their narrow layout.
   *
   * @param wide PNG drawn at {@link Charts#SCALE}× {@code width × height}
   * @param narrow PNG drawn at {@link Charts#SCALE}× {@code nWidth × nHeight}, or null
   * @param inGrid whether the chart is in a {@code charts} grid
   */
  public static String chart(byte[] wide, int width, int height, byte[] narrow, int nWidth, int nHeight, String alt, boolean inGrid) {
    StringBuilder h = new StringBuilder("<picture>");
    if (narrow != null) {
      h.append("<source media=\"(max-width: ").append(NARROW_MAX).append("px)").append(inGrid ? ", print" : "").append("\" width=\"").append(nWidth).append("\" height=\"").append(nHeight)
          .append("\" srcset=\"").append(dataUri(narrow)).append("\">");
    }
    h.append("<img alt=\"").append(esc(alt)).append("\" width=\"").append(width).append("\" height=\"").append(height).append("\" src=\"")
        .append(dataUri(wide)).append("\"></picture>");
    return h.toString();
  }

  /** An image at its natural size (overlays). */
  public static String img(byte[] png, int width, int height, String alt) {
    return "<img alt=\"" + esc(alt) + "\" width=\"" + width + "\" height=\"" + height + "\" src=\"" + dataUri(png) + "\">";
  }

  static String dataUri(byte[] png) {
    return "data:image/png;base64," + Base64.getEncoder().encodeToString(png);
  }

  /** The key of a chart: series {@code i} drawn as {@link Charts#style(int) style offset + i}, with its label. */
  public static String seriesLegend(List<String> labels, int offset) {
    StringBuilder h = new StringBuilder("<ul class=\"key\">");
    for (int i = 0; i < labels.size(); i++) h.append("<li>").append(lineSample(Charts.style(offset + i))).append(esc(labels.get(i))).append("</li>");
    return h.append("</ul>\n").toString();
  }

  /**
   * The key of a {@link Charts#runCurves} chart: run {@code i} in the colour and marker of {@link
   * Charts#style(int) style i}, and what solid and dashed lines are.
   */
  public static String runLegend(List<String> runs) {
    StringBuilder h = new StringBuilder("<ul class=\"key\">");
    for (int i = 0; i < runs.size(); i++) {
      Charts.SeriesStyle s = Charts.style(i);
      h.append("<li>").append(lineSample(new Charts.SeriesStyle(s.colour(), Charts.DASHES[0], s.shape()))).append(esc(runs.get(i))).append("</li>");
    }
    h.append("<li>").append(lineSample(new Charts.SeriesStyle(java.awt.Color.DARK_GRAY, Charts.DASHES[0], null))).append("training loss</li>");
    h.append("<li>").append(lineSample(new Charts.SeriesStyle(java.awt.Color.DARK_GRAY, Charts.DASHES[1], null))).append("validation loss</li>");
    return h.append("</ul>\n").toString();
  }

  /** A line sample as the chart draws the series: its colour, dash pattern and marker (none when the shape is null). */
  static String lineSample(Charts.SeriesStyle s) {
    StringBuilder h = new StringBuilder("<svg width=\"44\" height=\"14\" viewBox=\"0 0 44 14\" aria-hidden=\"true\"><line x1=\"1\" y1=\"7\" x2=\"43\" y2=\"7\" stroke=\"")
        .append(s.hex()).append("\" stroke-width=\"").append(num(Charts.LINE_WIDTH)).append('"');
    if (s.dash().length > 0) {
      h.append(" stroke-dasharray=\"");
      for (int i = 0; i < s.dash().length; i++) h.append(i == 0 ? "" : " ").append(num(s.dash()[i]));
      h.append('"');
    }
    h.append("/>");
    if (s.shape() != null) h.append("<path transform=\"translate(22 7)\" fill=\"").append(s.hex()).append("\" d=\"").append(svgPath(s.shape())).append("\"/>");
    return h.append("</svg>").toString();
  }

  /** A filled square of the colour, outlined in grey (legend swatch). */
  public static String swatch(String hex) {
    return "<svg width=\"14\" height=\"14\" viewBox=\"0 0 14 14\" aria-hidden=\"true\"><rect x=\".5\" y=\".5\" width=\"13\" height=\"13\" fill=\"" + hex
        + "\" stroke=\"#666\"/></svg>";
  }

  /** The overlay colours' legend (swatch and meaning of each pixel kind). */
  public static String overlayLegend() {
    StringBuilder h = new StringBuilder("<p class=\"legend\">");
    for (Overlays.Kind k : Overlays.Kind.values()) h.append("<span>").append(swatch(k.hex())).append(esc(k.label())).append("</span>");
    h.append("<span>").append(swatch("#FFFFFF")).append("true negative: the image in grey</span>");
    return h.append("</p>\n").toString();
  }

  /** The SVG path data of a shape. */
  static String svgPath(Shape shape) {
    StringBuilder d = new StringBuilder();
    double[] c = new double[6];
    for (PathIterator it = shape.getPathIterator(null); !it.isDone(); it.next()) {
      int type = it.currentSegment(c);
      switch (type) {
        case PathIterator.SEG_MOVETO -> d.append('M').append(num(c[0])).append(' ').append(num(c[1]));
        case PathIterator.SEG_LINETO -> d.append('L').append(num(c[0])).append(' ').append(num(c[1]));
        case PathIterator.SEG_QUADTO -> d.append('Q').append(num(c[0])).append(' ').append(num(c[1])).append(' ').append(num(c[2])).append(' ')
            .append(num(c[3]));
        case PathIterator.SEG_CUBICTO -> d.append('C').append(num(c[0])).append(' ').append(num(c[1])).append(' ').append(num(c[2])).append(' ')
            .append(num(c[3])).append(' ').append(num(c[4])).append(' ').append(num(c[5]));
        case PathIterator.SEG_CLOSE -> d.append('Z');
        default -> throw new IllegalStateException("segment " + type);
      }
    }
    return d.toString();
  }

  private static String num(double v) {
    String s = String.format(Locale.ROOT, "%.2f", v);
    s = s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    return s.equals("-0") ? "0" : s;
  }

  /**
   * Escaped text in which a command-line option stays on one line with its value ({@code --updates 1700}
   * is not broken after its dashes on a narrow screen).
   */
  public static String prose(String text) {
    return esc(text).replaceAll("(?<![\\w-])(--[a-z][a-z0-9-]*(?: [0-9][^\\s;,()]*)?)", "<span class=\"nw\">$1</span>");
  }

  /** HTML-escapes text for element content and quoted attributes. */
  public static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
