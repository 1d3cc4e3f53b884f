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
 * All twelve core families: {@code bce} ({@link dev.segloss.tensorflow.TfBceLoss}), {@code dice}
 * ({@link dev.segloss.tensorflow.TfDiceLoss}), {@code jaccard}, {@code tversky}, {@code focal},
 * {@code lovasz}, {@code gdice}, {@code logcosh_dice}, {@code mcc}, {@code topk}, {@code boundary} and
 * {@code combined}, plus weighted sums ({@link dev.segloss.tensorflow.TfWeightedSumLoss}). The boundary
 * loss takes the labels' signed distance maps computed on the Java side and fed with each batch
 * ({@link dev.segloss.tensorflow.TfBoundaryLoss}).
 *
 * <p>Reductions, sample weights and their mapping to the core's reductions: see
 * {@link dev.segloss.tensorflow.TfSegLoss}. Gradients come from TF's graph autodiff
 * ({@code Graph.addGradients}); no custom gradient is registered (TF Java 1.1.0 crashes the JVM once the
 * 11th is used). Gradients need graph mode; values work in eager mode too.
 *
 * <h2>Metrics</h2>
 * {@link dev.segloss.tensorflow.TfSegMetric}: streaming dice, iou, precision and recall for a graph
 * (update / result / reset, TF's {@code Metric} interface) with the core's threshold and empty-mask
 * policy, macro or micro.
 *
 * <h2>Training</h2>
 * Module {@code segloss-examples}, package {@code dev.segloss.examples.tensorflow}: a small U-Net, a
 * trainer (graph mode, {@code Graph.addGradients} on the network's variables and {@code
 * Adam.applyGradients}; not {@code Optimizer.minimize}, which differentiates every variable of the graph
 * and fails once metric variables exist) and {@code TrainUNetExample}, which trains with the seed's
 * combined loss on segloss-data's synthetic data and prints the validation Dice per epoch.
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
