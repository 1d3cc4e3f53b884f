package dev.segloss.core.io;

import dev.segloss.core.InvalidInputException;
import dev.segloss.core.Memory;
import dev.segloss.core.SafeText;
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
 * hostile header cannot make the reader allocate more than the file holds, and an array whose float32
 * copy would not fit in the heap budget ({@link Memory}) is refused before it is read. Every error is an
 * {@link InvalidInputException} with a one-line message that starts with the file name (text quoted
 * from the file is escaped with {@link SafeText}).
 *
 * <p><b>Strictness.</b> A file is read only when it is exactly what the format describes, so a corrupt
 * file is an error and never a different array: the version is 1.0, 2.0 or 3.0 (as {@code numpy.load}
 * requires); the header is a Python dict literal with exactly the keys {@code descr}, {@code
 * fortran_order} and {@code shape} (a tuple of non-negative integers), parsed as Python parses it
 * (see {@code HeaderParser}), followed only by space padding and one final newline &mdash; any other
 * byte after the dict is an error naming its byte offset (numpy refuses most such bytes too, e.g. a NUL
 * byte); the data is exactly {@code count × itemsize} bytes. A file with fewer data bytes is truncated; a
 * file with more is refused as well (numpy would ignore the extra bytes, but they mean the header and
 * the data disagree, or a second array was appended, and segloss reads one array per file). Not read:
 * Fortran order, dtypes other than the above (structured, complex, string, object...), 0-d arrays in
 * {@link #read}.
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
  /** The header's keys: exactly these (numpy.lib.format.EXPECTED_KEYS). */
  private static final java.util.Set<String> EXPECTED_KEYS = java.util.Set.of("descr", "fortran_order", "shape");
  /** A descr segloss reads: optional byte order, kind, size in bytes ({@code <f4}, {@code |u1}, {@code >i2}). */
  private static final java.util.regex.Pattern DESCR = java.util.regex.Pattern.compile("([<>|=]?)([biuf])([0-9]{1,4})");
  /** Python's None in a header. */
  private static final Object NONE = new Object();

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
    return read(file, 0);
  }

  /**
   * {@link #read(Path)} with a memory budget in bytes for the float32 copy instead of the default
   * ({@link Memory#heapBudget()}; a budget &le; 0 means the default).
   */
  public static Tensor read(Path file, long memoryBudget) {
    try (FileChannel ch = open(file)) {
      long size = ch.size();
      Header h = readHeader(file, ch, size);
      if (h.shape.length == 0) {
        throw new InvalidInputException(file + ": a 0-d array (a scalar); expected an array with at least one axis");
      }
      long need = h.count * Float.BYTES;
      long budget = memoryBudget > 0 ? memoryBudget : Memory.heapBudget();
      if (need > budget) {
        throw new InvalidInputException(file + ": " + h.count + " elements need about " + Memory.human(need) + " of memory as float32 but only "
            + Memory.human(Math.max(0, budget)) + " is available (" + (memoryBudget > 0 ? "the given budget)"
                : Math.round(Memory.HEAP_SHARE * 100) + "% of the free JVM heap)" + Memory.heapHint(need)));
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
    if (minor != 0 || major < 1 || major > 3) {
      // numpy.lib.format._check_version: exactly (1, 0), (2, 0) and (3, 0)
      throw new InvalidInputException(file + ": unsupported .npy format version " + major + "." + minor + "; expected 1.0, 2.0 or 3.0");
    }
    long headerLen;
    int preamble;
    if (major == 1) {
      headerLen = pre.getShort() & 0xffff;
      preamble = 10;
    } else {
      if (fileSize < 12) throw new InvalidInputException(file + ": truncated .npy header (file ends inside the preamble)");
      headerLen = pre.getInt() & 0xffffffffL;
      preamble = 12;
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
    String text = decodeHeader(file, hb.array(), major, preamble);
    HeaderParser parser = new HeaderParser(file, text, major, preamble);
    Map<String, Object> dict = parser.header();
    for (String key : new String[] {"descr", "fortran_order", "shape"}) {
      if (!dict.containsKey(key)) {
        throw new InvalidInputException(file + ": .npy header lacks '" + key + "': " + HeaderParser.excerpt(text.strip()));
      }
    }
    for (Object key : dict.keySet()) {
      if (!EXPECTED_KEYS.contains(key)) {
        // numpy.lib.format._read_array_header: the keys must be exactly descr, fortran_order, shape
        throw new InvalidInputException(file + ": .npy header has an unexpected key " + HeaderParser.show(key)
            + "; expected exactly 'descr', 'fortran_order' and 'shape'");
      }
    }
    Object descr = dict.get("descr");
    Object fortran = dict.get("fortran_order");
    Object shapeObj = dict.get("shape");
    if (!(fortran instanceof Boolean)) {
      throw new InvalidInputException(file + ": .npy header has a non-boolean fortran_order: " + HeaderParser.show(fortran));
    }
    if (!(descr instanceof String)) {
      String what = descr instanceof List ? " (a structured dtype)" : "";
      throw new InvalidInputException(file + ": unsupported dtype " + HeaderParser.show(descr) + what + "; supported: " + DType.supported());
    }
    String d = (String) descr;
    java.util.regex.Matcher dm = DESCR.matcher(d);
    DType dtype = null;
    ByteOrder order = ByteOrder.LITTLE_ENDIAN;
    if (dm.matches()) {
      String oc = dm.group(1);
      // '|' (not applicable) and no order character both mean the native order in numpy.dtype
      order = oc.equals(">") ? ByteOrder.BIG_ENDIAN : oc.equals("<") ? ByteOrder.LITTLE_ENDIAN : ByteOrder.nativeOrder();
      try {
        dtype = DType.of(dm.group(2).charAt(0), Integer.parseInt(dm.group(3)));
      } catch (NumberFormatException e) {
        dtype = null;
      }
    }
    if (dtype == null) {
      throw new InvalidInputException(file + ": unsupported dtype " + HeaderParser.show(d) + "; supported: " + DType.supported());
    }
    if (dtype.size == 1) order = ByteOrder.LITTLE_ENDIAN;
    if ((Boolean) fortran) {
      throw new InvalidInputException(file + ": Fortran-ordered (column-major) arrays are not supported; save a C-ordered copy,"
          + " e.g. np.save(path, np.ascontiguousarray(a))");
    }
    if (!(shapeObj instanceof Tuple)) {
      throw new InvalidInputException(file + ": .npy header has a malformed shape (not a tuple): " + HeaderParser.show(shapeObj));
    }
    List<Object> dims = ((Tuple) shapeObj).items;
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
    if (needed < available) {
      throw new InvalidInputException(file + ": " + (available - needed) + " unexpected byte(s) after the data, from byte offset "
          + (dataOffset + needed) + ": the header's shape " + HeaderParser.show(shapeObj) + " of " + dtype.numpyName + " accounts for "
          + needed + " data bytes, the file holds " + available + " (a second array appended to the file, or a corrupt header)");
    }
    if (tooLarge || count > MAX_ELEMENTS) {
      throw new InvalidInputException(file + ": shape " + HeaderParser.show(shapeObj) + " has " + count + " elements, more than a Java array holds ("
          + MAX_ELEMENTS + ")");
    }
    return new Header(major, dtype, order, shape, dataOffset, count);
  }

  /**
   * The header's text: Latin-1 for versions 1 and 2, UTF-8 for version 3 (numpy.lib.format), where
   * invalid UTF-8 is an error as it is for numpy.
   */
  private static String decodeHeader(Path file, byte[] bytes, int major, int preamble) {
    if (major != 3) return new String(bytes, StandardCharsets.ISO_8859_1);
    java.nio.charset.CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
        .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    java.nio.CharBuffer out = java.nio.CharBuffer.allocate(bytes.length);
    java.nio.charset.CoderResult r = dec.decode(in, out, true);
    if (r.isError()) {
      throw new InvalidInputException(file + ": the version 3.0 .npy header is not valid UTF-8 (byte offset " + (preamble + in.position()) + ")");
    }
    out.flip();
    return out.toString();
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
    ByteBuffer buf = ByteBuffer.allocate((int) Math.min((long) perChunk * size, Math.max(size, h.count * size))).order(h.order);
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
  // header dictionary: a parser for the Python literal NumPy writes

  /** A Python tuple in the header (a list is a different value: numpy refuses a list as the shape). */
  private static final class Tuple {
    final List<Object> items;

    Tuple(List<Object> items) {
      this.items = items;
    }
  }

  /**
   * Parses the header: a Python dict literal, as numpy's {@code ast.literal_eval} reads it, followed by
   * space padding and one final newline, as numpy writes it ({@code numpy.lib.format._wrap_header}; the
   * format description says "terminated by a newline (\\n) and padded with spaces (\\x20)").
   *
   * <p>Accepted as Python does: whitespace (space, tab, form feed, newlines) before the dict and between
   * tokens; single- or double-quoted strings; {@code True}, {@code False}, {@code None}; integers in
   * Python 3 syntax (decimal without leading zeros, {@code 0x}/{@code 0o}/{@code 0b}, underscores between
   * digits, one sign) and, in versions 1.0 and 2.0, Python 2's {@code L} suffix (numpy's
   * {@code _filter_header}); tuples, where {@code (3)} is the number 3 and {@code (3,)} a tuple; lists;
   * nested dicts; trailing commas; a repeated key, the last one winning. Refused although Python would
   * parse them (no writer produces them, and refusing cannot give a wrong value): comments, line
   * continuations, string prefixes, escape sequences and control characters in strings, adjacent string
   * literals, floats, and anything after the dict other than the padding.
   */
  private static final class HeaderParser {
    private final Path file;
    private final String s;
    private final int major;
    private final int preamble;
    private int i;
    private int depth;

    HeaderParser(Path file, String s, int major, int preamble) {
      this.file = file;
      this.s = s;
      this.major = major;
      this.preamble = preamble;
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> header() {
      ws();
      if (i >= s.length() || s.charAt(i) != '{') throw error("expected '{', the start of the header dictionary");
      Map<Object, Object> m = dict();
      padding();
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<Object, Object> e : m.entrySet()) {
        if (!(e.getKey() instanceof String)) {
          throw new InvalidInputException(file + ": .npy header has an unexpected key " + show(e.getKey())
              + "; expected exactly 'descr', 'fortran_order' and 'shape'");
        }
        out.put((String) e.getKey(), e.getValue());
      }
      return out;
    }

    /** After the dict: only spaces, then one newline as the header's last byte. */
    private void padding() {
      int last = s.length() - 1;
      for (int k = i; k < last; k++) {
        if (s.charAt(k) != ' ') throw afterDict(k);
      }
      if (last < i || s.charAt(last) != '\n') {
        if (last >= i && s.charAt(last) != ' ') throw afterDict(last);
        throw new InvalidInputException(file + ": the .npy header does not end with a newline (byte offset " + byteOffset(s.length())
            + " is the end of the " + s.length() + "-byte header); a .npy header is a dict, space padding and one final newline");
      }
    }

    private InvalidInputException afterDict(int k) {
      int cp = s.codePointAt(k);
      int b = major == 3 ? new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8)[0] & 0xff : cp;
      String what = String.format(java.util.Locale.ROOT, "0x%02x", b) + (cp > 0x20 && cp < 0x7f ? " ('" + (char) cp + "')" : "");
      return new InvalidInputException(file + ": unexpected byte " + what + " at byte offset " + byteOffset(k)
          + " after the .npy header dictionary; only space padding and one final newline may follow it");
    }

    /** Byte offset in the file of the character at index {@code k} of the header text. */
    private long byteOffset(int k) {
      if (major != 3) return preamble + (long) k;
      return preamble + (long) s.substring(0, Math.min(k, s.length())).getBytes(StandardCharsets.UTF_8).length;
    }

    private Map<Object, Object> dict() {
      expect('{');
      enter();
      Map<Object, Object> m = new LinkedHashMap<>();
      ws();
      while (peek() != '}') {
        Object k = value();
        ws();
        expect(':');
        Object v = value();
        m.put(k, v);
        ws();
        if (peek() == ',') {
          i++;
          ws();
        } else if (peek() != '}') {
          throw error("expected ',' or '}'");
        }
      }
      i++;
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
      if (c == '{') return dict();
      if (c == '[') return sequence(']');
      if (c == '(') return sequence(')');
      if (c == '-' || c == '+' || Character.isDigit(c)) return integer();
      int start = i;
      while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) i++;
      String word = s.substring(start, i);
      if (word.equals("True")) return Boolean.TRUE;
      if (word.equals("False")) return Boolean.FALSE;
      if (word.equals("None")) return NONE;
      i = start;
      throw error("unexpected " + (word.isEmpty() ? "'" + SafeText.escape(String.valueOf(c)) + "'" : "'" + SafeText.escape(excerpt(word)) + "'"));
    }

    /** A list, a tuple, or a parenthesized value ({@code (3)} is 3, {@code (3,)} a tuple). */
    private Object sequence(char close) {
      i++;
      enter();
      List<Object> items = new ArrayList<>();
      boolean comma = false;
      ws();
      while (peek() != close) {
        items.add(value());
        ws();
        if (peek() == ',') {
          comma = true;
          i++;
          ws();
        } else if (peek() != close) {
          throw error("expected ',' or '" + close + "'");
        }
      }
      i++;
      depth--;
      if (close == ']') return items;
      if (items.size() == 1 && !comma) return items.get(0);
      return new Tuple(items);
    }

    private Object integer() {
      int start = i;
      boolean negative = false;
      if (s.charAt(i) == '-' || s.charAt(i) == '+') {
        negative = s.charAt(i) == '-';
        i++;
        ws();
      }
      int digits = i;
      while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_' || s.charAt(i) == '.')) i++;
      String written = s.substring(start, i);
      String lit = s.substring(digits, i);
      if (major < 3 && lit.length() > 1 && lit.endsWith("L")) lit = lit.substring(0, lit.length() - 1);
      int radix;
      String body;
      if (lit.matches("0(_?0)*") || lit.matches("[1-9](_?[0-9])*")) {
        radix = 10;
        body = lit;
      } else if (lit.matches("0[xX](_?[0-9a-fA-F])+")) {
        radix = 16;
        body = lit.substring(2);
      } else if (lit.matches("0[oO](_?[0-7])+")) {
        radix = 8;
        body = lit.substring(2);
      } else if (lit.matches("0[bB](_?[01])+")) {
        radix = 2;
        body = lit.substring(2);
      } else {
        i = start;
        throw error("'" + SafeText.escape(excerpt(written)) + "' is not an integer");
      }
      java.math.BigInteger v = new java.math.BigInteger(body.replace("_", ""), radix);
      if (negative) v = v.negate();
      if (v.bitLength() > 63) {
        i = start;
        throw error("integer " + SafeText.escape(excerpt(written)) + " is out of range");
      }
      return v.longValue();
    }

    private String string(char quote) {
      int start = i;
      i++;
      StringBuilder sb = new StringBuilder();
      while (i < s.length() && s.charAt(i) != quote) {
        char c = s.charAt(i);
        if (c == '\\') throw error("escape sequences in strings are not supported");
        if (c < 0x20 || c == 0x7f) throw error("control character " + SafeText.escapeCodePoint(c) + " in a string");
        sb.append(c);
        i++;
      }
      if (i >= s.length()) {
        i = start;
        throw error("unterminated string");
      }
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

    /** Python's whitespace between tokens inside brackets: space, tab, form feed, newlines. */
    private void ws() {
      while (i < s.length()) {
        char c = s.charAt(i);
        if (c != ' ' && c != '\t' && c != '\f' && c != '\n' && c != '\r') break;
        i++;
      }
    }

    private InvalidInputException error(String what) {
      String shown = SafeText.escape(excerpt(s.strip()));
      return new InvalidInputException(file + ": malformed .npy header (" + what + " at byte offset " + byteOffset(i) + "): " + shown);
    }

    /** A value as Python would print it, cut to an excerpt and escaped for error messages. */
    static String show(Object o) {
      return SafeText.escape(excerpt(literal(o)));
    }

    static String excerpt(String text) {
      return text.length() > SHOWN ? text.substring(0, SHOWN) + "..." : text;
    }

    private static String literal(Object o) {
      if (o instanceof Tuple || o instanceof List) {
        List<?> l = o instanceof Tuple ? ((Tuple) o).items : (List<?>) o;
        boolean tuple = o instanceof Tuple;
        StringBuilder sb = new StringBuilder(tuple ? "(" : "[");
        for (int k = 0; k < l.size() && sb.length() <= SHOWN; k++) {
          if (k > 0) sb.append(", ");
          sb.append(literal(l.get(k)));
        }
        if (tuple && l.size() == 1) sb.append(',');
        return sb.append(tuple ? ')' : ']').toString();
      }
      if (o instanceof Map) {
        StringBuilder sb = new StringBuilder("{");
        for (Map.Entry<?, ?> e : ((Map<?, ?>) o).entrySet()) {
          if (sb.length() > SHOWN) break;
          if (sb.length() > 1) sb.append(", ");
          sb.append(literal(e.getKey())).append(": ").append(literal(e.getValue()));
        }
        return sb.append('}').toString();
      }
      if (o instanceof String) return "'" + o + "'";
      if (o == NONE) return "None";
      if (o instanceof Boolean) return (Boolean) o ? "True" : "False";
      return String.valueOf(o);
    }
  }
}
