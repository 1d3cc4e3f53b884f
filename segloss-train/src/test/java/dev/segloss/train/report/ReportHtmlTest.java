package dev.segloss.train.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.geom.Rectangle2D;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class ReportHtmlTest {
  @Test
  void anOptionStaysOnOneLineWithItsValue() {
    assertEquals("train longer: <span class=\"nw\">--updates 1700</span> (4× the 420 updates); or <span class=\"nw\">--patch</span>, a&lt;b",
        ReportHtml.prose("train longer: --updates 1700 (4× the 420 updates); or --patch, a<b"));
    assertEquals("x--y and 1 -- 2", ReportHtml.prose("x--y and 1 -- 2"), "only options are kept whole");
  }

  @Test
  void theHeadLaysOutAtDeviceWidthAndLoadsNothing() {
    String head = ReportHtml.head("a <title>");
    assertTrue(head.contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"), head);
    assertTrue(head.contains("default-src 'none'; img-src data:; style-src 'unsafe-inline'"), head);
    assertTrue(head.contains("<title>a &lt;title&gt;</title>"), head);
    assertTrue(head.contains("@page{size:A4"), head);
    assertTrue(!head.contains("<script") && !head.contains("http:") && !head.contains("https:"), head);
  }

  @Test
  void chartsInAGridPrintInTheirNarrowLayout() {
    byte[] png = {1, 2, 3};
    String data = "data:image/png;base64," + Base64.getEncoder().encodeToString(png);
    assertEquals("<picture><source media=\"(max-width: 560px), print\" width=\"360\" height=\"400\" srcset=\"" + data + "\">"
        + "<img alt=\"a&quot;b\" width=\"560\" height=\"440\" src=\"" + data + "\"></picture>", ReportHtml.chart(png, 560, 440, png, 360, 400, "a\"b", true));
    assertTrue(ReportHtml.chart(png, 760, 420, png, 360, 300, "x", false).contains("media=\"(max-width: 560px)\""));
  }

  @Test
  void svgPathsFollowTheShape() {
    assertEquals("M-1 -2L2 -2L2 1.5L-1 1.5L-1 -2Z", ReportHtml.svgPath(new Rectangle2D.Double(-1, -2, 3, 3.5)));
  }

  @Test
  void legendSwatchesAreShapesNotBackgrounds() {
    String legend = ReportHtml.overlayLegend();
    for (Overlays.Kind k : Overlays.Kind.values()) assertTrue(legend.contains("<rect x=\".5\" y=\".5\" width=\"13\" height=\"13\" fill=\"" + k.hex()), legend);
    assertTrue(!legend.contains("background"), legend);
  }
}
