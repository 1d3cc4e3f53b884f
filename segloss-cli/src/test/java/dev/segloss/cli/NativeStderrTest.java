package dev.segloss.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segloss.core.io.Images;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What libtorch prints on the process's stderr (native code writes to file descriptor 2 directly, so only a
 * child process shows it). Issue 9: "Warning: AutoNonVariableTypeMode is deprecated ... please use
 * c10::InferenceMode ..." reached stderr whenever segloss trained in-process; the launcher filtered it.
 * Its cause was DJL's {@code NDArray.set}, whose JNI copy runs under that deprecated guard (once per
 * process), used to set the initial weights. A child JVM runs train, predict, compare and the DJL loss,
 * one after another, without the launcher's filter: stderr must hold none of libtorch's warnings.
 */
class NativeStderrTest {
  @TempDir Path dir;

  @Test
  void trainPredictCompareAndTheDjlLossPrintNoLibtorchWarning() throws Exception {
    Path run = dir.resolve("run");
    Path images = Files.createDirectories(dir.resolve("images"));
    Images.writeGrayPng(images.resolve("a.png"), new float[40 * 24], 40, 24);
    String seed = Path.of(System.getProperty("user.dir")).resolveSibling("examples/seed").toString();
    String[] small = {"--epochs", "1", "--depth", "2", "--width", "4"};
    try (ChildCli child = ChildCli.start("-",
        "train", "--data", "synthetic:size=32,n=30", "--loss", "dice", small[0], small[1], small[2], small[3], small[4], small[5],
        "--out", run.toString(), ";;",
        "predict", "--model", run.toString(), "--input", images.toString(), "--out", dir.resolve("preds").toString(), ";;",
        "compare", "--data", "synthetic:size=32,n=30", "--losses", "dice; bce", "--seeds", "1", small[0], small[1], small[2], small[3],
        small[4], small[5], "--out", dir.resolve("report").toString(), ";;",
        "loss", "--loss", "dice", "--engine", "djl", "--y-true", seed + "/y_true.npy", "--y-pred", seed + "/y_pred.npy")) {
      assertEquals(0, child.waitFor(300), child.err());
      String err = child.err();
      assertTrue(err.contains("completed 1 epoch") && err.contains("wrote 1 mask(s)") && err.contains("report: "), err);
      assertTrue(child.out().strip().endsWith("0.15"), child.out());
      assertFalse(err.contains("AutoNonVariableTypeMode"), err);
      assertFalse(err.contains("InferenceMode"), err);
      assertFalse(err.lines().anyMatch(l -> l.matches("\\[[WE]\\d{4} .*")), "a libtorch warning or error line:\n" + err);
    }
  }
}
