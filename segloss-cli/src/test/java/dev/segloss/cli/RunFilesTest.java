package dev.segloss.cli;

import dev.segloss.core.io.Images;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A damaged run folder: every file a command reads from it (config.json, checkpoint.bin, model.params)
 * that is empty, truncated or edited into something else is one line naming the file, exit 2 — for
 * {@code train --resume} and {@code predict} alike. (Issue 9: an empty config.json gave a
 * NullPointerException, exit 1.)
 */
class RunFilesTest {
  @TempDir static Path dir;
  static Path run;
  static Path images;
  static String config;

  @BeforeAll
  static void model() throws Exception {
    run = dir.resolve("run");
    Cli.run("train", "--data", "synthetic:size=32,n=30,fg=0.06", "--loss", "dice", "--epochs", "2", "--depth", "2", "--width", "4", "--out",
        run.toString()).ok();
    config = Files.readString(run.resolve("config.json"));
    images = Files.createDirectories(dir.resolve("images"));
    Images.writeGrayPng(images.resolve("a.png"), new float[32 * 32], 32, 32);
  }

  /** A copy of the run with one file replaced. */
  static Path damaged(String name, String file, byte[] content) throws Exception {
    Path d = Files.createDirectories(dir.resolve(name));
    for (String f : new String[] {"config.json", "model.params", "checkpoint.bin", "history.csv", "curves.png", "summary.json"}) {
      Files.copy(run.resolve(f), d.resolve(f));
    }
    Files.write(d.resolve(file), content);
    return d;
  }

  static void bothRefuse(Path d, String... fragments) {
    Cli.run("train", "--resume", d.toString()).badInput(fragments);
    Cli.run("predict", "--model", d.toString(), "--input", images.toString(), "--out", d.resolve("preds").toString()).badInput(fragments);
  }

  @Test
  void anEmptyConfigIsNamed() throws Exception {
    Path d = damaged("empty", "config.json", new byte[0]);
    bothRefuse(d, d.resolve("config.json") + ": empty file, expected the run configuration; the run folder is damaged");
  }

  @Test
  void aTruncatedConfigIsNamedWithWhereItEnds() throws Exception {
    Path d = damaged("truncated", "config.json", config.substring(0, config.length() / 2).getBytes());
    bothRefuse(d, d.resolve("config.json") + ": not valid JSON (Unexpected end-of-input", " at line ");
  }

  @Test
  void configsThatParseButAreNotARunConfigurationAreNamed() throws Exception {
    Path a = damaged("array", "config.json", "[]".getBytes());
    bothRefuse(a, a.resolve("config.json") + ": expected a JSON object");
    Path f = damaged("format", "config.json", config.replace("segloss-run/1", "segloss-run/9").getBytes());
    bothRefuse(f, f.resolve("config.json") + ": not a segloss run configuration (format \"segloss-run/9\", expected \"segloss-run/1\")");
    Path n = damaged("null", "config.json", "{\"format\": \"segloss-run/1\", \"train\": null}".getBytes());
    bothRefuse(n, n.resolve("config.json") + ": no \"train\" object");
    Path m = damaged("missing", "config.json", config.replaceAll("\"epochs\" : \\d+,", "").replaceAll("\"loss\" : \"dice\",", "\"loss\" : null,")
        .getBytes());
    bothRefuse(m, m.resolve("config.json") + ": the run configuration lacks loss, epochs; the run folder is damaged");
    Path v = damaged("value", "config.json", config.replaceAll("\"batch\" : \\d+", "\"batch\" : 0").getBytes());
    bothRefuse(v, v.resolve("config.json") + ": invalid run configuration (--batch: expected 1..4096, got 0)");
  }

  @Test
  void aCheckpointThatIsEmptyTruncatedOrFromAnotherRunIsNamed() throws Exception {
    byte[] ck = Files.readAllBytes(run.resolve("checkpoint.bin"));
    Path e = damaged("ck-empty", "checkpoint.bin", new byte[0]);
    Cli.run("train", "--resume", e.toString()).badInput(e.resolve("checkpoint.bin") + ": not a segloss checkpoint file");
    Path t = damaged("ck-truncated", "checkpoint.bin", java.util.Arrays.copyOf(ck, ck.length / 2));
    Cli.run("train", "--resume", t.toString()).badInput(t.resolve("checkpoint.bin") + ": corrupt checkpoint file (checksum mismatch)");
    // config.json edited to fewer epochs than the checkpoint has done
    Path c = damaged("ck-other", "config.json", config.replaceAll("\"epochs\" : 2,", "\"epochs\" : 1,").getBytes());
    Cli.run("train", "--resume", c.toString()).badInput(c.resolve("checkpoint.bin") + ": the checkpoint does not fit the run's config.json (it is"
        + " after epoch 2 but config.json asks for 1 epoch(s))");
  }

  @Test
  void anEmptyOrTruncatedModelIsNamed() throws Exception {
    byte[] m = Files.readAllBytes(run.resolve("model.params"));
    Path e = damaged("m-empty", "model.params", new byte[0]);
    Cli.run("predict", "--model", e.toString(), "--input", images.toString(), "--out", e.resolve("preds").toString())
        .badInput(e.resolve("model.params") + ": not a segloss model file");
    Path t = damaged("m-truncated", "model.params", java.util.Arrays.copyOf(m, m.length - 100));
    Cli.run("predict", "--model", t.toString(), "--input", images.toString(), "--out", t.resolve("preds").toString())
        .badInput(t.resolve("model.params") + ": corrupt model file (checksum mismatch)");
  }
}
