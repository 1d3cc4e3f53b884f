package dev.segloss.data.nifti;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/**
 * A small NIfTI-1 writer for tests that crafts any header (bad ones included): single file or .hdr/.img
 * pair, any byte order, optionally gzipped. (The production writer is {@link NiftiWriter}.)
 */
public final class NiftiTestWriter {
  int[] dims = {4, 5, 6};
  int datatype = NiftiHeader.DT_FLOAT32;
  ByteOrder order = ByteOrder.LITTLE_ENDIAN;
  float[] pixdim = {1, 1, 1, 1, 1, 1, 1, 1};
  float slope = 1;
  float inter = 0;
  int qformCode;
  int sformCode = 1;
  float[] quatern = {0, 0, 0};
  float[] qoffset = {0, 0, 0};
  float[][] srow = {{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}};
  int extensionBytes; // extra bytes between the header and the data (vox_offset = 352 + this)
  boolean gzip;
  boolean pair;
  String magic; // null = the right one
  int sizeofHdr = 348;
  int xyztUnits;

  /** A qform (quaternion b, c, d; offsets; qfac = pixdim[0]) with its code. */
  public NiftiTestWriter qform(int code, float[] bcd, float[] offset, float qfac) {
    qformCode = code;
    quatern = bcd;
    qoffset = offset;
    pixdim[0] = qfac;
    return this;
  }

  /** Voxel sizes pixdim[1..3]. */
  public NiftiTestWriter spacing(float dx, float dy, float dz) {
    pixdim[1] = dx;
    pixdim[2] = dy;
    pixdim[3] = dz;
    return this;
  }

  /** The sform with its code (0: no sform). */
  public NiftiTestWriter sform(int code, float[][] rows) {
    sformCode = code;
    srow = rows;
    return this;
  }

  public NiftiTestWriter units(int xyzt) {
    xyztUnits = xyzt;
    return this;
  }

  public NiftiTestWriter dims(int... d) {
    dims = d;
    return this;
  }

  public NiftiTestWriter datatype(int dt) {
    datatype = dt;
    return this;
  }

  NiftiTestWriter order(ByteOrder o) {
    order = o;
    return this;
  }

  NiftiTestWriter scale(float s, float i) {
    slope = s;
    inter = i;
    return this;
  }

  public NiftiTestWriter sform(float[][] rows) {
    sformCode = 1;
    srow = rows;
    return this;
  }

  public NiftiTestWriter gzip(boolean g) {
    gzip = g;
    return this;
  }

  NiftiTestWriter pair(boolean p) {
    pair = p;
    return this;
  }

  byte[] header() {
    ByteBuffer b = ByteBuffer.allocate(348).order(order);
    b.putInt(0, sizeofHdr);
    b.putShort(40, (short) dims.length);
    for (int i = 0; i < dims.length; i++) b.putShort(42 + 2 * i, (short) dims[i]);
    for (int i = dims.length; i < 7; i++) b.putShort(42 + 2 * i, (short) 1);
    b.putShort(70, (short) datatype);
    int bpv = Math.max(1, NiftiHeader.bytesPerVoxel(datatype));
    b.putShort(72, (short) (bpv * 8));
    for (int i = 0; i < 8; i++) b.putFloat(76 + 4 * i, pixdim[i]);
    b.putFloat(108, pair ? 0 : 352 + extensionBytes);
    b.putFloat(112, slope);
    b.putFloat(116, inter);
    b.put(123, (byte) xyztUnits);
    b.putShort(252, (short) qformCode);
    b.putShort(254, (short) sformCode);
    for (int i = 0; i < 3; i++) {
      b.putFloat(256 + 4 * i, quatern[i]);
      b.putFloat(268 + 4 * i, qoffset[i]);
    }
    for (int r = 0; r < 3; r++) for (int c = 0; c < 4; c++) b.putFloat(280 + 16 * r + 4 * c, srow[r][c]);
    String m = magic != null ? magic : (pair ? "ni1" : "n+1");
    byte[] mb = m.getBytes(StandardCharsets.US_ASCII);
    for (int i = 0; i < Math.min(4, mb.length); i++) b.put(344 + i, mb[i]);
    return b.array();
  }

  /** Encodes values (x fastest) as the data type, without scaling. */
  byte[] data(double[] values) {
    int bpv = NiftiHeader.bytesPerVoxel(datatype);
    if (bpv < 0) bpv = 8; // unsupported types: any bytes
    ByteBuffer b = ByteBuffer.allocate(values.length * bpv).order(order);
    for (double v : values) {
      switch (datatype) {
        case NiftiHeader.DT_UINT8: case NiftiHeader.DT_INT8: b.put((byte) (long) v); break;
        case NiftiHeader.DT_INT16: case NiftiHeader.DT_UINT16: b.putShort((short) (long) v); break;
        case NiftiHeader.DT_INT32: case NiftiHeader.DT_UINT32: b.putInt((int) (long) v); break;
        case NiftiHeader.DT_INT64: b.putLong((long) v); break;
        case NiftiHeader.DT_FLOAT32: b.putFloat((float) v); break;
        case NiftiHeader.DT_FLOAT64: b.putDouble(v); break;
        case NiftiHeader.DT_RGB24: {
          int rgb = (int) v;
          b.put((byte) (rgb >> 16)).put((byte) (rgb >> 8)).put((byte) rgb);
          break;
        }
        default: b.putLong(Double.doubleToLongBits(v));
      }
    }
    return b.array();
  }

  /** Writes the file(s); for a pair, {@code path} is the .hdr and the .img goes beside it. */
  public Path write(Path path, double[] values) throws IOException {
    byte[] h = header();
    byte[] d = data(values);
    if (pair) {
      writeBytes(path, h, new byte[0], new byte[0]);
      String name = path.getFileName().toString().replace(".hdr", ".img");
      writeBytes(path.resolveSibling(name), new byte[0], new byte[0], d);
    } else {
      writeBytes(path, h, new byte[4 + extensionBytes], d);
    }
    return path;
  }

  private void writeBytes(Path p, byte[] a, byte[] b, byte[] c) throws IOException {
    boolean gz = gzip || p.getFileName().toString().endsWith(".gz");
    try (OutputStream raw = Files.newOutputStream(p); OutputStream out = gz ? new GZIPOutputStream(raw) : raw) {
      out.write(a);
      out.write(b);
      out.write(c);
    }
  }
}
