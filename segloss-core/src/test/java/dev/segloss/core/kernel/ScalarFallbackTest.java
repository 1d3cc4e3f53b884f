package dev.segloss.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Kernel selection in a fresh JVM (same test class path, {@code ScalarFallbackMain}): without
 * {@code --add-modules jdk.incubator.vector} the library picks the scalar loops and needs no flag at all;
 * with the module it picks the Vector API kernels unless {@code -Dsegloss.vector=false}. Every way gives the
 * seed's example, 0.0985512 (bce with w_neg = 0.2), and the analytic gradient −w_pos·y/p + w_neg(1 − y)/(1 − p)
 * over 4 pixels.
 */
class ScalarFallbackTest {
  @ParameterizedTest(name = "module={0} property={1} -> {2}")
  @CsvSource({"false, '', scalar", "true, '', vector", "true, false, scalar"})
  void childJvmSelectsTheKernelsAndGivesTheSeedValue(boolean module, String property, String expected)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    if (module) cmd.add("--add-modules=jdk.incubator.vector");
    if (!property.isEmpty()) cmd.add("-Dsegloss.vector=" + property);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), ScalarFallbackMain.class.getName()));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().remove("JDK_JAVA_OPTIONS");
    pb.environment().remove("JAVA_TOOL_OPTIONS");
    pb.redirectErrorStream(true);
    Process proc = pb.start();
    String out;
    try (InputStream in = proc.getInputStream()) {
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      in.transferTo(buf);
      out = buf.toString(StandardCharsets.UTF_8);
    }
    assertTrue(proc.waitFor(60, TimeUnit.SECONDS), "child JVM did not finish");
    assertEquals(0, proc.exitValue(), out);
    Map<String, String> kv = new HashMap<>();
    for (String line : out.split("\\R")) {
      int eq = line.indexOf('=');
      if (eq > 0) kv.put(line.substring(0, eq), line.substring(eq + 1));
    }
    assertEquals(String.valueOf(module), kv.get("module"), out);
    boolean vector = expected.equals("vector");
    assertEquals(String.valueOf(vector), kv.get("vector"), out);
    assertTrue(vector ? kv.get("kernels").matches("vector-\\d+") : kv.get("kernels").equals("scalar"), out);
    assertEquals(0.0985512, Double.parseDouble(kv.get("value")), 1e-6, out);
    String[] g = kv.get("grad").split(",");
    assertEquals(4, g.length, out);
    double[] exact = {-1 / 0.9 / 4, 0.2 / 0.9 / 4, 0.2 / 0.8 / 4, -1 / 0.8 / 4};
    for (int i = 0; i < 4; i++) assertEquals(exact[i], Double.parseDouble(g[i]), 1e-6, "grad[" + i + "]\n" + out);
  }
}
