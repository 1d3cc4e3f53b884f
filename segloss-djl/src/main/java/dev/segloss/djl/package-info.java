/**
 * Every segloss loss as a DJL {@link ai.djl.training.loss.Loss}, and segmentation metrics as DJL
 * {@link ai.djl.training.evaluator.Evaluator}s, on DJL 0.36 with the PyTorch engine.
 *
 * <h2>Use</h2>
 *
 * <pre>{@code
 * Loss loss = DjlLosses.fromSpec("0.3*bce(w_neg=0.11) + 0.7*dice", true);  // the model outputs logits
 * DefaultTrainingConfig config = new DefaultTrainingConfig(loss)
 *     .addEvaluator(DjlSegEvaluator.dice(true))              // per-image mean Dice at threshold 0.5
 *     .addEvaluators(DjlLosses.termEvaluators(loss))          // loss_bce(w_neg=0.11), loss_dice in the logs
 *     .addTrainingListeners(TrainingListener.Defaults.logging());
 * }</pre>
 *
 * Labels are {@code NDList(y_true)} or {@code NDList(y_true, weights)}; predictions the head of their
 * NDList; batch first, any rank. Names, parameters, defaults, reductions and error messages are the
 * core's ({@code dev.segloss.core.loss}): the DJL losses are built from core loss objects
 * ({@link dev.segloss.djl.DjlLosses#of}) and read their typed parameter records; a region loss (Dice,
 * Jaccard, Tversky, generalized Dice, log-cosh Dice, MCC, or any other {@code RegionLoss}) runs the core
 * loss's own formula on NDArray counts ({@link dev.segloss.djl.DjlRegionLoss}). They agree with the core to
 * 1e-5 in value and 1e-4 in gradient on every row of the conformance table. Inputs are checked by default
 * ({@link dev.segloss.djl.DjlLossOptions#checkInputs()}, the same name and default on every engine).
 * {@link dev.segloss.djl.DjlLossEngine} is the engine {@code djl} of the core's engine plug-in interface,
 * registered in this module's {@code META-INF/services} (the CLI's {@code --engine djl}).
 *
 * <p>{@code bce} and {@code focal} can hand their computation to the core's Vector API kernels and give
 * autograd the exact gradient through a stopGradient surrogate; by default ({@link
 * dev.segloss.djl.DjlLossOptions.CoreKernels#AUTO}) they do so on the CPU when those kernels are loaded,
 * where it measured faster (docs/BENCHMARKS.md).
 *
 * <h2>DJL/PyTorch behaviour this module works around</h2>
 *
 * <ul>
 *   <li>{@code SigmoidBinaryCrossEntropyLoss(fromSigmoid=true)} returns the negative BCE on
 *       probabilities; {@code bce} here is the BCE on probabilities and on logits.
 *   <li>{@code NDArray.toType} is not differentiable (its result does not require grad, the graph is
 *       cut); count-level math runs in float64 through a differentiable cast ({@code cumProd} over an axis
 *       of length 1 with a dtype), see {@code Ops.cast}.
 *   <li>{@code mean}/{@code max}/{@code min} over several axes throw: arrays are flattened to [N, M] and
 *       reduced over one axis.
 *   <li>{@code pow(Number)} runs the general tensor-tensor pow (about 13× a multiplication); integer
 *       exponents are products.
 *   <li>{@code where} evaluates both branches' derivatives, so powers with exponent &lt; 1 and square roots
 *       that can meet 0 go through a double {@code where} (no 0·∞ = NaN in the gradient).
 *   <li>Gradients of a difference of two float32 count derivatives can cancel catastrophically (soft Dice
 *       on an empty mask, MCC on a single-class image): the soft intersection is summed as
 *       &Sigma;min(p, y) and MCC's false positives directly, so that the per-pixel gradient has no such
 *       difference.
 * </ul>
 */
package dev.segloss.djl;
