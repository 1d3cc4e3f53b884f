package dev.segloss.train.report;

import dev.segloss.data.SegDataset;
import dev.segloss.train.ImageSet;
import dev.segloss.train.ModelFiles;
import dev.segloss.train.OutputFiles;
import dev.segloss.train.TrainingRun;
import dev.segloss.train.compare.CompareJob;
import dev.segloss.train.compare.CompareResult;
import dev.segloss.train.compare.LossOutcome;
import dev.segloss.train.compare.SeedRun;
import dev.segloss.train.compare.Stat;
import dev.segloss.train.compare.Wilcoxon;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes what {@code compare} found: {@code report.html} (self-contained: charts and overlays are inlined
 * PNGs), {@code results.json}, {@code results.csv} (one row per loss), {@code per_image.csv} (one row per
 * loss, seed and test image), and the plain-text ranked table printed to stdout.
 */
public final class CompareReport {
  /** At most this many leading losses get overlay pictures. */
  public static final int OVERLAY_LOSSES = 3;

  private CompareReport() {}

  /** Writes every output file into {@code dir} (atomically, one by one). */
  public static void write(CompareResult r, SegDataset ds, Path dir, PrintWriter err) throws IOException {
    byte[] curves = learningCurves(r);
    byte[] pr = prCurves(r);
    List<OverlaySet> overlays = overlays(r, ds);
    OutputFiles.writeString(dir.resolve("report.html"), html(r, curves, pr, overlays));
    OutputFiles.writeBytes(dir.resolve("results.json"), ModelFiles.json().writeValueAsBytes(json(r)));
    OutputFiles.writeString(dir.resolve("results.csv"), csv(r));
    OutputFiles.writeString(dir.resolve("per_image.csv"), perImageCsv(r));
  }

  // ---------------------------------------------------------------- plain text

  /** The ranked table as aligned plain text. */
  public static String table(CompareResult r) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"rank", "loss", "dice", "iou", "precision", "recall", "hd95", "AUPRC", "dice@best t", "p (Holm)", "verdict"});
    for (LossOutcome o : r.ranking()) {
      rows.add(new String[] {o.rank() == 0 ? "-" : Integer.toString(o.rank()), o.spec(), pm(o.metrics().get("dice"), 3),
          f(o.metrics().get("iou").mean(), 3), f(o.metrics().get("precision").mean(), 3), f(o.metrics().get("recall").mean(), 3),
          f(o.metrics().get("hd95").mean(), 1), pm(o.auprc(), 3),
          Double.isNaN(o.bestDice().mean()) ? "-" : f(o.bestDice().mean(), 3) + " @" + f(o.bestThreshold().mean(), 2),
          Double.isNaN(o.pHolm()) ? "" : p(o.pHolm()), o.verdict()});
    }
    int[] w = new int[rows.get(0).length];
    for (String[] row : rows) for (int i = 0; i < row.length; i++) w[i] = Math.max(w[i], row[i].length());
    StringBuilder sb = new StringBuilder();
    for (int k = 0; k < rows.size(); k++) {
      String[] row = rows.get(k);
      for (int i = 0; i < row.length; i++) {
        boolean left = i == 1 || i == row.length - 1;
        String cell = left ? pad(row[i], w[i]) : lpad(row[i], w[i]);
        sb.append(cell).append(i == row.length - 1 ? "" : "  ");
      }
      sb = new StringBuilder(sb.toString().replaceAll("\\s+$", ""));
      if (k < rows.size() - 1) sb.append('\n');
    }
    return sb.toString();
  }

  // ---------------------------------------------------------------- charts

  static byte[] learningCurves(CompareResult r) {
    Map<String, double[][]> series = new LinkedHashMap<>();
    for (LossOutcome o : r.ranking()) {
      double[] v = o.valDice();
      double[] x = new double[v.length];
      for (int e = 0; e < v.length; e++) x[e] = e + 1;
      series.put(o.spec(), new double[][] {x, v});
    }
    return Charts.lines("Validation Dice per epoch (mean over " + r.config().seeds() + " seed" + (r.config().seeds() == 1 ? "" : "s") + ")", "epoch",
        "validation dice", series, 760, 420, true, true);
  }

  static byte[] prCurves(CompareResult r) {
    Map<String, double[][]> series = new LinkedHashMap<>();
    for (LossOutcome o : r.ranking()) {
      if (Double.isNaN(o.auprc().mean())) continue;
      series.put(String.format(Locale.ROOT, "%s (AUPRC %.3f)", o.spec(), o.auprc().mean()), new double[][] {CompareJob.RECALL_GRID.clone(), o.pr()});
    }
    return Charts.prCurves("Precision–recall on the test pixels (interpolated, mean over seeds)", series, 760, 460);
  }

  /** Overlays of one loss: best, median and worst test image of its representative seed. */
  record OverlaySet(LossOutcome loss, SeedRun run, List<String> captions, List<byte[]> pngs) {}

  static List<OverlaySet> overlays(CompareResult r, SegDataset ds) {
    List<OverlaySet> out = new ArrayList<>();
    ImageSet test = ImageSet.of(ds.test());
    for (LossOutcome o : r.ranking()) {
      if (out.size() >= OVERLAY_LOSSES || o.rank() == 0) break;
      SeedRun rep = representative(o);
      if (rep == null) continue;
      double[] dice = rep.perImage().get("dice");
      List<Integer> idx = new ArrayList<>();
      for (int j = 0; j < dice.length; j++) if (!Double.isNaN(dice[j]) && hasForeground(test.masks().get(j))) idx.add(j);
      if (idx.isEmpty()) continue;
      idx.sort((a, b) -> Double.compare(dice[b], dice[a]));
      int[] pick = {idx.get(0), idx.get(idx.size() / 2), idx.get(idx.size() - 1)};
      String[] label = {"best", "median", "worst"};
      Path model = r.config().out().resolve("runs").resolve(o.slug()).resolve("seed-" + rep.seed()).resolve(ModelFiles.MODEL);
      List<String> names = new ArrayList<>();
      List<float[]> imgs = new ArrayList<>(), masks = new ArrayList<>();
      for (int j : pick) {
        names.add(test.names().get(j));
        imgs.add(test.images().get(j));
        masks.add(test.masks().get(j));
      }
      ImageSet three = new ImageSet(names, imgs, masks, 1, test.height(), test.width());
      float[][] probs = CompareJob.probabilities(model, three, TrainingRun.readConfig(model.getParent()));
      int scale = Math.max(1, (int) Math.ceil(200.0 / test.width()));
      List<String> captions = new ArrayList<>();
      List<byte[]> pngs = new ArrayList<>();
      for (int q = 0; q < 3; q++) {
        pngs.add(Charts.png(Overlays.render(imgs.get(q), masks.get(q), probs[q], test.height(), test.width(), r.config().threshold(), scale)));
        captions.add(String.format(Locale.ROOT, "%s: %s, dice %.3f", label[q], names.get(q), dice[pick[q]]));
      }
      out.add(new OverlaySet(o, rep, captions, pngs));
    }
    return out;
  }

  /** The seed whose test Dice is closest to the loss's mean. */
  static SeedRun representative(LossOutcome o) {
    SeedRun best = null;
    double gap = Double.POSITIVE_INFINITY;
    for (SeedRun s : o.runs()) {
      if (!s.evaluated()) continue;
      double g = Math.abs(s.macro().get("dice") - o.dice());
      if (g < gap) {
        gap = g;
        best = s;
      }
    }
    return best;
  }

  private static boolean hasForeground(float[] m) {
    for (float v : m) if (v >= 0.5f) return true;
    return false;
  }

  // ---------------------------------------------------------------- HTML

  static String html(CompareResult r, byte[] curves, byte[] pr, List<OverlaySet> overlays) {
    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>segloss compare</title>\n<style>\n")
        .append("body{font-family:system-ui,-apple-system,Segoe UI,Helvetica,Arial,sans-serif;max-width:1180px;margin:2em auto;padding:0 1em;color:#222}")
        .append("h1{font-size:1.6em}h2{font-size:1.25em;margin-top:2em;border-bottom:1px solid #ddd}")
        .append("table{border-collapse:collapse;font-size:.9em;margin:1em 0}th,td{border-bottom:1px solid #e4e4e4;padding:.3em .6em;text-align:right}")
        .append("th{background:#f4f4f4}td.l,th.l{text-align:left}code{background:#f3f3f3;padding:0 .25em;border-radius:3px}")
        .append(".rec{background:#eef6ee;border-left:4px solid #2a8a2a;padding:.8em 1em;font-size:1.05em}")
        .append(".best td{font-weight:600}.worse td{color:#555}.failed td{color:#a00}.small{font-size:.85em;color:#555}")
        .append("figure{display:inline-block;margin:.4em;text-align:center}figcaption{font-size:.8em;color:#444}")
        .append(".legend span{display:inline-block;width:1em;height:1em;vertical-align:middle;margin:0 .3em 0 1em}pre{background:#f7f7f7;padding:.6em}")
        .append("\n</style></head><body>\n");
    h.append("<h1>Which loss for this segmentation task?</h1>\n");
    h.append("<p class=\"rec\">").append(esc(r.recommendation())).append("</p>\n");
    CompareConfigView c = new CompareConfigView(r);
    h.append("<p class=\"small\">").append(esc(c.oneLine())).append("</p>\n");

    h.append("<h2>Ranking on the held-out test images</h2>\n<table><tr><th>rank</th><th class=\"l\">loss</th>");
    for (String m : List.of("dice", "iou", "precision", "recall", "hd95 (px)")) h.append("<th>").append(m).append("</th>");
    h.append("<th>AUPRC</th><th>dice at best t</th><th>p vs best<br>(Holm)</th><th class=\"l\">verdict</th><th>epochs</th><th>train time</th></tr>\n");
    for (LossOutcome o : r.ranking()) {
      String cls = o.verdict().equals("best") ? "best" : o.verdict().equals("worse") ? "worse" : o.verdict().equals("failed") ? "failed" : "";
      h.append("<tr class=\"").append(cls).append("\"><td>").append(o.rank() == 0 ? "–" : o.rank()).append("</td><td class=\"l\"><code>")
          .append(esc(o.spec())).append("</code>");
      if (!o.resolved().equals(o.spec())) h.append("<br><span class=\"small\">trained as <code>").append(esc(o.resolved())).append("</code></span>");
      h.append("</td>");
      for (String m : List.of("dice", "iou", "precision", "recall")) h.append("<td>").append(pmHtml(o.metrics().get(m), 3)).append("</td>");
      h.append("<td>").append(pmHtml(o.metrics().get("hd95"), 1)).append("</td>");
      h.append("<td>").append(pmHtml(o.auprc(), 3)).append("</td>");
      h.append("<td>").append(Double.isNaN(o.bestDice().mean()) ? "–" : f(o.bestDice().mean(), 3) + " <span class=\"small\">at t=" + f(o.bestThreshold().mean(), 2) + "</span>")
          .append("</td>");
      h.append("<td>").append(o.test() == null ? "" : esc(p(o.pHolm())) + "<br><span class=\"small\">raw " + esc(p(o.test().p())) + "</span>").append("</td>");
      h.append("<td class=\"l\">").append(esc(o.verdict())).append("</td>");
      h.append("<td>").append(esc(epochs(o))).append("</td><td>").append(esc(dev.segloss.train.Progress.duration(o.seconds()))).append("</td></tr>\n");
    }
    h.append("</table>\n");
    h.append("<p class=\"small\">Metrics at threshold ").append(r.config().threshold()).append(", per test image, then the mean over the ")
        .append(r.testImages().size()).append(" test images (empty policy <code>").append(esc(r.config().emptyPolicy()))
        .append("</code>: images where a value is undefined are left out), then mean ± standard deviation over ").append(r.config().seeds())
        .append(" seed(s). hd95 in pixels. AUPRC: average precision of the pooled test pixels. \"dice at best t\": the pooled Dice at the threshold that maximises it, chosen on the test set itself (optimistic; it shows calibration, not a result to report). ")
        .append("\"p vs best\": two-sided Wilcoxon signed-rank test over test images, paired by image, on the per-image Dice averaged over seeds (an image with empty truth and empty prediction scores 1 here), Holm-adjusted over the ")
        .append(r.ranking().stream().filter(o -> o.test() != null).count()).append(" comparison(s); within noise when ≥ ")
        .append(CompareJob.ALPHA).append(".</p>\n");

    h.append("<h2>Learning curves</h2>\n").append(img(curves, "validation Dice per epoch"));
    h.append("<h2>Precision–recall</h2>\n").append(img(pr, "precision-recall curves"));
    h.append("<h2>Test images: best, median and worst</h2>\n<p class=\"legend small\">Per leading loss, from the seed closest to its mean:")
        .append("<span style=\"background:#3cb371\"></span>true positive<span style=\"background:#e62828\"></span>false positive")
        .append("<span style=\"background:#2870ff\"></span>false negative<span style=\"background:#fff;border:1px solid #999\"></span>true outline</p>\n");
    for (OverlaySet s : overlays) {
      h.append("<h3><code>").append(esc(s.loss().spec())).append("</code> <span class=\"small\">seed ").append(s.run().seed()).append("</span></h3>\n");
      for (int q = 0; q < s.pngs().size(); q++) {
        h.append("<figure>").append(img(s.pngs().get(q), s.captions().get(q))).append("<figcaption>").append(esc(s.captions().get(q)))
            .append("</figcaption></figure>");
      }
      h.append('\n');
    }
    h.append("<h2>Runs</h2>\n<table><tr><th class=\"l\">loss</th><th>seed</th><th class=\"l\">status</th><th>epochs</th><th>best epoch</th><th>val dice</th><th>test dice</th><th>AUPRC</th><th>time</th></tr>\n");
    for (LossOutcome o : r.ranking()) {
      for (SeedRun s : o.runs()) {
        h.append("<tr><td class=\"l\"><code>").append(esc(o.spec())).append("</code></td><td>").append(s.seed()).append("</td><td class=\"l\" title=\"")
            .append(esc(s.message())).append("\">").append(esc(s.status().replace('_', ' '))).append("</td><td>").append(s.epochs()).append("</td><td>")
            .append(s.bestEpoch()).append("</td><td>").append(f(s.bestValDice(), 3)).append("</td><td>").append(f(s.macro().get("dice"), 3))
            .append("</td><td>").append(f(s.ap(), 3)).append("</td><td>").append(esc(dev.segloss.train.Progress.duration(s.seconds()))).append("</td></tr>\n");
      }
    }
    h.append("</table>\n");
    h.append("<h2>Data and settings</h2>\n<pre>").append(esc(r.dataSummary())).append("</pre>\n");
    if (!r.warnings().isEmpty() || !r.skipped().isEmpty()) {
      h.append("<ul>");
      for (String w : r.warnings()) h.append("<li>warning: ").append(esc(w)).append("</li>");
      for (String w : r.skipped()) h.append("<li>skipped: ").append(esc(w)).append("</li>");
      h.append("</ul>\n");
    }
    h.append("<pre>").append(esc(c.settings())).append("</pre>\n");
    h.append("<p class=\"small\">Generated by segloss compare in ").append(esc(dev.segloss.train.Progress.duration(r.seconds())))
        .append(". Full numbers: results.json, results.csv, per_image.csv; each run's model, config and history: runs/.</p>\n");
    h.append("</body></html>\n");
    return h.toString();
  }

  private static String epochs(LossOutcome o) {
    return o.runs().stream().map(s -> Integer.toString(s.epochs())).distinct().reduce((a, b) -> a + "/" + b).orElse("");
  }

  private static String img(byte[] png, String alt) {
    return "<img alt=\"" + esc(alt) + "\" src=\"data:image/png;base64," + Base64.getEncoder().encodeToString(png) + "\">";
  }

  /** Config lines for the report. */
  private record CompareConfigView(CompareResult r) {
    String oneLine() {
      var c = r.config();
      return String.format(Locale.ROOT, "%d loss(es) × %d seed(s) on %s; U-Net depth %d, width %d; up to %d epochs, batch %d, Adam lr %s (cosine); %s.",
          c.losses().size(), c.seeds(), r.dataSpec(), c.depth(), c.width(), c.epochs(), c.batch(), c.lr(),
          dev.segloss.train.Progress.duration(r.seconds()));
    }

    String settings() {
      var c = r.config();
      return "data         " + r.dataSpec() + "\nlosses       " + String.join("; ", c.losses()) + "\nseeds        " + c.seeds()
          + "\nepochs       " + c.epochs() + " (early-stopping patience " + c.patience() + ")\nbatch        " + c.batch() + "\nlr           " + c.lr()
          + "\nU-Net        depth " + c.depth() + ", width " + c.width() + "\naugmentation " + (c.augment() ? "on" : "off") + "\nweights      "
          + c.weights() + " (for auto)\nthreshold    " + c.threshold() + "\nempty policy " + c.emptyPolicy() + "\nsplit seed   " + c.splitSeed()
          + "\nthreads      " + c.threads() + "\ndevice       " + c.device();
    }
  }

  // ---------------------------------------------------------------- JSON and CSV

  static Map<String, Object> json(CompareResult r) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("format", "segloss-compare/1");
    root.put("recommendation", r.recommendation());
    var c = r.config();
    Map<String, Object> cfg = new LinkedHashMap<>();
    cfg.put("data", r.dataSpec());
    cfg.put("losses", c.losses());
    cfg.put("seeds", c.seeds());
    cfg.put("epochs", c.epochs());
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
    root.put("data_summary", r.dataSummary());
    root.put("seconds", r.seconds());
    root.put("test_images", r.testImages());
    List<Object> ranking = new ArrayList<>();
    for (LossOutcome o : r.ranking()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("rank", o.rank());
      m.put("loss", o.spec());
      m.put("resolved", o.resolved());
      m.put("verdict", o.verdict());
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
      for (SeedRun s : o.runs()) {
        Map<String, Object> sm = new LinkedHashMap<>();
        sm.put("seed", s.seed());
        sm.put("status", s.status());
        sm.put("message", s.message());
        sm.put("epochs", s.epochs());
        sm.put("best_epoch", s.bestEpoch());
        sm.put("best_val_dice", num(s.bestValDice()));
        sm.put("seconds", s.seconds());
        Map<String, Object> mac = new LinkedHashMap<>();
        for (var e : s.macro().entrySet()) mac.put(e.getKey(), num(e.getValue()));
        sm.put("test", mac);
        sm.put("auprc", num(s.ap()));
        sm.put("best_threshold_dice", num(s.bestDice()));
        sm.put("best_threshold", num(s.bestThreshold()));
        sm.put("pooled_best_f1", num(s.pooledBestF1()));
        sm.put("run", "runs/" + o.slug() + "/seed-" + s.seed());
        runs.add(sm);
      }
      m.put("runs", runs);
      m.put("paired_dice", nums(o.pairedDice()));
      m.put("pr_recall_grid_precision", nums(o.pr()));
      m.put("val_dice_per_epoch", nums(o.valDice()));
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
    sb.append(",p_vs_best,p_holm,seeds,train_seconds\n");
    for (LossOutcome o : r.ranking()) {
      sb.append(o.rank()).append(',').append(q(o.spec())).append(',').append(q(o.resolved())).append(',').append(o.verdict());
      List<Stat> stats = new ArrayList<>();
      for (String m : List.of("dice", "iou", "precision", "recall", "hd95")) stats.add(o.metrics().get(m));
      stats.add(o.auprc());
      stats.add(o.bestDice());
      stats.add(o.bestThreshold());
      for (Stat s : stats) sb.append(',').append(c(s.mean())).append(',').append(c(s.std()));
      sb.append(',').append(o.test() == null ? "" : c(o.test().p())).append(',').append(c(o.pHolm())).append(',').append(o.runs().size())
          .append(',').append(c(o.seconds())).append('\n');
    }
    return sb.toString();
  }

  static String perImageCsv(CompareResult r) {
    StringBuilder sb = new StringBuilder("loss,seed,image");
    List<String> keys = CompareJob.METRICS.stream().map(m -> m.key()).toList();
    for (String k : keys) sb.append(',').append(k);
    sb.append('\n');
    for (LossOutcome o : r.ranking()) {
      for (SeedRun s : o.runs()) {
        if (!s.evaluated()) continue;
        for (int j = 0; j < r.testImages().size(); j++) {
          sb.append(q(o.spec())).append(',').append(s.seed()).append(',').append(q(r.testImages().get(j)));
          for (String k : keys) sb.append(',').append(c(s.perImage().get(k)[j]));
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
    return f(s.mean(), digits) + " <span class=\"small\">± " + f(s.std(), digits) + "</span>";
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
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
