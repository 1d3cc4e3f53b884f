package dev.segloss.train.report;

import dev.segloss.train.EpochStats;
import dev.segloss.train.ModelFiles;
import dev.segloss.train.OutputFiles;
import dev.segloss.train.Progress;
import dev.segloss.train.compare.Budget;
import dev.segloss.train.compare.CompareResult;
import dev.segloss.train.compare.LossOutcome;
import dev.segloss.train.compare.OverlayData;
import dev.segloss.train.compare.RunOutcome;
import dev.segloss.train.compare.Stat;
import dev.segloss.train.compare.VolumeMetrics;
import dev.segloss.train.compare.Wilcoxon;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders what {@code compare} found — only what the {@link CompareResult} holds, nothing computed from
 * models or data: {@code report.html} (self-contained: charts and overlays are inlined PNGs; laid out for
 * screens of any width and for A4 paper by {@link ReportHtml}), {@code
 * results.json}, {@code results.csv} (one row per loss), {@code per_image.csv} (one row per loss, run and
 * test image), and the plain-text tables printed to stdout.
 */
public final class CompareReport {
  /** Width the console table fits in (a common terminal; issue 12). */
  public static final int CONSOLE_WIDTH = 120;
  /** Metric keys of the per-image results, in table order. */
  static final List<String> METRICS = List.of("dice", "iou", "precision", "recall", "hd95");

  private CompareReport() {}

  /** Writes every output file into {@code dir} (atomically, one by one). */
  public static void write(CompareResult r, Path dir) throws IOException {
    List<Chart> curves = learningCurves(r);
    Chart pr = prCurves(r);
    OutputFiles.writeString(dir.resolve("report.html"), html(r, curves, pr));
    OutputFiles.writeBytes(dir.resolve("results.json"), ModelFiles.json().writeValueAsBytes(json(r)));
    OutputFiles.writeString(dir.resolve("results.csv"), csv(r));
    OutputFiles.writeString(dir.resolve("per_image.csv"), perImageCsv(r));
  }

  // ---------------------------------------------------------------- plain text

  /**
   * The ranked table as aligned plain text, at most {@value #CONSOLE_WIDTH} columns wide: rank, loss, Dice ±
   * std, precision, recall, AUPRC, the Holm-adjusted p against the best, the verdict and the diagnosis (iou,
   * hd95 and the best-threshold Dice are in the report and the CSV). A loss spec too long for the width is
   * shortened with "…".
   */
  public static String table(CompareResult r) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"rank", "loss", "dice", "prec", "recall", "AUPRC", "p (Holm)", "verdict", "diagnosis"});
    for (LossOutcome o : r.ranking()) {
      rows.add(new String[] {o.rank() == 0 ? "-" : Integer.toString(o.rank()), o.spec(), pm(o.metrics().get("dice"), 3),
          f(o.metrics().get("precision").mean(), 3), f(o.metrics().get("recall").mean(), 3), f(o.auprc().mean(), 3),
          Double.isNaN(o.pHolm()) ? "" : p(o.pHolm()), o.verdict(), o.diagnosisLabel()});
    }
    return align(rows, 1, java.util.Set.of(1, 7, 8));
  }

  /**
   * Per-volume 3-D metrics of the test slices as plain text (empty unless the data are volumes): loss,
   * volume, test slices, 3-D Dice and HD95 in mm, mean ± std over seeds.
   */
  public static String volumeTable(CompareResult r) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"rank", "loss", "volume", "slices", "3-D dice", "HD95 (mm)"});
    for (LossOutcome o : r.ranking()) {
      for (VolumeMetrics.LossVolume v : o.volumes()) {
        rows.add(new String[] {o.rank() == 0 ? "-" : Integer.toString(o.rank()), o.spec(), v.volume(), Integer.toString(v.slices()),
            pm(v.dice(), 3), pm(v.hd95(), 1)});
      }
    }
    if (rows.size() == 1) return "";
    return "per volume (test slices reassembled in 3-D):\n" + align(rows, 1, java.util.Set.of(1, 2));
  }

  /** Aligns rows (left-aligned columns in {@code left}), shortening column {@code shrink} to fit the console. */
  static String align(List<String[]> rows, int shrink, java.util.Set<Integer> left) {
    int cols = rows.get(0).length;
    int[] w = new int[cols];
    for (String[] row : rows) for (int i = 0; i < cols; i++) w[i] = Math.max(w[i], row[i].length());
    int total = 2 * (cols - 1);
    for (int x : w) total += x;
    if (total > CONSOLE_WIDTH) {
      int fit = Math.max(8, w[shrink] - (total - CONSOLE_WIDTH));
      for (String[] row : rows) if (row[shrink].length() > fit) row[shrink] = row[shrink].substring(0, fit - 1) + "…";
      w[shrink] = fit;
    }
    StringBuilder sb = new StringBuilder();
    for (int k = 0; k < rows.size(); k++) {
      String[] row = rows.get(k);
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < cols; i++) {
        line.append(left.contains(i) ? pad(row[i], w[i]) : lpad(row[i], w[i])).append(i == cols - 1 ? "" : "  ");
      }
      sb.append(line.toString().replaceAll("\\s+$", ""));
      if (k < rows.size() - 1) sb.append('\n');
    }
    return sb.toString();
  }

  // ---------------------------------------------------------------- charts

  /** Chart sizes in CSS pixels: full-width charts (screens, paper), and their phone layout. */
  static final int WIDE_W = 760, WIDE_H = 420, NARROW_W = 360, NARROW_H = 300;
  /** Sizes of the per-loss learning-curve charts (a grid: two to a row on paper), and their phone layout. */
  static final int RUN_W = 560, RUN_H = 440, RUN_NARROW_W = 360, RUN_NARROW_H = 400;
  /** Overlay pictures are drawn at least this wide (pixels replicated), twice their CSS width. */
  static final int OVERLAY_PX = 400;

  /** A chart in both layouts (PNGs at {@link Charts#SCALE}×), its text alternative, caption and key (HTML). */
  record Chart(byte[] wide, int width, int height, byte[] narrow, int nWidth, int nHeight, boolean inGrid, String alt, String caption, String key) {
    String html() {
      return "<figure><figcaption>" + caption + "</figcaption>" + ReportHtml.chart(wide, width, height, narrow, nWidth, nHeight, alt, inGrid) + key
          + "</figure>\n";
    }
  }

  /**
   * The learning curves: first the losses' validation Dice per epoch side by side (the mean over each loss's
   * runs that reached the epoch), then one chart per loss with every run's training loss (solid), validation
   * loss (dashed) and validation Dice — so that a run still improving at its last epoch is visible at a
   * glance.
   */
  static List<Chart> learningCurves(CompareResult r) {
    List<Chart> out = new ArrayList<>();
    List<double[][]> means = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    for (LossOutcome o : r.ranking()) {
      int epochs = o.runs().stream().mapToInt(s -> s.history().size()).max().orElse(0);
      double[] x = new double[epochs], y = new double[epochs];
      for (int e = 0; e < epochs; e++) {
        final int k = e;
        x[e] = e + 1;
        y[e] = Stat.of(o.runs().stream().filter(s -> s.history().size() > k).mapToDouble(s -> s.history().get(k).valDice()).toArray()).mean();
      }
      means.add(new double[][] {x, y});
      labels.add(o.spec());
    }
    int runs = r.ranking().stream().mapToInt(o -> o.runs().size()).max().orElse(0);
    out.add(new Chart(Charts.lines("epoch", "validation dice", means, WIDE_W, WIDE_H, true, true, null), WIDE_W, WIDE_H,
        Charts.lines("epoch", "validation dice", means, NARROW_W, NARROW_H, true, true, null), NARROW_W, NARROW_H, false,
        "validation Dice per epoch, one line per loss", "Validation Dice per epoch, mean over each loss's " + (runs == 1 ? "run" : "runs")
            + " (those that reached the epoch).", ReportHtml.seriesLegend(labels, 0)));
    for (LossOutcome o : r.ranking()) {
      List<String> names = new ArrayList<>();
      List<List<EpochStats>> histories = new ArrayList<>();
      for (RunOutcome s : o.runs()) {
        names.add(runLabel(s) + " (" + s.diagnosis().kind().label() + ")");
        histories.add(s.history());
      }
      out.add(new Chart(Charts.runCurves(histories, RUN_W, RUN_H), RUN_W, RUN_H, Charts.runCurves(histories, RUN_NARROW_W, RUN_NARROW_H), RUN_NARROW_W,
          RUN_NARROW_H, true, "learning curves of " + o.spec() + ", one colour per run", "<code>" + esc(o.spec()) + "</code>",
          ReportHtml.runLegend(names)));
    }
    return out;
  }

  static Chart prCurves(CompareResult r) {
    List<double[][]> series = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    for (LossOutcome o : r.ranking()) {
      if (Double.isNaN(o.auprc().mean())) continue;
      series.add(new double[][] {r.recallGrid().clone(), o.pr()});
      labels.add(String.format(Locale.ROOT, "%s (AUPRC %.3f)", o.spec(), o.auprc().mean()));
    }
    return new Chart(Charts.prCurves(series, WIDE_W, WIDE_H), WIDE_W, WIDE_H, Charts.prCurves(series, NARROW_W, NARROW_H), NARROW_W, NARROW_H, false,
        "precision-recall curves, one per loss", "Precision–recall on the test pixels (interpolated, mean over runs).", ReportHtml.seriesLegend(labels, 0));
  }

  private static String runLabel(RunOutcome s) {
    return "seed " + s.seed() + (s.fold() > 0 ? ", fold " + s.fold() : "");
  }

  // ---------------------------------------------------------------- HTML

  static String html(CompareResult r, List<Chart> curves, Chart pr) {
    CompareResult.BudgetInfo b = r.budget();
    StringBuilder h = new StringBuilder(ReportHtml.head("segloss compare"));
    h.append("<h1>Which loss for this segmentation task?</h1>\n");
    h.append("<p class=\"rec").append(r.winner() ? "" : " none").append("\">").append(ReportHtml.prose(r.recommendation())).append("</p>\n");
    h.append("<p class=\"small\">").append(esc(oneLine(r))).append("</p>\n");
    if (!r.adviceWarnings().isEmpty()) {
      h.append("<ul>");
      for (String w : r.adviceWarnings()) if (!w.equals(r.recommendation())) h.append("<li>").append(ReportHtml.prose(w)).append("</li>");
      h.append("</ul>\n");
    }

    h.append("<h2>Ranking on the held-out test images</h2>\n").append(ReportHtml.tableStart("ranking"))
        .append("<thead><tr><th>rank</th><th class=\"l stick\">loss</th>");
    for (String m : List.of("dice", "iou", "precision", "recall", "hd95 (px)")) h.append("<th>").append(m).append("</th>");
    h.append("<th>AUPRC</th><th>dice at best t</th><th>p vs best (Holm)</th><th class=\"l\">verdict</th><th class=\"l\">diagnosis</th>")
        .append("<th>updates</th><th>train time</th></tr></thead><tbody>\n");
    for (LossOutcome o : r.ranking()) {
      String cls = switch (o.verdict()) {
        case LossOutcome.BEST -> "best";
        case LossOutcome.WORSE -> "worse";
        case LossOutcome.FAILED -> "failed";
        default -> "";
      };
      h.append("<tr class=\"").append(cls).append("\"><td>").append(o.rank() == 0 ? "–" : o.rank()).append("</td><td class=\"l stick\"><code>")
          .append(esc(o.spec())).append("</code>");
      if (!o.resolvedText().equals(o.spec())) h.append("<br><span class=\"small\">trained as <code>").append(esc(o.resolvedText())).append("</code></span>");
      h.append("</td>");
      for (String m : List.of("dice", "iou", "precision", "recall")) h.append("<td>").append(pmHtml(o.metrics().get(m), 3)).append("</td>");
      h.append("<td>").append(pmHtml(o.metrics().get("hd95"), 1)).append("</td>");
      h.append("<td>").append(pmHtml(o.auprc(), 3)).append("</td>");
      h.append("<td>").append(Double.isNaN(o.bestDice().mean()) ? "–"
          : f(o.bestDice().mean(), 3) + " <span class=\"small sd\">at t=" + f(o.bestThreshold().mean(), 2) + "</span>").append("</td>");
      h.append("<td>").append(o.test() == null ? "" : esc(p(o.pHolm())) + " <span class=\"small sd\">raw " + esc(p(o.test().p())) + "</span>").append("</td>");
      h.append("<td class=\"l\">").append(esc(o.verdict())).append("</td>");
      h.append("<td class=\"l n diag-").append(o.diagnosis() == null ? "" : o.diagnosis().key()).append("\">").append(esc(o.diagnosisLabel())).append("</td>");
      h.append("<td>").append(esc(updates(o))).append("</td><td>").append(esc(Progress.duration(o.seconds()))).append("</td></tr>\n");
    }
    h.append("</tbody>").append(ReportHtml.tableEnd());
    String over = b.folds() > 1 ? String.format(Locale.ROOT, "%d run(s) per loss (%d seed(s) × %d folds)", b.seeds() * b.folds(), b.seeds(), b.folds())
        : b.seeds() + " seed(s)";
    h.append("<p class=\"small\">Metrics at threshold ").append(r.config().threshold()).append(", per test image, then the mean over each run's ")
        .append("test images (empty policy <code>").append(esc(r.config().emptyPolicy()))
        .append("</code>: images where a value is undefined are left out), then mean ± standard deviation over ").append(esc(over))
        .append(". hd95 in pixels. AUPRC: average precision of the pooled test pixels. \"dice at best t\": the mean Dice at the threshold that maximises it, chosen on the test set itself (optimistic; it shows calibration, not a result to report). ")
        .append("\"p vs best\": two-sided Wilcoxon signed-rank test over the ").append(r.testImages().size())
        .append(" test images, paired by image, on the per-image Dice averaged over seeds, Holm-adjusted over the ")
        .append(r.ranking().stream().filter(o -> o.test() != null).count()).append(" comparison(s); within noise when ≥ ")
        .append(r.alpha()).append(". ").append(esc(r.power().statement()))
        .append(" Diagnosis: converged, under-trained (validation Dice or loss still improving at the end), collapsed (predictions all background, all foreground or constant) or diverged; the kind most runs have, with the count when they disagree.</p>\n");

    boolean anyVolumes = r.ranking().stream().anyMatch(o -> !o.volumes().isEmpty());
    if (anyVolumes) {
      h.append("<h2>Per volume (test slices reassembled in 3-D)</h2>\n").append(ReportHtml.tableStart("per volume"))
          .append("<thead><tr><th>rank</th><th class=\"l stick\">loss</th><th class=\"l\">volume</th><th>test slices</th><th>3-D dice</th><th>HD95 (mm)</th></tr></thead><tbody>\n");
      for (LossOutcome o : r.ranking()) {
        for (VolumeMetrics.LossVolume v : o.volumes()) {
          h.append("<tr><td>").append(o.rank() == 0 ? "–" : o.rank()).append("</td><td class=\"l stick\"><code>").append(esc(o.spec()))
              .append("</code></td><td class=\"l\">").append(esc(v.volume())).append("</td><td>").append(v.slices()).append("</td><td>")
              .append(pmHtml(v.dice(), 3)).append("</td><td>").append(pmHtml(v.hd95(), 1)).append("</td></tr>\n");
        }
      }
      h.append("</tbody>").append(ReportHtml.tableEnd())
          .append("<p class=\"small\">Each volume's test slices put back at their positions and scored as one 3-D segmentation: Dice from the pooled counts, HD95 (MedPy's definition) in millimetres from the voxel spacing; mean ± std over seeds. Untested slices between them count as empty in both masks.</p>\n");
    }

    h.append("<h2>Learning curves</h2>\n");
    if (!curves.isEmpty()) h.append(curves.get(0).html());
    h.append("<p class=\"small\">Per loss, every run: training loss (solid) and validation loss (dashed) on top, validation Dice below.</p>\n")
        .append("<div class=\"charts\">\n");
    for (int i = 1; i < curves.size(); i++) h.append(curves.get(i).html());
    h.append("</div>\n");
    h.append("<h2>Precision–recall</h2>\n").append(pr.html());
    overlays(h, r.overlays());
    h.append("<h2>Runs</h2>\n").append(ReportHtml.tableStart("runs")).append("<thead><tr><th class=\"l stick\">loss</th><th>seed</th>")
        .append(b.folds() > 1 ? "<th>fold</th>" : "")
        .append("<th class=\"l\">status</th><th>epochs</th><th>updates</th><th>best epoch</th><th>val dice</th><th>test dice</th><th>AUPRC</th>")
        .append("<th class=\"l\">diagnosis</th><th>time</th></tr></thead><tbody>\n");
    for (LossOutcome o : r.ranking()) {
      for (RunOutcome s : o.runs()) {
        h.append("<tr><td class=\"l stick\"><code>").append(esc(o.spec())).append("</code></td><td>").append(s.seed()).append("</td>")
            .append(b.folds() > 1 ? "<td>" + s.fold() + "</td>" : "").append("<td class=\"l\" title=\"")
            .append(esc(s.message())).append("\">").append(esc(s.status().replace('_', ' '))).append("</td><td>").append(s.epochs()).append("</td><td>")
            .append(s.updates()).append("</td><td>").append(s.bestEpoch()).append("</td><td>").append(f(s.bestValDice(), 3)).append("</td><td>")
            .append(f(s.macro().get("dice"), 3)).append("</td><td>").append(f(s.ap(), 3)).append("</td><td class=\"l w\"><span class=\"diag-")
            .append(s.diagnosis().kind().key()).append("\">").append(esc(s.diagnosis().kind().label())).append("</span> <span class=\"small why\">")
            .append(esc(s.diagnosis().reason())).append("</span></td><td>").append(esc(Progress.duration(s.seconds()))).append("</td></tr>\n");
      }
    }
    h.append("</tbody>").append(ReportHtml.tableEnd());
    h.append("<h2>Data, plan and settings</h2>\n<pre>").append(esc(r.dataSummary())).append("</pre>\n");
    if (!r.dataWarnings().isEmpty() || !r.skipped().isEmpty()) {
      h.append("<ul>");
      for (String w : r.dataWarnings()) h.append("<li>warning: ").append(esc(w)).append("</li>");
      for (String w : r.skipped()) h.append("<li>skipped: ").append(esc(w)).append("</li>");
      h.append("</ul>\n");
    }
    h.append("<pre>").append(esc(settings(r))).append("</pre>\n");
    h.append("<p class=\"small\">Generated by segloss compare in ").append(esc(Progress.duration(r.seconds())))
        .append(". Full numbers: results.json, results.csv, per_image.csv; each run's model, config and history: runs/.</p>\n");
    h.append(ReportHtml.tail());
    return h.toString();
  }

  /**
   * The overlays: one row per chosen test image — the image itself, then each leading loss's prediction of
   * it — so that the losses are seen on the same pictures.
   */
  static void overlays(StringBuilder h, List<OverlayData.Row> rows) {
    h.append("<h2>The same test images for each leading loss</h2>\n");
    if (rows.isEmpty()) {
      h.append("<p class=\"small\">No overlay: no ranked loss has a model, or no test image has foreground.</p>\n");
      return;
    }
    List<OverlayData.Cell> first = rows.get(0).cells();
    int columns = first.size() + 1;
    h.append("<p class=\"small\">Each row is one test image: the image, then the prediction of each leading loss (from its seed closest to the ")
        .append("loss's mean Dice). Rows: the best, median and worst image of <code>").append(esc(first.get(0).loss()))
        .append("</code>, then the images where the losses' Dice differ most.</p>\n").append(ReportHtml.overlayLegend());
    String grid = "<div class=\"ov\" style=\"grid-template-columns:repeat(" + columns + ",minmax(0,220px))\">";
    for (OverlayData.Row row : rows) {
      int scale = Math.max(1, (int) Math.ceil((double) OVERLAY_PX / row.width()));
      int cssW = row.width() * scale / 2, cssH = row.height() * scale / 2;
      h.append(grid).append("<div class=\"head\">").append(esc(row.name())).append(" <span class=\"small\">").append(esc(row.why())).append("</span></div>");
      byte[] plain = Charts.png(Overlays.image(row.image(), row.height(), row.width(), scale));
      h.append("<figure>").append(ReportHtml.img(plain, cssW, cssH, row.name())).append("<figcaption>image</figcaption></figure>");
      for (OverlayData.Cell c : row.cells()) {
        h.append("<figure>");
        if (c.probability() == null) {
          h.append("<div class=\"none\" style=\"aspect-ratio:").append(row.width()).append('/').append(row.height()).append("\">no model</div>");
        } else {
          byte[] png = Charts.png(Overlays.render(row.image(), row.mask(), c.probability(), row.height(), row.width(), row.threshold(), scale));
          h.append(ReportHtml.img(png, cssW, cssH, c.loss() + " on " + row.name()));
        }
        h.append("<figcaption><code>").append(esc(c.loss())).append("</code> <span class=\"small\">seed ").append(c.seed()).append("</span><br>")
            .append(c.probability() == null ? "no prediction" : "dice " + f(c.dice(), 3)).append("</figcaption></figure>");
      }
      h.append("</div>\n");
    }
  }

  private static String updates(LossOutcome o) {
    return o.runs().stream().map(s -> Long.toString(s.updates())).distinct().reduce((a, b) -> a + "/" + b).orElse("");
  }

  static String oneLine(CompareResult r) {
    var c = r.config();
    var b = r.budget();
    return String.format(Locale.ROOT, "%d loss(es) × %d seed(s)%s on %s; U-Net depth %d, width %d; %s updates per run, batch %d%s, Adam lr %s (cosine); %s.",
        c.losses().size(), b.seeds(), b.folds() > 1 ? " × " + b.folds() + " folds" : "", r.dataSpec(), c.depth(), c.width(), updatesRange(b), c.batch(),
        b.patch()[0] > 0 ? " (patches of " + b.patch()[0] + "x" + b.patch()[1] + ")" : "", c.lr(), Progress.duration(r.seconds()));
  }

  private static String updatesRange(CompareResult.BudgetInfo b) {
    long lo = b.lengths().stream().mapToLong(Budget.Length::updates).min().orElse(0), hi = b.maxUpdates();
    return lo == hi ? Long.toString(hi) : lo + "-" + hi;
  }

  static String settings(CompareResult r) {
    var c = r.config();
    var b = r.budget();
    StringBuilder lens = new StringBuilder();
    for (int i = 0; i < b.lengths().size(); i++) {
      if (i > 0) lens.append("; ");
      if (b.folds() > 1) lens.append("fold ").append(i + 1).append(": ");
      lens.append(b.lengths().get(i).describe());
    }
    return "data         " + r.dataSpec() + "\nlosses       " + String.join("; ", c.losses()) + "\nsplit        " + b.split() + "\nseeds        "
        + b.seeds() + "\nbudget       " + b.length() + " " + b.unit() + " per run (" + b.source() + ")" + (b.fitted().isEmpty() ? ""
            : "; fitted to --time " + Progress.duration(b.timeLimit()) + ": " + String.join(", ", b.fitted()))
        + "\nlength       " + lens + "\npatches      " + b.patchReason() + "\nearly stop   patience " + c.patience() + "\nbatch        " + c.batch()
        + "\nlr           " + c.lr() + "\nU-Net        depth " + c.depth() + ", width " + c.width() + "\naugmentation " + (c.augment() ? "on" : "off")
        + "\nweights      " + c.weights() + " (for auto)\nthreshold    " + c.threshold() + "\nempty policy " + c.emptyPolicy() + "\nsplit seed   "
        + c.splitSeed() + "\nthreads      " + c.threads() + "\ndevice       " + c.device() + String.format(Locale.ROOT,
            "\ntime         %s (estimated %s from a step measured at %.3f s and %.1f ms per image of inference)", Progress.duration(b.actualSeconds()),
            Progress.duration(b.estimatedSeconds()), b.stepSeconds(), b.forwardSecondsPerImage() * 1000);
  }

  // ---------------------------------------------------------------- JSON and CSV

  static Map<String, Object> json(CompareResult r) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("format", "segloss-compare/1");
    root.put("recommendation", r.recommendation());
    root.put("winner", r.winner());
    var c = r.config();
    var b = r.budget();
    Map<String, Object> cfg = new LinkedHashMap<>();
    cfg.put("data", r.dataSpec());
    cfg.put("losses", c.losses());
    cfg.put("seeds", b.seeds());
    cfg.put("folds", b.folds());
    cfg.put("updates", c.updates() > 0 ? c.updates() : null);
    cfg.put("epochs", c.epochs() > 0 ? c.epochs() : null);
    cfg.put("time_limit_seconds", c.timeLimit() > 0 ? c.timeLimit() : null);
    cfg.put("patch", c.patch());
    cfg.put("batch", c.batch());
    cfg.put("lr", c.lr());
    cfg.put("depth", c.depth());
    cfg.put("width", c.width());
    cfg.put("patience", c.patience());
    cfg.put("augment", c.augment());
    cfg.put("weights", c.weights());
    cfg.put("threshold", c.threshold());
    cfg.put("empty_policy", c.emptyPolicy());
    cfg.put("split_seed", c.splitSeed());
    cfg.put("threads", c.threads());
    cfg.put("device", c.device());
    root.put("config", cfg);
    Map<String, Object> bm = new LinkedHashMap<>();
    bm.put("source", b.source());
    bm.put(b.unit(), b.length());
    bm.put("updates_per_run", b.maxUpdates());
    bm.put("epochs_per_run", b.maxEpochs());
    List<Object> lens = new ArrayList<>();
    for (int i = 0; i < b.lengths().size(); i++) {
      Budget.Length l = b.lengths().get(i);
      Map<String, Object> lm = new LinkedHashMap<>();
      lm.put("fold", b.folds() > 1 ? i + 1 : 0);
      lm.put("epochs", l.epochs());
      lm.put("steps_per_epoch", l.stepsPerEpoch());
      lm.put("steps_per_pass", l.stepsPerPass());
      lm.put("updates", l.updates());
      lens.add(lm);
    }
    bm.put("per_split", lens);
    bm.put("batch", b.batch());
    bm.put("patch", b.patch()[0] > 0 ? List.of(b.patch()[0], b.patch()[1]) : null);
    bm.put("patch_reason", b.patchReason());
    bm.put("split", b.split());
    bm.put("folds", b.folds());
    bm.put("seeds", b.seeds());
    bm.put("runs", b.runs());
    bm.put("workers", b.workers());
    bm.put("step_seconds", b.stepSeconds());
    bm.put("inference_seconds_per_image", b.forwardSecondsPerImage());
    bm.put("estimated_seconds", b.estimatedSeconds());
    bm.put("actual_seconds", b.actualSeconds());
    bm.put("time_limit_seconds", b.timeLimit() > 0 ? b.timeLimit() : null);
    bm.put("fitted", b.fitted());
    root.put("budget", bm);
    root.put("data_summary", r.dataSummary());
    root.put("seconds", r.seconds());
    Map<String, Object> pw = new LinkedHashMap<>();
    pw.put("paired_test_images", r.power().images());
    pw.put("comparisons", r.power().comparisons());
    pw.put("smallest_p", num(r.power().smallestP()));
    pw.put("smallest_p_holm", num(r.power().smallestAdjusted()));
    pw.put("alpha", r.power().alpha());
    pw.put("can_reject", r.power().enough());
    pw.put("statement", r.power().statement());
    root.put("power", pw);
    root.put("test_images", r.testImages());
    List<Object> ranking = new ArrayList<>();
    for (LossOutcome o : r.ranking()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("rank", o.rank());
      m.put("loss", o.spec());
      m.put("resolved", o.resolved().size() == 1 ? o.resolved().get(0) : o.resolved());
      m.put("verdict", o.verdict());
      m.put("diagnosis", o.diagnosis() == null ? null : o.diagnosis().key());
      m.put("diagnosis_counts", o.diagnosisCounts());
      Map<String, Object> metrics = new LinkedHashMap<>();
      for (var e : o.metrics().entrySet()) metrics.put(e.getKey(), stat(e.getValue()));
      m.put("metrics", metrics);
      m.put("auprc", stat(o.auprc()));
      m.put("best_threshold_dice", stat(o.bestDice()));
      m.put("best_threshold", stat(o.bestThreshold()));
      if (o.test() != null) {
        Wilcoxon.Result t = o.test();
        Map<String, Object> tm = new LinkedHashMap<>();
        tm.put("test", "wilcoxon signed-rank, two-sided, paired by test image");
        tm.put("n", t.n());
        tm.put("zeros", t.zeros());
        tm.put("w_plus", t.wPlus());
        tm.put("w_minus", t.wMinus());
        tm.put("z", num(t.z()));
        tm.put("exact", t.exact());
        tm.put("p", num(t.p()));
        tm.put("p_holm", num(o.pHolm()));
        tm.put("median_difference", num(t.medianDifference()));
        m.put("vs_best", tm);
      }
      List<Object> runs = new ArrayList<>();
      for (RunOutcome s : o.runs()) {
        Map<String, Object> sm = new LinkedHashMap<>();
        sm.put("seed", s.seed());
        if (s.fold() > 0) sm.put("fold", s.fold());
        sm.put("resolved", s.resolvedLoss());
        sm.put("status", s.status());
        sm.put("message", s.message());
        sm.put("epochs", s.epochs());
        sm.put("updates", s.updates());
        sm.put("best_epoch", s.bestEpoch());
        sm.put("best_val_dice", num(s.bestValDice()));
        sm.put("seconds", s.seconds());
        sm.put("diagnosis", s.diagnosis().kind().key());
        sm.put("diagnosis_reason", s.diagnosis().reason());
        if (s.predictions() != null) {
          Map<String, Object> pm = new LinkedHashMap<>();
          pm.put("pixels", s.predictions().pixels());
          pm.put("true_foreground", s.predictions().truth());
          pm.put("predicted_foreground", s.predictions().predicted());
          pm.put("probability_std", s.predictions().probabilityStd());
          sm.put("test_predictions", pm);
        }
        Map<String, Object> mac = new LinkedHashMap<>();
        for (var e : s.macro().entrySet()) mac.put(e.getKey(), num(e.getValue()));
        sm.put("test", mac);
        sm.put("auprc", num(s.ap()));
        sm.put("best_threshold_dice", num(s.bestDice()));
        sm.put("best_threshold", num(s.bestThreshold()));
        sm.put("pooled_best_f1", num(s.pooledBestF1()));
        sm.put("run", s.dir());
        List<Object> curve = new ArrayList<>();
        for (EpochStats e : s.history()) curve.add(java.util.Arrays.asList((double) e.epoch(), num(e.trainLoss()), num(e.valLoss()), num(e.valDice())));
        sm.put("curves_epoch_train_loss_val_loss_val_dice", curve);
        runs.add(sm);
      }
      m.put("runs", runs);
      if (!o.volumes().isEmpty()) {
        List<Object> vols = new ArrayList<>();
        for (VolumeMetrics.LossVolume v : o.volumes()) {
          Map<String, Object> vm = new LinkedHashMap<>();
          vm.put("volume", v.volume());
          vm.put("test_slices", v.slices());
          vm.put("dice_3d", stat(v.dice()));
          vm.put("hd95_mm", stat(v.hd95()));
          List<Object> per = new ArrayList<>();
          for (VolumeMetrics.SeedVolume sv : v.perSeed()) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("seed", sv.seed());
            one.put("dice_3d", num(sv.dice()));
            one.put("hd95_mm", num(sv.hd95()));
            per.add(one);
          }
          vm.put("per_seed", per);
          vols.add(vm);
        }
        m.put("volumes", vols);
      }
      m.put("paired_dice", nums(o.pairedDice()));
      m.put("pr_recall_grid_precision", nums(o.pr()));
      ranking.add(m);
    }
    root.put("ranking", ranking);
    root.put("warnings", r.warnings());
    root.put("skipped", r.skipped());
    return root;
  }

  static String csv(CompareResult r) {
    StringBuilder sb = new StringBuilder("rank,loss,resolved,verdict");
    for (String m : List.of("dice", "iou", "precision", "recall", "hd95", "auprc", "best_threshold_dice", "best_threshold")) {
      sb.append(',').append(m).append("_mean,").append(m).append("_std");
    }
    sb.append(",p_vs_best,p_holm,runs,train_seconds,diagnosis\n");
    for (LossOutcome o : r.ranking()) {
      sb.append(o.rank()).append(',').append(q(o.spec())).append(',').append(q(o.resolvedText())).append(',').append(o.verdict());
      List<Stat> stats = new ArrayList<>();
      for (String m : METRICS) stats.add(o.metrics().get(m));
      stats.add(o.auprc());
      stats.add(o.bestDice());
      stats.add(o.bestThreshold());
      for (Stat s : stats) sb.append(',').append(c(s.mean())).append(',').append(c(s.std()));
      sb.append(',').append(o.test() == null ? "" : c(o.test().p())).append(',').append(c(o.pHolm())).append(',').append(o.runs().size())
          .append(',').append(c(o.seconds())).append(',').append(o.diagnosis() == null ? "" : o.diagnosis().key()).append('\n');
    }
    return sb.toString();
  }

  static String perImageCsv(CompareResult r) {
    boolean folds = r.budget().folds() > 1;
    StringBuilder sb = new StringBuilder("loss,seed,").append(folds ? "fold," : "").append("image");
    for (String k : METRICS) sb.append(',').append(k);
    sb.append('\n');
    for (LossOutcome o : r.ranking()) {
      for (RunOutcome s : o.runs()) {
        if (!s.evaluated()) continue;
        for (int k = 0; k < s.testIndex().length; k++) {
          sb.append(q(o.spec())).append(',').append(s.seed()).append(',');
          if (folds) sb.append(s.fold()).append(',');
          sb.append(q(r.testImages().get(s.testIndex()[k])));
          for (String m : METRICS) sb.append(',').append(c(s.perImage().get(m)[k]));
          sb.append('\n');
        }
      }
    }
    return sb.toString();
  }

  // ---------------------------------------------------------------- formatting

  private static Map<String, Object> stat(Stat s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("mean", num(s.mean()));
    m.put("std", num(s.std()));
    m.put("n", s.n());
    return m;
  }

  private static Double num(double d) {
    return Double.isFinite(d) ? d : null;
  }

  private static List<Double> nums(double[] v) {
    List<Double> out = new ArrayList<>(v.length);
    for (double d : v) out.add(num(d));
    return out;
  }

  private static String c(double d) {
    return Double.isNaN(d) ? "" : Double.toString(d);
  }

  private static String q(String s) {
    return "\"" + s.replace("\"", "\"\"") + "\"";
  }

  static String f(double d, int digits) {
    return Double.isNaN(d) ? "-" : String.format(Locale.ROOT, "%." + digits + "f", d);
  }

  private static String pm(Stat s, int digits) {
    if (s == null || Double.isNaN(s.mean())) return "-";
    return Double.isNaN(s.std()) ? f(s.mean(), digits) : f(s.mean(), digits) + " ± " + f(s.std(), digits);
  }

  private static String pmHtml(Stat s, int digits) {
    if (s == null || Double.isNaN(s.mean())) return "–";
    if (Double.isNaN(s.std())) return f(s.mean(), digits);
    return f(s.mean(), digits) + " <span class=\"small sd\">± " + f(s.std(), digits) + "</span>";
  }

  private static String p(double p) {
    if (Double.isNaN(p)) return "";
    return p < 0.001 ? "<0.001" : String.format(Locale.ROOT, "%.3f", p);
  }

  private static String pad(String s, int w) {
    return s + " ".repeat(Math.max(0, w - s.length()));
  }

  private static String lpad(String s, int w) {
    return " ".repeat(Math.max(0, w - s.length())) + s;
  }

  static String esc(String s) {
    return ReportHtml.esc(s);
  }
}
