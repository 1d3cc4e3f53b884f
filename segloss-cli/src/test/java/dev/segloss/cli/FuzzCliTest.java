package dev.segloss.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segloss.core.InvalidInputException;
import dev.segloss.core.io.Images;
import dev.segloss.core.io.Npy;
import dev.segloss.core.loss.LossInput;
import dev.segloss.core.loss.Losses;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9: a sample of the parser fuzz mutations through the command-line entry point, in-process
 * ({@link Segloss#run}): a mutated {@code .npy} file, PNG mask or loss spec gives either exit code 2 with
 * exactly one line on stderr and nothing on stdout, or exit code 0 with exactly the output of the bytes'
 * own reading (the unmutated output for PNG, whose every byte is checksummed). Never exit code 1 (an
 * internal error), never a stack trace. The readers themselves are fuzzed with thousands of mutations each
 * in segloss-core and segloss-data (NpyFuzzTest, ImageFuzzTest, SpecFuzzTest, NiftiFuzzTest); NIfTI
 * is sampled here through {@code evaluate} on a mutated {@code .nii.gz} prediction (gzip's CRC-32
 * protects every byte, so exit code 0 must print the unmutated table).
 */
class FuzzCliTest {
  static final Path SEED = Path.of("..", "examples", "seed");
  static final String T = SEED.resolve("y_true.npy").toString();

  @TempDir Path dir;

  static byte[] mutate(byte[] in, Random r, int focus) {
    int n = in.length;
    int pos = r.nextBoolean() ? r.nextInt(Math.min(focus, n)) : r.nextInt(n);
    switch (r.nextInt(5)) {
      case 0: {
        byte[] b = in.clone();
        b[pos] ^= (byte) (1 << r.nextInt(8));
        return b;
      }
      case 1: {
        byte[] b = in.clone();
        b[pos] = (byte) (b[pos] == 0 ? 0x1b : 0);
        return b;
      }
      case 2: {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.write(in, 0, pos);
        o.write(r.nextInt(256));
        o.write(in, pos, n - pos);
        return o.toByteArray();
      }
      case 3:
        return Arrays.copyOf(in, pos);
      default: {
        byte[] b = new byte[n - 1];
        System.arraycopy(in, 0, b, 0, pos);
        System.arraycopy(in, pos + 1, b, pos, n - pos - 1);
        return b;
      }
    }
  }

  private static void write(RandomAccessFile raf, byte[] b) throws IOException {
    raf.seek(0);
    raf.write(b);
    raf.setLength(b.length);
  }

  /** Exit 2 with one line, or exit 0 with {@code expected} on stdout (null: exit 0 is not acceptable). */
  private static void assertCleanOutcome(Cli c, String expected, String what) {
    assertTrue(c.code == 0 || c.code == 2, what + ": exit code " + c.code + ", stderr: " + c.err);
    if (c.code == 2) {
      c.badInput();
    } else {
      assertTrue(expected != null, what + ": read although the file cannot be read: " + c.out);
      assertEquals(expected, c.out, what);
    }
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void mutatedNpyThroughTheLossCommand() throws IOException {
    byte[] seed = Files.readAllBytes(SEED.resolve("y_pred.npy"));
    Path f = dir.resolve("p.npy");
    Random r = new Random(3);
    int exit0 = 0;
    try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
      for (int k = 0; k < 150; k++) {
        byte[] m = mutate(seed, r, 128);
        write(raf, m);
        // what the bytes say, read in-process; the CLI must print exactly its loss, or refuse
        String expected;
        try {
          LossInput in = LossInput.builder(Npy.read(Path.of(T)), Npy.read(f)).build();
          double v = Losses.parse("dice").compute(in, false).value();
          expected = Double.isFinite(v) ? SeglossCommand.fmt(v) + System.lineSeparator() : null;
        } catch (InvalidInputException e) {
          expected = null;
        }
        Cli c = Cli.run("loss", "--loss", "dice", "--y-true", T, "--y-pred", f.toString());
        assertCleanOutcome(c, expected, "mutation " + k);
        if (c.code == 0) exit0++;
      }
    }
    assertTrue(exit0 >= 3, exit0 + " read");
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void mutatedPngMaskThroughTheWeightsCommand() throws IOException {
    Path masks = Files.createDirectory(dir.resolve("masks"));
    Path f = masks.resolve("m.png");
    float[] v = new float[20 * 16];
    Random g = new Random(4);
    for (int i = 0; i < v.length; i++) v[i] = g.nextInt(7) == 0 ? 1 : 0;
    Images.writeGrayPng(f, v, 16, 20);
    byte[] png = Files.readAllBytes(f);
    String original = Cli.run("weights", "--masks", masks.toString()).ok().out;
    Random r = new Random(5);
    try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
      for (int k = 0; k < 150; k++) {
        write(raf, mutate(png, r, 60));
        assertCleanOutcome(Cli.run("weights", "--masks", masks.toString()), original, "mutation " + k);
      }
    }
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void mutatedSpecsThroughTheLossCommand() {
    String spec = "0.3*bce(w_neg=0.2) + 0.7*tversky(alpha=0.3, beta=0.7)";
    String alphabet = "abcdefgz_019.,()=*+-e \u001b\n";
    Random r = new Random(6);
    LossInput in = LossInput.builder(readT(), readP()).build();
    int exit0 = 0;
    for (int k = 0; k < 200; k++) {
      int at = r.nextInt(spec.length());
      String m = switch (r.nextInt(3)) {
        case 0 -> spec.substring(0, at) + alphabet.charAt(r.nextInt(alphabet.length())) + spec.substring(at);
        case 1 -> spec.substring(0, at) + spec.substring(at + 1);
        default -> spec.substring(0, at) + alphabet.charAt(r.nextInt(alphabet.length())) + spec.substring(at + 1);
      };
      String expected;
      try {
        double v = Losses.parse(m).compute(in, false).value();
        expected = Double.isFinite(v) ? SeglossCommand.fmt(v) + System.lineSeparator() : null;
      } catch (InvalidInputException e) {
        expected = null;
      }
      Cli c = Cli.run("loss", "--loss", m, "--y-true", T, "--y-pred", SEED.resolve("y_pred.npy").toString());
      assertCleanOutcome(c, expected, "'" + m + "'");
      if (c.code == 2) assertTrue(c.err.indexOf('\u001b') < 0, "escaped: " + c.err);
      if (c.code == 0) exit0++;
    }
    assertTrue(exit0 > 20, exit0 + " specs accepted");
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void mutatedNiftiThroughTheEvaluateCommand() throws IOException {
    double[] truth = new double[12 * 10 * 6];
    double[] pred = new double[truth.length];
    Random g = new Random(8);
    for (int i = 0; i < truth.length; i++) {
      truth[i] = g.nextInt(5) == 0 ? 1 : 0;
      pred[i] = g.nextInt(4) == 0 ? 1 - truth[i] : truth[i];
    }
    Path t = new dev.segloss.data.nifti.NiftiTestWriter().dims(12, 10, 6).datatype(dev.segloss.data.nifti.NiftiHeader.DT_UINT8)
        .write(dir.resolve("t.nii.gz"), truth);
    Path p = new dev.segloss.data.nifti.NiftiTestWriter().dims(12, 10, 6).datatype(dev.segloss.data.nifti.NiftiHeader.DT_UINT8)
        .write(dir.resolve("p.nii.gz"), pred);
    byte[] gz = Files.readAllBytes(p);
    String[] args = {"evaluate", "--truth", t.toString(), "--pred", p.toString(), "--no-distances"};
    String original = Cli.run(args).ok().out;
    Random r = new Random(9);
    int errors = 0;
    try (RandomAccessFile raf = new RandomAccessFile(p.toFile(), "rw")) {
      for (int k = 0; k < 120; k++) {
        write(raf, mutate(gz, r, 40));
        Cli c = Cli.run(args);
        assertCleanOutcome(c, original, "mutation " + k);
        if (c.code == 2) errors++;
      }
    }
    assertTrue(errors > 60, errors + " refused");
  }

  private static dev.segloss.core.Tensor readT() {
    return Npy.read(Path.of(T));
  }

  private static dev.segloss.core.Tensor readP() {
    return Npy.read(SEED.resolve("y_pred.npy"));
  }
}
