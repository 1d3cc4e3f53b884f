package dev.segloss.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.segloss.core.InvalidInputException;
import dev.segloss.core.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9 fuzz test for the {@code .npy} reader: thousands of seeded mutations of valid files (written
 * by numpy and by segloss, versions 1.0 to 3.0, several dtypes and both byte orders). Each mutated file
 * must give either a one-line {@link InvalidInputException} naming the file, or exactly the array the
 * bytes describe, as this test decodes them on its own: for a mutation that keeps the length, the original
 * shape with the data bytes read as the (possibly mutated) {@code descr} says (a changed data byte changes
 * its element, and only that one; {@code '<f4'} turned into {@code '>f4'} is a different, valid file). A
 * mutation that changes the length must be an error (the data length is exact). Never another exception,
 * never a hang (the timeout).
 */
class NpyFuzzTest {
  static final int MUTATIONS_PER_FILE = 1000;
  static final Pattern DESCR = Pattern.compile("'descr':\\s*'([<>|=])([biuf])(\\d+)'");

  @TempDir Path dir;

  private List<byte[]> bases() throws IOException {
    List<byte[]> out = new ArrayList<>();
    out.add(Files.readAllBytes(Path.of("..", "examples", "seed", "y_pred.npy")));
    for (String b64 : new String[] {NpyTest.NUMPY_V1_BIG_ENDIAN_INT16, NpyTest.NUMPY_V2_FLOAT64, NpyTest.NUMPY_V3_UINT8, NpyTest.NUMPY_BOOL}) {
      out.add(Base64.getDecoder().decode(b64));
    }
    Random r = new Random(1);
    float[] v = new float[12];
    for (int i = 0; i < v.length; i++) v[i] = (float) r.nextGaussian();
    Path f = dir.resolve("base.npy");
    Npy.write(f, Tensor.of(v, 3, 4), Npy.DType.FLOAT32, ByteOrder.BIG_ENDIAN);
    out.add(Files.readAllBytes(f));
    Npy.write(f, Tensor.of(new float[] {1, -2, 3, 40000, 5, -6}, 2, 3), Npy.DType.INT32, ByteOrder.LITTLE_ENDIAN);
    out.add(Files.readAllBytes(f));
    return out;
  }

  /** The header length (preamble included) of a valid file. */
  static int dataOffset(byte[] b) {
    int major = b[6];
    return major == 1 ? 10 + ((b[8] & 0xff) | (b[9] & 0xff) << 8) : 12 + ByteBuffer.wrap(b, 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
  }

  /**
   * The test's own reading of a same-length mutation: the data bytes (from the original offset) as the
   * header's descr, found by a regular expression, says; null when the descr is not one of these.
   */
  static float[] decode(byte[] b, int offset, int count) {
    String header = new String(b, 0, offset, StandardCharsets.ISO_8859_1);
    Matcher m = DESCR.matcher(header);
    if (!m.find()) return null;
    ByteOrder order = m.group(1).equals(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    char kind = m.group(2).charAt(0);
    int size = Integer.parseInt(m.group(3));
    if ((long) count * size != b.length - offset) return null;
    ByteBuffer d = ByteBuffer.wrap(b, offset, b.length - offset).slice().order(order);
    float[] out = new float[count];
    for (int i = 0; i < count; i++) {
      String k = kind + "" + size;
      switch (k) {
        case "b1": out[i] = d.get(i) != 0 ? 1 : 0; break;
        case "i1": out[i] = d.get(i); break;
        case "u1": out[i] = d.get(i) & 0xff; break;
        case "i2": out[i] = d.getShort(2 * i); break;
        case "u2": out[i] = d.getShort(2 * i) & 0xffff; break;
        case "i4": out[i] = d.getInt(4 * i); break;
        case "u4": out[i] = d.getInt(4 * i) & 0xffffffffL; break;
        case "f4": out[i] = d.getFloat(4 * i); break;
        case "i8": out[i] = d.getLong(8 * i); break;
        case "f8": out[i] = (float) d.getDouble(8 * i); break;
        default: return null; // u8, f2 and others: not produced by one mutation of these files
      }
    }
    return out;
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void mutatedNpyFilesAreAnErrorOrExactlyWhatTheirBytesSay() throws IOException {
    Random r = new Random(20240911);
    int errors = 0;
    int read = 0;
    Path f = dir.resolve("fuzz.npy");
    try (ScratchFile scratch = new ScratchFile(f)) {
      for (byte[] base : bases()) {
        scratch.write(base);
        Tensor original = Npy.read(f);
        int offset = dataOffset(base);
        for (int k = 0; k < MUTATIONS_PER_FILE; k++) {
          Mutator.Mutation m = Mutator.mutate(base, r, 0, offset);
          scratch.write(m.bytes());
          Tensor t;
          try {
            t = Npy.read(f);
          } catch (InvalidInputException e) {
            assertTrue(e.getMessage().startsWith(f + ": "), m + ": names the file: " + e.getMessage());
            assertFalse(e.getMessage().contains("\n"), m + ": one line: " + e.getMessage());
            errors++;
            continue;
          } catch (RuntimeException | Error e) {
            throw new AssertionError(m + " on " + original + ": " + e, e);
          }
          read++;
          if (m.bytes().length != base.length) fail(m + ": a file of another length was read: " + t);
          assertArrayEquals(original.shape(), t.shape(), m + ": shape");
          float[] want = decode(m.bytes(), offset, original.size());
          if (want == null) fail(m + ": read, but the header is not one this test can decode: " + new String(m.bytes(), 0, offset, StandardCharsets.ISO_8859_1));
          float[] got = t.data();
          for (int i = 0; i < got.length; i++) {
            if (Float.isNaN(want[i]) && Float.isNaN(got[i])) continue;
            assertEquals(Float.floatToIntBits(want[i]), Float.floatToIntBits(got[i]), m + ": element " + i);
          }
        }
      }
    }
    int total = bases().size() * MUTATIONS_PER_FILE;
    assertEquals(total, errors + read);
    assertTrue(errors > total / 2, errors + " errors of " + total);
    assertTrue(read > 100, read + " mutations read");
  }
}
