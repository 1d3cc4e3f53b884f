package dev.segloss.core.io;

import dev.segloss.core.InvalidInputException;
import dev.segloss.core.Tensor;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes NumPy {@code .npy} files (format versions 1.0, 2.0 and 3.0, as specified in
 * NumPy's {@code numpy.lib.format} documentation, NEP 1).
 *
 * <p><b>Reading</b> ({@link #read}): dtypes {@code bool}, {@code (u)int8/16/32/64}, {@code float16/32/64},
 * little- or big-endian, C (row-major) order. Values are converted to float32 (the library's input type;
 * 64-bit integers above 2<sup>24</sup> and float64 values are rounded to the nearest float32). The
 * header is checked against the file size <em>before</em> anything is allocated, so a corrupt or
 * hostile header cannot make the reader allocate more than the file holds. Every error is an
 * {@link InvalidInputException} with a one-line message that starts with the file name: Fortran order,
 * an unsupported dtype (structured, complex, string, object...), a truncated header or data, or a shape
 * that claims more data than the file holds. Trailing bytes after the data are ignored, as
 * {@code numpy.load} ignores them.
 *
 * <p><b>Writing</b> ({@link #write(Path, Tensor)}): float32 little-endian ({@code '<f4'}), C order,
 * version 1.0 (2.0 only when the header would not fit), header padded so that the data starts at a
 * multiple of 64 bytes (NumPy's alignment). The file is written to a temporary name and renamed
 * ({@link AtomicFiles}). Other dtypes and byte orders can be written with
 * {@link #write(Path, Tensor, DType, ByteOrder)}, which refuses values the dtype cannot hold exactly.
 */
public final class Npy {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final int ALIGN = 64;
  private static final int CHUNK = 1 << 20;
  private static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;
  /**
   * Largest header accepted: 1 MiB. NumPy writes a few hundred bytes at most and its own reader refuses
   * headers above 10,000 bytes by default ({@code max_header_size}, NumPy 1.24) as unsafe to parse.
   */
  static final int MAX_HEADER_BYTES = 1 << 20;
  /** Deepest nesting of the header's Python literal: NumPy's is 2 (the dict, then the shape tuple). */
  static final int MAX_HEADER_DEPTH = 16;
  /** Longest excerpt of a header value quoted in an error message. */
  private static final int SHOWN = 120;

  private Npy() {}

  /** The element types segloss reads and writes, with NumPy's type code (kind and size). */
  public enum DType {
    BOOL('b', 1, "bool"),
    INT8('i', 1, "int8"),
    UINT8('u', 1, "uint8"),
    INT16('i', 2, "int16"),
    UINT16('u', 2, "uint16"),
    INT32('i', 4, "int32"),
    UINT32('u', 4, "uint32"),
    INT64('i', 8, "int64"),
    UINT64('u', 8, "uint64"),
    FLOAT16('f', 2, "float16"),
    FLOAT32('f', 4, "float32"),
    FLOAT64('f', 8, "float64");

    private final char kind;
    private final int size;
    private final String numpyName;

    DType(char kind, int size, String numpyName) {
      this.kind = kind;
      this.size = size;
      this.numpyName = numpyName;
    }

    /** Bytes per element. */
    public int size() {
      return size;
    }

    /** NumPy's name, e.g. {@code float32}. */
    public String numpyName() {
      return numpyName;
    }

    /** The header's {@code descr}, e.g. {@code <f4}, {@code >i2}, {@code |u1}. */
    public String descr(ByteOrder order) {
      char o = size == 1 ? '|' : order == ByteOrder.BIG_ENDIAN ? '>' : '<';
      return "" + o + kind + size;
    }

    static DType of(char kind, int size) {
      for (DType d : values()) if (d.kind == kind && d.size == size) return d;
      return null;
    }

    /** All NumPy names, for error messages. */
    static String supported() {
      List<String> names = new ArrayList<>();
      for (DType d : values()) names.add(d.numpyName);
      return String.join(", ", names);
    }
  }

  /** A parsed {@code .npy} header. */
  public static final class Header {
    private final int majorVersion;
    private final DType dtype;
    private final ByteOrder order;
    private final int[] shape;
    private final long dataOffset;
    private final long count;

    Header(int majorVersion, DType dtype, ByteOrder order, int[] shape, long dataOffset, long count) {
      this.majorVersion = majorVersion;
      this.dtype = dtype;
      this.order = order;
      this.shape = shape;
      this.dataOffset = dataOffset;
      this.count = count;
    }

    /** Format version: 1, 2 or 3. */
    public int majorVersion() {
      return majorVersion;
    }

    public DType dtype() {
      return dtype;
    }

    public ByteOrder order() {
      return order;
    }

    /** The shape ({@code []} for a 0-d array). */
    public int[] shape() {
      return shape.clone();
    }

    /** Byte offset of the first element. */
    public long dataOffset() {
      return dataOffset;
    }

    /** Number of elements (product of the shape). */
    public long count() {
      return count;
    }

    @Override
    public String toString() {
      return "npy v" + majorVersion + " " + dtype.descr(order) + " " + Tensor.shapeString(shape);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // reading

  /** Reads and checks the header only. */
  public static Header readHeader(Path file) {
    try (FileChannel ch = open(file)) {
      return readHeader(file, ch, ch.size());
    } catch (IOException e) {
      throw ioError(file, e);
    }
  }

  /**
   * Reads an array with at least one axis as a float32 {@link Tensor} of the same shape (C order).
   *
   * @throws InvalidInputException naming the file for a missing or unreadable file, Fortran order,
   *     an unsupported dtype, a truncated file or a 0-d array
   */
  public static Tensor read(Path file) {
    try (FileChannel ch = open(file)) {
      long size = ch.size();
      Header h = readHeader(file, ch, size);
      if (h.shape.length == 0) {
        throw new InvalidInputException(file + ": a 0-d array (a scalar); expected an array with at least one axis");
      }
      float[] data = new float[(int) h.count];
      readData(file, ch, h, data);
      return Tensor.of(data, h.shape);
    } catch (IOException e) {
      throw ioError(file, e);
    }
  }

  private static FileChannel open(Path file) throws IOException {
    if (Files.isDirectory(file)) throw new InvalidInputException(file + ": is a directory, expected a .npy file");
    return FileChannel.open(file, StandardOpenOption.READ);
  }

  private static InvalidInputException ioError(Path file, IOException e) {
    if (e instanceof NoSuchFileException) return new InvalidInputException(file + ": no such file");
    return new InvalidInputException(file + ": cannot read (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", e);
  }

  private static Header readHeader(Path file, FileChannel ch, long fileSize) throws IOException {
    if (fileSize < 10) {
      throw new InvalidInputException(file + ": not a .npy file (" + fileSize + " bytes, shorter than the 10-byte preamble)");
    }
    ByteBuffer pre = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
    pre.limit((int) Math.min(12, fileSize));
    readFully(file, ch, pre, 0);
    pre.flip();
    for (byte b : MAGIC) {
      if (pre.get() != b) throw new InvalidInputException(file + ": not a .npy file (the magic string \\x93NUMPY is missing)");
    }
    int major = pre.get() & 0xff;
    int minor = pre.get() & 0xff;
    long headerLen;
    int preamble;
    if (major == 1) {
      headerLen = pre.getShort() & 0xffff;
      preamble = 10;
    } else if (major == 2 || major == 3) {
      if (fileSize < 12) throw new InvalidInputException(file + ": truncated .npy header (file ends inside the preamble)");
      headerLen = pre.getInt() & 0xffffffffL;
      preamble = 12;
    } else {
      throw new InvalidInputException(file + ": unsupported .npy format version " + major + "." + minor + "; expected 1.0, 2.0 or 3.0");
    }
    if (headerLen > MAX_HEADER_BYTES) {
      throw new InvalidInputException(file + ": .npy header of " + headerLen + " bytes is larger than the " + MAX_HEADER_BYTES
          + " bytes accepted (NumPy writes a few hundred); not a file segloss reads");
    }
    if (preamble + headerLen > fileSize) {
      throw new InvalidInputException(file + ": truncated .npy header (claims " + headerLen + " header bytes, the file has "
          + (fileSize - preamble) + " after the preamble)");
    }
    ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
    readFully(file, ch, hb, preamble);
    String text = new String(hb.array(), major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    Map<String, Object> dict = new HeaderParser(file, text).dict();
    Object descr = dict.get("descr");
    Object fortran = dict.get("fortran_order");
    Object shapeObj = dict.get("shape");
    if (descr == null || fortran == null || shapeObj == null) {
      throw new InvalidInputException(file + ": .npy header lacks " + (descr == null ? "'descr'" : fortran == null ? "'fortran_order'" : "'shape'")
          + ": " + HeaderParser.excerpt(text.strip()));
    }
    if (!(fortran instanceof Boolean)) throw new InvalidInputException(file + ": .npy header has a non-boolean fortran_order: " + fortran);
    if (!(descr instanceof String)) {
      throw new InvalidInputException(file + ": unsupported dtype " + HeaderParser.show(descr) + " (a structured dtype); supported: " + DType.supported());
    }
    String d = (String) descr;
    ByteOrder order;
    String code = d;
    char oc = d.isEmpty() ? '?' : d.charAt(0);
    if (oc == '<' || oc == '|') {
      order = ByteOrder.LITTLE_ENDIAN;
      code = d.substring(1);
    } else if (oc == '>') {
      order = ByteOrder.BIG_ENDIAN;
      code = d.substring(1);
    } else if (oc == '=') {
      order = ByteOrder.nativeOrder();
      code = d.substring(1);
    } else {
      order = ByteOrder.LITTLE_ENDIAN;
    }
    DType dtype = null;
    if (code.length() >= 2) {
      try {
        dtype = DType.of(code.charAt(0), Integer.parseInt(code.substring(1)));
      } catch (NumberFormatException e) {
        dtype = null;
      }
    }
    if (dtype == null) {
      throw new InvalidInputException(file + ": unsupported dtype " + HeaderParser.show(d) + "; supported: " + DType.supported());
    }
    if ((Boolean) fortran) {
      throw new InvalidInputException(file + ": Fortran-ordered (column-major) arrays are not supported; save a C-ordered copy,"
          + " e.g. np.save(path, np.ascontiguousarray(a))");
    }
    if (!(shapeObj instanceof List)) throw new InvalidInputException(file + ": .npy header has a malformed shape: " + HeaderParser.show(shapeObj));
    List<?> dims = (List<?>) shapeObj;
    int[] shape = new int[dims.size()];
    long count = 1;
    boolean tooLarge = false;
    for (int i = 0; i < shape.length; i++) {
      Object o = dims.get(i);
      if (!(o instanceof Long) || (Long) o < 0) {
        throw new InvalidInputException(file + ": .npy header has a malformed shape: " + HeaderParser.show(shapeObj));
      }
      long v = (Long) o;
      if (v > Integer.MAX_VALUE) tooLarge = true;
      shape[i] = (int) Math.min(v, Integer.MAX_VALUE);
      if (count != 0) count = v == 0 ? 0 : (count > Long.MAX_VALUE / Math.max(v, 1) ? Long.MAX_VALUE : count * v);
    }
    if (count == 0) tooLarge = false;
    long dataOffset = preamble + headerLen;
    long available = fileSize - dataOffset;
    long needed = count > Long.MAX_VALUE / dtype.size ? Long.MAX_VALUE : count * dtype.size;
    if (needed > available) {
      throw new InvalidInputException(file + ": truncated data: the header claims shape " + HeaderParser.show(shapeObj) + " of " + dtype.numpyName
          + " (" + (needed == Long.MAX_VALUE ? "more than 2^63" : needed) + " bytes) but the file holds only " + available + " data bytes");
    }
    if (tooLarge || count > MAX_ELEMENTS) {
      throw new InvalidInputException(file + ": shape " + HeaderParser.show(shapeObj) + " has " + count + " elements, more than a Java array holds ("
          + MAX_ELEMENTS + ")");
    }
    return new Header(major, dtype, order, shape, dataOffset, count);
  }

  private static void readFully(Path file, FileChannel ch, ByteBuffer buf, long position) throws IOException {
    long pos = position;
    while (buf.hasRemaining()) {
      int n = ch.read(buf, pos);
      if (n < 0) throw new InvalidInputException(file + ": truncated (the file ended while reading byte " + pos + ")");
      pos += n;
    }
  }

  private static void readData(Path file, FileChannel ch, Header h, float[] out) throws IOException {
    int size = h.dtype.size;
    int perChunk = CHUNK / size;
    ByteBuffer buf = ByteBuffer.allocate(perChunk * size).order(h.order);
    long pos = h.dataOffset;
    int done = 0;
    int total = (int) h.count;
    while (done < total) {
      int n = Math.min(perChunk, total - done);
      buf.clear();
      buf.limit(n * size);
      readFully(file, ch, buf, pos);
      buf.flip();
      decode(h.dtype, buf, out, done, n);
      pos += (long) n * size;
      done += n;
    }
  }

  private static void decode(DType t, ByteBuffer b, float[] out, int off, int n) {
    switch (t) {
      case BOOL:
        for (int i = 0; i < n; i++) out[off + i] = b.get() != 0 ? 1f : 0f;
        break;
      case INT8:
        for (int i = 0; i < n; i++) out[off + i] = b.get();
        break;
      case UINT8:
        for (int i = 0; i < n; i++) out[off + i] = b.get() & 0xff;
        break;
      case INT16:
        for (int i = 0; i < n; i++) out[off + i] = b.getShort();
        break;
      case UINT16:
        for (int i = 0; i < n; i++) out[off + i] = b.getShort() & 0xffff;
        break;
      case INT32:
        for (int i = 0; i < n; i++) out[off + i] = b.getInt();
        break;
      case UINT32:
        for (int i = 0; i < n; i++) out[off + i] = b.getInt() & 0xffffffffL;
        break;
      case INT64:
        for (int i = 0; i < n; i++) out[off + i] = b.getLong();
        break;
      case UINT64:
        for (int i = 0; i < n; i++) out[off + i] = unsignedToFloat(b.getLong());
        break;
      case FLOAT16:
        for (int i = 0; i < n; i++) out[off + i] = halfToFloat(b.getShort());
        break;
      case FLOAT32:
        b.asFloatBuffer().get(out, off, n);
        break;
      case FLOAT64:
        for (int i = 0; i < n; i++) out[off + i] = (float) b.getDouble();
        break;
      default:
        throw new AssertionError(t);
    }
  }

  private static float unsignedToFloat(long v) {
    if (v >= 0) return v;
    // v + 2^64, rounded once: halve (keeping the lowest bit sticky), convert, double
    return ((v >>> 1) | (v & 1)) * 2f;
  }

  /** IEEE 754 binary16 to float32 (exact). */
  static float halfToFloat(short h) {
    int s = (h >>> 15) & 1;
    int e = (h >>> 10) & 0x1f;
    int m = h & 0x3ff;
    float v;
    if (e == 0) {
      v = m * 0x1p-24f;
    } else if (e == 31) {
      v = m == 0 ? Float.POSITIVE_INFINITY : Float.NaN;
    } else {
      v = Float.intBitsToFloat(((e - 15 + 127) << 23) | (m << 13));
    }
    return s == 1 ? -v : v;
  }

  /** float32 to IEEE 754 binary16, rounding to nearest even (overflow gives infinity). */
  static short floatToHalf(float f) {
    int bits = Float.floatToRawIntBits(f);
    int sign = (bits >>> 16) & 0x8000;
    int exp = (bits >>> 23) & 0xff;
    int mant = bits & 0x7fffff;
    if (exp == 0xff) return (short) (sign | 0x7c00 | (mant != 0 ? 0x200 : 0));
    int e = exp - 127 + 15;
    if (e >= 0x1f) return (short) (sign | 0x7c00);
    if (e <= 0) {
      if (e < -10) return (short) sign;
      mant |= 0x800000;
      int shift = 14 - e;
      int half = mant >>> shift;
      int rem = mant & ((1 << shift) - 1);
      int halfway = 1 << (shift - 1);
      if (rem > halfway || (rem == halfway && (half & 1) != 0)) half++;
      return (short) (sign | half);
    }
    int half = (e << 10) | (mant >>> 13);
    int rem = mant & 0x1fff;
    if (rem > 0x1000 || (rem == 0x1000 && (half & 1) != 0)) half++;
    return (short) (sign | half);
  }

  // ---------------------------------------------------------------------------------------------
  // writing

  /**
   * Writes a float32 little-endian C-order {@code .npy} file atomically (temporary file, then rename).
   *
   * @return true when an existing file was replaced
   */
  public static boolean write(Path file, Tensor t) {
    return write(file, t, DType.FLOAT32, ByteOrder.LITTLE_ENDIAN);
  }

  /** Writes {@code data} with {@code shape} as float32 (see {@link #write(Path, Tensor)}). */
  public static boolean write(Path file, float[] data, int... shape) {
    return write(file, Tensor.of(data, shape));
  }

  /**
   * Writes the tensor converted to {@code dtype} in {@code order}, atomically. Integer and bool dtypes
   * take only values they hold exactly (bool: 0 or 1); float16 rounds to nearest even.
   *
   * @throws InvalidInputException naming the file and the first value the dtype cannot hold
   * @return true when an existing file was replaced
   */
  public static boolean write(Path file, Tensor t, DType dtype, ByteOrder order) {
    float[] data = t.data();
    for (int i = 0; i < data.length; i++) checkRepresentable(file, dtype, data[i], i);
    byte[] header = header(dtype.descr(order), t.shape());
    return AtomicFiles.write(file, out -> {
      out.write(header);
      encode(out, data, dtype, order);
    });
  }

  /** The full header (magic, version, length, dict, padding) for a C-order array. */
  static byte[] header(String descr, int[] shape) {
    StringBuilder sb = new StringBuilder("{'descr': '").append(descr).append("', 'fortran_order': False, 'shape': (");
    for (int i = 0; i < shape.length; i++) {
      if (i > 0) sb.append(", ");
      sb.append(shape[i]);
    }
    if (shape.length == 1) sb.append(',');
    sb.append("), }");
    int version = 1;
    int preamble = 10;
    int len = sb.length() + 1;
    int total = preamble + len;
    int pad = (ALIGN - total % ALIGN) % ALIGN;
    if (len + pad > 0xffff) {
      version = 2;
      preamble = 12;
      total = preamble + len;
      pad = (ALIGN - total % ALIGN) % ALIGN;
    }
    sb.append(" ".repeat(pad)).append('\n');
    byte[] dict = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    ByteBuffer b = ByteBuffer.allocate(preamble + dict.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put(MAGIC).put((byte) version).put((byte) 0);
    if (version == 1) b.putShort((short) dict.length);
    else b.putInt(dict.length);
    b.put(dict);
    return b.array();
  }

  private static void checkRepresentable(Path file, DType t, float v, int index) {
    double lo;
    double hi;
    switch (t) {
      case FLOAT16:
      case FLOAT32:
      case FLOAT64:
        return;
      case BOOL:
        lo = 0;
        hi = 1;
        break;
      case INT8:
        lo = Byte.MIN_VALUE;
        hi = Byte.MAX_VALUE;
        break;
      case UINT8:
        lo = 0;
        hi = 255;
        break;
      case INT16:
        lo = Short.MIN_VALUE;
        hi = Short.MAX_VALUE;
        break;
      case UINT16:
        lo = 0;
        hi = 65535;
        break;
      case INT32:
        lo = Integer.MIN_VALUE;
        hi = Integer.MAX_VALUE;
        break;
      case UINT32:
        lo = 0;
        hi = 4294967295.0;
        break;
      case INT64:
        lo = -0x1p63;
        hi = 0x1p63 - 1;
        break;
      case UINT64:
        lo = 0;
        hi = 0x1p64 - 1;
        break;
      default:
        throw new AssertionError(t);
    }
    if (!(v >= lo && v <= hi && v == Math.rint(v)) || (v >= 0x1p63 && t == DType.INT64) || (v >= 0x1p64)) {
      throw new InvalidInputException(file + ": value " + v + " at flat index " + index + " cannot be stored exactly as " + t.numpyName);
    }
  }

  private static void encode(OutputStream os, float[] data, DType t, ByteOrder order) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(CHUNK).order(order);
    int size = t.size;
    for (int i = 0; i < data.length; i++) {
      if (b.remaining() < size) {
        os.write(b.array(), 0, b.position());
        b.clear();
      }
      float v = data[i];
      switch (t) {
        case BOOL:
        case INT8:
        case UINT8:
          b.put((byte) (int) v);
          break;
        case INT16:
        case UINT16:
          b.putShort((short) (int) v);
          break;
        case INT32:
          b.putInt((int) v);
          break;
        case UINT32:
          b.putInt((int) (long) v);
          break;
        case INT64:
          b.putLong((long) v);
          break;
        case UINT64:
          b.putLong(v >= 0x1p63f ? (long) (v - 0x1p63f) + Long.MIN_VALUE : (long) v);
          break;
        case FLOAT16:
          b.putShort(floatToHalf(v));
          break;
        case FLOAT32:
          b.putFloat(v);
          break;
        case FLOAT64:
          b.putDouble(v);
          break;
        default:
          throw new AssertionError(t);
      }
    }
    os.write(b.array(), 0, b.position());
  }

  // ---------------------------------------------------------------------------------------------
  // header dictionary: a tiny parser for the Python literal NumPy writes

  /** Parses {@code {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }}. */
  private static final class HeaderParser {
    private final Path file;
    private final String s;
    private int i;
    private int depth;

    HeaderParser(Path file, String s) {
      this.file = file;
      this.s = s;
    }

    Map<String, Object> dict() {
      ws();
      expect('{');
      enter();
      Map<String, Object> m = new LinkedHashMap<>();
      ws();
      while (peek() != '}') {
        Object k = value();
        if (!(k instanceof String)) throw error("expected a string key");
        ws();
        expect(':');
        Object v = value();
        m.put((String) k, v);
        ws();
        if (peek() == ',') {
          i++;
          ws();
        } else if (peek() != '}') {
          throw error("expected ',' or '}'");
        }
      }
      depth--;
      return m;
    }

    /** One level deeper into a dict, tuple or list; a hostile header cannot exhaust the stack. */
    private void enter() {
      if (++depth > MAX_HEADER_DEPTH) throw error("nested deeper than " + MAX_HEADER_DEPTH + " levels");
    }

    private Object value() {
      ws();
      char c = peek();
      if (c == '\'' || c == '"') return string(c);
      if (c == '(' || c == '[') {
        char close = c == '(' ? ')' : ']';
        i++;
        enter();
        List<Object> items = new ArrayList<>();
        ws();
        while (peek() != close) {
          items.add(value());
          ws();
          if (peek() == ',') {
            i++;
            ws();
          } else if (peek() != close) {
            throw error("expected ',' or '" + close + "'");
          }
        }
        i++;
        depth--;
        return items;
      }
      if (c == '{') return dict();
      if (Character.isDigit(c) || c == '-') {
        int start = i;
        if (c == '-') i++;
        while (i < s.length() && Character.isDigit(s.charAt(i))) i++;
        String num = s.substring(start, i);
        if (i < s.length() && (s.charAt(i) == 'L' || s.charAt(i) == 'l')) i++;
        try {
          return Long.parseLong(num);
        } catch (NumberFormatException e) {
          throw error("bad integer '" + num + "'");
        }
      }
      int start = i;
      while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) i++;
      String word = s.substring(start, i);
      if (word.equals("True")) return Boolean.TRUE;
      if (word.equals("False")) return Boolean.FALSE;
      if (word.equals("None")) return "None";
      throw error("unexpected '" + (word.isEmpty() ? String.valueOf(c) : word) + "'");
    }

    private String string(char quote) {
      i++;
      StringBuilder sb = new StringBuilder();
      while (i < s.length() && s.charAt(i) != quote) {
        char c = s.charAt(i++);
        if (c == '\\' && i < s.length()) c = s.charAt(i++);
        sb.append(c);
      }
      if (i >= s.length()) throw error("unterminated string");
      i++;
      return sb.toString();
    }

    private char peek() {
      if (i >= s.length()) throw error("unexpected end of header");
      return s.charAt(i);
    }

    private void expect(char c) {
      if (peek() != c) throw error("expected '" + c + "'");
      i++;
    }

    private void ws() {
      while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
    }

    private InvalidInputException error(String what) {
      String shown = excerpt(s.strip());
      return new InvalidInputException(file + ": malformed .npy header (" + what + " at character " + (i + 1) + "): " + shown);
    }

    /** A value as Python would print it, cut to an excerpt for error messages. */
    static String show(Object o) {
      return excerpt(literal(o));
    }

    private static String excerpt(String text) {
      return text.length() > SHOWN ? text.substring(0, SHOWN) + "..." : text;
    }

    private static String literal(Object o) {
      if (o instanceof List) {
        List<?> l = (List<?>) o;
        StringBuilder sb = new StringBuilder("(");
        for (int k = 0; k < l.size(); k++) {
          if (k > 0) sb.append(", ");
          sb.append(literal(l.get(k)));
        }
        if (l.size() == 1) sb.append(',');
        return sb.append(')').toString();
      }
      if (o instanceof String) return "'" + o + "'";
      return String.valueOf(o);
    }
  }
}
