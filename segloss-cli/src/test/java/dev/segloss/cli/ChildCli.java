package dev.segloss.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The CLI in a child JVM ({@link HaltingSegloss} on the test class path), with the engine settings of the
 * tests (2 intra-op threads, 1 inter-op, offline) and warnings-only logging as the launcher sets it, and
 * its stdout and stderr collected apart. Some things can only be seen from outside: what native code
 * prints on stderr, kill -9, OS file locks between processes, file-size limits.
 */
final class ChildCli implements AutoCloseable {
  final Process process;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final Thread[] pumps = new Thread[2];

  private ChildCli(Process p) {
    this.process = p;
    pumps[0] = pump(p.getInputStream(), out);
    pumps[1] = pump(p.getErrorStream(), err);
  }

  private static Thread pump(InputStream in, ByteArrayOutputStream to) {
    Thread t = new Thread(() -> {
      byte[] b = new byte[8192];
      try (in) {
        for (int n; (n = in.read(b)) > 0; ) {
          synchronized (to) {
            to.write(b, 0, n);
          }
        }
      } catch (IOException e) {
        // the child ended
      }
    }, "child-cli-output");
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** The java command line for {@code HaltingSegloss halt args...}. */
  static List<String> command(String halt, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of("-XX:-UsePerfData", "-Xss8m", "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=2",
        "-Dai.djl.pytorch.num_interop_threads=1", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
        "-cp", System.getProperty("java.class.path"), HaltingSegloss.class.getName(), halt));
    cmd.addAll(List.of(args));
    return cmd;
  }

  static ChildCli start(String halt, String... args) throws IOException {
    return start(command(halt, args));
  }

  /** Starts any command line (e.g. {@code bash -c 'ulimit -f 1; exec java ...'}). */
  static ChildCli start(List<String> cmd) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().remove("JDK_JAVA_OPTIONS");
    pb.environment().remove("JAVA_TOOL_OPTIONS");
    return new ChildCli(pb.start());
  }

  String out() {
    synchronized (out) {
      return out.toString(StandardCharsets.UTF_8);
    }
  }

  String err() {
    synchronized (err) {
      return err.toString(StandardCharsets.UTF_8);
    }
  }

  /** Waits until stderr holds {@code marker}. */
  void awaitErr(String marker, long seconds) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!err().contains(marker)) {
      assertTrue(process.isAlive(), () -> "child ended before '" + marker + "': exit " + process.exitValue() + "\n" + err() + out());
      assertTrue(System.nanoTime() < end, () -> "no '" + marker + "' within " + seconds + " s:\n" + err() + out());
      Thread.sleep(20);
    }
  }

  /** kill -9: no finally block, no shutdown hook runs. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    assertTrue(process.waitFor(30, TimeUnit.SECONDS), "child did not die");
  }

  /** Waits for the end (and for all its output). */
  int waitFor(long seconds) throws InterruptedException {
    assertTrue(process.waitFor(seconds, TimeUnit.SECONDS), () -> "child did not end:\n" + err() + out());
    for (Thread t : pumps) t.join(10_000);
    return process.exitValue();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) kill();
  }
}
