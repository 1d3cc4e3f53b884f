package dev.segloss.data.nifti;

import dev.segloss.core.io.AtomicFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.GZIPOutputStream;

/**
 * Writes one 3-D volume as a single-file NIfTI-1 ({@code .nii}, gzipped when the name ends in {@code
 * .gz}) on the voxel grid of an existing header: the spatial sizes, voxel sizes and qfac (pixdim[0..3]),
 * xyzt_units, the qform (code, quaternion, offsets) and the sform (code, rows) are copied, so that the
 * written volume overlays the original voxel for voxel in any viewer. The data type is the writer's
 * (uint8 or float32), scl_slope 1 and scl_inter 0 (the values are stored as they are), vox_offset 352
 * (no extensions), little-endian. Field layout: nifti1.h (https://nifti.nimh.nih.gov/nifti-1).
 *
 * <p>Immutable; {@code NiftiWriter.onGridOf(header).datatype(...).intent(...).write(path, voxels)}. Files
 * are written atomically ({@link AtomicFiles#write}: a temporary sibling renamed over the target; the folder is created first).
 */
public final class NiftiWriter {
  /** NIFTI_INTENT_NONE (nifti1.h). */
  public static final int INTENT_NONE = 0;
  /** NIFTI_INTENT_LABEL (nifti1.h): each voxel's value is an index into a set of labels. */
  public static final int INTENT_LABEL = 1002;
  /** NIFTI_INTENT_ESTIMATE (nifti1.h): each voxel's value is an estimate of some parameter. */
  public static final int INTENT_ESTIMATE = 1001;
  /** vox_offset of a single file without extensions: the 348-byte header and 4 extension-flag bytes. */
  static final int VOX_OFFSET = 352;

  private final NiftiHeader grid;
  private final int datatype;
  private final int intent;
  private final float calMin;
  private final float calMax;
  private final String description;

  private NiftiWriter(NiftiHeader grid, int datatype, int intent, float calMin, float calMax, String description) {
    this.grid = grid;
    this.datatype = datatype;
    this.intent = intent;
    this.calMin = calMin;
    this.calMax = calMax;
    this.description = description;
  }

  /** A float32 writer on the grid of {@code header} (its first 3-D volume's grid for a 4-D file). */
  public static NiftiWriter onGridOf(NiftiHeader header) {
    return new NiftiWriter(header, NiftiHeader.DT_FLOAT32, INTENT_NONE, 0, 0, "");
  }

  /** The stored data type: {@link NiftiHeader#DT_UINT8} (values must be integers 0..255) or {@link NiftiHeader#DT_FLOAT32}. */
  public NiftiWriter datatype(int dt) {
    if (dt != NiftiHeader.DT_UINT8 && dt != NiftiHeader.DT_FLOAT32) {
      throw new IllegalArgumentException("NiftiWriter writes uint8 or float32, not " + NiftiHeader.datatypeName(dt));
    }
    return new NiftiWriter(grid, dt, intent, calMin, calMax, description);
  }

  /** The intent_code (default {@link #INTENT_NONE}). */
  public NiftiWriter intent(int code) {
    return new NiftiWriter(grid, datatype, code, calMin, calMax, description);
  }

  /** cal_min/cal_max: the display range viewers use (default 0, 0: "not set"). */
  public NiftiWriter displayRange(float min, float max) {
    return new NiftiWriter(grid, datatype, intent, min, max, description);
  }

  /** The descrip field (ASCII, cut to 79 bytes). */
  public NiftiWriter description(String text) {
    return new NiftiWriter(grid, datatype, intent, calMin, calMax, text == null ? "" : text);
  }

  /**
   * Writes {@code voxels} (NIfTI order: i fastest, then j, then k) to {@code target}, atomically, gzipped
   * when the name ends in {@code .gz}. The voxels are checked before anything is written and streamed in
   * 64 KiB chunks (no copy of the whole file in memory, so any size an array holds can be written).
   */
  public void write(Path target, float[] voxels) throws IOException {
    check(voxels);
    boolean gz = target.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gz");
    Files.createDirectories(target.toAbsolutePath().getParent());
    try {
      AtomicFiles.write(target, out -> {
        if (gz) {
          // closing the gzip stream ends its Deflater (native memory) and must not close the file, whose
          // owner still forces it to disk before the rename
          try (GZIPOutputStream z = new GZIPOutputStream(new KeepOpen(out), 1 << 16)) {
            stream(z, voxels);
          }
        } else {
          stream(out, voxels);
        }
      });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /** Writes the uncompressed file (header, extension flag, data) to {@code out}. */
  public void write(OutputStream out, float[] voxels) throws IOException {
    check(voxels);
    stream(out, voxels);
  }

  /** The uncompressed file's bytes (small volumes; tests). */
  byte[] encode(float[] voxels) {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try {
      write(bytes, voxels);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private void check(float[] voxels) {
    long n = grid.voxelsPerFrame();
    if (voxels.length != n) {
      throw new IllegalArgumentException("expected " + n + " voxels for a " + grid.dim(1) + "x" + grid.dim(2) + "x" + grid.dim(3)
          + " grid, got " + voxels.length);
    }
    if (datatype == NiftiHeader.DT_UINT8) {
      for (int i = 0; i < voxels.length; i++) {
        float v = voxels[i];
        if (!(v >= 0 && v <= 255 && v == Math.rint(v))) {
          throw new IllegalArgumentException("uint8 voxel " + i + " = " + v + " is not an integer in 0..255");
        }
      }
    }
  }

  private void stream(OutputStream out, float[] voxels) throws IOException {
    out.write(header());
    out.write(new byte[VOX_OFFSET - NiftiReader.HEADER_SIZE]); // extension flag: 4 zero bytes
    ByteBuffer chunk = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
    boolean u8 = datatype == NiftiHeader.DT_UINT8;
    for (float v : voxels) {
      if (chunk.remaining() < 4) {
        out.write(chunk.array(), 0, chunk.position());
        chunk.clear();
      }
      if (u8) chunk.put((byte) (int) v);
      else chunk.putFloat(v);
    }
    out.write(chunk.array(), 0, chunk.position());
  }

  /** Passes writes through; close() only flushes. */
  private static final class KeepOpen extends java.io.FilterOutputStream {
    KeepOpen(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }

  /** The 348-byte header. */
  byte[] header() {
    ByteBuffer b = ByteBuffer.allocate(NiftiReader.HEADER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(0, NiftiReader.HEADER_SIZE); // sizeof_hdr
    b.put(38, (byte) 'r'); // regular (ANALYZE compatibility)
    b.putShort(40, (short) 3);
    for (int i = 1; i <= 3; i++) b.putShort(40 + 2 * i, (short) grid.dim(i));
    for (int i = 4; i <= 7; i++) b.putShort(40 + 2 * i, (short) 1);
    b.putShort(68, (short) intent);
    b.putShort(70, (short) datatype);
    b.putShort(72, (short) (8 * NiftiHeader.bytesPerVoxel(datatype)));
    // pixdim[0] is qfac (only -1 or 1 are meaningful; 0 reads as 1), pixdim[1..3] the voxel sizes
    float qfac = grid.pixdim[0] < 0 ? -1f : 1f;
    b.putFloat(76, qfac);
    for (int i = 1; i <= 3; i++) b.putFloat(76 + 4 * i, grid.pixdim[i]);
    for (int i = 4; i <= 7; i++) b.putFloat(76 + 4 * i, 0f);
    b.putFloat(108, VOX_OFFSET);
    b.putFloat(112, 1f); // scl_slope
    b.putFloat(116, 0f); // scl_inter
    b.put(123, (byte) (grid.xyztUnits & 0x07)); // spatial unit only: the output has no time axis
    b.putFloat(124, calMax);
    b.putFloat(128, calMin);
    byte[] d = description.getBytes(StandardCharsets.US_ASCII);
    b.put(148, d, 0, Math.min(79, d.length));
    b.putShort(252, (short) grid.qformCode);
    b.putShort(254, (short) grid.sformCode);
    // a transform whose code is 0 is left at zero (an ANALYZE 7.5 source holds text in those bytes)
    if (grid.qformCode != 0) {
      for (int i = 0; i < 3; i++) {
        b.putFloat(256 + 4 * i, grid.quatern[i]);
        b.putFloat(268 + 4 * i, grid.qoffset[i]);
      }
    }
    if (grid.sformCode != 0) {
      for (int r = 0; r < 3; r++) for (int c = 0; c < 4; c++) b.putFloat(280 + 16 * r + 4 * c, grid.srow[r][c]);
    }
    b.put(344, (byte) 'n').put(345, (byte) '+').put(346, (byte) '1').put(347, (byte) 0);
    return b.array();
  }
}
