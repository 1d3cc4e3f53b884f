package dev.segloss.core.io;

import java.nio.file.Path;

/**
 * What the lock and temporary-file tests run in a child JVM:
 *
 * <ul>
 *   <li>{@code hold DIR}: locks DIR, prints {@code LOCKED}, waits to be killed;
 *   <li>{@code try DIR}: tries to lock DIR, prints {@code LOCKED} or {@code REFUSED <message>};
 *   <li>{@code write FILE}: writes FILE atomically and halts just before the rename, printing {@code
 *       HALTED <temporary file>} (the temporary is complete and locked), waits to be killed.
 * </ul>
 */
public final class ChildMain {
  private ChildMain() {}

  public static void main(String[] args) throws Exception {
    Path p = Path.of(args[1]);
    switch (args[0]) {
      case "hold" -> {
        FolderLock lock = FolderLock.acquire(p, "--out");
        System.out.println("LOCKED " + lock.dir());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
      }
      case "try" -> {
        try (FolderLock lock = FolderLock.acquire(p, "--out")) {
          System.out.println("LOCKED");
        } catch (dev.segloss.core.InvalidInputException e) {
          System.out.println("REFUSED " + e.getMessage());
        }
      }
      case "write" -> {
        AtomicFiles.beforeRename(target -> {
          try (var s = java.nio.file.Files.list(target.getParent())) {
            s.filter(f -> AtomicFiles.isTemporaryName(f.getFileName().toString())).forEach(f -> System.out.println("HALTED " + f));
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
          System.out.flush();
          try {
            Thread.sleep(Long.MAX_VALUE);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
        AtomicFiles.write(p, out -> out.write(new byte[100_000]));
      }
      default -> throw new IllegalArgumentException(args[0]);
    }
  }
}
