package dev.segloss.data.nifti;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segloss.core.InvalidInputException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9 fuzz test for the NIfTI reader: seeded mutations (bit flips, replaced, inserted and deleted
 * bytes, truncation, appended bytes, copied runs) of valid {@code .nii} and {@code .nii.gz} volumes.
 * Each mutated file must give either a one-line {@link InvalidInputException} naming the file, or:
 *
 * <ul>
 *   <li>{@code .nii.gz}: exactly the original voxels and dimensions (the gzip CRC-32 and length, and the
 *       exact data length, leave nothing else);
 *   <li>{@code .nii}: the original voxels, except a voxel whose own bytes changed, which holds what its
 *       new bytes say, and the scaling the (changed) scl_slope/scl_inter say, as this test reads them
 *       (NIfTI has no checksum; these fields and the voxel bytes are content). Any other header byte
 *       changed: an error or the very same voxels.
 * </ul>
 *
 * Never another exception, never a hang (the timeout).
 */
class NiftiFuzzTest {
  static final int MUTATIONS = 1200;
  private static final byte[] INTERESTING = {0, 1, 0x7f, (byte) 0x80, (byte) 0xff, 0x1f, (byte) 0x8b, 8, 0x40, 0x43, 0x5c};

  @TempDir Path dir;

  /** One volume: its bytes, data type, byte order, voxels as written. */
  record Base(String name, byte[] bytes, int datatype, ByteOrder order, float[] voxels, boolean gz) {}

  private Base base(String name, NiftiTestWriter w, double[] values, int datatype, ByteOrder order) throws IOException {
    Path f = w.datatype(datatype).order(order).write(dir.resolve(name), values);
    float[] v = new float[values.length];
    for (int i = 0; i < v.length; i++) v[i] = (float) values[i];
    return new Base(name, Files.readAllBytes(f), datatype, order, v, name.endsWith(".gz"));
  }

  private static byte[] mutate(byte[] in, Random r, int focusTo, int[] where) {
    int n = in.length;
    int pos = r.nextBoolean() ? r.nextInt(Math.min(focusTo, n)) : r.nextInt(n);
    where[0] = pos;
    int kind = r.nextInt(7);
    where[1] = kind;
    switch (kind) {
      case 0: {
        byte[] b = in.clone();
        b[pos] ^= (byte) (1 << r.nextInt(8));
        return b;
      }
      case 1: {
        byte[] b = in.clone();
        byte v = r.nextBoolean() ? INTERESTING[r.nextInt(INTERESTING.length)] : (byte) r.nextInt(256);
        b[pos] = v == b[pos] ? (byte) (v ^ 1) : v;
        return b;
      }
      case 2: {
        byte[] add = new byte[1 + r.nextInt(4)];
        r.nextBytes(add);
        byte[] b = new byte[n + add.length];
        System.arraycopy(in, 0, b, 0, pos);
        System.arraycopy(add, 0, b, pos, add.length);
        System.arraycopy(in, pos, b, pos + add.length, n - pos);
        return b;
      }
      case 3: {
        int k = Math.min(1 + r.nextInt(4), n - pos);
        byte[] b = new byte[n - k];
        System.arraycopy(in, 0, b, 0, pos);
        System.arraycopy(in, pos + k, b, pos, n - pos - k);
        return b;
      }
      case 4:
        return Arrays.copyOf(in, pos);
      case 5: {
        byte[] b = Arrays.copyOf(in, n + 1 + r.nextInt(8));
        for (int i = n; i < b.length; i++) b[i] = (byte) r.nextInt(256);
        return b;
      }
      default: {
        int len = 1 + r.nextInt(16);
        int from = r.nextInt(n - len);
        byte[] b = in.clone();
        System.arraycopy(in, from, b, Math.min(pos, n - len), len);
        return b;
      }
    }
  }

  /** The voxel the test expects at {@code i} of a mutated uncompressed file of the same length. */
  private static float expected(Base b, byte[] mutated, int i, double slope, double inter, boolean scales) {
    int bpv = NiftiHeader.bytesPerVoxel(b.datatype());
    ByteBuffer d = ByteBuffer.wrap(mutated, 352 + i * bpv, bpv).slice().order(b.order());
    double raw;
    switch (b.datatype()) {
      case NiftiHeader.DT_UINT8: raw = d.get(0) & 0xff; break;
      case NiftiHeader.DT_INT16: raw = d.getShort(0); break;
      case NiftiHeader.DT_FLOAT32: raw = d.getFloat(0); break;
      default: throw new AssertionError(b.datatype());
    }
    return scales ? (float) ((float) raw * slope + inter) : (float) raw;
  }

  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void mutatedNiftiFilesAreAnErrorOrExactlyWhatTheirBytesSay() throws IOException {
    double[] labels = NiftiStrictTest.labels();
    double[] signed = new double[8 * 8 * 4];
    double[] real = new double[6 * 5 * 4];
    Random vr = new Random(2);
    for (int i = 0; i < signed.length; i++) signed[i] = vr.nextInt(2001) - 1000;
    for (int i = 0; i < real.length; i++) real[i] = (float) vr.nextGaussian();
    Base[] bases = {
      base("labels.nii.gz", new NiftiTestWriter().dims(16, 16, 8), labels, NiftiHeader.DT_UINT8, ByteOrder.LITTLE_ENDIAN),
      base("real.nii.gz", new NiftiTestWriter().dims(6, 5, 4), real, NiftiHeader.DT_FLOAT32, ByteOrder.BIG_ENDIAN),
      base("labels.nii", new NiftiTestWriter().dims(16, 16, 8), labels, NiftiHeader.DT_UINT8, ByteOrder.LITTLE_ENDIAN),
      base("signed.nii", new NiftiTestWriter().dims(8, 8, 4), signed, NiftiHeader.DT_INT16, ByteOrder.LITTLE_ENDIAN),
      base("real.nii", new NiftiTestWriter().dims(6, 5, 4), real, NiftiHeader.DT_FLOAT32, ByteOrder.BIG_ENDIAN),
    };
    Random r = new Random(77);
    int errors = 0;
    int read = 0;
    int[] where = new int[2];
    for (Base b : bases) {
      Path f = dir.resolve("fuzz-" + b.name());
      try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
        write(raf, b.bytes());
        NiftiVolume original = NiftiReader.read(f, 0);
        assertArrayEquals(b.voxels(), original.data(), b.name());
        for (int k = 0; k < MUTATIONS; k++) {
          byte[] m = mutate(b.bytes(), r, b.gz() ? 40 : 360, where);
          String what = b.name() + ": mutation " + where[1] + " at " + where[0];
          write(raf, m);
          NiftiVolume v;
          try {
            v = NiftiReader.read(f, 0);
          } catch (InvalidInputException e) {
            assertTrue(e.getMessage().contains(f.toString()), what + ": names the file: " + e.getMessage());
            assertFalse(e.getMessage().contains("\n"), what + ": one line: " + e.getMessage());
            errors++;
            continue;
          } catch (RuntimeException | Error e) {
            throw new AssertionError(what + ": " + e, e);
          }
          read++;
          assertArrayEquals(original.header().spatialDims(), v.header().spatialDims(), what + ": dims");
          assertEquals(original.header().frames(), v.header().frames(), what + ": frames");
          float[] got = v.data();
          if (b.gz()) {
            assertArrayEquals(b.voxels(), got, what + " gave other voxels");
            continue;
          }
          assertEquals(b.bytes().length, m.length, what + ": a file of another length was read");
          ByteBuffer h = ByteBuffer.wrap(m).order(b.order());
          double slope = h.getFloat(112);
          double inter = h.getFloat(116);
          boolean scales = slope != 0 && Double.isFinite(slope) && Double.isFinite(inter) && !(slope == 1 && inter == 0);
          for (int i = 0; i < got.length; i++) {
            float want = expected(b, m, i, slope, inter, scales);
            if (Float.isNaN(want) && Float.isNaN(got[i])) continue;
            assertEquals(want, got[i], 0f, what + ": voxel " + i);
          }
        }
      }
    }
    assertEquals(bases.length * MUTATIONS, errors + read);
    assertTrue(errors > 2000 && read > 500, errors + " errors, " + read + " read");
  }

  private static void write(RandomAccessFile raf, byte[] b) throws IOException {
    raf.seek(0);
    raf.write(b);
    raf.setLength(b.length);
  }
}
