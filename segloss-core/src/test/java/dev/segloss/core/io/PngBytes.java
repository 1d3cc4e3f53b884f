package dev.segloss.core.io;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/** Builds and takes apart PNG files chunk by chunk, for tests that craft corrupt or unusual files. */
final class PngBytes {
  private PngBytes() {}

  /** One chunk: its type and data. */
  record Chunk(String type, byte[] data) {}

  static byte[] chunk(String type, byte[] data) {
    ByteBuffer b = ByteBuffer.allocate(12 + data.length);
    byte[] t = type.getBytes(StandardCharsets.ISO_8859_1);
    b.putInt(data.length).put(t).put(data);
    CRC32 c = new CRC32();
    c.update(t);
    c.update(data);
    b.putInt((int) c.getValue());
    return b.array();
  }

  static List<Chunk> chunks(byte[] png) {
    List<Chunk> out = new ArrayList<>();
    ByteBuffer b = ByteBuffer.wrap(png);
    b.position(8);
    while (b.remaining() >= 12) {
      int len = b.getInt();
      byte[] t = new byte[4];
      b.get(t);
      byte[] d = new byte[len];
      b.get(d);
      b.getInt();
      out.add(new Chunk(new String(t, StandardCharsets.ISO_8859_1), d));
    }
    return out;
  }

  static byte[] png(List<Chunk> chunks) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    o.writeBytes(PngCheck.SIGNATURE);
    for (Chunk c : chunks) o.writeBytes(chunk(c.type(), c.data()));
    return o.toByteArray();
  }

  static byte[] ihdr(int w, int h, int depth, int colorType, int interlace) {
    return ByteBuffer.allocate(13).putInt(w).putInt(h).put((byte) depth).put((byte) colorType).put((byte) 0).put((byte) 0)
        .put((byte) interlace).array();
  }

  static byte[] zlib(byte[] raw) {
    Deflater d = new Deflater();
    d.setInput(raw);
    d.finish();
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    byte[] buf = new byte[1 << 16];
    while (!d.finished()) o.write(buf, 0, d.deflate(buf));
    d.end();
    return o.toByteArray();
  }

  /** All IDAT data of a file, concatenated. */
  static byte[] idat(byte[] png) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    for (Chunk c : chunks(png)) if (c.type().equals("IDAT")) o.writeBytes(c.data());
    return o.toByteArray();
  }

  /** The file with its IDAT data replaced by {@code data} (one chunk, CRC computed). */
  static byte[] withIdat(byte[] png, byte[] data) {
    List<Chunk> out = new ArrayList<>();
    boolean done = false;
    for (Chunk c : chunks(png)) {
      if (c.type().equals("IDAT")) {
        if (!done) out.add(new Chunk("IDAT", data));
        done = true;
      } else {
        out.add(c);
      }
    }
    return png(out);
  }

  /** A gray 8-bit image's raw scanlines (filter byte 0 each). */
  static byte[] scanlines(int[][] rows) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    for (int[] r : rows) {
      o.write(0);
      for (int v : r) o.write(v);
    }
    return o.toByteArray();
  }
}
