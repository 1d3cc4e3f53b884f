/**
 * Every segloss loss in TensorFlow Java 1.1.0 (TF 2.18), plugging in like the built-ins, matching the core.
 *
 * <h2>Losses</h2>
 * Each core loss has a class extending {@link org.tensorflow.framework.losses.impl.AbstractLoss}
 * ({@link dev.segloss.tensorflow.TfBceLoss}, {@link dev.segloss.tensorflow.TfDiceLoss},
 * {@link dev.segloss.tensorflow.TfCombinedLoss}, ...), with the core's names, parameters, defaults and
 * semantics (the parameters <em>are</em> the core's {@code LossParams}); a spec string gives any of them
 * or a weighted sum:
 *
 * <pre>{@code
 * TfSegLoss loss = TfLosses.fromSpec("0.3*bce(w_pos=1, w_neg=0.11) + 0.7*dice()", true); // logits
 * Operand<TFloat32> l = loss.call(tf, labels, logits, null);                             // NHWC, C = 1
 * Output<?>[] grads = graph.addGradients(l.asOutput(), new Output<?>[] {w1.asOutput(), ...});
 * }</pre>
 *
 * Reductions, sample weights and their mapping to the core's reductions: see
 * {@link dev.segloss.tensorflow.TfSegLoss}. Gradients come from TF's graph autodiff
 * ({@code Graph.addGradients}); no custom gradient is registered (TF Java 1.1.0 crashes the JVM once the
 * 11th is used). Gradients need graph mode; values work in eager mode too.
 *
 * <h2>Engine</h2>
 * {@link dev.segloss.tensorflow.TfLossEngine} runs a loss through a graph on core inputs and returns the
 * core's result type; {@code segloss loss --engine tensorflow} uses it.
 *
 * <h2>Dependencies, CPU and GPU</h2>
 * The module depends on {@code org.tensorflow:tensorflow-core-api:1.1.0} and
 * {@code tensorflow-framework:1.1.0}; the native library comes from
 * {@code org.tensorflow:tensorflow-core-native:1.1.0} with a platform classifier at run time:
 * {@code linux-x86_64} (CPU, what this project uses and tests) or {@code linux-x86_64-gpu} (CUDA; replace
 * the classifier in your pom, nothing else changes):
 *
 * <pre>{@code
 * <dependency>
 *   <groupId>org.tensorflow</groupId>
 *   <artifactId>tensorflow-core-native</artifactId>
 *   <version>1.1.0</version>
 *   <classifier>linux-x86_64-gpu</classifier>
 * </dependency>
 * }</pre>
 *
 * The GPU classifier needs a CUDA-capable driver and the CUDA/cuDNN versions TF 2.18 was built against;
 * it is not exercised by this project's tests (the machine has no GPU). Other classifiers published for
 * 1.1.0 include {@code macosx-arm64}, {@code windows-x86_64} and {@code linux-arm64}.
 */
package dev.segloss.tensorflow;
