package dev.segloss.train;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.segloss.core.InvalidInputException;
import dev.segloss.train.model.UNet;
import dev.segloss.train.model.UNetConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;

/**
 * The files of a run folder and their binary formats. Every file is written atomically ({@link
 * OutputFiles}) and ends with a CRC-32 of its contents, checked on reading, so a torn or corrupted file is
 * reported instead of half-loaded.
 *
 * <ul>
 *   <li>{@code model.params}: the best epoch's weights: magic {@code SEGLOSS-UNET}, format version, the
 *       architecture (in channels, depth, width), then DJL's own parameter encoding
 *       ({@code Block.saveParameters}: every parameter including batch-norm running statistics), CRC.
 *   <li>{@code checkpoint.bin}: the last finished epoch: magic {@code SEGLOSS-CKPT}, version, the
 *       {@link RunState} as JSON, the weights as above, the {@link AdamOptimizer} state, CRC.
 * </ul>
 */
public final class ModelFiles {
  public static final String MODEL = "model.params";
  public static final String CHECKPOINT = "checkpoint.bin";
  public static final String CONFIG = "config.json";
  public static final String HISTORY = "history.csv";
  public static final String CURVES = "curves.png";
  public static final String SUMMARY = "summary.json";

  private static final byte[] MODEL_MAGIC = "SEGLOSS-UNET".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] CKPT_MAGIC = "SEGLOSS-CKPT".getBytes(StandardCharsets.US_ASCII);
  private static final int VERSION = 1;

  static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private ModelFiles() {}

  /** The shared JSON mapper (indented output, unknown properties ignored on reading). */
  public static ObjectMapper json() {
    return JSON;
  }

  /** Writes the model file atomically. */
  public static void saveModel(Path file, UNet net) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 20);
    DataOutputStream out = new DataOutputStream(bytes);
    out.write(MODEL_MAGIC);
    out.writeInt(VERSION);
    writeArch(out, net.config());
    net.saveParameters(out);
    out.flush();
    OutputFiles.writeBytes(file, withCrc(bytes.toByteArray()));
  }

  /** Reads a model file into a new, initialised U-Net attached to {@code manager}. */
  public static UNet loadModel(Path file, NDManager manager) throws IOException {
    DataInputStream in = open(file, MODEL_MAGIC, "model");
    UNetConfig arch = readArch(in, file);
    UNet net = new UNet(arch);
    int m = arch.sizeMultiple();
    net.initialize(manager, DataType.FLOAT32, new Shape(1, arch.inChannels(), m, m));
    try {
      net.loadParameters(manager, in);
    } catch (MalformedModelException | RuntimeException e) {
      throw new InvalidInputException(file + ": not a valid segloss model (" + e.getMessage() + ")", e);
    }
    return net;
  }

  /** Writes a checkpoint atomically. */
  public static void saveCheckpoint(Path file, RunState state, UNet net, AdamOptimizer opt) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(4 << 20);
    DataOutputStream out = new DataOutputStream(bytes);
    out.write(CKPT_MAGIC);
    out.writeInt(VERSION);
    byte[] json = JSON.writeValueAsBytes(state);
    out.writeInt(json.length);
    out.write(json);
    writeArch(out, net.config());
    net.saveParameters(out);
    opt.save(out);
    out.flush();
    OutputFiles.writeBytes(file, withCrc(bytes.toByteArray()));
  }

  /**
   * Restores a checkpoint into {@code net} (same architecture) and {@code opt}; returns the saved state.
   */
  public static RunState loadCheckpoint(Path file, UNet net, AdamOptimizer opt, NDManager manager) throws IOException {
    DataInputStream in = open(file, CKPT_MAGIC, "checkpoint");
    int n = in.readInt();
    if (n < 0 || n > in.available()) throw new InvalidInputException(file + ": corrupt checkpoint (bad state length)");
    byte[] json = in.readNBytes(n);
    RunState state = JSON.readValue(json, RunState.class);
    UNetConfig arch = readArch(in, file);
    if (!arch.equals(net.config())) {
      throw new InvalidInputException(file + ": checkpoint holds a " + arch + " but the run's config asks for " + net.config());
    }
    try {
      net.loadParameters(manager, in);
    } catch (MalformedModelException | RuntimeException e) {
      throw new InvalidInputException(file + ": corrupt checkpoint (" + e.getMessage() + ")", e);
    }
    opt.load(in, manager);
    return state;
  }

  /**
   * The bookkeeping of a checkpoint alone (magic, version and checksum checked; weights not loaded), to
   * check a run folder before its data is loaded.
   */
  public static RunState readCheckpointState(Path file) throws IOException {
    DataInputStream in = open(file, CKPT_MAGIC, "checkpoint");
    int n = in.readInt();
    if (n < 0 || n > in.available()) throw new InvalidInputException(file + ": corrupt checkpoint (bad state length)");
    return JSON.readValue(in.readNBytes(n), RunState.class);
  }

  private static void writeArch(DataOutputStream out, UNetConfig c) throws IOException {
    out.writeInt(c.inChannels());
    out.writeInt(c.depth());
    out.writeInt(c.baseWidth());
  }

  private static UNetConfig readArch(DataInputStream in, Path file) throws IOException {
    int cin = in.readInt(), depth = in.readInt(), width = in.readInt();
    try {
      return new UNetConfig(cin, depth, width);
    } catch (InvalidInputException e) {
      throw new InvalidInputException(file + ": corrupt file (architecture " + cin + ", " + depth + ", " + width + ")");
    }
  }

  private static byte[] withCrc(byte[] body) {
    CRC32 crc = new CRC32();
    crc.update(body);
    byte[] out = Arrays.copyOf(body, body.length + 8);
    long v = crc.getValue();
    for (int i = 0; i < 8; i++) out[body.length + i] = (byte) (v >>> (56 - 8 * i));
    return out;
  }

  private static DataInputStream open(Path file, byte[] magic, String what) throws IOException {
    byte[] all;
    try {
      all = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new InvalidInputException(file + ": " + what + " file not found");
    }
    if (all.length < magic.length + 12 || !Arrays.equals(Arrays.copyOf(all, magic.length), magic)) {
      throw new InvalidInputException(file + ": not a segloss " + what + " file");
    }
    CRC32 crc = new CRC32();
    crc.update(all, 0, all.length - 8);
    long stored = 0;
    for (int i = 0; i < 8; i++) stored = (stored << 8) | (all[all.length - 8 + i] & 0xff);
    if (stored != crc.getValue()) throw new InvalidInputException(file + ": corrupt " + what + " file (checksum mismatch)");
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(all, magic.length, all.length - magic.length - 8));
    int v = in.readInt();
    if (v != VERSION) throw new InvalidInputException(file + ": " + what + " format version " + v + ", this segloss reads " + VERSION);
    return in;
  }
}
