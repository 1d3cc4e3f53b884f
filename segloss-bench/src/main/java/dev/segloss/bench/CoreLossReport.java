package dev.segloss.bench;

import dev.segloss.core.kernel.KernelSelector;
import dev.segloss.core.loss.CombinedLoss;
import dev.segloss.core.loss.LossInput;
import dev.segloss.core.loss.LossType;
import dev.segloss.core.loss.Losses;
import dev.segloss.core.loss.PixelLoss;
import dev.segloss.core.loss.RegionLoss;
import dev.segloss.core.loss.SegLoss;
import dev.segloss.core.loss.WeightedSumLoss;
import dev.segloss.core.spec.LossSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs {@link CoreLossBenchmark} for every loss family registered in {@code Losses.types()} (read now, so
 * new families are measured without editing anything) together with {@link StreamTriadBenchmark} and
 * {@link ElementaryBenchmark} in one JMH run, then prints a Markdown table: time per call, achieved bandwidth from the bytes the passes move, % of
 * the triad's bandwidth (same thread count), speed-up of the vector kernels over the scalar loops, and the
 * 2-thread scaling.
 *
 * <pre>
 *   java -cp segloss-bench/target/benchmarks.jar dev.segloss.bench.CoreLossReport -f 1 -wi 3 -i 5 [-o table.md] [JMH options]
 * </pre>
 * JMH options pass through ({@code -p loss=dice,bce} to pick losses, {@code -p input=prob} ...); {@code -o}
 * also writes the table to a file.
 *
 * <h2>Bytes per pixel (float32, value and gradient)</h2>
 * <ul>
 *   <li>Pixel losses ({@code compute} of {@code PixelLoss}: bce, focal): one pass reads y and x and writes g:
 *       12 B/px.
 *   <li>Region losses ({@code compute} of {@code RegionLoss}: dice, jaccard, tversky, ...): pass 1 reads y and
 *       x (8 B/px), pass 2 reads y and x and writes g (12 B/px): 20 B/px, probabilities and logits alike
 *       (on logits σ is recomputed in pass 2 rather than stored).
 *   <li>Weighted sums ({@code combined}, {@code a*l1 + b*l2}): the terms' bytes plus, per term, the
 *       accumulation {@code sum[j] += c·g[j]} (reads g and sum, writes sum): 12 B/px per term. combined =
 *       12 + 20 + 2·12 = 56 B/px.
 *   <li>Not counted: the JVM's zeroing of each fresh gradient array (4 B/px per array; {@code allocate}
 *       measures it) — so the bandwidth figures are conservative. Losses whose compute is neither of the two
 *       bases (sorts, distance maps) get no byte count ("—").
 * </ul>
 * The triad counts 12 B per element (two reads, one write), as STREAM does.
 */
public final class CoreLossReport {
  private CoreLossReport() {}

  public static void main(String[] args) throws Exception {
    String outFile = null;
    List<String> jmhArgs = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("-o") && i + 1 < args.length) outFile = args[++i];
      else jmhArgs.add(args[i]);
    }
    CommandLineOptions cli = new CommandLineOptions(jmhArgs.toArray(new String[0]));
    ChainedOptionsBuilder b = new OptionsBuilder().parent(cli);
    if (cli.getIncludes().isEmpty()) {
      b.include(CoreLossBenchmark.class.getName()).include(StreamTriadBenchmark.class.getName())
          .include(ElementaryBenchmark.class.getName());
    }
    if (!cli.getParameter("loss").hasValue()) {
      List<String> names = new ArrayList<>();
      for (LossType t : Losses.types()) names.add(t.name());
      b.param("loss", names.toArray(new String[0]));
    }
    Collection<RunResult> results = new Runner(b.build()).run();
    String table = table(results);
    System.out.println();
    System.out.println(table);
    if (outFile != null) {
      Path tmp = Path.of(outFile + ".tmp");
      Files.writeString(tmp, table, StandardCharsets.UTF_8);
      Files.move(tmp, Path.of(outFile), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Bytes per pixel the value-and-gradient passes of this loss move (see the class comment), or NaN. */
  public static double bytesPerPixel(SegLoss loss) {
    if (loss instanceof CombinedLoss) return bytesPerPixel(((CombinedLoss) loss).asWeightedSum());
    if (loss instanceof WeightedSumLoss) {
      double s = 0;
      for (WeightedSumLoss.Term t : ((WeightedSumLoss) loss).terms()) s += bytesPerPixel(t.loss()) + 12;
      return s;
    }
    Class<?> owner;
    try {
      owner = loss.getClass().getMethod("compute", LossInput.class, boolean.class).getDeclaringClass();
    } catch (NoSuchMethodException e) {
      return Double.NaN;
    }
    if (owner == PixelLoss.class) return 12;
    if (owner == RegionLoss.class) return 20;
    return Double.NaN;
  }

  private static String key(String method, String loss, String input) {
    return method + "|" + loss + "|" + input;
  }

  static String table(Collection<RunResult> results) throws IOException {
    Map<String, Double> ms = new HashMap<>();
    Map<String, Double> elementary = new java.util.LinkedHashMap<>();
    Map<String, Double> err = new HashMap<>();
    List<String[]> order = new ArrayList<>();
    for (RunResult r : results) {
      String bench = r.getParams().getBenchmark();
      String method = bench.substring(bench.lastIndexOf('.') + 1);
      String loss = r.getParams().getParam("loss");
      String input = r.getParams().getParam("input");
      String fn = r.getParams().getParam("fn");
      if (fn != null) {
        elementary.put(fn, r.getPrimaryResult().getScore() * 1000 / ElementaryBenchmark.SIZE);
        continue;
      }
      String k = key(method, loss, input);
      ms.put(k, r.getPrimaryResult().getScore());
      err.put(k, r.getPrimaryResult().getScoreError());
      if (loss != null && method.equals("vector1")) order.add(new String[] {loss, input});
    }
    double px = BenchData.PIXELS;
    Double t1 = ms.get(key("triad1", null, null));
    Double t2 = ms.get(key("triad2", null, null));
    Double alloc = ms.get(key("allocate", null, null));
    double triad1 = t1 == null ? Double.NaN : 12 * px / (t1 * 1e6);
    double triad2 = t2 == null ? Double.NaN : 12 * px / (t2 * 1e6);
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "Batch %d×1×%d×%d float32 (%.1f MiB per array); vector kernels in the forks: %s%n%n",
        BenchData.N, BenchData.H, BenchData.W, px * 4 / (1 << 20),
        KernelSelector.available() ? KernelSelector.vectorized(KernelSelector::vector).name() : "(run the report with --add-modules to print their name)"));
    sb.append("| reference | time/op (ms) | GB/s |\n|---|---:|---:|\n");
    sb.append(String.format(Locale.ROOT, "| triad, 1 thread | %s | %.1f |%n", fmt(t1, err.get(key("triad1", null, null))), triad1));
    sb.append(String.format(Locale.ROOT, "| triad, 2 threads | %s | %.1f |%n", fmt(t2, err.get(key("triad2", null, null))), triad2));
    if (alloc != null) {
      sb.append(String.format(Locale.ROOT, "| `new float[%d]` (zeroing) | %s | %.1f |%n", BenchData.PIXELS,
          fmt(alloc, err.get(key("allocate", null, null))), 4 * px / (alloc * 1e6)));
    }
    sb.append("\n| loss | input | B/px | vector 1T (ms) | GB/s | % of triad | scalar 1T (ms) | vector ÷ scalar speed-up"
        + " | vector 2T (ms) | 2T speed-up | % of 2T triad |\n");
    sb.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (String[] li : order) {
      String loss = li[0];
      String input = li[1];
      double bytes = bytesPerPixel(LossSpec.parse(loss));
      Double v1 = ms.get(key("vector1", loss, input));
      Double v2 = ms.get(key("vector2", loss, input));
      Double s1 = ms.get(key("scalar1", loss, input));
      double gb1 = bytes * px / (v1 * 1e6);
      double gb2 = v2 == null ? Double.NaN : bytes * px / (v2 * 1e6);
      sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n",
          loss, input, Double.isNaN(bytes) ? "—" : String.format(Locale.ROOT, "%.0f", bytes),
          fmt(v1, err.get(key("vector1", loss, input))), num(gb1, "%.1f"), pct(gb1 / triad1),
          fmt(s1, err.get(key("scalar1", loss, input))), s1 == null ? "—" : String.format(Locale.ROOT, "%.1f×", s1 / v1),
          fmt(v2, err.get(key("vector2", loss, input))), v2 == null ? "—" : String.format(Locale.ROOT, "%.2f×", v1 / v2),
          pct(gb2 / triad2)));
    }
    if (!elementary.isEmpty()) {
      sb.append("\n| function (65 536 floats) | ns per float |\n|---|---:|\n");
      for (Map.Entry<String, Double> e : elementary.entrySet()) {
        sb.append(String.format(Locale.ROOT, "| %s | %.3f |%n", e.getKey(), e.getValue()));
      }
    }
    return sb.toString();
  }

  private static String fmt(Double v, Double e) {
    if (v == null) return "—";
    if (e == null || Double.isNaN(e)) return String.format(Locale.ROOT, "%.2f", v);
    return String.format(Locale.ROOT, "%.2f ± %.2f", v, e);
  }

  private static String num(double v, String f) {
    return Double.isNaN(v) ? "—" : String.format(Locale.ROOT, f, v);
  }

  private static String pct(double v) {
    return Double.isNaN(v) ? "—" : String.format(Locale.ROOT, "%.0f %%", 100 * v);
  }
}
