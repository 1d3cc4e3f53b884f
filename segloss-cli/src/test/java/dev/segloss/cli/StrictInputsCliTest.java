package dev.segloss.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segloss.core.io.Images;
import dev.segloss.core.io.Npy;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9 through the command line, in-process: each reproducer is exit code 2 with one line on stderr
 * naming the file (or the spec term), where it used to print another number with exit code 0, an
 * "internal error" with exit code 1, or run out of heap.
 */
class StrictInputsCliTest {
  static final Path SEED = Path.of("..", "examples", "seed");
  static final String T = SEED.resolve("y_true.npy").toString();
  static final String P = SEED.resolve("y_pred.npy").toString();

  @TempDir Path dir;

  static byte[] insert(byte[] b, int at, byte... bytes) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    o.write(b, 0, at);
    o.writeBytes(bytes);
    o.write(b, at, b.length - at);
    return o.toByteArray();
  }

  /** Item 1: 00 00 80 3f after the '}' of y_pred.npy made `loss --loss dice` print 0.8461538 instead of 0.15. */
  @Test
  void bytesAfterTheNpyHeaderDict() throws IOException {
    assertEquals("0.15", Cli.run("loss", "--loss", "dice", "--y-true", T, "--y-pred", P).ok().out.strip());
    byte[] seed = Files.readAllBytes(Path.of(P));
    Path f = dir.resolve("y_pred.npy");
    Files.write(f, insert(seed, 75, (byte) 0, (byte) 0, (byte) 0x80, (byte) 0x3f));
    String line = Cli.run("loss", "--loss", "dice", "--y-true", T, "--y-pred", f.toString()).badInput("--y-pred", f.toString());
    assertEquals("segloss loss: --y-pred: " + f + ": unexpected byte 0x00 at byte offset 75 after the .npy header dictionary; only space"
        + " padding and one final newline may follow it", line);
  }

  /** Item 5: parameters inside their ranges that overflow are an error naming the term, exit 2. */
  @Test
  void nonFiniteLossesNameTheTerm() throws IOException {
    Path g = dir.resolve("g.npy");
    String line = Cli.run("loss", "--loss", "tversky(alpha=1e308, beta=1e308)", "--y-true", T, "--y-pred", P, "--grad", g.toString())
        .badInput("--loss", "loss term 1 'tversky' (column 1)", "non-finite gradient (-inf at flat index 0 of --y-pred)");
    assertTrue(line.contains("tversky(alpha=1e308, beta=1e308) overflows"), line);
    assertFalse(Files.exists(g), "no gradient file written");
    Cli.run("loss", "--loss", "mcc(smooth=1e308)", "--y-true", T, "--y-pred", P)
        .badInput("--loss", "loss term 1 'mcc' (column 1) gave a non-finite value (NaN)");
    Cli.run("loss", "--loss", "bce(w_pos=1e308, w_neg=1e308)", "--y-true", T, "--y-pred", P, "--grad", g.toString())
        .badInput("--loss", "loss term 1 'bce' (column 1) gave a non-finite gradient (-inf at flat index 0 of --y-pred)");
    // a confident wrong prediction: BCE about 4.6, times 1e308 is infinite in the value itself
    Path t = dir.resolve("t.npy");
    Path p = dir.resolve("p.npy");
    Npy.write(t, new float[] {1, 1, 0, 0}, 1, 4);
    Npy.write(p, new float[] {0.01f, 0.01f, 0.99f, 0.99f}, 1, 4);
    Cli.run("loss", "--loss", "dice + 1e308*topk", "--y-true", t.toString(), "--y-pred", p.toString())
        .badInput("--loss: loss term 2 'topk' (column 14) gave a non-finite value (inf) on these inputs: 1e308*topk overflows");
    // every term finite, their sum not
    Cli.run("loss", "--loss", "3e307*bce + 3e307*bce", "--y-true", t.toString(), "--y-pred", p.toString())
        .badInput("--loss: the weighted sum of the loss terms gave a non-finite value (inf)");
    // the same parameters stay fine where they are finite
    assertEquals("1", Cli.run("loss", "--loss", "tversky(alpha=1e308, beta=1e308)", "--y-true", T, "--y-pred", P).ok().out.strip());
  }

  /** Item 5, last part: focal(gamma=1e308) was "internal error: IllegalArgumentException", exit 1. */
  @Test
  void focalGammaOutOfRangeIsASpecError() {
    String line = Cli.run("loss", "--loss", "focal(gamma=1e308)", "--y-true", T, "--y-pred", P).badInput();
    assertEquals("segloss loss: --loss: focal: parameter 'gamma' must be in [0, 100], got 1e308 at column 7", line);
    assertEquals("segloss loss: --loss: focal: parameter 'gamma' must be in [0, 100], got 101 at column 13",
        Cli.run("loss", "--loss", "bce + focal(gamma=101)", "--y-true", T, "--y-pred", P).badInput());
  }

  static byte[] chunk(String type, byte[] data) {
    ByteBuffer b = ByteBuffer.allocate(12 + data.length);
    byte[] t = type.getBytes(StandardCharsets.ISO_8859_1);
    b.putInt(data.length).put(t).put(data);
    CRC32 c = new CRC32();
    c.update(t);
    c.update(data);
    return b.putInt((int) c.getValue()).array();
  }

  /** A PNG with a valid signature and IHDR but no pixel data: decoding it would fail, so any size message comes from the header. */
  static byte[] headerOnlyPng(int w, int h, int depth) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    o.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10});
    o.writeBytes(chunk("IHDR", ByteBuffer.allocate(13).putInt(w).putInt(h).put((byte) depth).put((byte) 0).put((byte) 0).put((byte) 0)
        .put((byte) 0).array()));
    o.writeBytes(chunk("IEND", new byte[0]));
    return o.toByteArray();
  }

  /** Item 6: `weights`/`evaluate` refuse from the header what cannot fit, and report a size mismatch before decoding. */
  @Test
  void hugeImagesAreRefusedFromTheirHeaders() throws IOException {
    Path masks = Files.createDirectory(dir.resolve("masks"));
    Images.writeGrayPng(masks.resolve("a.png"), new float[1024], 32, 32);
    Files.write(masks.resolve("b.png"), headerOnlyPng(46000, 46000, 16));
    Cli.run("weights", "--masks", masks.toString())
        .badInput("--masks: " + masks.resolve("b.png") + ": a 46000x46000 16-bit gray image needs about 27.6 GiB of memory to decode");
    Path truth = Files.createDirectory(dir.resolve("truth"));
    Path pred = Files.createDirectory(dir.resolve("pred"));
    Images.writeGrayPng(truth.resolve("x.png"), new float[1024], 32, 32);
    Files.write(pred.resolve("x.png"), headerOnlyPng(20000, 20000, 16));
    Cli.run("evaluate", "--truth", truth.toString(), "--pred", pred.toString())
        .badInput("--pred: " + pred.resolve("x.png") + " has size 20000x20000 but its mask " + truth.resolve("x.png") + " has size 32x32");
    Files.write(truth.resolve("x.png"), headerOnlyPng(30000, 30000, 8));
    Files.write(pred.resolve("x.png"), headerOnlyPng(30000, 30000, 8));
    Cli.run("evaluate", "--truth", truth.toString(), "--pred", pred.toString())
        .badInput("--truth: " + truth.resolve("x.png") + ": a 30000x30000 8-bit gray image needs about 10.9 GiB of memory to decode");
  }

  /** Item 7: a truncated BMP said "cannot decode the image (EOFException: null)". */
  @Test
  void truncatedBmpSaysSo() throws IOException {
    Path masks = Files.createDirectory(dir.resolve("bmp"));
    Path f = masks.resolve("m.bmp");
    java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(16, 16, java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    javax.imageio.ImageIO.write(img, "bmp", o);
    byte[] b = o.toByteArray();
    Files.write(f, Arrays.copyOf(b, b.length - 10));
    assertEquals("segloss weights: --masks: " + f + ": truncated BMP: the header declares " + b.length + " bytes, the file has " + (b.length - 10),
        Cli.run("weights", "--masks", masks.toString()).badInput());
  }

  /** Item 8: a .npy header holding ESC[2J cleared the terminal; now it is printed escaped. */
  @Test
  void controlCharactersFromFilesArePrintedEscaped() throws IOException {
    String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (4, \u001b[2J), }";
    String h = dict + " ".repeat((64 - (10 + dict.length() + 1) % 64) % 64) + "\n";
    ByteBuffer b = ByteBuffer.allocate(10 + h.length() + 16).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) h.length()).put(h.getBytes(StandardCharsets.ISO_8859_1));
    Path f = dir.resolve("esc.npy");
    Files.write(f, b.array());
    Cli c = Cli.run("loss", "--loss", "dice", "--y-true", T, "--y-pred", f.toString());
    String line = c.badInput("--y-pred", "malformed .npy header", "\\x1b[2J");
    assertTrue(c.err.indexOf('\u001b') < 0, "no raw ESC on stderr: " + c.err);
    // a file name with ESC, a carriage return and a backspace: escaped by the CLI's one writer
    Path odd = dir.resolve("a\u001b[2Jb\rc\bd.npy");
    Files.write(odd, new byte[] {1, 2, 3});
    Cli d = Cli.run("loss", "--loss", "dice", "--y-true", T, "--y-pred", odd.toString());
    line = d.badInput("not a .npy file");
    assertTrue(line.contains("a\\x1b[2Jb\\rc\\x08d.npy"), line);
    for (char ctl : new char[] {'\u001b', '\r', '\b'}) assertTrue(d.err.indexOf(ctl) < 0, "escaped " + (int) ctl + ": " + d.err);
  }

  @Test
  void terminalSafeWriterPassesLayoutColoursAndTheProgressCarriageReturn() throws IOException {
    StringWriter s = new StringWriter();
    PrintWriter out = new PrintWriter(new TerminalSafeWriter(s, true), true);
    out.print("\u001b[1mbold\u001b[21m\u001b[0m\ttab\n");
    out.print('\r');
    out.print("line\rover\u0008\u202e\u001b[2J\u009b" + "\ud83d\ude00");
    out.print("x\ud83d");
    out.print("\ude00y");
    out.flush();
    assertEquals("\u001b[1mbold\u001b[21m\u001b[0m\ttab\n\rline\\rover\\x08\\u202e\\x1b[2J\\x9b\ud83d\ude00x\ud83d\ude00y", s.toString());
    StringWriter e = new StringWriter();
    PrintWriter err = new PrintWriter(new TerminalSafeWriter(e, false), true);
    err.print("\u001b[1mno colours on stderr");
    err.flush();
    assertEquals("\\x1b[1mno colours on stderr", e.toString());
  }
}
