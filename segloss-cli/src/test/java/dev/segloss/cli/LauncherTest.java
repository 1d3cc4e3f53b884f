package dev.segloss.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./segloss} launcher's stderr path, with a stand-in for java ({@code JAVA=...}) that writes
 * what the real one writes: the start-up noise lines the launcher drops, a progress line redrawn with
 * {@code \r} and no newline, a real warning. In a pseudo-terminal ({@code script}) the progress line must
 * reach the terminal while java is still running — the stand-in waits for the test to have seen it before
 * it goes on, so a launcher that held it back (a line-buffered filter) makes this test fail, not slow.
 */
class LauncherTest {
  @TempDir Path root;
  Path go;

  @BeforeEach
  void layout() throws IOException {
    Path repo = Path.of(System.getProperty("user.dir")).getParent(); // segloss-cli's parent
    Files.copy(repo.resolve("segloss"), root.resolve("segloss"), StandardCopyOption.COPY_ATTRIBUTES);
    Files.createDirectories(root.resolve("scripts"));
    Files.copy(repo.resolve("scripts/stderr-filter.pl"), root.resolve("scripts/stderr-filter.pl"));
    Files.createDirectories(root.resolve("segloss-cli/target/lib"));
    Files.writeString(root.resolve("segloss-cli/target/segloss-cli-0.jar"), "");
    go = root.resolve("go");
    String fakeJava = String.join("\n",
        "#!/bin/bash",
        "for a in \"$@\"; do case \"$a\" in -Dsegloss.stderr.terminal=*|-Dsegloss.columns=*) echo \"java saw ${a#-D}\";; esac; done",
        "echo 'WARNING: Using incubator modules: jdk.incubator.vector' >&2",
        // a live line cleared for a noise line (compare --workers prints its child JVMs' stderr above its line)
        "printf '\\rsteps x\\r       \\rWARNING: Using incubator modules: jdk.incubator.vector\\n' >&2",
        "printf '\\rsteps epoch 1/2 [#...] 3.1 steps/s' >&2",
        "while [ ! -e '" + go + "' ]; do sleep 0.05; done",
        "printf '\\rsteps epoch 1/2 [####] 3.2 steps/s\\n' >&2",
        "echo 'I0000 00:00:1796666094.238975    2953 mlir_graph_optimization_pass.cc:401] MLIR V1 optimization pass is not enabled' >&2",
        "echo 'warning: a real one' >&2",
        "echo 'result line'",
        "exit 3",
        "");
    Path java = root.resolve("fake-java");
    Files.writeString(java, fakeJava);
    assertTrue(java.toFile().setExecutable(true));
  }

  private ProcessBuilder launcher(String shellCommand) {
    ProcessBuilder pb = new ProcessBuilder("bash", "-c", shellCommand).directory(root.toFile());
    pb.environment().put("JAVA", root.resolve("fake-java").toString());
    pb.environment().put("SEGLOSS_NO_BUILD", "1");
    pb.environment().put("TERM", "xterm");
    pb.redirectErrorStream(true);
    return pb;
  }

  @Test
  void progressLineReachesTheTerminalWhileJavaRuns() throws Exception {
    // script -e: exit with the child's code; -f: flush the pty output at once; -q: no banners
    // (stty: the pseudo-terminal of script has no size of its own here)
    Process p = launcher("script -qefc 'stty cols 77 rows 24; ./segloss train' /dev/null").start();
    ByteArrayOutputStream seen = new ByteArrayOutputStream();
    Thread reader = pump(p.getInputStream(), seen);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60); // a hang guard, not a timing assertion
    while (!text(seen).contains("3.1 steps/s") && System.nanoTime() < deadline && p.isAlive()) Thread.sleep(20);
    String before = text(seen);
    Files.writeString(go, "");
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "launcher ended");
    reader.join(10_000);
    String all = text(seen);
    assertTrue(before.contains("\rsteps epoch 1/2 [#...] 3.1 steps/s"), "progress shown before java went on: [" + before + "]");
    assertTrue(all.contains("java saw segloss.stderr.terminal=true"), all);
    assertTrue(all.contains("java saw segloss.columns=77"), "the terminal's width: " + all);
    assertTrue(all.contains("\rsteps epoch 1/2 [####] 3.2 steps/s"), all);
    assertTrue(all.contains("warning: a real one"), all);
    assertTrue(all.contains("result line"), all);
    assertFalse(all.contains("incubator"), all);
    assertFalse(all.contains("MLIR"), all);
    assertEquals(3, p.exitValue(), "java's exit code comes through");
  }

  @Test
  void notATerminalDropsNoiseAndKeepsEverythingElse() throws Exception {
    Files.writeString(go, "");
    Process p = launcher("./segloss train 2>err.txt >out.txt").start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(3, p.exitValue());
    assertEquals("java saw segloss.stderr.terminal=false\nresult line\n", Files.readString(root.resolve("out.txt")));
    assertEquals("\rsteps x\r       \r\rsteps epoch 1/2 [#...] 3.1 steps/s\rsteps epoch 1/2 [####] 3.2 steps/s\nwarning: a real one\n",
        Files.readString(root.resolve("err.txt")));
  }

  /**
   * The real CLI (this module's class path, through the repository's launcher) in a pseudo-terminal 150
   * columns wide: {@code compare --workers 2} draws one live line for both runs, cut to the width, and each
   * run's result line stands whole on its own line, the live line cleared at the end.
   */
  @Test
  @Tag("slow")
  void compareWithWorkersShowsOneLiveLineOnATerminal() throws Exception {
    Path repo = Path.of(System.getProperty("user.dir")).getParent();
    String compare = "'" + repo.resolve("segloss") + "' compare --data synthetic:size=32,n=24 --losses 'dice; bce' --seeds 1 --updates 6"
        + " --folds 1 --depth 1 --width 4 --threads 1 --workers 2 --out out";
    ProcessBuilder pb = new ProcessBuilder("script", "-qefc", "stty cols 150 rows 24; " + compare, "/dev/null").directory(root.toFile());
    pb.environment().put("SEGLOSS_CLASSPATH", System.getProperty("java.class.path"));
    pb.environment().put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
    pb.environment().put("TERM", "xterm");
    pb.environment().remove("COLUMNS");
    pb.redirectErrorStream(true);
    Process p = pb.start();
    ByteArrayOutputStream seen = new ByteArrayOutputStream();
    Thread reader = pump(p.getInputStream(), seen);
    assertTrue(p.waitFor(10, TimeUnit.MINUTES), "compare ended");
    reader.join(10_000);
    String all = text(seen).replace("\r\n", "\n"); // the terminal's own line ends
    assertEquals(0, p.exitValue(), all);
    java.util.List<String> draws = java.util.Arrays.stream(all.split("\r")).skip(1).map(d -> d.split("\n")[0].stripTrailing())
        .filter(d -> d.contains(" running · ")).toList();
    assertTrue(draws.stream().anyMatch(d -> d.contains("dice s1") && d.contains("bce s1")), "one line naming both runs: " + all);
    assertTrue(draws.stream().anyMatch(d -> d.contains("dice s1 epoch ")) && draws.stream().anyMatch(d -> d.contains("bce s1 epoch ")),
        "both runs' progress: " + all);
    for (String d : draws) assertTrue(d.length() <= 149, "cut to the terminal's width: " + d);
    java.util.List<String> screen = rendered(all);
    for (String label : java.util.List.of("[1/2] dice, seed 1: ", "[2/2] bce, seed 1: ")) {
      assertEquals(1, screen.stream().filter(l -> l.contains(label)).count(), screen.toString());
      assertTrue(screen.stream().anyMatch(l -> l.startsWith(label)), screen.toString());
    }
    assertFalse(screen.stream().anyMatch(l -> l.contains(" running · ")), "the live line is cleared: " + screen);
    assertFalse(all.contains("\\r"), "no escaped carriage return: " + all);
    assertFalse(all.contains("incubator"), "the child JVMs' start-up noise is dropped too: " + all);
  }

  /** What a terminal shows: each line as left after its carriage returns overwrote it, trailing spaces dropped. */
  static java.util.List<String> rendered(String text) {
    java.util.List<String> lines = new java.util.ArrayList<>();
    for (String raw : text.split("\n")) {
      StringBuilder line = new StringBuilder();
      int col = 0;
      for (char ch : raw.toCharArray()) {
        if (ch == '\r') {
          col = 0;
        } else {
          if (col < line.length()) line.setCharAt(col, ch);
          else line.append(ch);
          col++;
        }
      }
      if (!line.toString().isBlank()) lines.add(line.toString().stripTrailing());
    }
    return lines;
  }

  private static String text(ByteArrayOutputStream b) {
    synchronized (b) {
      return b.toString(StandardCharsets.UTF_8);
    }
  }

  private static Thread pump(InputStream in, ByteArrayOutputStream to) {
    Thread t = new Thread(() -> {
      byte[] buf = new byte[4096];
      try {
        for (int n; (n = in.read(buf)) > 0; ) {
          synchronized (to) {
            to.write(buf, 0, n);
          }
        }
      } catch (IOException ignored) {
        // the pty closed
      }
    });
    t.setDaemon(true);
    t.start();
    return t;
  }
}
