package dev.segloss.core.io;

import java.io.IOException;
import java.io.InputStream;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import java.util.zip.ZipException;

/**
 * A gzip (RFC 1952) decompressing stream that accepts exactly a valid gzip file: one or more members,
 * each with a valid header (magic {@code 1f 8b}, method 8, no reserved flag bits, the optional extra
 * field, name, comment and header CRC, whose value is checked), deflate data that ends, and a trailer
 * whose CRC-32 and length (ISIZE) match what was decompressed. Members that follow one another are
 * decompressed one after the other, as {@code gzip -d} does (RFC 1952 section 2.2); any other bytes after
 * the last member are an error, where {@code gzip -d} prints a warning ("trailing garbage ignored") and
 * {@code java.util.zip.GZIPInputStream} silently ignores them. The trailer is checked when the reader
 * reaches the end, so a reader must read to the end ({@code read} returning -1) to know the file is valid.
 *
 * <p>Why not {@code GZIPInputStream}: it checks the trailer too, but it decides whether another member
 * follows from {@code available()}, ignores trailing garbage, and its messages do not say where a
 * problem is. Errors here are {@link ZipException}s whose message names the byte offset in the
 * compressed file.
 */
public final class GzipInput extends InputStream {
  private static final int FHCRC = 2;
  private static final int FEXTRA = 4;
  private static final int FNAME = 8;
  private static final int FCOMMENT = 16;

  private final InputStream in;
  private final byte[] buf = new byte[1 << 16];
  private int pos;
  private int lim;
  /** Offset in the compressed file of {@code buf[0]}. */
  private long bufStart;
  private final Inflater inflater = new Inflater(true);
  private final CRC32 crc = new CRC32();
  private long memberOut;
  private int member;
  private boolean inData;
  private boolean done;
  private boolean closed;

  /** Reads the gzip file from {@code in}; the first member's header is read at once. */
  public GzipInput(InputStream in) throws IOException {
    this.in = in;
    if (!readMemberHeader(true)) throw new ZipException("not in gzip format (empty file)");
  }

  /** Offset in the compressed file of the next byte not yet consumed. */
  private long offset() {
    return bufStart + pos;
  }

  private boolean fill() throws IOException {
    if (pos < lim) return true;
    bufStart += lim;
    pos = 0;
    lim = 0;
    int n = in.read(buf, 0, buf.length);
    if (n <= 0) return false;
    lim = n;
    return true;
  }

  private int readByte(CRC32 headerCrc, String what) throws IOException {
    if (!fill()) throw new ZipException("truncated gzip file: it ends inside " + what + " of member " + member + " at byte offset " + offset());
    int b = buf[pos++] & 0xff;
    if (headerCrc != null) headerCrc.update(b);
    return b;
  }

  private int readShort(CRC32 c, String what) throws IOException {
    return readByte(c, what) | readByte(c, what) << 8;
  }

  private long readInt(CRC32 c, String what) throws IOException {
    return readShort(c, what) | (long) readShort(c, what) << 16;
  }

  /**
   * Reads a member header; at the start of the file or after a member. Returns false at the end of the
   * input after a complete member.
   */
  private boolean readMemberHeader(boolean first) throws IOException {
    if (!fill()) return false;
    long start = offset();
    member++;
    CRC32 h = new CRC32();
    int id1 = readByte(h, "the header");
    if (!first && (id1 != 0x1f || !fill() || (buf[pos] & 0xff) != 0x8b)) {
      long trailing = countRest() + 1;
      throw new ZipException(trailing + " byte(s) of trailing data after the end of the gzip stream, at byte offset " + start
          + " (not another gzip member)");
    }
    int id2 = readByte(h, "the header");
    if (id1 != 0x1f || id2 != 0x8b) throw new ZipException("not in gzip format (no gzip magic 1f 8b at byte offset " + start + ")");
    int cm = readByte(h, "the header");
    if (cm != 8) throw new ZipException("unsupported gzip compression method " + cm + " in member " + member + " at byte offset " + (start + 2));
    int flg = readByte(h, "the header");
    if ((flg & 0xe0) != 0) {
      throw new ZipException("reserved gzip flag bits set (0x" + Integer.toHexString(flg) + ") in member " + member + " at byte offset "
          + (start + 3));
    }
    for (int k = 0; k < 6; k++) readByte(h, "the header"); // MTIME, XFL, OS
    if ((flg & FEXTRA) != 0) {
      int xlen = readShort(h, "the extra field");
      for (int k = 0; k < xlen; k++) readByte(h, "the extra field");
    }
    if ((flg & FNAME) != 0) while (readByte(h, "the file name") != 0) {}
    if ((flg & FCOMMENT) != 0) while (readByte(h, "the comment") != 0) {}
    if ((flg & FHCRC) != 0) {
      long at = offset();
      int expected = (int) (h.getValue() & 0xffff);
      int stored = readShort(null, "the header CRC");
      if (stored != expected) {
        throw new ZipException("gzip header CRC mismatch in member " + member + " at byte offset " + at + " (stored 0x"
            + Integer.toHexString(stored) + ", computed 0x" + Integer.toHexString(expected) + ")");
      }
    }
    inflater.reset();
    if (pos < lim) inflater.setInput(buf, pos, lim - pos);
    crc.reset();
    memberOut = 0;
    inData = true;
    return true;
  }

  /** Bytes left in the input from the current position (consumed). */
  private long countRest() throws IOException {
    long n = lim - pos;
    pos = lim;
    byte[] skip = new byte[8192];
    int r;
    while ((r = in.read(skip)) > 0) n += r;
    return n;
  }

  private void readTrailer() throws IOException {
    long at = offset();
    long storedCrc = readInt(null, "the trailer");
    long storedSize = readInt(null, "the trailer");
    if (storedCrc != crc.getValue()) {
      throw new ZipException("gzip CRC-32 mismatch in member " + member + " (trailer at byte offset " + at + ": stored 0x"
          + Long.toHexString(storedCrc) + ", the data gives 0x" + Long.toHexString(crc.getValue()) + "): the file is corrupt");
    }
    if (storedSize != (memberOut & 0xffffffffL)) {
      throw new ZipException("gzip length mismatch in member " + member + " (trailer at byte offset " + (at + 4) + ": ISIZE " + storedSize
          + ", the data has " + memberOut + " bytes mod 2^32): the file is corrupt");
    }
    inData = false;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (closed) throw new IOException("stream closed");
    if (len == 0) return 0;
    while (!done) {
      if (!inData) {
        if (!readMemberHeader(false)) {
          done = true;
          break;
        }
        continue;
      }
      int n;
      try {
        n = inflater.inflate(b, off, len);
      } catch (DataFormatException e) {
        throw new ZipException("invalid deflate data in gzip member " + member + " near byte offset " + offset() + " ("
            + e.getMessage() + "): the file is corrupt");
      }
      if (n > 0) {
        crc.update(b, off, n);
        memberOut += n;
        return n;
      }
      if (inflater.finished()) {
        pos = lim - inflater.getRemaining();
        readTrailer();
        continue;
      }
      if (inflater.needsDictionary()) throw new ZipException("invalid deflate data in gzip member " + member + " (a preset dictionary)");
      if (inflater.needsInput()) {
        pos = lim;
        if (!fill()) {
          throw new ZipException("truncated gzip file: it ends inside the compressed data of member " + member + " at byte offset "
              + offset());
        }
        inflater.setInput(buf, pos, lim - pos);
      }
    }
    return -1;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n;
    while ((n = read(one, 0, 1)) == 0) {}
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public void close() throws IOException {
    if (closed) return;
    closed = true;
    inflater.end();
    in.close();
  }
}
