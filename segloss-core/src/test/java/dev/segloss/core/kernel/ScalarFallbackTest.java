package dev.segloss.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The library needs no JVM flags: in a child JVM started without {@code --add-modules jdk.incubator.vector}
 * (same test class path), {@link KernelSelector} picks the scalar loops and the seed's example still gives
 * 0.0985512 (bce with w_neg = 0.2), with the analytic gradient −w_pos·y/p + w_neg(1 − y)/(1 − p) over 4 pixels.
 */
class ScalarFallbackTest {
  @Test
  void childJvmWithoutTheIncubatorModuleRunsTheScalarLoops() throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        ScalarFallbackMain.class.getName());
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
    assertEquals("false", kv.get("module"), "the child must run without jdk.incubator.vector:\n" + out);
    assertEquals("scalar", kv.get("kernels"), out);
    assertEquals("false", kv.get("vector"), out);
    assertEquals(0.0985512, Double.parseDouble(kv.get("value")), 1e-6, out);
    String[] g = kv.get("grad").split(",");
    double[] expected = {-1 / 0.9 / 4, 0.2 / 0.9 / 4, 0.2 / 0.8 / 4, -1 / 0.8 / 4};
    for (int i = 0; i < 4; i++) assertEquals(expected[i], Double.parseDouble(g[i]), 1e-6, "grad[" + i + "]\n" + out);
    assertTrue(List.of(g).size() == 4);
  }
}
