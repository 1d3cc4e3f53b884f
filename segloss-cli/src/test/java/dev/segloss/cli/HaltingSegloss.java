package dev.segloss.cli;

import dev.segloss.core.io.AtomicFiles;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The CLI for child-JVM tests: {@code HaltingSegloss HALT ARGS... [;; ARGS...]}. Runs each command (separated
 * by {@code ;;}) in this one JVM and exits with the first non-zero exit code. {@code HALT} is {@code -} or
 * {@code NAME#K}: the K-th atomic write of a file named NAME halts after its temporary file is complete,
 * just before the rename, printing {@code HALTED <target>} on stderr, and waits to be killed (kill -9 at
 * that moment is a crash during that write).
 */
public final class HaltingSegloss {
  private HaltingSegloss() {}

  public static void main(String[] args) {
    String halt = args[0];
    if (!halt.equals("-")) {
      String name = halt.substring(0, halt.indexOf('#'));
      int k = Integer.parseInt(halt.substring(halt.indexOf('#') + 1));
      Map<String, Integer> counts = new ConcurrentHashMap<>();
      AtomicFiles.beforeRename(target -> {
        String n = target.getFileName().toString();
        if (n.equals(name) && counts.merge(n, 1, Integer::sum) == k) {
          System.err.println("HALTED " + target);
          System.err.flush();
          try {
            Thread.sleep(Long.MAX_VALUE);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      });
    }
    PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
    PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
    List<String> cmd = new ArrayList<>();
    for (String a : Arrays.asList(args).subList(1, args.length)) {
      if (a.equals(";;")) {
        int code = Segloss.run(out, err, cmd.toArray(String[]::new));
        if (code != 0) System.exit(code);
        cmd.clear();
      } else {
        cmd.add(a);
      }
    }
    System.exit(Segloss.run(out, err, cmd.toArray(String[]::new)));
  }
}
