package dev.segloss.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segloss.core.io.FolderLock;
import dev.segloss.core.io.Images;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One writer per folder: train, train --resume, predict --out and compare --out each lock their folder
 * and refuse a second writer with one line naming the folder, exit 2; a lock left by a killed process
 * does not block.
 */
class RunFolderLockTest {
  @TempDir Path dir;

  static final String DATA = "synthetic:size=32,n=30,fg=0.06";

  static String[] train(Path out, int epochs, String... extra) {
    // one intra-op thread: runs in two processes are compared bit for bit (see RunEndCrashTest.TRAIN)
    List<String> a = new java.util.ArrayList<>(List.of("train", "--data", DATA, "--loss", "dice", "--epochs", Integer.toString(epochs),
        "--batch", "8", "--depth", "2", "--width", "4", "--threads", "1", "--out", out.toString()));
    a.addAll(List.of(extra));
    return a.toArray(String[]::new);
  }

  @Test
  void everyCommandThatWritesAFolderRefusesOneThatIsBeingWritten() throws Exception {
    Path run = dir.resolve("run");
    Cli.run(train(run, 1)).ok();
    Path images = Files.createDirectories(dir.resolve("images"));
    Images.writeGrayPng(images.resolve("a.png"), new float[32 * 32], 32, 32);
    String busy = ": another segloss job in this process is writing to this folder; wait until it ends or choose another folder";
    try (FolderLock held = FolderLock.acquire(run, "test")) {
      Cli.run("train", "--resume", run.toString()).badInput("--resume " + run + busy);
      Cli.run(train(run, 1, "--overwrite")).badInput("--out " + run + busy);
      Cli.run(train(run, 1)).badInput("--out " + run + busy); // not "folder exists": someone is writing it
    }
    Path preds = Files.createDirectories(dir.resolve("preds"));
    try (FolderLock held = FolderLock.acquire(preds, "test")) {
      Cli.run("predict", "--model", run.toString(), "--input", images.toString(), "--out", preds.toString()).badInput("--out " + preds + busy);
    }
    Path report = Files.createDirectories(dir.resolve("report"));
    try (FolderLock held = FolderLock.acquire(report, "test")) {
      Cli.run("compare", "--data", DATA, "--losses", "dice; bce", "--seeds", "1", "--epochs", "1", "--depth", "2", "--width", "4", "--out",
          report.toString(), "--overwrite").badInput("--out " + report + busy);
    }
    // and each works once the folder is free; the lock file stays, empty
    Cli.run("predict", "--model", run.toString(), "--input", images.toString(), "--out", preds.toString()).ok();
    assertEquals(List.of(FolderLock.FILE, "a.png"), SameRun.names(preds));
    assertEquals("", Files.readString(preds.resolve(FolderLock.FILE)));
  }

  @Test
  @Tag("slow")
  void aSecondProcessIsRefusedAndAKilledTrainingIsResumedAsIfUninterrupted() throws Exception {
    Path reference = dir.resolve("reference");
    Cli.run(train(reference, 3)).ok();
    Path run = dir.resolve("run");
    try (ChildCli child = ChildCli.start("checkpoint.bin#2", train(run, 3))) {
      child.awaitErr("HALTED", 120); // epoch 2 trained, its checkpoint written but not yet renamed
      long pid = child.process.pid();
      String busy = ": another segloss process (pid " + pid + ") is writing to this folder; wait until it ends or choose another folder";
      // the reproducer: a second train into the same new --out, and train --resume while it runs
      Cli.run(train(run, 3)).badInput("--out " + run + busy);
      Cli.run(train(run, 3, "--overwrite")).badInput("--out " + run + busy);
      Cli.run("train", "--resume", run.toString()).badInput("--resume " + run + busy);
      child.kill();
    }
    assertEquals(String.valueOf(RunEndCrashTest.temporaries(run).size()), "1");
    // the killed process's lock does not block; the folder is not empty, so a new run is refused there
    Cli.run(train(run, 3)).badInput("--out " + run + ": folder exists and is not empty");
    Cli r = Cli.run("train", "--resume", run.toString()).ok();
    assertTrue(r.err.contains("note: removed 1 temporary file(s) an interrupted write left in " + run + ": .checkpoint.bin.tmp-"), r.err);
    assertTrue(r.err.contains("resuming after epoch 1 of 3"), r.err);
    assertFalse(r.err.contains("epoch 1/3"), r.err);
    SameRun.assertSameRun(reference, run);
  }
}
