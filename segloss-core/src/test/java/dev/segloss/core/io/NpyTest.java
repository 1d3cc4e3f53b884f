package dev.segloss.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segloss.core.InvalidInputException;
import dev.segloss.core.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NpyTest {
  @TempDir Path dir;

  /** Per dtype: values it holds exactly, including its extremes where float32 holds them. */
  static Stream<Arguments> dtypes() {
    return Stream.of(
        Arguments.of(Npy.DType.BOOL, new float[] {0, 1, 1, 0, 0, 1}),
        Arguments.of(Npy.DType.INT8, new float[] {-128, 127, 0, -1, 5, 1}),
        Arguments.of(Npy.DType.UINT8, new float[] {0, 255, 1, 128, 7, 200}),
        Arguments.of(Npy.DType.INT16, new float[] {-32768, 32767, 0, -1, 300, 1}),
        Arguments.of(Npy.DType.UINT16, new float[] {0, 65535, 1, 40000, 7, 2}),
        Arguments.of(Npy.DType.INT32, new float[] {-0x1p31f, 2147483520f, 0, -1, 123456, 1}),
        Arguments.of(Npy.DType.UINT32, new float[] {0, 4294967040f, 1, 0x1p31f, 7, 3}),
        Arguments.of(Npy.DType.INT64, new float[] {-0x1p63f, 0x1p62f, 0, -1, 1e10f, 1}),
        Arguments.of(Npy.DType.UINT64, new float[] {0, 0x1p63f, 0x1p64f - 0x1p40f, 1, 1e10f, 3}),
        Arguments.of(Npy.DType.FLOAT16, new float[] {0.5f, -2f, 65504f, 0x1p-14f, 0x1p-24f, Float.POSITIVE_INFINITY}),
        Arguments.of(Npy.DType.FLOAT32, new float[] {0.1f, -1e-30f, Float.MAX_VALUE, Float.MIN_VALUE, -0f, Float.NaN}),
        Arguments.of(Npy.DType.FLOAT64, new float[] {0.1f, -1e-30f, Float.MAX_VALUE, Float.MIN_VALUE, 1f / 3, Float.NEGATIVE_INFINITY}));
  }

  @ParameterizedTest
  @MethodSource("dtypes")
  void roundTripEveryDtypeBothByteOrders(Npy.DType dtype, float[] values) {
    for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
      Path f = dir.resolve(dtype + "-" + order + ".npy");
      Npy.write(f, Tensor.of(values, 2, 3), dtype, order);
      Npy.Header h = Npy.readHeader(f);
      assertEquals(dtype, h.dtype());
      assertEquals(dtype.size() == 1 ? ByteOrder.LITTLE_ENDIAN : order, h.order());
      assertArrayEquals(new int[] {2, 3}, h.shape());
      assertEquals(0, h.dataOffset() % 64, "data aligned to 64 bytes");
      Tensor t = Npy.read(f);
      assertArrayEquals(new int[] {2, 3}, t.shape());
      assertArrayEquals(values, t.data(), 0f, dtype + " " + order);
    }
  }

  @Test
  void float32WriterIsLittleEndianVersion1() throws IOException {
    Path f = dir.resolve("a.npy");
    Npy.write(f, new float[] {1.5f, -2f, 0.25f}, 3);
    byte[] b = Files.readAllBytes(f);
    assertEquals(1, b[6]);
    assertEquals(0, b[7]);
    int hlen = (b[8] & 0xff) | (b[9] & 0xff) << 8;
    String header = new String(b, 10, hlen, StandardCharsets.ISO_8859_1);
    assertTrue(header.startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }"), header);
    assertTrue(header.endsWith("\n"));
    assertEquals(10 + hlen + 12, b.length);
    ByteBuffer d = ByteBuffer.wrap(b, 10 + hlen, 12).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(1.5f, d.getFloat());
    assertEquals(-2f, d.getFloat());
    assertEquals(0.25f, d.getFloat());
  }

  // Files written by NumPy 2.4 (np.save / np.lib.format.write_array), base64.
  static final String NUMPY_V1_BIG_ENDIAN_INT16 =
      "k05VTVBZAQB2AHsnZGVzY3InOiAnPmkyJywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDMpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAr//f/+//8AAAABAAI=";
  static final String NUMPY_V2_FLOAT64 =
      "k05VTVBZAgB0AAAAeydkZXNjcic6ICc8ZjgnLCAnZm9ydHJhbl9vcmRlcic6IEZhbHNlLCAnc2hhcGUnOiAoMSwgMiksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAADQPwAAAAAAAPi/";
  static final String NUMPY_V3_UINT8 =
      "k05VTVBZAwB0AAAAeydkZXNjcic6ICd8dTEnLCAnZm9ydHJhbl9vcmRlcic6IEZhbHNlLCAnc2hhcGUnOiAoMywpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoBAv8=";
  static final String NUMPY_BOOL =
      "k05VTVBZAQB2AHsnZGVzY3InOiAnfGIxJywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDIpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoBAAAB";
  static final String NUMPY_FLOAT16 =
      "k05VTVBZAQB2AHsnZGVzY3InOiAnPGYyJywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDQsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAOADA/3sABA==";
  static final String NUMPY_FORTRAN =
      "k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBUcnVlLCAnc2hhcGUnOiAoMiwgMyksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAABAQAAAgD8AAIBAAAAAQAAAoEA=";
  static final String NUMPY_COMPLEX64 =
      "k05VTVBZAQB2AHsnZGVzY3InOiAnPGM4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDEsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAIA/AAAAQA==";
  static final String NUMPY_STRUCTURED =
      "k05VTVBZAQB2AHsnZGVzY3InOiBbKCdhJywgJzxmNCcpLCAoJ2InLCAnPGk0JyldLCAnZm9ydHJhbl9vcmRlcic6IEZhbHNlLCAnc2hhcGUnOiAoMiwpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAAAAAAAAAAAAAAAA";
  static final String NUMPY_SCALAR =
      "k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKCksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAGBA";

  private Path numpyFile(String name, String base64) throws IOException {
    Path f = dir.resolve(name);
    Files.write(f, Base64.getDecoder().decode(base64));
    return f;
  }

  @Test
  void readsFilesWrittenByNumpy() throws IOException {
    Tensor a = Npy.read(numpyFile("i2.npy", NUMPY_V1_BIG_ENDIAN_INT16));
    assertArrayEquals(new int[] {2, 3}, a.shape());
    assertArrayEquals(new float[] {-3, -2, -1, 0, 1, 2}, a.data());
    assertEquals(ByteOrder.BIG_ENDIAN, Npy.readHeader(dir.resolve("i2.npy")).order());

    Path v2 = numpyFile("f8.npy", NUMPY_V2_FLOAT64);
    assertEquals(2, Npy.readHeader(v2).majorVersion());
    assertArrayEquals(new float[] {0.25f, -1.5f}, Npy.read(v2).data());
    assertArrayEquals(new int[] {1, 2}, Npy.read(v2).shape());

    Path v3 = numpyFile("u1.npy", NUMPY_V3_UINT8);
    assertEquals(3, Npy.readHeader(v3).majorVersion());
    assertArrayEquals(new float[] {1, 2, 255}, Npy.read(v3).data());

    assertArrayEquals(new float[] {1, 0, 0, 1}, Npy.read(numpyFile("b.npy", NUMPY_BOOL)).data());
    assertArrayEquals(new float[] {0.5f, -2f, 65504f, 0x1p-14f}, Npy.read(numpyFile("f2.npy", NUMPY_FLOAT16)).data());
  }

  @Test
  void float16ConversionIsExactOnEveryHalfValue() {
    for (int bits = 0; bits < 0x10000; bits++) {
      short h = (short) bits;
      float f = Npy.halfToFloat(h);
      if (Float.isNaN(f)) {
        assertTrue(Float.isNaN(Npy.halfToFloat(Npy.floatToHalf(f))));
        continue;
      }
      assertEquals(h, Npy.floatToHalf(f), "half bits " + Integer.toHexString(bits));
    }
    // rounding: halfway between 1 and 1+2^-10 rounds to even (1); just above rounds up
    assertEquals(1f, Npy.halfToFloat(Npy.floatToHalf(1f + 0x1p-11f)));
    assertEquals(1f + 0x1p-10f, Npy.halfToFloat(Npy.floatToHalf(1f + 0x1p-11f + 0x1p-20f)));
    assertEquals(Float.POSITIVE_INFINITY, Npy.halfToFloat(Npy.floatToHalf(70000f)));
    assertEquals(0f, Npy.halfToFloat(Npy.floatToHalf(1e-9f)));
  }

  private InvalidInputException error(Path f) {
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> Npy.read(f));
    assertTrue(e.getMessage().startsWith(f.toString() + ": "), "names the file: " + e.getMessage());
    assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    return e;
  }

  @Test
  void fortranOrderIsRefused() throws IOException {
    assertTrue(error(numpyFile("f.npy", NUMPY_FORTRAN)).getMessage().contains("Fortran"));
  }

  @Test
  void unsupportedDtypesAreRefusedAndListTheSupportedOnes() throws IOException {
    String m = error(numpyFile("c.npy", NUMPY_COMPLEX64)).getMessage();
    assertTrue(m.contains("unsupported dtype '<c8'") && m.contains("float32"), m);
    m = error(numpyFile("s.npy", NUMPY_STRUCTURED)).getMessage();
    assertTrue(m.contains("unsupported dtype") && m.contains("structured"), m);
    m = error(raw("u.npy", "{'descr': '<U3', 'fortran_order': False, 'shape': (1,), }", new byte[12])).getMessage();
    assertTrue(m.contains("'<U3'"), m);
  }

  @Test
  void scalarIsRefused() throws IOException {
    assertTrue(error(numpyFile("s.npy", NUMPY_SCALAR)).getMessage().contains("0-d"));
    assertEquals(0, Npy.readHeader(dir.resolve("s.npy")).shape().length);
  }

  @Test
  void truncatedDataIsReported() throws IOException {
    Path f = dir.resolve("t.npy");
    Npy.write(f, new float[12], 3, 4);
    byte[] b = Files.readAllBytes(f);
    Files.write(f, Arrays.copyOf(b, b.length - 5));
    String m = error(f).getMessage();
    assertTrue(m.contains("truncated data") && m.contains("48 bytes") && m.contains("43"), m);
  }

  @Test
  void hugeHeaderClaimIsRefusedBeforeAllocating() throws IOException {
    // 10^12 float32 elements claimed by a 200-byte file: must fail on the size check, not with OutOfMemoryError
    Path f = raw("huge.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': (1000000, 1000000), }", new byte[16]);
    String m = error(f).getMessage();
    assertTrue(m.contains("claims") && m.contains("4000000000000 bytes") && m.contains("16 data bytes"), m);
    Path g = raw("huger.npy", "{'descr': '<f8', 'fortran_order': False, 'shape': (9223372036854775807, 4), }", new byte[16]);
    assertTrue(error(g).getMessage().contains("truncated data"));
  }

  @Test
  void truncatedHeaderBadMagicMissingFile() throws IOException {
    Path f = dir.resolve("h.npy");
    Npy.write(f, new float[2], 2);
    byte[] b = Files.readAllBytes(f);
    Files.write(f, Arrays.copyOf(b, 30));
    assertTrue(error(f).getMessage().contains("truncated .npy header"));

    Path g = dir.resolve("g.npy");
    Files.writeString(g, "this is not numpy at all");
    assertTrue(error(g).getMessage().contains("not a .npy file"));

    Path tiny = dir.resolve("tiny.npy");
    Files.write(tiny, new byte[] {(byte) 0x93, 'N'});
    assertTrue(error(tiny).getMessage().contains("not a .npy file"));

    assertTrue(error(dir.resolve("missing.npy")).getMessage().contains("no such file"));
    assertTrue(error(dir).getMessage().contains("directory"));

    Path bad = raw("bad.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': (2, x), }", new byte[8]);
    assertTrue(error(bad).getMessage().contains("malformed .npy header"));
    Path noShape = raw("noshape.npy", "{'descr': '<f4', 'fortran_order': False}", new byte[8]);
    assertTrue(error(noShape).getMessage().contains("'shape'"));
    Path v9 = dir.resolve("v9.npy");
    byte[] c = Files.readAllBytes(dir.resolve("h.npy"));
    Files.write(v9, c);
    byte[] d = b.clone();
    d[6] = 9;
    Files.write(v9, d);
    assertTrue(error(v9).getMessage().contains("version 9.0"));
  }

  /** A hostile header: deep nesting, a huge value, a header larger than any NumPy writes. */
  @Test
  void hostileHeadersGiveShortOneLineErrors() throws IOException {
    // 60,000 nested brackets: an error about the nesting, not a StackOverflowError
    Path deep = raw("deep.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': " + "[".repeat(60_000) + "}", new byte[0]);
    String m = error(deep).getMessage();
    assertTrue(m.contains("malformed .npy header") && m.contains("nested deeper than"), m);
    assertTrue(m.length() < 400, "short message: " + m.length() + " characters");
    // a well-formed but absurd shape (and dtype) are quoted as excerpts only
    StringBuilder shape = new StringBuilder("(");
    for (int k = 0; k < 5000; k++) shape.append("1, ");
    Path longShape = raw("long.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + "'x'), }", new byte[0]);
    m = error(longShape).getMessage();
    assertTrue(m.contains("malformed shape") && m.length() < 400, m.length() + ": " + m);
    Path longDescr = raw("descr.npy", "{'descr': '<" + "f".repeat(20_000) + "', 'fortran_order': False, 'shape': (1,), }", new byte[4]);
    m = error(longDescr).getMessage();
    assertTrue(m.contains("unsupported dtype") && m.length() < 400, m.length() + ": " + m);
    // a version-2 header of more than 1 MiB is refused before it is read or parsed
    byte[] big = new byte[12 + (1 << 20) + 64];
    ByteBuffer b = ByteBuffer.wrap(big).order(ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0}).putInt((1 << 20) + 64);
    Arrays.fill(big, 12, big.length, (byte) ' ');
    Path huge = dir.resolve("bigheader.npy");
    Files.write(huge, big);
    m = error(huge).getMessage();
    assertTrue(m.contains("header of " + ((1 << 20) + 64) + " bytes is larger than"), m);
  }

  @Test
  void writerIsAtomicAndReportsReplacement() throws IOException {
    Path f = dir.resolve("w.npy");
    assertFalse(Npy.write(f, new float[] {1}, 1));
    assertTrue(Npy.write(f, new float[] {2, 3}, 2));
    assertArrayEquals(new float[] {2, 3}, Npy.read(f).data());
    try (Stream<Path> s = Files.list(dir)) {
      assertEquals(1, s.count(), "no temporary file left behind");
    }
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> Npy.write(dir.resolve("nope").resolve("x.npy"), new float[] {1}, 1));
    assertTrue(e.getMessage().contains("does not exist"));
  }

  @Test
  void writerRefusesValuesTheDtypeCannotHold() {
    Path f = dir.resolve("x.npy");
    Tensor t = Tensor.of(new float[] {0, 0.5f}, 2);
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> Npy.write(f, t, Npy.DType.UINT8, ByteOrder.LITTLE_ENDIAN));
    assertTrue(e.getMessage().contains("0.5") && e.getMessage().contains("uint8"), e.getMessage());
    assertThrows(InvalidInputException.class, () -> Npy.write(f, Tensor.of(new float[] {256}, 1), Npy.DType.UINT8, ByteOrder.LITTLE_ENDIAN));
    assertThrows(InvalidInputException.class, () -> Npy.write(f, Tensor.of(new float[] {-1}, 1), Npy.DType.UINT64, ByteOrder.LITTLE_ENDIAN));
    assertThrows(InvalidInputException.class, () -> Npy.write(f, Tensor.of(new float[] {2}, 1), Npy.DType.BOOL, ByteOrder.LITTLE_ENDIAN));
    assertThrows(InvalidInputException.class, () -> Npy.write(f, Tensor.of(new float[] {0x1p63f}, 1), Npy.DType.INT64, ByteOrder.LITTLE_ENDIAN));
    assertThrows(InvalidInputException.class, () -> Npy.write(f, Tensor.of(new float[] {Float.NaN}, 1), Npy.DType.INT32, ByteOrder.LITTLE_ENDIAN));
    assertFalse(Files.exists(f));
  }

  @Test
  void largeHeaderUsesVersion2() {
    int[] shape = new int[30000];
    Arrays.fill(shape, 1);
    Path f = dir.resolve("many-axes.npy");
    Npy.write(f, new float[] {7}, shape);
    assertEquals(2, Npy.readHeader(f).majorVersion());
    assertEquals(7f, Npy.read(f).data()[0]);
    assertEquals(30000, Npy.read(f).rank());
  }

  /** A v1 file with the given header dictionary and data bytes. */
  private Path raw(String name, String dict, byte[] data) throws IOException {
    String h = dict + " ".repeat((64 - (10 + dict.length() + 1) % 64) % 64) + "\n";
    ByteBuffer b = ByteBuffer.allocate(10 + h.length() + data.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) h.length());
    b.put(h.getBytes(StandardCharsets.ISO_8859_1)).put(data);
    Path f = dir.resolve(name);
    Files.write(f, b.array());
    return f;
  }
}
