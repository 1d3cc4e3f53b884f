package dev.segloss.data.nifti;

import dev.segloss.core.InvalidInputException;
import dev.segloss.core.io.GzipInput;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.ZipException;

/**
 * Reads NIfTI-1 volumes: single files ({@code .nii}, magic {@code n+1}) and header/image pairs ({@code
 * .hdr} + {@code .img}, magic {@code ni1}, or ANALYZE 7.5 without magic), each optionally gzipped
 * (detected from the content, not the name). The byte order is detected from the header size field
 * (348). Data types: uint8, int8, int16, uint16, int32, uint32, int64, uint64, float32, float64, and RGB24 /
 * RGBA32 (converted to luminance 0.299 R + 0.587 G + 0.114 B); complex and float128 are refused. Values are
 * scaled by scl_slope/scl_inter when scl_slope is non-zero (not for RGB, as the standard says). NIfTI-2
 * (header size 540) is recognised and refused with a hint.
 *
 * <p><b>Strictness</b> (a corrupt file is an error naming it, never other voxels): vox_offset is a whole
 * number of bytes, at least 352 in a single file; the data file holds exactly vox_offset plus the voxels
 * of every volume (nibabel and nifti1_io ignore extra bytes; here they mean the header and the data
 * disagree); a gzipped file is read to its end, every member's CRC-32 and length checked and nothing
 * allowed after the last member ({@link GzipInput}).
 */
public final class NiftiReader {
  static final int HEADER_SIZE = 348;
  /** Smallest vox_offset of a single file: the header and the 4 extension-flag bytes (nifti1.h). */
  static final int MIN_SINGLE_FILE_OFFSET = 352;
  private static final int CHUNK = 1 << 20;

  private NiftiReader() {}

  /**
   * Reads and checks the header of {@code path}. A single file ({@code .nii}, {@code .nii.gz}) is read
   * only as far as the header; {@link #read} reads it to the end and checks its length and, gzipped, its
   * CRC-32. A header file of a pair ({@code .hdr}, {@code .hdr.gz}) is read to its end here, so a gzipped
   * one's trailer is checked before its fields are used.
   */
  public static NiftiHeader readHeader(Path path) {
    try (InputStream in = open(path)) {
      byte[] h = new byte[HEADER_SIZE];
      try {
        readFully(in, h, 0, HEADER_SIZE);
      } catch (EOFException e) {
        throw bad(path, "too short for a NIfTI-1 header (" + HEADER_SIZE + " bytes)");
      }
      NiftiHeader header = parse(path, h);
      if (!header.magic.equals("n+1")) in.transferTo(OutputStream.nullOutputStream());
      return header;
    } catch (ZipException e) {
      throw bad(path, "corrupt gzip data (" + e.getMessage() + ")");
    } catch (NoSuchFileException e) {
      throw new InvalidInputException("NIfTI file " + path + ": not found");
    } catch (IOException e) {
      throw bad(path, "cannot be read (" + e.getMessage() + ")");
    }
  }

  /**
   * Reads volume {@code frame} (0-based, over dims 4..7 flattened) of {@code path}. The data file is
   * read to its end: it must hold exactly vox_offset plus the voxels of every volume the header
   * describes (a longer or shorter file means the header and the data disagree), and a gzipped file's
   * CRC-32 and length are checked ({@link GzipInput}).
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
    long voxOffset = (long) h.voxOffset; // a whole number, checked by parse
    long frameBytes = nvox * bpv;
    long expected;
    try {
      expected = Math.addExact(voxOffset, Math.multiplyExact(h.frames(), frameBytes));
    } catch (ArithmeticException e) {
      throw bad(path, "claims more than 2^63 bytes of voxel data (" + h.describe() + ", " + h.frames() + " volumes)");
    }
    String layout = "vox_offset " + voxOffset + " and " + h.frames() + " volume(s) of " + h.describe() + " account for " + expected + " bytes";
    long offset = voxOffset + frame * frameBytes;
    float[] out = new float[(int) nvox];
    try {
      boolean gz = gzipped(data);
      if (!gz) {
        long size = Files.size(data);
        if (size < expected) throw bad(data, "ends early: " + layout + ", the file has " + size + " (truncated or corrupt)");
        if (size > expected) {
          throw bad(data, (size - expected) + " unexpected byte(s) after the voxel data: " + layout + ", the file has " + size
              + " (the header's dimensions or data type do not match the file)");
        }
      }
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
        // the rest, to the end: the gzip trailer is checked there, and the length must be what the header says
        long rest = in.transferTo(OutputStream.nullOutputStream());
        long total = offset + frameBytes + rest;
        if (total > expected) {
          throw bad(data, (total - expected) + " unexpected byte(s) after the voxel data: " + layout + ", the decompressed file has " + total
              + " (the header's dimensions or data type do not match the file)");
        }
        if (total < expected) throw bad(data, "ends early: " + layout + ", the decompressed file has " + total + " (truncated or corrupt)");
      }
    } catch (EOFException e) {
      throw bad(data, "ends before the voxel data (vox_offset " + voxOffset + ")");
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
    if (!Float.isFinite(voxOffset) || voxOffset != Math.rint(voxOffset) || voxOffset < 0) {
      throw bad(path, "has an invalid vox_offset " + voxOffset + " (expected a whole, non-negative number of bytes)");
    }
    if (magic.equals("n+1") && voxOffset < MIN_SINGLE_FILE_OFFSET) {
      // NIfTI-1 standard (nifti1.h): in a .nii file the data start after the 348-byte header and the
      // 4 extension-flag bytes, so vox_offset >= 352
      throw bad(path, "has vox_offset " + (long) voxOffset + ", expected at least " + MIN_SINGLE_FILE_OFFSET + " for a single-file NIfTI"
          + " (the 348-byte header and 4 extension bytes come first)");
    }
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

  /**
   * Opens a file, transparently gunzipping it when it starts with the gzip magic 1f 8b ({@link GzipInput}:
   * every member, CRC-32 and length checked at the end, nothing after the last member).
   */
  static InputStream open(Path path) throws IOException {
    InputStream raw = Files.newInputStream(path);
    try {
      if (gzipped(path)) return new BufferedInputStream(new GzipInput(raw), 1 << 16);
      return new BufferedInputStream(raw, 1 << 16);
    } catch (IOException | RuntimeException e) {
      raw.close();
      throw e;
    }
  }

  /** True when the file starts with the gzip magic 1f 8b. */
  static boolean gzipped(Path path) throws IOException {
    try (InputStream in = Files.newInputStream(path)) {
      return in.read() == 0x1f && in.read() == 0x8b;
    }
  }

  private static void readFully(InputStream in, byte[] buf, int off, int len) throws IOException {
    int n = in.readNBytes(buf, off, len);
    if (n < len) throw new EOFException();
  }

  static InvalidInputException bad(Path path, String what) {
    return new InvalidInputException("NIfTI file " + path + ": " + what);
  }
}
