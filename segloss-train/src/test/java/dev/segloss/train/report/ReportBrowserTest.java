package dev.segloss.train.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.segloss.train.compare.SyntheticCompare;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compare report in a real browser (issue 12): headless Chromium renders a report as large as the
 * default comparison's at 1400 px (desktop), at 400 px as a phone (mobile emulation: without a viewport
 * meta tag the page would be laid out at 980 px) and prints it to PDF; Poppler's tools read the PDF back.
 * Checked: no horizontal overflow of the page, wide tables scrolling inside their box with the loss column
 * in view, text and chart tick labels at a legible size, no request other than the page itself and its
 * {@code data:} images, no console message, exception or browser error; on paper: A4 pages, nothing wider
 * than the page, no page ending on a heading, and the legend swatches printed with background graphics
 * off (the print dialogue's default).
 *
 * <p>Screenshots and the PDF pages are left in {@code target/report-browser/} to look at.
 */
@Tag("slow")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReportBrowserTest {
  static final Path SHOTS = Path.of("target", "report-browser");
  /** Smallest text a reader should have to read, in CSS px. */
  static final double MIN_TEXT_PX = 11;
  /** A4 less the report's page margins (12 mm each side), in CSS px at 96 per inch. */
  static final int A4_CONTENT_PX = (int) Math.floor((210 - 24) / 25.4 * 96);

  HeadlessChromium browser;
  Path report;

  @BeforeAll
  void render(@TempDir Path tmp) throws Exception {
    Files.createDirectories(SHOTS);
    try (var old = Files.list(SHOTS)) { // last run's pages must not stand in for this run's
      for (Path f : old.toList()) Files.delete(f);
    }
    CompareReport.write(SyntheticCompare.result(SHOTS), SHOTS);
    report = SHOTS.resolve("report.html");
    Path profile = Files.createDirectories(tmp.resolve("profile"));
    browser = new HeadlessChromium(profile);
  }

  @AfterAll
  void close() {
    if (browser != null) browser.close();
  }

  @Test
  void desktopAt1400() throws IOException {
    HeadlessChromium.Page page = load(1400, 900, false, "screen");
    Files.write(SHOTS.resolve("desktop-1400.png"), page.screenshot());
    JsonNode m = page.eval(LAYOUT);
    assertFits(m, 1400);
    assertLegible(m);
    // the ranking table fits without scrolling at this width
    JsonNode ranking = m.get("boxes").get(0);
    assertTrue(ranking.get("scrollWidth").asInt() <= ranking.get("clientWidth").asInt(), "ranking table scrolls at 1400 px: " + ranking);
    // the wide chart layout
    for (JsonNode c : m.get("charts")) assertTrue(!c.get("narrow").asBoolean(), "narrow chart at 1400 px: " + c);
    assertQuiet(page);
  }

  @Test
  void phoneAt400() throws IOException {
    HeadlessChromium.Page page = load(400, 800, true, "screen");
    Files.write(SHOTS.resolve("phone-400.png"), page.screenshot());
    JsonNode m = page.eval(LAYOUT);
    assertEquals(400, m.get("clientWidth").asInt(), "laid out at the phone's width (viewport meta)");
    assertFits(m, 400);
    assertLegible(m);
    // the ranking table is wider than the phone: it scrolls in its own box, and the loss column stays in view
    JsonNode ranking = m.get("boxes").get(0);
    assertTrue(ranking.get("scrollWidth").asInt() > ranking.get("clientWidth").asInt(), "the table would not need to scroll: " + ranking);
    assertEquals("auto", ranking.get("overflowX").asText());
    assertTrue(ranking.get("right").asDouble() <= 400.5, "scroll box wider than the page: " + ranking);
    JsonNode stuck = page.eval(STICKY);
    assertTrue(stuck.get("scrolled").asDouble() > 0 && Math.abs(stuck.get("gap").asDouble()) < 1.5,
        "the loss column leaves the box when the table is scrolled: " + stuck);
    for (JsonNode c : m.get("charts")) assertTrue(c.get("narrow").asBoolean(), "wide chart on a phone: " + c);
    Files.write(SHOTS.resolve("phone-400-table-scrolled.png"), page.screenshot());
    assertQuiet(page);
  }

  @Test
  void printsOnA4() throws Exception {
    // laid out as on paper: print media at the width of A4 less the margins; nothing may stick out, in tables neither
    HeadlessChromium.Page page = load(A4_CONTENT_PX, 1100, false, "print");
    JsonNode m = page.eval(LAYOUT);
    assertFits(m, A4_CONTENT_PX);
    assertChartsLegible(m);
    List<String> wide = new ArrayList<>();
    m.get("insideBoxes").forEach(n -> wide.add(n.asText()));
    assertTrue(wide.isEmpty(), "wider than the paper (tables do not scroll on paper): " + wide);
    for (JsonNode b : m.get("boxes")) assertTrue(b.get("scrollWidth").asInt() <= b.get("clientWidth").asInt() + 1, "table cut on paper: " + b);
    assertEquals("avoid", page.eval("getComputedStyle(document.querySelector('h2')).breakAfter").asText());
    List<String> headings = new ArrayList<>();
    page.eval("[...document.querySelectorAll('h1,h2,h3')].map(h => h.textContent.replace(/\\s+/g, ' ').trim())").forEach(n -> headings.add(n.asText()));

    page.media("");
    byte[] pdf = page.pdf();
    Path file = SHOTS.resolve("report.pdf");
    Files.write(file, pdf);
    assertQuiet(page);

    // A4 portrait, every page
    String info = run("pdfinfo", "-f", "1", "-l", "999", file.toString());
    Matcher size = Pattern.compile("Page +\\d+ size: +([\\d.]+) x ([\\d.]+) pts").matcher(info);
    int pages = 0;
    while (size.find()) {
      pages++;
      assertEquals(595.3, Double.parseDouble(size.group(1)), 1.5, "A4 width in points");
      assertEquals(841.9, Double.parseDouble(size.group(2)), 1.5, "A4 height in points");
    }
    assertTrue(pages >= 2, "pages: " + info);

    // no page ends on a heading
    for (int p = 1; p <= pages; p++) {
      String text = run("pdftotext", "-f", Integer.toString(p), "-l", Integer.toString(p), file.toString(), "-");
      List<String> lines = text.lines().map(l -> l.replaceAll("\\s+", " ").trim()).filter(l -> !l.isEmpty()).toList();
      String last = lines.isEmpty() ? "" : lines.get(lines.size() - 1);
      assertTrue(!headings.contains(last), "page " + p + " of " + pages + " ends on the heading \"" + last + "\"");
    }

    // the overlay legend's swatches are on paper, printed without background graphics
    run("pdftoppm", "-r", "96", "-png", file.toString(), SHOTS.resolve("page").toString());
    List<String> missing = new ArrayList<>();
    for (Overlays.Kind k : Overlays.Kind.values()) {
      boolean found = false;
      try (var files = Files.list(SHOTS)) {
        for (Path png : files.filter(f -> f.getFileName().toString().matches("page-\\d+\\.png")).sorted().toList()) {
          if (hasBlock(ImageIO.read(png.toFile()), k.colour(), 9)) {
            found = true;
            break;
          }
        }
      }
      if (!found) missing.add(k.name() + " " + k.hex());
    }
    assertTrue(missing.isEmpty(), "legend swatches missing on paper: " + missing);
  }

  private HeadlessChromium.Page load(int width, int height, boolean mobile, String media) {
    HeadlessChromium.Page page = browser.newPage();
    page.viewport(width, height, mobile);
    page.media(media);
    page.open(report.toAbsolutePath());
    return page;
  }

  /** The page is no wider than the viewport: neither its scroll width nor any element outside a scrolling box. */
  private static void assertFits(JsonNode m, int width) {
    assertEquals(width, m.get("innerWidth").asInt());
    List<String> over = new ArrayList<>();
    m.get("overflowing").forEach(n -> over.add(n.asText()));
    assertTrue(over.isEmpty(), "elements past the right edge at " + width + " px: " + over);
    assertTrue(m.get("scrollWidth").asInt() <= m.get("innerWidth").asInt(), "page scrolls sideways: scrollWidth " + m.get("scrollWidth") + " > " + width + "; inside scrolling boxes: " + m.get("insideBoxes"));
  }

  /** Text and chart tick labels at a legible size; every image decoded. */
  private static void assertLegible(JsonNode m) {
    List<String> small = new ArrayList<>();
    m.get("smallText").forEach(n -> small.add(n.asText()));
    assertTrue(small.isEmpty(), "text under " + MIN_TEXT_PX + " px: " + small);
    assertChartsLegible(m);
  }

  /** Chart tick labels shown at least at the legible size; every image decoded. */
  private static void assertChartsLegible(JsonNode m) {
    assertTrue(m.get("charts").size() >= 2, "charts: " + m.get("charts"));
    for (JsonNode c : m.get("charts")) {
      double tick = Charts.TICK_PX * c.get("shown").asDouble() / (c.get("natural").asDouble() / Charts.SCALE);
      assertTrue(tick >= MIN_TEXT_PX, String.format("chart tick labels shown at %.1f px: %s", tick, c));
    }
    List<String> broken = new ArrayList<>();
    m.get("brokenImages").forEach(n -> broken.add(n.asText()));
    assertTrue(broken.isEmpty(), "images not decoded: " + broken);
  }

  /** No request but the page and its data: URIs; no console message, exception or browser log error. */
  private static void assertQuiet(HeadlessChromium.Page page) {
    String self = page.eval("location.href").asText();
    List<String> requests = new ArrayList<>();
    for (JsonNode e : page.events("Network.requestWillBeSent")) {
      String url = e.path("request").path("url").asText();
      if (!url.equals(self) && !url.startsWith("data:")) requests.add(url);
    }
    assertTrue(requests.isEmpty(), "requests besides the page: " + requests);
    List<String> noise = new ArrayList<>();
    for (JsonNode e : page.events("Runtime.consoleAPICalled")) noise.add("console." + e.path("type").asText() + ": " + e.path("args"));
    for (JsonNode e : page.events("Runtime.exceptionThrown")) noise.add("exception: " + e.path("exceptionDetails"));
    for (JsonNode e : page.events("Log.entryAdded")) {
      String level = e.path("entry").path("level").asText();
      if (level.equals("error") || level.equals("warning")) noise.add("log " + level + ": " + e.path("entry").path("text").asText());
    }
    assertTrue(noise.isEmpty(), "console: " + noise);
  }

  /** Whether the image has a {@code size × size} block of the colour (±12 per channel). */
  static boolean hasBlock(BufferedImage img, Color c, int size) {
    int w = img.getWidth(), h = img.getHeight();
    int[] run = new int[w]; // consecutive rows, per column, where a horizontal run of `size` matching pixels ends here
    for (int y = 0; y < h; y++) {
      int across = 0;
      for (int x = 0; x < w; x++) {
        int rgb = img.getRGB(x, y);
        boolean match = Math.abs(((rgb >> 16) & 255) - c.getRed()) <= 12 && Math.abs(((rgb >> 8) & 255) - c.getGreen()) <= 12
            && Math.abs((rgb & 255) - c.getBlue()) <= 12;
        across = match ? across + 1 : 0;
        run[x] = across >= size ? run[x] + 1 : 0;
        if (run[x] >= size) return true;
      }
    }
    return false;
  }

  /** Runs a Poppler tool and returns its output; a missing tool is named with how to install it. */
  static String run(String... cmd) throws IOException, InterruptedException {
    Process p;
    try {
      p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new AssertionError(cmd[0] + " not found: install Debian's poppler-utils (bash scripts/ensure-tools.sh --browser, which scripts/test.sh runs)", e);
    }
    byte[] out = p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), cmd[0] + " did not finish");
    String text = new String(out, StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), String.join(" ", cmd) + ": " + text);
    return text;
  }

  /**
   * Measures the layout: viewport and page widths, elements past the edges (outside scrolling boxes, and
   * inside them separately), text under the legible size, the scrolling boxes, the charts' shown and
   * natural widths and which layout was picked, images that failed to decode.
   */
  static final String LAYOUT = """
      (() => {
        const W = innerWidth, min = %s;
        const out = {innerWidth: W, clientWidth: document.documentElement.clientWidth, scrollWidth: document.scrollingElement.scrollWidth,
          overflowing: [], insideBoxes: [], smallText: [], boxes: [], charts: [], brokenImages: []};
        const name = el => el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).replace(/ /g, '.') : '')
          + ' "' + (el.textContent || el.alt || '').trim().slice(0, 40) + '"';
        for (const el of document.body.querySelectorAll('*')) {
          const r = el.getBoundingClientRect();
          if (r.width === 0 && r.height === 0) continue;
          if (r.right > W + 0.5 || r.left < -0.5) {
            const box = el.closest('.scroll');
            (box && box !== el ? out.insideBoxes : out.overflowing).push(name(el) + ' ' + r.left.toFixed(1) + '..' + r.right.toFixed(1));
          }
        }
        const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        for (let t; (t = walker.nextNode()); ) {
          if (!t.textContent.trim()) continue;
          const el = t.parentElement, cs = getComputedStyle(el);
          if (cs.display === 'none' || el.closest('svg')) continue;
          if (parseFloat(cs.fontSize) < min) out.smallText.push(name(el) + ' ' + cs.fontSize);
        }
        for (const b of document.querySelectorAll('.scroll')) {
          const r = b.getBoundingClientRect();
          out.boxes.push({label: b.getAttribute('aria-label'), scrollWidth: b.scrollWidth, clientWidth: b.clientWidth,
            overflowX: getComputedStyle(b).overflowX, right: r.right});
        }
        for (const img of document.querySelectorAll('picture img')) {
          const source = img.parentElement.querySelector('source');
          out.charts.push({alt: img.alt, shown: img.getBoundingClientRect().width, natural: img.naturalWidth,
            narrow: !!source && img.currentSrc === source.srcset});
        }
        for (const img of document.images) if (!img.complete || img.naturalWidth === 0) out.brokenImages.push(name(img));
        return out;
      })()""".formatted(MIN_TEXT_PX);

  /** Scrolls the ranking table to its right end and measures where its first loss cell is. */
  static final String STICKY = """
      (() => {
        const box = document.querySelector('.scroll');
        box.scrollLeft = box.scrollWidth;
        const cell = box.querySelector('td.stick');
        return {scrolled: box.scrollLeft, gap: cell.getBoundingClientRect().left - box.getBoundingClientRect().left - box.clientLeft};
      })()""";
}
