package dev.segloss.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * Compares two run folders file by file: the same file names (hidden ones included), and the same
 * contents except the wall-clock timings, which differ between any two runs: the {@code seconds} and
 * {@code data_wait_seconds} columns of history.csv, {@code seconds} of summary.json, and in
 * checkpoint.bin's bookkeeping {@code elapsedSeconds} and each epoch's {@code seconds} and {@code
 * dataWaitSeconds}. Everything else (weights, optimizer state, losses, Dice, learning rates, the chart,
 * the configuration) must be byte-identical.
 */
final class SameRun {
  private static final ObjectMapper JSON = new ObjectMapper();

  private SameRun() {}

  static List<String> names(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  static void assertSameRun(Path expected, Path actual) throws IOException {
    assertEquals(names(expected), names(actual), "files of " + actual + " vs " + expected);
    for (String n : names(expected)) {
      byte[] a = Files.readAllBytes(expected.resolve(n)), b = Files.readAllBytes(actual.resolve(n));
      switch (n) {
        case "history.csv" -> assertEquals(history(a), history(b), n);
        case "summary.json" -> assertEquals(without(JSON.readTree(a), "seconds"), without(JSON.readTree(b), "seconds"), n);
        case "checkpoint.bin" -> {
          assertEquals(checkpointState(a), checkpointState(b), n + " bookkeeping");
          assertArrayEquals(checkpointRest(a), checkpointRest(b), n + " weights and optimizer state");
        }
        default -> assertArrayEquals(a, b, n);
      }
    }
  }

  /** history.csv without its two timing columns. */
  private static String history(byte[] csv) {
    StringBuilder sb = new StringBuilder();
    for (String line : new String(csv, java.nio.charset.StandardCharsets.UTF_8).split("\n", -1)) {
      String[] f = line.split(",", -1);
      sb.append(f.length == 7 ? String.join(",", Arrays.copyOf(f, 5)) : line).append('\n');
    }
    return sb.toString();
  }

  private static JsonNode without(JsonNode n, String... fields) {
    ObjectNode o = ((ObjectNode) n).deepCopy();
    for (String f : fields) o.remove(f);
    return o;
  }

  /** checkpoint.bin: magic (12 bytes), version, state JSON length and state; then weights, Adam state, CRC. */
  private static JsonNode checkpointState(byte[] ck) throws IOException {
    int len = ByteBuffer.wrap(ck, 16, 4).getInt();
    ObjectNode st = (ObjectNode) JSON.readTree(Arrays.copyOfRange(ck, 20, 20 + len));
    st.remove("elapsedSeconds");
    for (JsonNode e : st.get("history")) ((ObjectNode) e).remove(List.of("seconds", "dataWaitSeconds"));
    return st;
  }

  private static byte[] checkpointRest(byte[] ck) {
    int len = ByteBuffer.wrap(ck, 16, 4).getInt();
    return Arrays.copyOfRange(ck, 20 + len, ck.length - 8); // the CRC covers the timings too
  }
}
