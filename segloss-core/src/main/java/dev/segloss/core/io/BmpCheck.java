package dev.segloss.core.io;

import dev.segloss.core.InvalidInputException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Strict validation of a BMP file before the JDK decodes it (the JDK's decoder reports a short file
 * as "EOFException: null" and decodes inconsistent headers as best it can). BMP has no checksum, so
 * changed pixel bytes cannot be detected; what is checked is that the headers are consistent with each
 * other and with the file, so a truncated or shifted file is an error that says so.
 *
 * <p>Checked (Microsoft's BITMAPFILEHEADER / BITMAPCOREHEADER / BITMAPINFOHEADER / BITMAPV4HEADER /
 * BITMAPV5HEADER documentation): the {@code BM} signature; a known header size (12, 40, 52, 56, 64, 108,
 * 124); width &gt; 0, height &ne; 0 (negative: top-down, only uncompressed); one plane; a bit count the
 * compression allows (none: 1, 4, 8, 16, 24, 32; RLE8: 8; RLE4: 4; bitfields: 16, 32); the palette
 * (at most 2<sup>bits</sup> entries) between the headers and the pixel data; the pixel data offset
 * inside the file; the file size the header declares ({@code bfSize}, when not 0) equal to the real
 * size; uncompressed pixel data ({@code ceil(width·bits/32)·4} bytes per row) inside the file; RLE data
 * that is a valid sequence of runs, escapes and deltas staying inside the image and ending with the
 * end-of-bitmap escape inside the file. Embedded JPEG or PNG data (compression 4, 5) is refused.
 */
final class BmpCheck {
  private BmpCheck() {}

  /** The parsed headers. */
  static final class Info {
    long fileSize;
    long declaredSize;
    long dataOffset;
    int headerSize;
    int width;
    int height;
    boolean topDown;
    int bits;
    int compression;
    long sizeImage;
    int paletteEntries;
    /** Where the space for pixel data ends: the end of the file, or an embedded colour profile after the pixels. */
    long pixelLimit;

    ImageHeader header() {
      int channels = bits <= 8 ? 1 : bits == 32 ? 4 : 3;
      return new ImageHeader("BMP", width, height, channels, 8);
    }
  }

  private static InvalidInputException bad(Path file, String what) {
    return new InvalidInputException(file + ": corrupt BMP: " + what);
  }

  private static InvalidInputException truncated(Path file, String what) {
    return new InvalidInputException(file + ": truncated BMP: " + what);
  }

  private static ByteBuffer read(Path file, FileChannel ch, long pos, int len, String what) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(len).order(ByteOrder.LITTLE_ENDIAN);
    long p = pos;
    while (b.hasRemaining()) {
      int n = ch.read(b, p);
      if (n < 0) throw truncated(file, "the file ends inside " + what + " (at byte offset " + p + ", " + ch.size() + " bytes in all)");
      p += n;
    }
    b.flip();
    return b;
  }

  /** The headers, checked against each other and the file size (see the class comment). */
  static Info readHeader(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      return header(file, ch);
    }
  }

  private static Info header(Path file, FileChannel ch) throws IOException {
    Info in = new Info();
    in.fileSize = ch.size();
    ByteBuffer fh = read(file, ch, 0, 18, "the file header");
    if (fh.get(0) != 'B' || fh.get(1) != 'M') throw new InvalidInputException(file + ": not a BMP file (no 'BM' signature)");
    in.declaredSize = fh.getInt(2) & 0xffffffffL;
    in.dataOffset = fh.getInt(10) & 0xffffffffL;
    in.headerSize = fh.getInt(14);
    int hs = in.headerSize;
    if (hs != 12 && hs != 40 && hs != 52 && hs != 56 && hs != 64 && hs != 108 && hs != 124) {
      // BITMAPCOREHEADER, BITMAPINFOHEADER, its V2/V3 extensions, OS/2 2.x, BITMAPV4HEADER, BITMAPV5HEADER
      throw bad(file, "unknown header size " + (hs & 0xffffffffL) + " (12, 40, 52, 56, 64, 108 or 124)");
    }
    ByteBuffer h = read(file, ch, 14, hs, "the " + hs + "-byte info header");
    int planes;
    if (hs == 12) {
      in.width = h.getShort(4) & 0xffff;
      in.height = h.getShort(6) & 0xffff;
      planes = h.getShort(8) & 0xffff;
      in.bits = h.getShort(10) & 0xffff;
      in.compression = 0;
    } else {
      in.width = h.getInt(4);
      int height = h.getInt(8);
      in.topDown = height < 0;
      if (height == Integer.MIN_VALUE) throw bad(file, "height " + height + " is invalid");
      in.height = Math.abs(height);
      planes = h.getShort(12) & 0xffff;
      in.bits = h.getShort(14) & 0xffff;
      in.compression = h.getInt(16);
      in.sizeImage = h.getInt(20) & 0xffffffffL;
      in.paletteEntries = h.getInt(32);
    }
    if (in.width <= 0 || in.height == 0) throw bad(file, "size " + in.width + "x" + (in.topDown ? -in.height : in.height) + " is invalid");
    if (planes != 1) throw bad(file, planes + " planes, expected 1");
    int b = in.bits;
    boolean bitsOk;
    switch (in.compression) {
      case 0:
        bitsOk = b == 1 || b == 4 || b == 8 || b == 16 || b == 24 || b == 32;
        if (hs == 12) bitsOk = b == 1 || b == 4 || b == 8 || b == 24;
        break;
      case 1:
        bitsOk = b == 8;
        break;
      case 2:
        bitsOk = b == 4;
        break;
      case 3:
      case 6:
        bitsOk = b == 16 || b == 32;
        break;
      case 4:
      case 5:
        throw bad(file, "embedded " + (in.compression == 4 ? "JPEG" : "PNG") + " data (compression " + in.compression + ") is not supported");
      default:
        throw bad(file, "unknown compression " + (in.compression & 0xffffffffL));
    }
    if (!bitsOk) throw bad(file, b + " bits per pixel is invalid for compression " + in.compression);
    if (hs == 64 && in.compression > 2) throw bad(file, "OS/2 compression " + in.compression + " is not supported");
    if (in.topDown && (in.compression == 1 || in.compression == 2)) throw bad(file, "a top-down (negative height) RLE bitmap");
    int maxEntries = b <= 8 ? 1 << b : 0;
    int entries;
    if (hs == 12) {
      entries = maxEntries;
    } else if (b <= 8) {
      if (in.paletteEntries < 0 || in.paletteEntries > maxEntries) {
        throw bad(file, "a palette of " + (in.paletteEntries & 0xffffffffL) + " colours for " + b + "-bit pixels (at most " + maxEntries + ")");
      }
      entries = in.paletteEntries == 0 ? maxEntries : in.paletteEntries;
    } else {
      entries = 0; // an optional colour table for display; the pixel data offset says where the pixels start
    }
    in.paletteEntries = entries;
    long masks = hs == 40 && (in.compression == 3 || in.compression == 6) ? (in.compression == 3 ? 12 : 16) : 0;
    long minOffset = 14 + hs + masks + (long) entries * (hs == 12 ? 3 : 4);
    if (in.dataOffset < minOffset) {
      throw bad(file, "the pixel data offset " + in.dataOffset + " lies inside the headers and palette (which end at byte " + minOffset + ")");
    }
    if (in.declaredSize != 0 && in.declaredSize != in.fileSize) {
      if (in.declaredSize > in.fileSize) {
        throw truncated(file, "the header declares " + in.declaredSize + " bytes, the file has " + in.fileSize);
      }
      throw bad(file, (in.fileSize - in.declaredSize) + " byte(s) after the end the header declares (" + in.declaredSize + " bytes)");
    }
    if (in.dataOffset > in.fileSize) {
      throw truncated(file, "the pixel data should start at byte offset " + in.dataOffset + ", the file has " + in.fileSize + " bytes");
    }
    if (minOffset > in.fileSize) throw truncated(file, "the file ends inside the palette");
    in.pixelLimit = in.fileSize;
    if (hs == 124 && h.getInt(56) == 0x4d424544) { // BITMAPV5HEADER, bV5CSType PROFILE_EMBEDDED ('MBED')
      long profile = 14 + (h.getInt(112) & 0xffffffffL); // bV5ProfileData: offset from the start of the info header
      if (profile >= in.dataOffset && profile <= in.fileSize) in.pixelLimit = profile;
    }
    return in;
  }

  /** The whole check (see the class comment). */
  static ImageHeader validate(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      Info in = header(file, ch);
      if (in.compression == 1 || in.compression == 2) {
        rle(file, ch, in);
      } else {
        long stride = ((long) in.width * in.bits + 31) / 32 * 4;
        long need = stride * in.height;
        if (in.dataOffset + need > in.fileSize) {
          throw truncated(file, "the pixel data needs " + need + " bytes from byte offset " + in.dataOffset + " (" + in.height + " rows of "
              + stride + "), the file ends after " + (in.fileSize - in.dataOffset));
        }
        // the rows the header implies must be all the pixel data there is: the declared image size, or the
        // end of the file (or of the space before an embedded colour profile), within less than one row
        // (a few writers add 2 bytes); a wrong height would otherwise read as a smaller image
        long room = in.sizeImage != 0 ? in.sizeImage : in.pixelLimit - in.dataOffset;
        if (room - need >= stride) {
          throw bad(file, (in.sizeImage != 0 ? "the declared image size of " + in.sizeImage + " bytes holds" : room + " bytes of pixel data hold")
              + " more rows than the header's " + in.height + " rows of " + stride + " bytes");
        }
        if (in.sizeImage != 0 && in.sizeImage < need) {
          throw bad(file, "the declared image size of " + in.sizeImage + " bytes is less than the " + in.height + " rows of " + stride
              + " bytes the header implies");
        }
      }
      return in.header();
    }
  }

  /** Walks the RLE8/RLE4 stream: every run and delta inside the image, ending with end-of-bitmap. */
  private static void rle(Path file, FileChannel ch, Info in) throws IOException {
    long end = in.sizeImage == 0 ? in.fileSize : in.dataOffset + in.sizeImage;
    if (end > in.fileSize) {
      throw truncated(file, "the RLE data should have " + in.sizeImage + " bytes from byte offset " + in.dataOffset + ", the file ends after "
          + (in.fileSize - in.dataOffset));
    }
    long len = end - in.dataOffset;
    if (len > Integer.MAX_VALUE - 8) throw bad(file, "RLE data of " + len + " bytes");
    ByteBuffer d = read(file, ch, in.dataOffset, (int) len, "the RLE data");
    boolean four = in.compression == 2;
    long x = 0;
    long y = 0;
    int limit = d.limit();
    while (true) {
      int at = d.position();
      if (at + 2 > limit) break;
      int n = d.get() & 0xff;
      int v = d.get() & 0xff;
      if (n > 0) {
        x += n;
        if (x > in.width || y >= in.height) throw bad(file, "an RLE run beyond the image at byte offset " + (in.dataOffset + at));
      } else if (v == 0) {
        x = 0;
        y++;
      } else if (v == 1) {
        return;
      } else if (v == 2) {
        if (at + 4 > limit) break;
        x += d.get() & 0xff;
        y += d.get() & 0xff;
        if (x > in.width || y > in.height) throw bad(file, "an RLE delta beyond the image at byte offset " + (in.dataOffset + at));
      } else {
        int bytes = four ? (v + 1) / 2 : v;
        if (x + v > in.width || y >= in.height) throw bad(file, "RLE literal pixels beyond the image at byte offset " + (in.dataOffset + at));
        if (d.position() + bytes + (bytes & 1) > limit) break;
        d.position(d.position() + bytes + (bytes & 1));
        x += v;
      }
    }
    throw truncated(file, "the RLE data ends without the end-of-bitmap code (" + len + " bytes from byte offset " + in.dataOffset + ")");
  }
}
