package dev.segloss.core.io;

import dev.segloss.core.InvalidInputException;
import dev.segloss.core.SafeText;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Strict validation of a PNG file (ISO/IEC 15948, the PNG specification, 2nd/3rd edition) before the
 * JDK decodes it, because the JDK's decoder does not verify chunk CRCs and stops inflating as soon as
 * it has its rows, so neither a corrupt chunk nor a damaged zlib stream is noticed: a flipped bit or a
 * few deleted bytes in IDAT decode to other pixels. Hand-written because no library in the JDK offers a
 * checking pass, and the checks are short.
 *
 * <p>Checked, in one streaming pass (constant memory): the signature; every chunk's length, type letters
 * and CRC-32; IHDR first (13 bytes, a valid bit depth and colour type, compression, filter and interlace
 * methods); PLTE at most once, before IDAT, not for gray images, 1 to 2<sup>depth</sup> entries, present
 * for palette images; tRNS before IDAT (after PLTE) with the length its colour type allows; IDAT chunks
 * consecutive; no unknown critical chunk; IEND last and nothing after it. The concatenated IDAT data
 * must be one zlib stream (RFC 1950: header, deflate data, Adler-32, all checked by {@link Inflater})
 * that ends exactly at the end of the IDAT data and inflates to exactly the bytes the IHDR implies
 * (one filter-type byte, 0 to 4, and the packed samples per row; per Adam7 pass when interlaced).
 */
final class PngCheck {
  static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10};
  /** Largest chunk length the specification allows, 2<sup>31</sup> − 1. */
  private static final long MAX_CHUNK = 0x7fffffffL;
  private static final int IHDR = type("IHDR");
  private static final int PLTE = type("PLTE");
  private static final int IDAT = type("IDAT");
  private static final int IEND = type("IEND");
  private static final int TRNS = type("tRNS");
  /** Adam7 passes: x start, y start, x step, y step. */
  private static final int[][] ADAM7 = {{0, 0, 8, 8}, {4, 0, 8, 8}, {0, 4, 4, 8}, {2, 0, 4, 4}, {0, 2, 2, 4}, {1, 0, 2, 2}, {0, 1, 1, 2}};

  private PngCheck() {}

  private static int type(String s) {
    return s.charAt(0) << 24 | s.charAt(1) << 16 | s.charAt(2) << 8 | s.charAt(3);
  }

  private static String typeName(int t) {
    StringBuilder sb = new StringBuilder();
    for (int k = 24; k >= 0; k -= 8) sb.appendCodePoint((t >>> k) & 0xff);
    return SafeText.escape(sb);
  }

  /** The IHDR fields. */
  static final class Ihdr {
    int width;
    int height;
    int bitDepth;
    int colorType;
    int interlace;

    int channels() {
      switch (colorType) {
        case 2:
          return 3;
        case 4:
          return 2;
        case 6:
          return 4;
        default:
          return 1;
      }
    }

    ImageHeader header() {
      return new ImageHeader("PNG", width, height, channels(), bitDepth);
    }
  }

  /** A stream that counts the offset and turns an early end into a "truncated" error. */
  private static final class Source {
    final Path file;
    final InputStream in;
    long offset;

    Source(Path file, InputStream in) {
      this.file = file;
      this.in = in;
    }

    /** Reads exactly {@code len} bytes; the end of the file there is "truncated PNG ... inside {@code what}". */
    void read(byte[] b, int off, int len, String what) throws IOException {
      int n = in.readNBytes(b, off, len);
      offset += n;
      if (n < len) throw new InvalidInputException(file + ": truncated PNG: the file ends inside " + what + " at byte offset " + offset);
    }

    long readInt(String what) throws IOException {
      byte[] b = new byte[4];
      read(b, 0, 4, what);
      return (b[0] & 0xffL) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
    }

    /** True when at least one more byte follows. */
    boolean more() throws IOException {
      in.mark(1);
      int b = in.read();
      in.reset();
      return b >= 0;
    }
  }

  /** The signature and IHDR (its CRC checked): the size and sample format, without reading the pixels. */
  static ImageHeader readHeader(Path file) throws IOException {
    try (InputStream raw = Files.newInputStream(file)) {
      Source src = new Source(file, new BufferedInputStream(raw, 64));
      signature(src);
      return ihdr(src).header();
    }
  }

  private static void signature(Source src) throws IOException {
    byte[] sig = new byte[8];
    src.read(sig, 0, 8, "the signature");
    if (!java.util.Arrays.equals(sig, SIGNATURE)) throw new InvalidInputException(src.file + ": not a PNG file (bad signature)");
  }

  private static Ihdr ihdr(Source src) throws IOException {
    long at = src.offset;
    long len = src.readInt("the IHDR chunk");
    int t = (int) src.readInt("the IHDR chunk");
    if (t != IHDR) throw bad(src, "the first chunk is " + typeName(t) + " at byte offset " + (at + 4) + ", expected IHDR");
    if (len != 13) throw bad(src, "IHDR has length " + len + ", expected 13");
    byte[] d = new byte[13];
    src.read(d, 0, 13, "the IHDR chunk");
    CRC32 crc = new CRC32();
    crc.update(new byte[] {'I', 'H', 'D', 'R'});
    crc.update(d);
    checkCrc(src, crc, "IHDR", at);
    Ihdr h = new Ihdr();
    long w = (d[0] & 0xffL) << 24 | (d[1] & 0xff) << 16 | (d[2] & 0xff) << 8 | (d[3] & 0xff);
    long hh = (d[4] & 0xffL) << 24 | (d[5] & 0xff) << 16 | (d[6] & 0xff) << 8 | (d[7] & 0xff);
    if (w < 1 || w > MAX_CHUNK || hh < 1 || hh > MAX_CHUNK) throw bad(src, "IHDR size " + w + "x" + hh + " is invalid (1 to 2^31-1 each)");
    h.width = (int) w;
    h.height = (int) hh;
    h.bitDepth = d[8] & 0xff;
    h.colorType = d[9] & 0xff;
    boolean ok;
    switch (h.colorType) {
      case 0:
        ok = h.bitDepth == 1 || h.bitDepth == 2 || h.bitDepth == 4 || h.bitDepth == 8 || h.bitDepth == 16;
        break;
      case 3:
        ok = h.bitDepth == 1 || h.bitDepth == 2 || h.bitDepth == 4 || h.bitDepth == 8;
        break;
      case 2:
      case 4:
      case 6:
        ok = h.bitDepth == 8 || h.bitDepth == 16;
        break;
      default:
        throw bad(src, "IHDR colour type " + h.colorType + " is invalid (0, 2, 3, 4 or 6)");
    }
    if (!ok) throw bad(src, "IHDR bit depth " + h.bitDepth + " is invalid for colour type " + h.colorType);
    if (d[10] != 0) throw bad(src, "IHDR compression method " + (d[10] & 0xff) + " is invalid (0)");
    if (d[11] != 0) throw bad(src, "IHDR filter method " + (d[11] & 0xff) + " is invalid (0)");
    h.interlace = d[12] & 0xff;
    if (h.interlace > 1) throw bad(src, "IHDR interlace method " + h.interlace + " is invalid (0 or 1)");
    return h;
  }

  private static void checkCrc(Source src, CRC32 crc, String chunk, long chunkStart) throws IOException {
    long stored = src.readInt("the CRC of chunk " + chunk);
    if (stored != crc.getValue()) {
      throw bad(src, "CRC mismatch in chunk " + chunk + " at byte offset " + chunkStart + " (stored 0x" + Long.toHexString(stored)
          + ", computed 0x" + Long.toHexString(crc.getValue()) + "): the file is corrupt");
    }
  }

  private static InvalidInputException bad(Source src, String what) {
    return new InvalidInputException(src.file + ": corrupt PNG: " + what);
  }

  /** Rows of each non-empty pass and their length in bytes (filter byte included). */
  private static long[][] passes(Ihdr h) {
    long bitsPerPixel = (long) h.bitDepth * h.channels();
    if (h.interlace == 0) return new long[][] {{h.height, 1 + (h.width * bitsPerPixel + 7) / 8}};
    java.util.List<long[]> out = new java.util.ArrayList<>();
    for (int[] p : ADAM7) {
      long cols = h.width > p[0] ? (h.width - p[0] + p[2] - 1) / p[2] : 0;
      long rows = h.height > p[1] ? (h.height - p[1] + p[3] - 1) / p[3] : 0;
      if (cols > 0 && rows > 0) out.add(new long[] {rows, 1 + (cols * bitsPerPixel + 7) / 8});
    }
    return out.toArray(new long[0][]);
  }

  /** Follows the inflated bytes: counts them and checks every row's filter-type byte. */
  private static final class Rows {
    final long[][] passes;
    final long expected;
    long total;
    int pass;
    long row;
    long inRow;
    String error;

    Rows(long[][] passes) {
      this.passes = passes;
      long e = 0;
      for (long[] p : passes) e += p[0] * p[1];
      expected = e;
    }

    void accept(byte[] b, int n) {
      int i = 0;
      while (i < n && error == null) {
        if (pass >= passes.length) {
          error = "the IDAT data inflates to more than the " + expected + " bytes the IHDR implies";
          return;
        }
        long rowBytes = passes[pass][1];
        if (inRow == 0) {
          int f = b[i] & 0xff;
          if (f > 4) {
            error = "invalid filter type " + f + " at the start of row " + row + (passes.length > 1 ? " of interlace pass " + (pass + 1) : "")
                + " (0 to 4)";
            return;
          }
        }
        long step = Math.min(rowBytes - inRow, n - i);
        i += (int) step;
        inRow += step;
        total += step;
        if (inRow == rowBytes) {
          inRow = 0;
          if (++row == passes[pass][0]) {
            row = 0;
            pass++;
          }
        }
      }
    }
  }

  /** Validates the whole file (see the class comment); returns its header. */
  static ImageHeader validate(Path file) throws IOException {
    try (InputStream raw = Files.newInputStream(file)) {
      Source src = new Source(file, new BufferedInputStream(raw, 1 << 16));
      signature(src);
      Ihdr h = ihdr(src);
      Rows rows = new Rows(passes(h));
      Inflater inflater = new Inflater();
      try {
        validateChunks(src, h, rows, inflater);
      } finally {
        inflater.end();
      }
      return h.header();
    }
  }

  private static void validateChunks(Source src, Ihdr h, Rows rows, Inflater inflater) throws IOException {
    int paletteEntries = 0;
    boolean seenTrns = false;
    int idatState = 0; // 0 before IDAT, 1 inside the IDAT run, 2 after it
    byte[] buf = new byte[1 << 16];
    byte[] out = new byte[1 << 16];
    while (true) {
      if (!src.more()) throw new InvalidInputException(src.file + ": truncated PNG: no IEND chunk (the file ends at byte offset " + src.offset + ")");
      long at = src.offset;
      long len = src.readInt("a chunk length");
      int t = (int) src.readInt("a chunk type");
      String name = typeName(t);
      for (int k = 24; k >= 0; k -= 8) {
        int c = (t >>> k) & 0xff;
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) {
          throw bad(src, "invalid chunk type '" + name + "' at byte offset " + (at + 4) + " (four ASCII letters)");
        }
      }
      if (len > MAX_CHUNK) throw bad(src, "chunk " + name + " at byte offset " + at + " claims " + len + " bytes (at most 2^31-1)");
      if (t == IDAT) {
        if (idatState == 2) throw bad(src, "IDAT chunks are not consecutive (another IDAT at byte offset " + at + ")");
        if (h.colorType == 3 && paletteEntries == 0) throw bad(src, "a palette image without a PLTE chunk before its IDAT");
        idatState = 1;
      } else if (idatState == 1) {
        idatState = 2;
        finishIdat(src, h, rows, inflater);
      }
      CRC32 crc = new CRC32();
      crc.update(new byte[] {(byte) (t >>> 24), (byte) (t >>> 16), (byte) (t >>> 8), (byte) t});
      byte[] small = null;
      String inflateError = null;
      if (t == PLTE || t == TRNS || t == IEND || t == IHDR) {
        if (len > 768) throw bad(src, "chunk " + name + " at byte offset " + at + " is too long (" + len + " bytes)");
        small = new byte[(int) len];
        src.read(small, 0, small.length, "chunk " + name);
        crc.update(small);
      } else {
        long left = len;
        while (left > 0) {
          int n = (int) Math.min(buf.length, left);
          src.read(buf, 0, n, "chunk " + name);
          crc.update(buf, 0, n);
          left -= n;
          if (t == IDAT && inflateError == null && rows.error == null) inflateError = inflate(inflater, buf, n, out, rows);
        }
      }
      checkCrc(src, crc, name, at);
      if (inflateError != null) throw bad(src, inflateError);
      if (rows.error != null) throw bad(src, rows.error);
      if (t == IHDR) throw bad(src, "a second IHDR chunk at byte offset " + at);
      if (t == PLTE) {
        if (paletteEntries > 0) throw bad(src, "a second PLTE chunk at byte offset " + at);
        if (idatState > 0) throw bad(src, "PLTE after IDAT at byte offset " + at);
        if (h.colorType == 0 || h.colorType == 4) throw bad(src, "a PLTE chunk in a gray image (colour type " + h.colorType + ")");
        if (seenTrns) throw bad(src, "PLTE after tRNS at byte offset " + at);
        int entries = small.length / 3;
        if (small.length % 3 != 0 || entries < 1 || entries > 256 || (h.colorType == 3 && entries > 1 << h.bitDepth)) {
          throw bad(src, "PLTE has " + small.length + " bytes; expected 3 per entry, 1 to " + (h.colorType == 3 ? 1 << h.bitDepth : 256) + " entries");
        }
        paletteEntries = entries;
      } else if (t == TRNS) {
        if (seenTrns) throw bad(src, "a second tRNS chunk at byte offset " + at);
        if (idatState > 0) throw bad(src, "tRNS after IDAT at byte offset " + at);
        boolean ok;
        switch (h.colorType) {
          case 0:
            ok = small.length == 2;
            break;
          case 2:
            ok = small.length == 6;
            break;
          case 3:
            ok = paletteEntries > 0 && small.length >= 1 && small.length <= paletteEntries;
            break;
          default:
            ok = false;
        }
        if (!ok) throw bad(src, "tRNS of " + small.length + " bytes is invalid for colour type " + h.colorType);
        seenTrns = true;
      } else if (t == IEND) {
        if (small.length != 0) throw bad(src, "IEND has length " + small.length + ", expected 0");
        if (idatState == 0) throw bad(src, "no IDAT chunk");
        if (src.more()) {
          long extra = src.in.transferTo(java.io.OutputStream.nullOutputStream());
          throw new InvalidInputException(src.file + ": corrupt PNG: " + extra + " byte(s) after the IEND chunk, from byte offset " + src.offset
              + " (not part of a PNG datastream)");
        }
        return;
      } else if (t != IDAT && (t & 0x20000000) == 0) {
        throw bad(src, "unknown critical chunk '" + name + "' at byte offset " + at);
      }
    }
  }

  /** Feeds one piece of IDAT data; returns an error message, or null. */
  private static String inflate(Inflater inflater, byte[] in, int n, byte[] out, Rows rows) {
    if (inflater.finished()) return "data after the end of the zlib stream in IDAT";
    inflater.setInput(in, 0, n);
    try {
      while (true) {
        int k = inflater.inflate(out);
        if (k > 0) {
          rows.accept(out, k);
          if (rows.error != null) return null;
          continue;
        }
        if (inflater.finished()) {
          if (inflater.getRemaining() > 0) return inflater.getRemaining() + " byte(s) after the end of the zlib stream in IDAT";
          return null;
        }
        if (inflater.needsDictionary()) return "the zlib stream in IDAT asks for a preset dictionary";
        if (inflater.needsInput()) return null;
      }
    } catch (DataFormatException e) {
      String why = String.valueOf(e.getMessage());
      if (why.contains("incorrect data check")) why = "Adler-32 checksum mismatch";
      return "the zlib stream in IDAT is corrupt (" + why + ")";
    }
  }

  private static void finishIdat(Source src, Ihdr h, Rows rows, Inflater inflater) {
    if (!inflater.finished()) {
      throw bad(src, "the zlib stream in IDAT is incomplete (it inflates to " + rows.total + " of " + rows.expected
          + " bytes and has no end): truncated or corrupt");
    }
    if (rows.total != rows.expected) {
      throw bad(src, "the IDAT data inflates to " + rows.total + " bytes, but the IHDR (" + h.width + "x" + h.height + ", " + h.bitDepth
          + "-bit, colour type " + h.colorType + (h.interlace == 1 ? ", interlaced" : "") + ") implies " + rows.expected);
    }
  }
}
