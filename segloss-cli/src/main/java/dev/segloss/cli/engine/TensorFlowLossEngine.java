package dev.segloss.cli.engine;

import dev.segloss.cli.LossEngine;
import dev.segloss.core.loss.LossInput;
import dev.segloss.core.loss.LossResult;
import dev.segloss.tensorflow.TfLossEngine;

/**
 * {@code segloss loss --engine tensorflow}: the loss through a TensorFlow Java graph (segloss-tensorflow),
 * value and {@code Graph.addGradients} gradient in one session run, float32. Lets users check TF against
 * the core reference on their own arrays.
 */
public final class TensorFlowLossEngine implements LossEngine {
  @Override
  public String name() {
    return "tensorflow";
  }

  @Override
  public LossResult compute(String spec, LossInput input, boolean withGradient) {
    return TfLossEngine.compute(spec, input, withGradient);
  }

  @Override
  public String description() {
    return "tensorflow (TensorFlow Java 1.1.0 graph, float32, autodiff gradient)";
  }
}
