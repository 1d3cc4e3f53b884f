package dev.segloss.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import dev.segloss.core.InvalidInputException;

/**
 * Engine set-up shared by {@code train}, {@code predict} and {@code compare}: offline mode, explicit
 * PyTorch thread counts, and the device.
 *
 * <p>Thread counts are set through DJL's system properties {@code ai.djl.pytorch.num_threads} and
 * {@code ai.djl.pytorch.num_interop_threads} before the engine starts (the inter-op count cannot change
 * afterwards) and through {@code torch::set_num_threads} for the intra-op count, which can.
 */
public final class DjlRuntime {
  private DjlRuntime() {}

  /** Starts (or reuses) the PyTorch engine with {@code threads} intra-op and {@code interop} inter-op threads. */
  public static Engine engine(int threads, int interop) {
    if (threads < 1 || interop < 1) throw new InvalidInputException("--threads: expected >= 1, got " + threads);
    if (System.getProperty("ai.djl.offline") == null) System.setProperty("ai.djl.offline", "true");
    // DJL warns twice per start that no CUDA driver fits its CUDA runtime: noise on every CPU-only machine
    String cuda = "org.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils";
    if (System.getProperty(cuda) == null) System.setProperty(cuda, "error");
    if (System.getProperty("ai.djl.pytorch.num_threads") == null) System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
    if (System.getProperty("ai.djl.pytorch.num_interop_threads") == null) {
      System.setProperty("ai.djl.pytorch.num_interop_threads", Integer.toString(interop));
    }
    Engine e = Engine.getEngine("PyTorch");
    JniUtils.setNumThreads(threads);
    return e;
  }

  /**
   * The device for {@code --device cpu|gpu|gpu:N|auto}: {@code gpu} is GPU 0, {@code gpu:N} GPU N (DJL's and
   * CUDA's numbering, as in {@code CUDA_VISIBLE_DEVICES}), {@code auto} the first GPU when DJL sees one; a GPU
   * that DJL does not see is refused.
   */
  public static Device device(Engine engine, String name) {
    checkDeviceName(name);
    int gpus = engine.getGpuCount();
    if (name.equals("cpu")) return Device.cpu();
    if (name.equals("auto")) return gpus > 0 ? Device.gpu() : Device.cpu();
    int n = name.equals("gpu") ? 0 : Integer.parseInt(name.substring(4));
    if (gpus == 0) throw new InvalidInputException("--device " + name + ": DJL sees no GPU (PyTorch " + engine.getVersion() + ", CPU build); use --device cpu");
    if (n >= gpus) {
      throw new InvalidInputException("--device " + name + ": DJL sees " + gpus + " GPU" + (gpus == 1 ? " (gpu:0)" : "s (gpu:0 to gpu:" + (gpus - 1) + ")"));
    }
    return Device.gpu(n);
  }

  /**
   * Checks the spelling of a {@code --device} value ({@code cpu}, {@code gpu}, {@code gpu:N} with N a GPU index
   * from 0, or {@code auto}) without starting the engine; returns it.
   *
   * @throws InvalidInputException naming {@code --device}
   */
  public static String checkDeviceName(String name) {
    if (name != null && (name.equals("cpu") || name.equals("gpu") || name.equals("auto") || name.matches("gpu:(0|[1-9][0-9]{0,3})"))) return name;
    throw new InvalidInputException("--device: expected cpu, gpu, gpu:N (N = 0, 1, ...) or auto, got '" + name + "'");
  }
}
