package dev.segloss.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.segloss.core.io.ImageData;
import dev.segloss.core.io.Images;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code train}, {@code predict}, {@code compare} through the CLI on tiny synthetic data. */
class TrainPredictCompareCommandTest {
  @TempDir Path dir;

  private static final String DATA = "synthetic:size=32,n=30,fg=0.06";

  @Test
  void trainThenPredictThenEvaluate() throws Exception {
    Path run = dir.resolve("runs/wbce");
    Cli t = Cli.run("train", "--data", DATA, "--loss", "bce(w_pos=auto)", "--epochs", "2", "--batch", "8", "--depth", "2", "--width", "4",
        "--out", run.toString()).ok();
    assertTrue(t.err.contains("loss: bce(w_neg="), t.err); // the resolved spec is printed
    assertTrue(t.out.contains("completed 2 epochs"), t.out);
    for (String f : new String[] {"model.params", "config.json", "checkpoint.bin", "history.csv", "curves.png", "summary.json"}) {
      assertTrue(Files.isRegularFile(run.resolve(f)), f);
    }
    JsonNode cfg = new com.fasterxml.jackson.databind.ObjectMapper().readTree(run.resolve("config.json").toFile());
    assertEquals("bce(w_pos=auto)", cfg.get("train").get("loss").asText());
    assertTrue(cfg.get("train").get("resolvedLoss").asText().startsWith("bce(w_neg="));
    assertTrue(cfg.get("train").get("data").asText().startsWith("synthetic:fg=0.06,size=32,n=30,seed=7"));
    assertEquals(2, cfg.get("train").get("threads").asInt());

    // the same folder again is refused; --resume of a finished run says so
    Cli.run("train", "--data", DATA, "--loss", "dice", "--out", run.toString()).badInput("--out", "folder exists", "--overwrite");
    Cli r = Cli.run("train", "--resume", run.toString()).ok();
    assertTrue(r.err.contains("run already ended (completed)"), r.err);

    // images of two sizes, neither a multiple of 4, one RGB
    Path images = dir.resolve("images");
    Files.createDirectories(images);
    SplittableRandom rnd = new SplittableRandom(3);
    float[] a = new float[30 * 22], b = new float[3 * 18 * 40];
    for (int i = 0; i < a.length; i++) a[i] = (float) rnd.nextDouble();
    for (int i = 0; i < b.length; i++) b[i] = (float) rnd.nextDouble();
    Images.writePng(images.resolve("a.png"), a, 30, 22, 1, 8);
    Images.writePng(images.resolve("b.png"), b, 18, 40, 3, 16);
    Files.writeString(images.resolve("notes.txt"), "not an image");
    Path preds = dir.resolve("preds");
    Cli p = Cli.run("predict", "--model", run.toString(), "--input", images.toString(), "--out", preds.toString(), "--probabilities").ok();
    assertTrue(p.out.contains("2 mask(s)"), p.out);
    ImageData ma = Images.read(preds.resolve("a.png"));
    assertEquals(30, ma.height());
    assertEquals(22, ma.width());
    ImageData mb = Images.read(preds.resolve("b.png"));
    assertEquals(18, mb.height());
    assertEquals(40, mb.width());
    ImageData pa = Images.read(preds.resolve("probabilities/a.png"));
    assertEquals(16, pa.bitDepth());
    float[] mask = ma.raw(), prob = pa.grayScaled();
    for (int i = 0; i < mask.length; i++) {
      assertTrue(mask[i] == 0 || mask[i] == 255, "binary mask");
      // mask = probability >= 0.5 (up to the 16-bit quantisation of the stored probability)
      if (Math.abs(prob[i] - 0.5) > 1e-4) assertEquals(prob[i] >= 0.5f, mask[i] == 255, "pixel " + i);
    }
    // the core's evaluate scores the masks against themselves perfectly (and reads our PNGs)
    Cli e = Cli.run("evaluate", "--truth", preds.toString(), "--pred", preds.toString(), "--pred-as-mask", "--json", "--no-distances").ok();
    assertEquals(2, e.json().get("per_image").size());

    // bad input, one line each
    Cli.run("predict", "--model", dir.resolve("nope").toString(), "--input", images.toString(), "--out", dir.resolve("p2").toString())
        .badInput("nope", "not a segloss run folder");
    Cli.run("predict", "--model", run.toString(), "--input", dir.resolve("empty-in").toString(), "--out", dir.resolve("p3").toString())
        .badInput("--input", "not a folder");
    Cli.run("predict", "--model", run.toString(), "--input", images.toString(), "--out", preds.toString()).badInput("--out", "folder exists");
    Files.writeString(images.resolve("c.png"), "garbage");
    Cli.run("predict", "--model", run.toString(), "--input", images.toString(), "--out", dir.resolve("p4").toString()).badInput("c.png");
    // --overwrite never lets a mask replace an input image
    byte[] before = Files.readAllBytes(images.resolve("a.png"));
    Cli.run("predict", "--model", run.toString(), "--input", images.toString(), "--out", images.toString(), "--overwrite", "--skip-bad")
        .badInput("--out", "would replace the input image", "a.png");
    assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(images.resolve("a.png"))));
    Cli s = Cli.run("predict", "--model", run.toString(), "--input", images.toString(), "--out", dir.resolve("p5").toString(), "--skip-bad").ok();
    assertTrue(s.err.contains("skipped 1 unreadable file(s)") && s.err.contains("c.png"), s.err);
  }

  @Test
  void predictPadsLikeTheLoaderWithoutNormalisation() throws Exception {
    // norm=none: the loader pads with the raw minimum; padding with the (infinite) clip floor would give NaN
    Path run = dir.resolve("runs/raw");
    Cli.run("train", "--data", "synthetic:size=32,n=30,norm=none", "--loss", "dice", "--epochs", "1", "--depth", "2", "--width", "4",
        "--out", run.toString()).ok();
    Path images = dir.resolve("raw-images");
    Files.createDirectories(images);
    float[] a = new float[13 * 21];
    for (int i = 0; i < a.length; i++) a[i] = (i % 7) / 7f;
    Images.writePng(images.resolve("odd.png"), a, 13, 21, 1, 8);
    Path preds = dir.resolve("raw-preds");
    Cli.run("predict", "--model", run.toString(), "--input", images.toString(), "--out", preds.toString(), "--probabilities").ok();
    ImageData p = Images.read(preds.resolve("probabilities/odd.png"));
    assertEquals(13, p.height());
    assertEquals(21, p.width());
  }

  @Test
  void trainBadInput() {
    Cli.run("train", "--data", DATA, "--out", dir.resolve("x").toString()).badInput("--loss", "required");
    Cli.run("train", "--data", DATA, "--loss", "dice(smoth_nr=1)", "--out", dir.resolve("x").toString()).badInput("smoth_nr", "known:");
    Cli.run("train", "--data", DATA, "--loss", "dice", "--epochs", "0", "--out", dir.resolve("x").toString()).badInput("--epochs");
    Cli.run("train", "--data", DATA, "--loss", "dice", "--device", "gpu", "--epochs", "1", "--out", dir.resolve("g").toString())
        .badInput("--device gpu", "no GPU");
    Cli.run("train", "--data", DATA, "--loss", "dice", "--device", "gpu:1", "--epochs", "1", "--out", dir.resolve("g").toString())
        .badInput("--device gpu:1: DJL sees no GPU");
    Cli.run("train", "--data", DATA, "--loss", "dice", "--device", "gpu1", "--epochs", "1", "--out", dir.resolve("g").toString())
        .badInput("--device: expected cpu, gpu, gpu:N (N = 0, 1, ...) or auto, got 'gpu1'");
    Cli.run("train", "--data", DATA, "--loss", "bce(w_pos=auto, weights=often)", "--out", dir.resolve("x").toString()).badInput("often");
    Cli.run("train", "--resume", dir.resolve("nothing").toString()).badInput("not a segloss run folder");
  }

  @Test
  void badInputFoundAfterTheOutputFolderWasMadeLeavesNoFolderBehind() throws Exception {
    // a data folder whose only image is corrupt: the error comes from loading, after --out was created
    Path data = dir.resolve("data");
    Files.createDirectories(data.resolve("images"));
    Files.createDirectories(data.resolve("masks"));
    Files.writeString(data.resolve("images/a.png"), "garbage");
    Images.writeGrayPng(data.resolve("masks/a.png"), new float[16 * 16], 16, 16);
    Path run = dir.resolve("runs/new/r1");
    Cli.run("train", "--data", data.toString(), "--loss", "dice", "--out", run.toString()).badInput("a.png");
    assertFalse(Files.exists(dir.resolve("runs")), "train left " + dir.resolve("runs"));
    Path report = dir.resolve("reports/new/c1");
    Cli.run("compare", "--data", data.toString(), "--losses", "dice; bce", "--out", report.toString()).badInput("a.png");
    assertFalse(Files.exists(dir.resolve("reports")), "compare left " + dir.resolve("reports"));
    // with --skip-bad, compare goes on without the corrupt image and lists it at the end (and in results.json)
    SplittableRandom rnd = new SplittableRandom(5);
    for (int k = 0; k < 12; k++) {
      float[] img = new float[16 * 16], m = new float[16 * 16];
      for (int i = 0; i < img.length; i++) {
        m[i] = (i / 16 - 8) * (i / 16 - 8) + (i % 16 - 8) * (i % 16 - 8) < 4 + k ? 1 : 0;
        img[i] = (float) (0.3 + 0.4 * m[i] + 0.1 * rnd.nextDouble());
      }
      Images.writeGrayPng(data.resolve("images/b" + k + ".png"), img, 16, 16);
      Images.writeGrayPng(data.resolve("masks/b" + k + ".png"), m, 16, 16);
    }
    Cli sk = Cli.run("compare", "--data", data.toString(), "--losses", "dice; bce", "--seeds", "1", "--epochs", "1", "--folds", "1", "--depth", "2",
        "--width", "4", "--skip-bad", "--out", report.toString()).ok();
    String tail = sk.err.substring(sk.err.indexOf("report: "));
    assertTrue(tail.contains("skipped 1 unreadable file(s):") && tail.contains("a.png"), sk.err);
    assertTrue(Files.readString(report.resolve("results.json")).contains("a.png"));
    Path preds = dir.resolve("preds/new");
    Path model = dir.resolve("m");
    Cli.run("train", "--data", DATA, "--loss", "dice", "--epochs", "1", "--depth", "2", "--width", "4", "--out", model.toString()).ok();
    Cli.run("predict", "--model", model.toString(), "--input", data.resolve("images").toString(), "--out", preds.toString())
        .badInput("a.png");
    assertFalse(Files.exists(dir.resolve("preds")), "predict left " + dir.resolve("preds"));

    // predict checks every header and size before writing: a 200000 x 200000 image (its header only) is
    // refused up front with the estimate, naming the file, and nothing is written
    Path big = Files.createDirectories(dir.resolve("big"));
    Images.writeGrayPng(big.resolve("a.png"), new float[8 * 8], 8, 8);
    Files.write(big.resolve("b.png"), pngHeaderOnly(200_000, 200_000));
    Cli.run("predict", "--model", model.toString(), "--input", big.toString(), "--out", preds.toString())
        .badInput("b.png", "200000x200000", "needs about", "TiB", "free");
    assertFalse(Files.exists(dir.resolve("preds")), "predict wrote before refusing");
    Cli sp = Cli.run("predict", "--model", model.toString(), "--input", big.toString(), "--out", preds.toString(), "--skip-bad").ok();
    assertTrue(sp.out.contains("1 mask(s)") && sp.err.contains("skipped 1") && sp.err.contains("b.png"), sp.err);
    // pixels that fail after a good header: the error says what was already written
    Path trunc = Files.createDirectories(dir.resolve("trunc"));
    Images.writeGrayPng(trunc.resolve("a.png"), new float[8 * 8], 8, 8);
    float[] noise = new float[64 * 64];
    for (int i = 0; i < noise.length; i++) noise[i] = (i * 7919 % 256) / 255f;
    Images.writeGrayPng(trunc.resolve("z.png"), noise, 64, 64);
    byte[] whole = Files.readAllBytes(trunc.resolve("z.png"));
    Files.write(trunc.resolve("z.png"), java.util.Arrays.copyOf(whole, whole.length / 2));
    Cli.run("predict", "--model", model.toString(), "--input", trunc.toString(), "--out", dir.resolve("tp").toString())
        .badInput("z.png", "stopped after writing 1 of 2 mask(s)", "--skip-bad");
    // a folder that existed stays, with whatever it held
    Path mine = Files.createDirectories(dir.resolve("mine"));
    Cli.run("train", "--data", data.toString(), "--loss", "dice", "--out", mine.toString()).badInput("a.png");
    assertTrue(Files.isDirectory(mine));
    Files.writeString(mine.resolve("notes.txt"), "mine");
    Cli.run("train", "--data", data.toString(), "--loss", "dice", "--out", mine.toString(), "--overwrite").badInput("a.png");
    assertEquals("mine", Files.readString(mine.resolve("notes.txt")));
  }

  /** The PNG signature and an IHDR chunk (8-bit gray) claiming {@code w x h}, without pixel data. */
  static byte[] pngHeaderOnly(int w, int h) {
    java.nio.ByteBuffer ihdr = java.nio.ByteBuffer.allocate(17);
    ihdr.put("IHDR".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(w).putInt(h).put((byte) 8).put((byte) 0).put((byte) 0)
        .put((byte) 0).put((byte) 0);
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(ihdr.array());
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 + 4 + 17 + 4);
    b.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}).putInt(13).put(ihdr.array()).putInt((int) crc.getValue());
    return b.array();
  }

  @Test
  void choiceOptionsAreNamedInTheirErrors() {
    String out = dir.resolve("x").toString();
    Cli.run("train", "--data", DATA, "--loss", "bce(w_pos=auto)", "--weights", "often", "--out", out)
        .badInput("--weights: ", "'often'", "inverse, balanced, median, effective");
    Cli.run("train", "--data", DATA, "--loss", "dice", "--empty", "never", "--out", out).badInput("--empty: ", "'never'", "nan_if_truth_empty");
    Cli.run("compare", "--losses", "dice", "--weights", "often", "--out", out).badInput("--weights: ", "'often'");
    Cli.run("compare", "--losses", "dice", "--empty", "never", "--out", out).badInput("--empty: ", "'never'");
    Cli.run("train", "--data", DATA, "--loss", "bce(w_pos=auto, weights=often)", "--out", out)
        .badInput("loss spec 'bce(w_pos=auto, weights=often)'", "weights=often in bce at column", "inverse, balanced, median, effective");
  }

  @Test
  void resumeRefusesOptionsItWouldIgnore() throws Exception {
    Path run = dir.resolve("runs/r");
    Cli one = Cli.run("train", "--data", DATA, "--loss", "dice", "--epochs", "1", "--depth", "2", "--width", "4", "--out", run.toString()).ok();
    assertTrue(one.out.contains("completed 1 epoch; best validation Dice"), one.out);
    Cli.run("train", "--resume", run.toString(), "--epochs", "1").badInput("--epochs 1", "has trained 1 epoch already (completed)",
        "must be larger than 1");
    Cli.run("train", "--resume", run.toString(), "--seed", "5").badInput("--resume", "--seed", "config.json");
    Cli.run("train", "--resume", run.toString(), "--lr", "0.1", "--batch", "2").badInput("--lr, --batch");
    Cli.run("train", "--resume", run.toString(), "--loss", "bce").badInput("--loss");
    Cli.run("train", "--resume", run.toString(), "--device", "cpu").ok();
  }

  @Test
  void compareWithTwoLossesAndItsBadInput() throws Exception {
    Path out = dir.resolve("reports/r1");
    Cli c = Cli.run("compare", "--data", DATA, "--losses", "dice; bce(w_pos=auto)", "--seeds", "1", "--epochs", "1", "--folds", "1", "--width", "4",
        "--out", out.toString()).ok();
    assertTrue(c.out.contains("rank") && c.out.contains("diagnosis"), c.out);
    // one epoch of 3 steps has not learned anything: no winner, and the reason is the recommendation
    var json = dev.segloss.train.ModelFiles.json().readTree(out.resolve("results.json").toFile());
    String rec = json.get("recommendation").asText();
    assertTrue(c.out.trim().endsWith(rec), c.out);
    assertTrue(rec.startsWith("No winner: ") && rec.contains("--updates 420"), rec);
    assertEquals(rec, json.get("warnings").get(0).asText());
    assertTrue(c.err.contains("split: a single split, 20 train / 5 val / 5 test images (--folds 1)"), c.err);
    assertTrue(c.err.contains("budget: 3 updates per run = 1 epoch of 3 steps, batch 8 (--epochs 1)"), c.err);
    assertTrue(Files.isRegularFile(out.resolve("report.html")));
    Cli.run("compare", "--data", DATA, "--losses", "dice; bce", "--out", out.toString()).badInput("--out", "folder exists");
    Cli.run("compare", "--losses", "dice;; bce", "--out", dir.resolve("r2").toString()).badInput("--losses", "empty");
    Cli.run("compare", "--losses", "dice; nope", "--out", dir.resolve("r3").toString()).badInput("unknown loss 'nope'");
    Cli.run("compare", "--data", "synthetic:size=8", "--out", dir.resolve("r4").toString()).badInput("size");
    assertTrue(!Files.exists(dir.resolve("r3")));
    // the budget's options
    String r5 = dir.resolve("r5").toString();
    Cli.run("compare", "--updates", "100", "--epochs", "3", "--out", r5).badInput("--updates and --epochs are exclusive");
    Cli.run("compare", "--updates", "0", "--out", r5).badInput("--updates: expected a positive number, got 0");
    Cli.run("compare", "--time", "half an hour", "--out", r5).badInput("--time: expected a duration such as 30m");
    Cli.run("compare", "--folds", "2", "--out", r5).badInput("--folds: expected 1 (a single split) or 3..20, got 2");
    Cli.run("compare", "--patch", "96", "--out", r5).badInput("--patch: expected auto, off or a size HxW");
    Cli.run("compare", "--data", DATA, "--patch", "20x20", "--depth", "3", "--out", r5).badInput("--patch: 20x20 is not a multiple of 8 (a U-Net of depth 3 halves each side 3 times)");
    // a limit no plan can meet is refused before any training, with the time it would need
    // (the default network, so that even the smallest plan needs far more than a second on any machine: with
    // a tiny network an idle machine could fit it, and the test would start a whole comparison instead)
    Cli.run("compare", "--data", DATA, "--losses", "dice; bce", "--time", "1s", "--out", r5)
        .badInput("--time 1 s: the comparison needs about", "or compare fewer losses");
    assertTrue(!Files.exists(dir.resolve("r5")), "nothing is left behind");
  }
}
