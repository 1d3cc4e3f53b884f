package dev.segloss.core.io;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A child JVM on the test class path, with its output collected line by line. */
final class ChildJvm implements AutoCloseable {
  final Process process;
  private final StringBuffer output = new StringBuffer();

  private ChildJvm(Process process) {
    this.process = process;
    Thread t = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) output.append(line).append('\n');
      } catch (IOException e) {
        // the child ended
      }
    }, "child-output");
    t.setDaemon(true);
    t.start();
  }

  static ChildJvm start(Class<?> main, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of("-XX:-UsePerfData", "-cp", System.getProperty("java.class.path"), main.getName()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().remove("JDK_JAVA_OPTIONS");
    pb.environment().remove("JAVA_TOOL_OPTIONS");
    return new ChildJvm(pb.start());
  }

  String output() {
    return output.toString();
  }

  /** Waits until the output holds {@code marker} (the child is then halted there). */
  void awaitOutput(String marker, long seconds) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!output().contains(marker)) {
      assertTrue(process.isAlive() || output().contains(marker), () -> "child ended before '" + marker + "':\n" + output());
      assertTrue(System.nanoTime() < end, () -> "no '" + marker + "' from the child within " + seconds + " s:\n" + output());
      Thread.sleep(20);
    }
  }

  /** kill -9. */
  void kill() throws InterruptedException {
    process.destroyForcibly(); // SIGKILL on Unix: no shutdown hook, no finally block runs
    assertTrue(process.waitFor(30, TimeUnit.SECONDS), "child did not die");
  }

  int waitFor(long seconds) throws InterruptedException {
    assertTrue(process.waitFor(seconds, TimeUnit.SECONDS), () -> "child did not end:\n" + output());
    return process.exitValue();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) kill();
  }
}
