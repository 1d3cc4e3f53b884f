package dev.segloss.core.io;

import dev.segloss.core.InvalidInputException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Strict validation of the first image of a TIFF file (TIFF 6.0 and Adobe's Deflate extension) before
 * the JDK decodes it: the JDK's decoder fills what a short or damaged strip lacks rather than failing, and
 * does not check the Adler-32 of Deflate strips. TIFF has no checksum of its own, so changed bytes of
 * uncompressed samples cannot be detected; what is checked is the structure, and every compressed strip
 * or tile that segloss can check decompresses to exactly the bytes the header implies.
 *
 * <p>Checked: the byte-order mark and 42 (BigTIFF is refused); the first IFD and every value it points to
 * inside the file; width, length, samples per pixel, bits per sample, planar configuration; strips
 * ({@code StripOffsets}, {@code StripByteCounts}, one per {@code ceil(length / RowsPerStrip)} rows and
 * plane) or tiles; every strip or tile inside the file; uncompressed ones at least as long as their rows
 * need; Deflate ones (compression 8 and 32946) a complete zlib stream (Adler-32 checked) that fills the
 * byte count and inflates to exactly the rows' bytes; LZW (5) and PackBits (32773) ones valid code streams
 * that decode to exactly the rows' bytes. Other compressions (CCITT, JPEG) are left to the decoder.
 */
final class TiffCheck {
  private static final int[] TYPE_SIZE = {0, 1, 1, 2, 4, 8, 1, 1, 2, 4, 8, 4, 8, 4};

  private TiffCheck() {}

  /** The IFD fields the check needs. */
  static final class Info {
    long width;
    long height;
    int samples = 1;
    int[] bits = {1};
    int compression = 1;
    int planar = 1;
    int sampleFormat = 1;
    boolean tiled;
    long rowsPerStrip;
    long tileWidth;
    long tileLength;
    long[] offsets;
    long[] counts;

    ImageHeader header() {
      int maxBits = 0;
      for (int b : bits) maxBits = Math.max(maxBits, b);
      return new ImageHeader("TIFF", (int) width, (int) height, samples, maxBits);
    }
  }

  private static InvalidInputException bad(Path file, String what) {
    return new InvalidInputException(file + ": corrupt TIFF: " + what);
  }

  private static ByteBuffer read(Path file, FileChannel ch, long pos, int len, ByteOrder order, String what) throws IOException {
    if (pos < 0 || pos + len > ch.size()) {
      throw new InvalidInputException(file + ": truncated TIFF: " + what + " at byte offset " + pos + " lies beyond the end of the file ("
          + ch.size() + " bytes)");
    }
    ByteBuffer b = ByteBuffer.allocate(len).order(order);
    long p = pos;
    while (b.hasRemaining()) {
      int n = ch.read(b, p);
      if (n < 0) throw new InvalidInputException(file + ": truncated TIFF: the file ends inside " + what);
      p += n;
    }
    b.flip();
    return b;
  }

  static Info readHeader(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      return header(file, ch);
    }
  }

  private static Info header(Path file, FileChannel ch) throws IOException {
    ByteBuffer h = read(file, ch, 0, 8, ByteOrder.LITTLE_ENDIAN, "the file header");
    ByteOrder order;
    if (h.get(0) == 'I' && h.get(1) == 'I') order = ByteOrder.LITTLE_ENDIAN;
    else if (h.get(0) == 'M' && h.get(1) == 'M') order = ByteOrder.BIG_ENDIAN;
    else throw new InvalidInputException(file + ": not a TIFF file (no II or MM byte-order mark)");
    h.order(order);
    int magic = h.getShort(2) & 0xffff;
    if (magic == 43) throw new InvalidInputException(file + ": BigTIFF is not supported; save the image as a classic TIFF or a PNG");
    if (magic != 42) throw new InvalidInputException(file + ": not a TIFF file (version " + magic + ", expected 42)");
    long ifd = h.getInt(4) & 0xffffffffL;
    if (ifd < 8) throw bad(file, "the first IFD offset " + ifd + " lies inside the file header");
    int n = read(file, ch, ifd, 2, order, "the first IFD").getShort(0) & 0xffff;
    if (n == 0) throw bad(file, "the first IFD has no entries");
    ByteBuffer e = read(file, ch, ifd + 2, n * 12 + 4, order, "the first IFD's " + n + " entries");
    Map<Integer, long[]> tags = new HashMap<>();
    for (int k = 0; k < n; k++) {
      int tag = e.getShort(k * 12) & 0xffff;
      int type = e.getShort(k * 12 + 2) & 0xffff;
      long count = e.getInt(k * 12 + 4) & 0xffffffffL;
      if (type < 1 || type >= TYPE_SIZE.length) continue; // unknown field types are skipped (TIFF 6.0, section 2)
      long size = count * TYPE_SIZE[type];
      long valuePos = size <= 4 ? ifd + 2 + k * 12 + 8 : e.getInt(k * 12 + 8) & 0xffffffffL;
      if (valuePos + size > ch.size()) {
        throw new InvalidInputException(file + ": truncated TIFF: the values of tag " + tag + " (" + size + " bytes at byte offset " + valuePos
            + ") lie beyond the end of the file (" + ch.size() + " bytes)");
      }
      if (!needed(tag)) continue;
      if (type != 1 && type != 3 && type != 4) throw bad(file, "tag " + tag + " has field type " + type + ", expected BYTE, SHORT or LONG");
      if (count > (1 << 24)) throw bad(file, "tag " + tag + " has " + count + " values");
      ByteBuffer v = read(file, ch, valuePos, (int) size, order, "the values of tag " + tag);
      long[] vals = new long[(int) count];
      for (int i = 0; i < count; i++) {
        vals[i] = type == 1 ? v.get(i) & 0xffL : type == 3 ? v.getShort(2 * i) & 0xffffL : v.getInt(4 * i) & 0xffffffffL;
      }
      tags.put(tag, vals);
    }
    Info in = new Info();
    in.width = one(file, tags, 256, -1);
    in.height = one(file, tags, 257, -1);
    if (in.width < 1 || in.height < 1 || in.width > Integer.MAX_VALUE || in.height > Integer.MAX_VALUE) {
      throw bad(file, "image size " + in.width + "x" + in.height + " is missing or invalid");
    }
    in.samples = (int) Math.min(one(file, tags, 277, 1), 1 << 16);
    if (in.samples < 1) throw bad(file, "0 samples per pixel");
    long[] bits = tags.getOrDefault(258, new long[] {1});
    if (bits.length != in.samples && bits.length != 1) throw bad(file, bits.length + " BitsPerSample values for " + in.samples + " samples");
    in.bits = new int[in.samples];
    for (int s = 0; s < in.samples; s++) {
      long b = bits[bits.length == 1 ? 0 : s];
      if (b < 1 || b > 64) throw bad(file, "bits per sample " + b + " is invalid");
      in.bits[s] = (int) b;
    }
    in.compression = (int) one(file, tags, 259, 1);
    in.planar = (int) one(file, tags, 284, 1);
    if (in.planar != 1 && in.planar != 2) throw bad(file, "planar configuration " + in.planar + " is invalid (1 or 2)");
    in.sampleFormat = tags.containsKey(339) ? (int) tags.get(339)[0] : 1;
    in.tiled = tags.containsKey(322) || tags.containsKey(323) || tags.containsKey(324) || tags.containsKey(325);
    int planes = in.planar == 2 ? in.samples : 1;
    long units;
    if (in.tiled) {
      in.tileWidth = one(file, tags, 322, -1);
      in.tileLength = one(file, tags, 323, -1);
      if (in.tileWidth < 1 || in.tileLength < 1) throw bad(file, "tile size " + in.tileWidth + "x" + in.tileLength + " is missing or invalid");
      units = ceil(in.width, in.tileWidth) * ceil(in.height, in.tileLength) * planes;
      in.offsets = tags.get(324);
      in.counts = tags.get(325);
      if (in.offsets == null || in.counts == null) throw bad(file, "a tiled image without TileOffsets or TileByteCounts");
    } else {
      in.rowsPerStrip = Math.min(one(file, tags, 278, 0xffffffffL), in.height);
      if (in.rowsPerStrip < 1) throw bad(file, "RowsPerStrip 0");
      units = ceil(in.height, in.rowsPerStrip) * planes;
      in.offsets = tags.get(273);
      in.counts = tags.get(279);
      if (in.offsets == null || in.counts == null) throw bad(file, "no StripOffsets or StripByteCounts");
    }
    String unit = in.tiled ? "tile" : "strip";
    if (in.offsets.length != units || in.counts.length != units) {
      throw bad(file, in.offsets.length + " " + unit + " offsets and " + in.counts.length + " byte counts, but the size and layout need " + units);
    }
    for (int k = 0; k < units; k++) {
      if (in.offsets[k] + in.counts[k] > ch.size()) {
        throw new InvalidInputException(file + ": truncated TIFF: " + unit + " " + k + " (" + in.counts[k] + " bytes at byte offset "
            + in.offsets[k] + ") lies beyond the end of the file (" + ch.size() + " bytes)");
      }
    }
    return in;
  }

  private static boolean needed(int tag) {
    switch (tag) {
      case 256: case 257: case 258: case 259: case 273: case 277: case 278: case 279: case 284: case 322: case 323: case 324: case 325:
      case 339:
        return true;
      default:
        return false;
    }
  }

  private static long one(Path file, Map<Integer, long[]> tags, int tag, long def) {
    long[] v = tags.get(tag);
    if (v == null) return def;
    if (v.length < 1) throw bad(file, "tag " + tag + " has no value");
    return v[0];
  }

  private static long ceil(long a, long b) {
    return (a + b - 1) / b;
  }

  /** The whole check (see the class comment). */
  static ImageHeader validate(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      Info in = header(file, ch);
      int planes = in.planar == 2 ? in.samples : 1;
      int units = in.offsets.length;
      int perPlane = units / planes;
      for (int k = 0; k < units; k++) {
        int plane = k / perPlane;
        int index = k % perPlane;
        long bitsPerPixel = 0;
        if (in.planar == 2) bitsPerPixel = in.bits[plane];
        else for (int b : in.bits) bitsPerPixel += b;
        long expected;
        if (in.tiled) {
          expected = in.tileLength * ((in.tileWidth * bitsPerPixel + 7) / 8);
        } else {
          long rows = Math.min(in.rowsPerStrip, in.height - index * in.rowsPerStrip);
          expected = rows * ((in.width * bitsPerPixel + 7) / 8);
        }
        String name = (in.tiled ? "tile " : "strip ") + k;
        check(file, ch, in, in.offsets[k], in.counts[k], expected, name);
      }
      return in.header();
    }
  }

  private static void check(Path file, FileChannel ch, Info in, long offset, long count, long expected, String name) throws IOException {
    switch (in.compression) {
      case 1:
        if (count < expected) {
          throw bad(file, name + " has " + count + " bytes, but its uncompressed rows need " + expected);
        }
        return;
      case 8:
      case 32946:
        inflate(file, ch, offset, count, expected, name);
        return;
      case 5:
        try (InputStream s = stream(ch, offset, count)) {
          long got = lzw(file, s, expected, name);
          if (got != expected) throw bad(file, name + " decodes (LZW) to " + got + " bytes, but its rows need " + expected);
        }
        return;
      case 32773:
        try (InputStream s = stream(ch, offset, count)) {
          long got = packBits(s, expected);
          if (got != expected) throw bad(file, name + " decodes (PackBits) to " + got + " bytes, but its rows need " + expected);
        }
        return;
      default:
        // CCITT, JPEG and others: the decoder's own checks
    }
  }

  private static InputStream stream(FileChannel ch, long offset, long count) throws IOException {
    InputStream raw = Channels.newInputStream(ch.position(offset));
    return new BufferedInputStream(new InputStream() {
      long left = count;

      @Override
      public int read() throws IOException {
        if (left <= 0) return -1;
        int b = raw.read();
        if (b >= 0) left--;
        return b;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (left <= 0) return -1;
        int n = raw.read(b, off, (int) Math.min(len, left));
        if (n > 0) left -= n;
        return n;
      }
    }, 1 << 16);
  }

  private static void inflate(Path file, FileChannel ch, long offset, long count, long expected, String name) throws IOException {
    Inflater inf = new Inflater();
    try (InputStream s = stream(ch, offset, count)) {
      byte[] in = new byte[1 << 16];
      byte[] out = new byte[1 << 16];
      long total = 0;
      long fed = 0;
      while (!inf.finished()) {
        if (inf.needsInput()) {
          int n = s.read(in);
          if (n <= 0) {
            throw bad(file, name + ": the Deflate data ends before the zlib stream does (" + count + " bytes, " + total + " of " + expected
                + " inflated): truncated or corrupt");
          }
          fed += n;
          inf.setInput(in, 0, n);
        }
        int k;
        try {
          k = inf.inflate(out);
        } catch (DataFormatException e) {
          String why = String.valueOf(e.getMessage());
          if (why.contains("incorrect data check")) why = "Adler-32 checksum mismatch";
          throw bad(file, name + ": the Deflate data is corrupt (" + why + ")");
        }
        total += k;
        if (total > expected) throw bad(file, name + " inflates to more than the " + expected + " bytes its rows need");
        if (k == 0 && inf.needsDictionary()) throw bad(file, name + ": the zlib stream asks for a preset dictionary");
      }
      long unused = inf.getRemaining() + (count - fed);
      if (unused > 0) throw bad(file, name + ": " + unused + " byte(s) after the end of its zlib stream");
      if (total != expected) throw bad(file, name + " inflates to " + total + " bytes, but its rows need " + expected);
    } finally {
      inf.end();
    }
  }

  /** Decodes TIFF LZW (MSB-first codes of 9 to 12 bits, early change) counting the output; -1 past {@code limit}. */
  static long lzw(Path file, InputStream in, long limit, String name) throws IOException {
    int[] len = new int[4096];
    int next = 258;
    int width = 9;
    int prev = -1;
    long out = 0;
    long bitBuf = 0;
    int bits = 0;
    while (true) {
      while (bits < width) {
        int b = in.read();
        if (b < 0) return out; // no end-of-information code: the length decides
        bitBuf = (bitBuf << 8) | b;
        bits += 8;
      }
      int code = (int) ((bitBuf >>> (bits - width)) & ((1 << width) - 1));
      bits -= width;
      if (code == 257) return out;
      if (code == 256) {
        next = 258;
        width = 9;
        prev = -1;
        continue;
      }
      int l;
      if (prev < 0) {
        if (code > 255) throw bad(file, name + ": invalid LZW code " + code + " after a clear code");
        l = 1;
      } else {
        if (code < next) l = code < 256 ? 1 : len[code];
        else if (code == next) l = (prev < 256 ? 1 : len[prev]) + 1;
        else throw bad(file, name + ": invalid LZW code " + code + " (the table has " + next + " entries)");
        if (next < 4096) {
          len[next] = (prev < 256 ? 1 : len[prev]) + 1;
          next++;
        }
      }
      out += l;
      if (out > limit) throw bad(file, name + " decodes (LZW) to more than the " + limit + " bytes its rows need");
      prev = code;
      if (next + 1 >= 4096) width = 12;
      else if (next + 1 >= 2048) width = 12;
      else if (next + 1 >= 1024) width = 11;
      else if (next + 1 >= 512) width = 10;
    }
  }

  /** Decodes PackBits counting the output. */
  static long packBits(InputStream in, long limit) throws IOException {
    long out = 0;
    int n;
    while ((n = in.read()) >= 0 && out <= limit) {
      byte c = (byte) n;
      if (c >= 0) {
        long skipped = in.skip(c + 1);
        if (skipped < c + 1) {
          // skip may stop early on a buffered stream; read the rest
          for (long k = skipped; k < c + 1; k++) if (in.read() < 0) return -1;
        }
        out += c + 1;
      } else if (c != -128) {
        if (in.read() < 0) return -1;
        out += 1 - c;
      }
    }
    return out;
  }
}
