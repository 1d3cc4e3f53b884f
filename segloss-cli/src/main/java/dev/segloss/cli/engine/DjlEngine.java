package dev.segloss.cli.engine;

import dev.segloss.cli.LossEngine;
import dev.segloss.core.loss.LossInput;
import dev.segloss.core.loss.LossResult;
import dev.segloss.djl.DjlLossEngine;

/**
 * {@code segloss loss --engine djl}: the loss computed by segloss-djl's NDArray losses on DJL's PyTorch
 * engine, the gradient by PyTorch's autograd ({@link DjlLossEngine}). PyTorch's threads are set by the
 * system properties {@code ai.djl.pytorch.num_threads} / {@code num_interop_threads} (the CLI's
 * {@code --threads} applies to the core engine only).
 *
 * <p>Unless set otherwise, DJL runs offline (the bundled {@code pytorch-native-cpu} jar holds libtorch)
 * and its log messages below ERROR are silenced, so that the CLI's stderr keeps its one-line error
 * contract (DJL warns about CUDA on every start on a machine without a GPU).
 */
public final class DjlEngine implements LossEngine {
  static {
    if (System.getProperty("ai.djl.offline") == null) System.setProperty("ai.djl.offline", "true");
    if (System.getProperty("org.slf4j.simpleLogger.log.ai.djl") == null) {
      System.setProperty("org.slf4j.simpleLogger.log.ai.djl", "error");
    }
  }

  @Override
  public String name() {
    return DjlLossEngine.NAME;
  }

  @Override
  public LossResult compute(String spec, LossInput input, boolean withGradient) {
    return DjlLossEngine.compute(spec, input, withGradient);
  }

  @Override
  public String description() {
    return "djl (DJL 0.36 NDArray losses on PyTorch, gradient by autograd)";
  }
}
