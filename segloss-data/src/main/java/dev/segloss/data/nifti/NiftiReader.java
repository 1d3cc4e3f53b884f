package dev.segloss.data.nifti;

import dev.segloss.core.InvalidInputException;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads NIfTI-1 volumes: single files ({@code .nii}, magic {@code n+1}) and header/image pairs ({@code
 * .hdr} + {@code .img}, magic {@code ni1}, or ANALYZE 7.5 without magic), each optionally gzipped
 * (detected from the content, not the name). The byte order is detected from the header size field
 * (348). Data types: uint8, int8, int16, uint16, int32, uint32, int64, uint64, float32, float64, and RGB24 /
 * RGBA32 (converted to luminance 0.299 R + 0.587 G + 0.114 B); complex and float128 are refused. Values are
 * scaled by scl_slope/scl_inter when scl_slope is non-zero (not for RGB, as the standard says). NIfTI-2
 * (header size 540) is recognised and refused with a hint.
 */
public final class NiftiReader {
  static final int HEADER_SIZE = 348;
  private static final int CHUNK = 1 << 20;

  private NiftiReader() {}

  /** Reads and checks the header of {@code path}. */
  public static NiftiHeader readHeader(Path path) {
    try (InputStream in = open(path)) {
      byte[] h = new byte[HEADER_SIZE];
      try {
        readFully(in, h, 0, HEADER_SIZE);
      } catch (EOFException e) {
        throw bad(path, "too short for a NIfTI-1 header (" + HEADER_SIZE + " bytes)");
      }
      return parse(path, h);
    } catch (ZipException e) {
      throw bad(path, "corrupt gzip data (" + e.getMessage() + ")");
    } catch (NoSuchFileException e) {
      throw new InvalidInputException("NIfTI file " + path + ": not found");
    } catch (IOException e) {
      throw bad(path, "cannot be read (" + e.getMessage() + ")");
    }
  }

  /**
   * Reads volume {@code frame} (0-based, over dims 4..7 flattened) of {@code path}.
   */
  public static NiftiVolume read(Path path, int frame) {
    NiftiHeader h = readHeader(path);
    if (frame < 0 || frame >= h.frames()) {
      throw bad(path, "has " + h.frames() + " volume(s); volume " + frame + " does not exist");
    }
    int bpv = NiftiHeader.bytesPerVoxel(h.datatype);
    long nvox = h.voxelsPerFrame();
    if (nvox > Integer.MAX_VALUE - 8) throw bad(path, "has " + nvox + " voxels per volume, more than a Java array holds");
    boolean pair = !h.magic.equals("n+1");
    Path data = pair ? imageFile(path) : path;
    long offset = pair ? Math.max(0, (long) h.voxOffset) : (long) h.voxOffset;
    offset += frame * nvox * bpv;
    float[] out = new float[(int) nvox];
    try (InputStream in = open(data)) {
      in.skipNBytes(offset);
      byte[] buf = new byte[Math.max(bpv, (CHUNK / bpv) * bpv)];
      ByteBuffer bb = ByteBuffer.wrap(buf).order(h.order);
      long done = 0;
      while (done < nvox) {
        int count = (int) Math.min(buf.length / bpv, nvox - done);
        try {
          readFully(in, buf, 0, count * bpv);
        } catch (EOFException e) {
          throw bad(data, "ends early: the data should have " + nvox * bpv + " bytes for " + h.describe() + " (truncated or corrupt)");
        }
        convert(bb, h.datatype, out, (int) done, count);
        done += count;
      }
    } catch (EOFException e) {
      throw bad(data, "ends before the voxel data (vox_offset " + (long) h.voxOffset + ")");
    } catch (ZipException e) {
      throw bad(data, "corrupt gzip data (" + e.getMessage() + ")");
    } catch (NoSuchFileException e) {
      throw new InvalidInputException("NIfTI file " + data + ": not found (image data of " + path + ")");
    } catch (IOException e) {
      throw bad(data, "cannot be read (" + e.getMessage() + ")");
    }
    boolean rgb = h.datatype == NiftiHeader.DT_RGB24 || h.datatype == NiftiHeader.DT_RGBA32;
    if (h.scales() && !rgb) {
      double s = h.sclSlope;
      double i = h.sclInter;
      for (int k = 0; k < out.length; k++) out[k] = (float) (out[k] * s + i);
    }
    return new NiftiVolume(h, out);
  }

  static NiftiHeader parse(Path path, byte[] h) {
    ByteBuffer b = ByteBuffer.wrap(h).order(ByteOrder.LITTLE_ENDIAN);
    int size = b.getInt(0);
    ByteOrder order;
    if (size == HEADER_SIZE) order = ByteOrder.LITTLE_ENDIAN;
    else if (Integer.reverseBytes(size) == HEADER_SIZE) order = ByteOrder.BIG_ENDIAN;
    else if (size == 540 || Integer.reverseBytes(size) == 540) {
      throw bad(path, "is NIfTI-2, which is not supported; convert it to NIfTI-1 (e.g. nibabel: nib.Nifti1Image(img.dataobj, img.affine))");
    } else {
      throw bad(path, "is not a NIfTI-1 file (header size field " + size + ", expected 348)");
    }
    b.order(order);
    String magic = new String(h, 344, 3, StandardCharsets.US_ASCII);
    boolean analyze = false;
    if (!magic.equals("n+1") && !magic.equals("ni1")) {
      String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
      if (name.endsWith(".hdr") || name.endsWith(".hdr.gz")) {
        analyze = true;
        magic = "";
      } else {
        throw bad(path, "has no NIfTI-1 magic ('n+1' or 'ni1'); an ANALYZE 7.5 header must be a .hdr file");
      }
    }
    int[] dim = new int[8];
    for (int i = 0; i < 8; i++) dim[i] = b.getShort(40 + 2 * i);
    if (dim[0] < 1 || dim[0] > 7) throw bad(path, "has an invalid number of dimensions dim[0] = " + dim[0]);
    for (int i = 1; i <= dim[0]; i++) {
      if (dim[i] < 1) throw bad(path, "has an invalid size dim[" + i + "] = " + dim[i]);
    }
    int datatype = b.getShort(70);
    int bitpix = b.getShort(72);
    int bpv = NiftiHeader.bytesPerVoxel(datatype);
    if (bpv < 0) {
      throw bad(path, "has data type " + NiftiHeader.datatypeName(datatype)
          + ", which is not supported (expected uint8, int8, int16, uint16, int32, uint32, int64, uint64, float32, float64, rgb24 or rgba32)");
    }
    if (bitpix != 0 && bitpix != bpv * 8) {
      throw bad(path, "has bitpix " + bitpix + " but data type " + NiftiHeader.datatypeName(datatype) + " needs " + bpv * 8);
    }
    float[] pixdim = new float[8];
    for (int i = 0; i < 8; i++) pixdim[i] = b.getFloat(76 + 4 * i);
    float voxOffset = b.getFloat(108);
    if (magic.equals("n+1") && !(voxOffset >= HEADER_SIZE)) {
      throw bad(path, "has vox_offset " + voxOffset + ", expected at least 352 for a single-file NIfTI");
    }
    if (!(voxOffset >= 0) || !Float.isFinite(voxOffset)) throw bad(path, "has an invalid vox_offset " + voxOffset);
    float slope = b.getFloat(112);
    float inter = b.getFloat(116);
    int qcode = analyze ? 0 : b.getShort(252);
    int scode = analyze ? 0 : b.getShort(254);
    float[] quatern = {b.getFloat(256), b.getFloat(260), b.getFloat(264)};
    float[] qoffset = {b.getFloat(268), b.getFloat(272), b.getFloat(276)};
    float[][] srow = new float[3][4];
    for (int r = 0; r < 3; r++) for (int c = 0; c < 4; c++) srow[r][c] = b.getFloat(280 + 16 * r + 4 * c);
    int units = analyze ? 0 : b.get(123) & 0xFF;
    return new NiftiHeader(order, dim, datatype, bitpix, pixdim, voxOffset, slope, inter, qcode, scode, quatern, qoffset, srow, magic, units);
  }

  private static void convert(ByteBuffer b, int datatype, float[] out, int at, int count) {
    b.clear();
    switch (datatype) {
      case NiftiHeader.DT_UINT8:
        for (int i = 0; i < count; i++) out[at + i] = b.get(i) & 0xFF;
        break;
      case NiftiHeader.DT_INT8:
        for (int i = 0; i < count; i++) out[at + i] = b.get(i);
        break;
      case NiftiHeader.DT_INT16:
        for (int i = 0; i < count; i++) out[at + i] = b.getShort(2 * i);
        break;
      case NiftiHeader.DT_UINT16:
        for (int i = 0; i < count; i++) out[at + i] = b.getShort(2 * i) & 0xFFFF;
        break;
      case NiftiHeader.DT_INT32:
        for (int i = 0; i < count; i++) out[at + i] = b.getInt(4 * i);
        break;
      case NiftiHeader.DT_UINT32:
        for (int i = 0; i < count; i++) out[at + i] = b.getInt(4 * i) & 0xFFFFFFFFL;
        break;
      case NiftiHeader.DT_INT64:
        for (int i = 0; i < count; i++) out[at + i] = b.getLong(8 * i);
        break;
      case NiftiHeader.DT_UINT64:
        for (int i = 0; i < count; i++) {
          long v = b.getLong(8 * i);
          out[at + i] = v >= 0 ? v : (float) ((v >>> 1) * 2.0 + (v & 1));
        }
        break;
      case NiftiHeader.DT_FLOAT32:
        for (int i = 0; i < count; i++) out[at + i] = b.getFloat(4 * i);
        break;
      case NiftiHeader.DT_FLOAT64:
        for (int i = 0; i < count; i++) out[at + i] = (float) b.getDouble(8 * i);
        break;
      case NiftiHeader.DT_RGB24:
      case NiftiHeader.DT_RGBA32: {
        int step = datatype == NiftiHeader.DT_RGB24 ? 3 : 4;
        for (int i = 0; i < count; i++) {
          int p = step * i;
          out[at + i] = (float) (0.299 * (b.get(p) & 0xFF) + 0.587 * (b.get(p + 1) & 0xFF) + 0.114 * (b.get(p + 2) & 0xFF));
        }
        break;
      }
      default:
        throw new IllegalStateException("datatype " + datatype);
    }
  }

  /** The image file of a header/image pair: x.hdr -> x.img or x.img.gz. */
  static Path imageFile(Path hdr) {
    String name = hdr.getFileName().toString();
    String lower = name.toLowerCase(Locale.ROOT);
    String base;
    if (lower.endsWith(".hdr.gz")) base = name.substring(0, name.length() - 7);
    else if (lower.endsWith(".hdr")) base = name.substring(0, name.length() - 4);
    else throw bad(hdr, "is a header of a .hdr/.img pair (magic 'ni1') but is not named .hdr");
    for (String ext : new String[] {".img", ".img.gz", ".IMG", ".IMG.GZ"}) {
      Path p = hdr.resolveSibling(base + ext);
      if (Files.exists(p)) return p;
    }
    throw new InvalidInputException("NIfTI file " + hdr + ": its image file " + base + ".img(.gz) is missing");
  }

  /** Opens a file, transparently gunzipping it when it starts with the gzip magic 1f 8b. */
  static InputStream open(Path path) throws IOException {
    InputStream raw = new BufferedInputStream(Files.newInputStream(path), 1 << 16);
    raw.mark(2);
    int b0 = raw.read();
    int b1 = raw.read();
    raw.reset();
    if (b0 == 0x1f && b1 == 0x8b) return new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16);
    return raw;
  }

  private static void readFully(InputStream in, byte[] buf, int off, int len) throws IOException {
    int n = in.readNBytes(buf, off, len);
    if (n < len) throw new EOFException();
  }

  static InvalidInputException bad(Path path, String what) {
    return new InvalidInputException("NIfTI file " + path + ": " + what);
  }
}
