package dev.segloss.spark;

import static dev.segloss.cli.Comparisons.concat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code weights} and {@code evaluate} with {@code --spark local[2]} against the local commands on generated
 * folders: the same output, number for number (the JSON prints every double in full), through local paths
 * and through Hadoop's file system ({@code file://} URIs), and the same one-line errors.
 */
class SparkLocalTest {
  static final String MASTER = "local[2]";
  static SparkSession spark;
  @TempDir static Path dir;
  static Path masks;
  static Path preds;

  @BeforeAll
  static void start() throws IOException {
    // one application for the class: the commands use it (and leave it running) instead of starting their own
    spark = SparkSession.builder().master(MASTER).appName("segloss-test").config("spark.ui.enabled", "false").getOrCreate();
    masks = dir.resolve("masks");
    preds = dir.resolve("preds");
    Folders.write(masks, preds, 60, true, 7);
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void weightsEqualTheLocalCommand() {
    for (String method : new String[] {"inverse", "median"}) {
      Folders.Run local = Folders.cli("weights", "--masks", masks.toString(), "--method", method, "--json").ok();
      Folders.Run onSpark = Folders.cli("weights", "--masks", masks.toString(), "--method", method, "--json", "--spark", MASTER, "--partitions", "7").ok();
      assertEquals(local.out(), onSpark.out());
      assertTrue(onSpark.err().startsWith("spark: Spark 4.2.0 on local[2]"), onSpark.err());
      String uri = "file://" + masks.toAbsolutePath();
      Folders.Run hadoop = Folders.cli("weights", "--masks", uri, "--method", method, "--json", "--spark", MASTER).ok();
      assertEquals(local.out().replace("\"masks\" : \"" + masks + "\"", "\"masks\" : \"" + uri + "\""), hadoop.out());
    }
    // the soft .npy masks make the per-task sums inexact: the job then returns each image's counts
    assertTrue(Folders.cli("weights", "--masks", masks.toString(), "--json").ok().out().contains("."), "soft counts");
  }

  @Test
  void hardMasksAreSummedPerTask() throws IOException {
    Path m = dir.resolve("hard-masks");
    Folders.write(m, dir.resolve("hard-preds"), 30, false, 11);
    Folders.Run local = Folders.cli("weights", "--masks", m.toString(), "--method", "balanced").ok();
    Folders.Run onSpark = Folders.cli("weights", "--masks", m.toString(), "--method", "balanced", "--spark", MASTER, "--partitions", "4").ok();
    assertEquals(local.out(), onSpark.out());
  }

  @Test
  void evaluateEqualsTheLocalCommand() throws IOException {
    Path csvLocal = dir.resolve("local.csv");
    Path csvSpark = dir.resolve("spark.csv");
    Folders.Run local = Folders.cli("evaluate", "--truth", masks.toString(), "--pred", preds.toString(), "--json", "--csv", csvLocal.toString()).ok();
    Folders.Run onSpark = Folders.cli("evaluate", "--truth", masks.toString(), "--pred", preds.toString(), "--json", "--csv", csvSpark.toString(),
        "--spark", MASTER, "--partitions", "5").ok();
    assertEquals(local.out(), onSpark.out());
    assertEquals(Files.readString(csvLocal), Files.readString(csvSpark));
    Folders.Run text = Folders.cli("evaluate", "--truth", masks.toString(), "--pred", preds.toString(), "--threshold", "0.4").ok();
    Folders.Run hadoop = Folders.cli("evaluate", "--truth", "file://" + masks.toAbsolutePath(), "--pred", "file://" + preds.toAbsolutePath(),
        "--threshold", "0.4", "--spark", MASTER).ok();
    assertEquals(text.out(), hadoop.out());
  }

  /**
   * {@code predict --spark}: the masks and probability maps are the local command's, byte for byte, through a
   * local folder and through {@code file://} URIs, and the model is loaded once in this JVM (local mode's one
   * executor) however many tasks run.
   */
  @Test
  void predictEqualsTheLocalCommand() throws IOException {
    Path run = dir.resolve("run");
    Folders.cli("train", "--data", "synthetic:size=32,n=24", "--loss", "dice", "--epochs", "1", "--batch", "8", "--depth", "2", "--width", "4",
        "--threads", "1", "--device", "cpu", "--out", run.toString()).ok();
    Path images = preds; // probability PNGs make fine gray images of assorted sizes
    Path local = dir.resolve("pred-local");
    Path onSpark = dir.resolve("pred-spark");
    Folders.Run l = Folders.cli("predict", "--model", run.toString(), "--input", images.toString(), "--out", local.toString(), "--probabilities").ok();
    Folders.Run s = Folders.cli("predict", "--model", run.toString(), "--input", images.toString(), "--out", onSpark.toString(), "--probabilities",
        "--spark", MASTER, "--partitions", "4").ok();
    assertEquals(l.out().replace(local.toString(), onSpark.toString()), s.out());
    assertTrue(s.err().contains("spark: the model was loaded 1 time(s)"), s.err());
    assertEquals(l.err().replace(local.toString(), onSpark.toString()), s.errWithoutSpark());
    assertSameFiles(local, onSpark);
    Path viaUri = dir.resolve("pred-uri");
    Folders.cli("predict", "--model", "file://" + run.toAbsolutePath(), "--input", "file://" + images.toAbsolutePath(), "--out",
        "file://" + viaUri.toAbsolutePath(), "--probabilities", "--spark", MASTER).ok();
    assertSameFiles(local, viaUri);
    assertTrue(!Files.exists(viaUri.resolve(".segloss.lock")), "a URI folder's lock file goes with the job");
    assertTrue(Files.exists(onSpark.resolve(".segloss.lock")), "a local folder is locked by the local code, which keeps the file");
    // one writer per output folder: a URI folder another job holds is refused before anything is written
    Path busy = Files.createDirectories(dir.resolve("busy"));
    Files.writeString(busy.resolve(".segloss.lock"), "4242@elsewhere");
    Folders.Run refused = Folders.cli("predict", "--model", run.toString(), "--input", images.toString(), "--out", "file://" + busy.toAbsolutePath(),
        "--spark", MASTER);
    assertEquals(2, refused.code());
    assertEquals("segloss predict: --out file://" + busy.toAbsolutePath() + ": another segloss job writes there (file://" + busy.toAbsolutePath()
        + "/.segloss.lock exists; delete it if no job is running)\n", refused.errWithoutSpark());
    try (var left = Files.list(busy)) {
      assertEquals(1, left.count(), "nothing written");
    }
  }

  /**
   * The same files with the same bytes. A local output folder keeps its (empty) lock file {@code .segloss.lock}
   * after the job, as the local command's does; a URI folder's lock is deleted at the end, so it is left out.
   */
  private static void assertSameFiles(Path expected, Path actual) throws IOException {
    java.util.List<Path> a;
    java.util.List<Path> b;
    try (var s = Files.walk(expected)) {
      a = s.filter(Files::isRegularFile).map(expected::relativize).filter(p -> !p.toString().equals(".segloss.lock")).sorted().toList();
    }
    try (var s = Files.walk(actual)) {
      b = s.filter(Files::isRegularFile).map(actual::relativize).filter(p -> !p.toString().equals(".segloss.lock")).sorted().toList();
    }
    assertEquals(a, b);
    assertTrue(a.size() > 10, "masks and probability maps: " + a);
    for (Path p : a) assertEquals(-1L, Files.mismatch(expected.resolve(p), actual.resolve(p)), p.toString());
  }

  /**
   * Bad input fails as the local command fails: the same one line (exit 2) naming the first bad file in the
   * local command's order, whichever task meets it; through a URI the line names the file by its URI.
   */
  @Test
  void errorsAreTheLocalCommandsErrors() throws IOException {
    Path m = dir.resolve("bad-masks");
    Path p = dir.resolve("bad-preds");
    Folders.write(m, p, 24, false, 5);
    Files.writeString(m.resolve("case017.png"), "not a PNG");
    Files.writeString(m.resolve("case020.png"), "not a PNG either");
    String uri = "file://" + m.toAbsolutePath();
    String puri = "file://" + p.toAbsolutePath();
    String[][] runs = {
        {"weights", "--masks", m.toString()},
        {"evaluate", "--truth", m.toString(), "--pred", p.toString()},
    };
    for (String[] args : runs) {
      Folders.Run local = Folders.cli(args);
      assertEquals(2, local.code(), local.err());
      assertTrue(local.err().contains("case017.png"), local.err());
      Folders.Run onSpark = Folders.cli(concat(args, "--spark", MASTER, "--partitions", "6"));
      assertEquals(2, onSpark.code());
      assertEquals(local.err(), onSpark.errWithoutSpark());
      String[] viaUri = args.clone();
      for (int i = 0; i < viaUri.length; i++) viaUri[i] = viaUri[i].replace(m.toString(), uri).replace(p.toString(), puri);
      Folders.Run hadoop = Folders.cli(concat(viaUri, "--spark", MASTER));
      assertEquals(2, hadoop.code());
      assertEquals(local.err().replace(m.toString(), uri), hadoop.errWithoutSpark());
    }
    // pairing: a prediction without a mask, and two masks of one stem
    Files.delete(m.resolve("case017.png"));
    Files.delete(m.resolve("case020.png"));
    Files.copy(m.resolve("case003.png"), m.resolve("case003.bmp"));
    Folders.Run local = Folders.cli("evaluate", "--truth", m.toString(), "--pred", p.toString());
    assertTrue(local.err().contains("two files with the stem 'case003'"), local.err());
    Folders.Run hadoop = Folders.cli("evaluate", "--truth", uri, "--pred", puri, "--spark", MASTER);
    assertEquals(local.err().replace(m.toString(), uri), hadoop.errWithoutSpark());
    Files.delete(m.resolve("case003.bmp"));
    local = Folders.cli("evaluate", "--truth", m.toString(), "--pred", p.toString());
    assertTrue(local.err().contains("unpaired files (matched by file stem): 2 files in --pred without a partner in --truth: case017.png, case020.png"),
        local.err());
    assertEquals(local.err(), Folders.cli("evaluate", "--truth", m.toString(), "--pred", p.toString(), "--spark", MASTER).errWithoutSpark());
    assertEquals(local.err(), Folders.cli("evaluate", "--truth", uri, "--pred", puri, "--spark", MASTER).errWithoutSpark());
    // what --spark does not distribute
    Path npy = dir.resolve("one.npy");
    dev.segloss.core.io.Npy.write(npy, new float[] {0, 1, 1, 0}, 1, 2, 2);
    assertEquals("segloss weights: --spark: distributes a folder of masks; " + npy + " is one file (a .npy array is counted by one process:"
        + " drop --spark)\n", Folders.cli("weights", "--masks", npy.toString(), "--spark", MASTER).err());
    assertEquals("segloss weights: --masks: no such directory " + uri + "/nothing\n",
        Folders.cli("weights", "--masks", uri + "/nothing", "--spark", MASTER).errWithoutSpark());
    assertEquals("segloss weights: --partitions: expected at least 1, got 0\n",
        Folders.cli("weights", "--masks", m.toString(), "--spark", MASTER, "--partitions", "0").err());
  }

  /**
   * {@code --skip-bad}: bad files (an undecodable PNG, a folder named like a mask) are skipped and listed as
   * the local command lists them, in the local command's order, and the counts are those of the good files.
   */
  @Test
  void skipBadSkipsWhatTheLocalCommandSkips() throws IOException {
    Path m = dir.resolve("skip-masks");
    Folders.write(m, dir.resolve("skip-preds"), 20, false, 8);
    Files.writeString(m.resolve("case004.png"), "not a PNG");
    Files.writeString(m.resolve("case013.png"), "not a PNG");
    Files.createDirectory(m.resolve("folder.png"));
    Folders.Run local = Folders.cli("weights", "--masks", m.toString(), "--skip-bad", "--json").ok();
    assertTrue(local.err().contains("skipped 3 unreadable file(s):"), local.err());
    Folders.Run onSpark = Folders.cli("weights", "--masks", m.toString(), "--skip-bad", "--json", "--spark", MASTER, "--partitions", "5").ok();
    assertEquals(local.out(), onSpark.out());
    assertEquals(local.err(), onSpark.errWithoutSpark());
    String uri = "file://" + m.toAbsolutePath();
    Folders.Run hadoop = Folders.cli("weights", "--masks", uri, "--skip-bad", "--json", "--spark", MASTER).ok();
    assertEquals(local.out().replace(m.toString(), uri), hadoop.out());
    assertEquals(local.err().replace(m.toString(), uri), hadoop.errWithoutSpark());
    // without --skip-bad the folder named like a mask is refused first, as locally
    Folders.Run refused = Folders.cli("weights", "--masks", uri, "--spark", MASTER);
    assertEquals(2, refused.code());
    assertEquals(Folders.cli("weights", "--masks", m.toString()).err().replace(m.toString(), uri), refused.errWithoutSpark());
  }
}
