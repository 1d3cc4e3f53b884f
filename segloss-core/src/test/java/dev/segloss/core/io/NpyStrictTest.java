package dev.segloss.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segloss.core.InvalidInputException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9, item 1: a {@code .npy} file is read only when it is exactly what the format describes; every
 * other file is a one-line error naming the file (and, for bytes after the header dict, their offset).
 * What numpy 2.4's {@code np.load} accepts was checked case by case (noted at each case).
 */
class NpyStrictTest {
  static final Path SEED_PRED = Path.of("..", "examples", "seed", "y_pred.npy");
  static final byte[] TWO_FLOATS = {0, 0, (byte) 0x80, 0x3f, 0, 0, 0, 0x40}; // 1.0f, 2.0f little-endian

  @TempDir Path dir;

  private InvalidInputException error(Path f) {
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> Npy.read(f));
    assertTrue(e.getMessage().startsWith(f + ": "), "names the file: " + e.getMessage());
    assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    return e;
  }

  private Path write(String name, byte[] bytes) throws IOException {
    Path f = dir.resolve(name);
    Files.write(f, bytes);
    return f;
  }

  /** A file of format {@code version} with exactly this header text (no padding added) and data. */
  static byte[] npy(int version, String header, byte[] data) {
    byte[] h = header.getBytes(version == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    int pre = version == 1 ? 10 : 12;
    ByteBuffer b = ByteBuffer.allocate(pre + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) version, 0});
    if (version == 1) b.putShort((short) h.length);
    else b.putInt(h.length);
    return b.put(h).put(data).array();
  }

  /** The dict padded with spaces and one newline to a multiple of 64 bytes, as numpy writes it. */
  static String padded(String dict, int preamble) {
    int len = dict.getBytes(StandardCharsets.UTF_8).length + 1;
    return dict + " ".repeat((64 - (preamble + len) % 64) % 64) + "\n";
  }

  static byte[] insert(byte[] b, int at, byte... bytes) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    o.write(b, 0, at);
    o.write(bytes, 0, bytes.length);
    o.write(b, at, b.length - at);
    return o.toByteArray();
  }

  /** The reproducer: 00 00 80 3f inserted after the '}' of the seed's y_pred.npy gave dice 0.8461538. */
  @Test
  void bytesInsertedAfterTheHeaderDictAreAnErrorNamingTheirOffset() throws IOException {
    byte[] seed = Files.readAllBytes(SEED_PRED);
    assertArrayEquals(new float[] {0.9f, 0.1f, 0.2f, 0.8f}, Npy.read(SEED_PRED).data(), "the unmutated file");
    int brace = new String(seed, StandardCharsets.ISO_8859_1).indexOf('}');
    assertEquals(74, brace);
    byte[] four = {0, 0, (byte) 0x80, 0x3f};
    Path f = write("y_pred.npy", insert(seed, brace + 1, four));
    String m = error(f).getMessage();
    assertEquals(f + ": unexpected byte 0x00 at byte offset 75 after the .npy header dictionary; only space padding and one final"
        + " newline may follow it", m);
    // the same bytes with the header length raised to cover them (data still where the header says): refused too
    byte[] g = insert(seed, brace + 1, four);
    g[8] += 4;
    Path f2 = write("y_pred2.npy", g);
    assertTrue(error(f2).getMessage().contains("unexpected byte 0x00 at byte offset 75"));
  }

  @Test
  void dataMustHaveExactlyTheLengthTheHeaderImplies() throws IOException {
    byte[] seed = Files.readAllBytes(SEED_PRED);
    byte[] longer = Arrays.copyOf(seed, seed.length + 4);
    String m = error(write("longer.npy", longer)).getMessage();
    assertTrue(m.contains("4 unexpected byte(s) after the data, from byte offset 144") && m.contains("accounts for 16 data bytes")
        && m.contains("holds 20"), m);
    byte[] shorter = Arrays.copyOf(seed, seed.length - 1);
    m = error(write("shorter.npy", shorter)).getMessage();
    assertTrue(m.contains("truncated data") && m.contains("(16 bytes)") && m.contains("only 15 data bytes"), m);
    // two arrays saved one after the other into one file (np.save twice on one handle): numpy.load reads the
    // first and ignores the rest; segloss refuses rather than guess
    m = error(write("two.npy", insert(seed, seed.length, seed))).getMessage();
    assertTrue(m.contains("144 unexpected byte(s) after the data") && m.contains("a second array appended"), m);
  }

  @Test
  void paddingIsSpacesThenOneFinalNewline() throws IOException {
    String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }";
    // numpy writes: dict, spaces, '\n' — read
    assertArrayEquals(new float[] {1, 2}, Npy.read(write("ok.npy", npy(1, padded(dict, 10), TWO_FLOATS))).data());
    assertArrayEquals(new float[] {1, 2}, Npy.read(write("nopad.npy", npy(1, dict + "\n", TWO_FLOATS))).data());
    // no final newline
    Path f = write("nonl.npy", npy(1, dict + "   ", TWO_FLOATS));
    assertTrue(error(f).getMessage().contains("does not end with a newline"), error(f).getMessage());
    f = write("nonl2.npy", npy(1, dict, TWO_FLOATS));
    assertTrue(error(f).getMessage().contains("does not end with a newline"));
    // the newline before the padding, a tab, a second newline: each names the first offending byte
    int at = 10 + dict.length();
    assertTrue(error(write("nlfirst.npy", npy(1, dict + "\n  ", TWO_FLOATS))).getMessage()
        .contains("unexpected byte 0x0a at byte offset " + at));
    assertTrue(error(write("tab.npy", npy(1, dict + " \t\n", TWO_FLOATS))).getMessage()
        .contains("unexpected byte 0x09 at byte offset " + (at + 1)));
    assertTrue(error(write("twonl.npy", npy(1, dict + "\n\n", TWO_FLOATS))).getMessage()
        .contains("unexpected byte 0x0a at byte offset " + at));
    assertTrue(error(write("text.npy", npy(1, dict + " x\n", TWO_FLOATS))).getMessage()
        .contains("unexpected byte 0x78 ('x') at byte offset " + (at + 1)));
    // version 3 (UTF-8): the offset counts bytes
    String d3 = "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }";
    assertTrue(error(write("v3.npy", npy(3, d3 + "\u00e9\n", TWO_FLOATS))).getMessage()
        .contains("unexpected byte 0xc3 at byte offset " + (12 + d3.length())));
  }

  @Test
  void onlyVersions10_20_30() throws IOException {
    byte[] seed = Files.readAllBytes(SEED_PRED);
    byte[] minor = seed.clone();
    minor[7] = 1; // numpy: "we only support format version (1,0), (2,0), and (3,0), not (1, 1)"
    assertTrue(error(write("v11.npy", minor)).getMessage().contains("unsupported .npy format version 1.1; expected 1.0, 2.0 or 3.0"));
    byte[] v4 = seed.clone();
    v4[6] = 4;
    assertTrue(error(write("v4.npy", v4)).getMessage().contains("version 4.0"));
    byte[] v0 = seed.clone();
    v0[6] = 0;
    assertTrue(error(write("v0.npy", v0)).getMessage().contains("version 0.0"));
  }

  /** Headers numpy 2.4's np.load reads (each checked): segloss reads them to the same array. */
  @Test
  void pythonLiteralSyntaxNumpyAcceptsIsRead() throws IOException {
    String[] accepted = {
      "{\"descr\": \"<f4\", \"fortran_order\": False, \"shape\": (2,)}", // double quotes, no trailing comma
      "{'shape': (2,), 'fortran_order': False, 'descr': '<f4'}", // any key order
      "{\n 'descr' : '<f4' ,\t'fortran_order':False,\r\n'shape':( 2 , ) }", // whitespace and newlines between tokens
      "\t {'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", // leading blanks (literal_eval strips them)
      "{'descr': '<f4', 'fortran_order': False, 'shape': (2L,), }", // Python 2's long suffix (numpy's _filter_header)
      "{'descr': '<f4', 'fortran_order': False, 'shape': (0x2,), }", // hexadecimal
      "{'descr': '<f4', 'fortran_order': False, 'shape': ((2,)), }", // a parenthesized tuple
      "{'descr': '<f4', 'fortran_order': False, 'shape': (+2,), }", // unary plus
      "{'descr': '<i4', 'descr': '<f4', 'fortran_order': False, 'shape': (2,)}", // repeated key: the last wins
      "{'descr': '=f4', 'fortran_order': False, 'shape': (2,), }", // native order
      "{'descr': 'f4', 'fortran_order': False, 'shape': (2,), }", // no order character: native
      "{'descr': '<f04', 'fortran_order': False, 'shape': (2,), }",
    };
    for (int k = 0; k < accepted.length; k++) {
      Path f = write("ok" + k + ".npy", npy(1, padded(accepted[k], 10), TWO_FLOATS));
      assertArrayEquals(new float[] {1, 2}, Npy.read(f).data(), accepted[k]);
      assertArrayEquals(new int[] {2}, Npy.read(f).shape(), accepted[k]);
    }
    Path big = write("under.npy", npy(1, padded("{'descr': '|u1', 'fortran_order': False, 'shape': (2_0,), }", 10), new byte[20]));
    assertArrayEquals(new int[] {20}, Npy.read(big).shape(), "underscores between digits");
  }

  /** Headers numpy refuses (each checked with numpy 2.4), and a few it reads that segloss refuses on purpose. */
  @Test
  void headersOutsideTheFormatAreRefused() throws IOException {
    String[][] refused = {
      // numpy refuses
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (2), }", "malformed shape (not a tuple): 2"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': [2], }", "malformed shape (not a tuple): [2]"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'x': 1}", "unexpected key 'x'"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (True, 2), }", "malformed shape: (True, 2)"},
      {"{'descr': '<f4', 'fortran_order': 0, 'shape': (2,), }", "non-boolean fortran_order: 0"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (0_2,), }", "'0_2' is not an integer"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (02,), }", "'02' is not an integer"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (2.0,), }", "'2.0' is not an integer"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (-2,), }", "malformed shape: (-2,)"},
      {"{'descr', 'fortran_order', 'shape'}", "expected ':'"},
      {"('descr', '<f4')", "expected '{'"},
      // numpy reads these; segloss refuses them (no writer produces them; an error cannot be a wrong value)
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (2,), } # comment", "unexpected byte 0x23 ('#')"},
      {"{'descr': u'<f4', 'fortran_order': False, 'shape': (2,), }", "unexpected 'u'"},
      {"{'descr': '<f\\x34', 'fortran_order': False, 'shape': (2,), }", "escape sequences in strings are not supported"},
    };
    for (int k = 0; k < refused.length; k++) {
      Path f = write("bad" + k + ".npy", npy(1, padded(refused[k][0], 10), TWO_FLOATS));
      String m = error(f).getMessage();
      assertTrue(m.contains(refused[k][1]), refused[k][0] + " -> " + m);
    }
    // the Python 2 suffix is accepted in versions 1.0 and 2.0 only, as numpy does
    Path v3 = write("v3L.npy", npy(3, padded("{'descr': '<f4', 'fortran_order': False, 'shape': (2L,), }", 12), TWO_FLOATS));
    assertTrue(error(v3).getMessage().contains("'2L' is not an integer"));
    // invalid UTF-8 in a version 3.0 header (numpy: UnicodeDecodeError)
    byte[] bad = npy(3, padded("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", 12), TWO_FLOATS);
    bad[12 + 3] = (byte) 0xff;
    assertTrue(error(write("utf.npy", bad)).getMessage().contains("not valid UTF-8 (byte offset 15)"));
  }

  /** Issue 9, item 6 for arrays: one that would not fit in the heap budget is refused before it is read. */
  @Test
  void arraysBeyondTheMemoryBudgetAreRefusedBeforeReading() throws IOException {
    // a sparse file of 300,000,000 float32 values (1.1 GiB, no disk blocks): exactly as long as its header says
    String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (300000000,), }";
    Path f = write("big.npy", npy(1, padded(dict, 10), new byte[0]));
    try (java.io.RandomAccessFile raf = new java.io.RandomAccessFile(f.toFile(), "rw")) {
      raf.setLength(raf.length() + 1_200_000_000L);
    }
    assertEquals(300_000_000L, Npy.readHeader(f).count());
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> Npy.read(f, 1L << 30));
    assertEquals(f + ": 300000000 elements need about 1.1 GiB of memory as float32 but only 1.0 GiB is available (the given budget)",
        e.getMessage());
  }

  /** Issue 9, item 8 at the source: a header holding ESC[2J is quoted escaped, never raw. */
  @Test
  void controlCharactersFromTheHeaderAreEscapedInMessages() throws IOException {
    Path f = write("esc.npy", npy(1, padded("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }\u001b[2J", 10), TWO_FLOATS));
    String m = error(f).getMessage();
    assertTrue(m.contains("unexpected byte 0x1b at byte offset 67"), m);
    Path g = write("esc2.npy", npy(1, padded("{'descr': '<f4', 'fortran_order': False, 'shape': (2, \u001b[2J), }", 10), TWO_FLOATS));
    m = error(g).getMessage();
    assertTrue(m.contains("\\x1b[2J") && m.indexOf('\u001b') < 0, m);
    Path h = write("esc3.npy", npy(1, padded("{'descr': '<f4\u009b2J', 'fortran_order': False, 'shape': (2,), }", 10), TWO_FLOATS));
    m = error(h).getMessage();
    assertTrue(m.contains("'<f4\\x9b2J'") && m.indexOf('\u009b') < 0, m);
  }
}
