package dev.segloss.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.segloss.core.InvalidInputException;
import dev.segloss.core.Tensor;
import dev.segloss.core.io.Npy;
import dev.segloss.core.loss.LossInput;
import dev.segloss.core.loss.LossResult;
import dev.segloss.core.loss.Losses;
import dev.segloss.core.loss.Reduction;
import dev.segloss.core.loss.SegLoss;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code segloss loss}: the value (and optionally the gradient) of a loss spec on {@code .npy} arrays.
 * Prints the value (one per line with {@code reduction=none}); {@code --json} prints
 * {@code {"loss": value or [values], "spec": canonical spec, "engine": name}} with {@code null} for NaN.
 */
@Command(
    name = "loss",
    mixinStandardHelpOptions = true,
    header = "Value and gradient of a loss spec on .npy arrays.",
    sortOptions = false,
    usageHelpWidth = 100,
    description = {
      "Computes a loss on y_true/y_pred arrays (.npy, shape [N, d1, ..., dk], batch first) and optionally its gradient.",
      "The spec is a weighted sum of losses, e.g.",
      "  '0.3*bce(w_pos=1, w_neg=0.11) + 0.7*dice(smooth_nr=1e-5)'",
      "(a bare name takes all defaults).",
      "'segloss losses' lists every loss with its parameters, defaults and ranges."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  # the seed's weighted BCE (0.0985512), Dice (0.15) and combined loss (0.1345654)",
      "  ./segloss loss --loss 'bce(w_pos=1, w_neg=0.2)' \\",
      "      --y-true examples/seed/y_true.npy --y-pred examples/seed/y_pred.npy",
      "  ./segloss loss --loss dice --y-true examples/seed/y_true.npy --y-pred examples/seed/y_pred.npy",
      "  ./segloss loss --loss 'combined(dice_weight=0.7, w_neg=0.2)' --json \\",
      "      --y-true examples/seed/y_true.npy --y-pred examples/seed/y_pred.npy",
      "  # per-image values and the gradient with respect to logits",
      "  ./segloss loss --loss 'dice(reduction=none)' --y-true t.npy --y-pred z.npy --logits --grad g.npy"
    })
public final class LossCommand extends SeglossCommand {
  @Option(names = "--loss", required = true, paramLabel = "SPEC", description = "The loss spec, e.g. 'bce(w_neg=0.2)' or '0.5*bce + 0.5*dice'.")
  String loss;

  @Option(names = "--y-true", required = true, paramLabel = "T.npy", description = "Labels in [0,1] (soft labels allowed) or the ignore value.")
  Path yTrue;

  @Option(names = "--y-pred", required = true, paramLabel = "P.npy", description = "Predictions: probabilities in [0,1], or logits with --logits. Same shape as --y-true.")
  Path yPred;

  @Option(names = "--logits", description = "--y-pred holds logits (any real number) rather than probabilities.")
  boolean logits;

  @Option(names = "--weights", paramLabel = "W.npy", description = "Weights >= 0: same shape as --y-true (per pixel) or [N] (per image).")
  Path weights;

  @Mixin IgnoreValueOption ignoreValue;

  @Option(names = "--grad", paramLabel = "OUT.npy",
      description = "Write the gradient of the reduced loss (of the sum of per-image values with reduction=none) with respect to --y-pred as given, float32, same shape.")
  Path grad;

  @Option(names = "--json", description = "Print {\"loss\": ..., \"spec\": ..., \"engine\": ...}.")
  boolean json;

  @Option(names = "--engine", paramLabel = "NAME", defaultValue = "core", completionCandidates = LossEngines.class,
      description = "Engine that computes the loss: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  String engine;

  @Option(names = "--threads", paramLabel = "N", defaultValue = "1", description = "Threads for the core engine (images are split among them; default ${DEFAULT-VALUE}).")
  int threads;

  @Override
  public Integer call() {
    SegLoss parsed;
    try {
      parsed = Losses.parse(loss);
    } catch (InvalidInputException e) {
      throw new InvalidInputException("--loss: " + e.getMessage(), e);
    }
    LossEngine eng = LossEngines.find(engine);
    if (threads < 1) throw new InvalidInputException("--threads: expected at least 1, got " + threads);
    if (grad != null) {
      Map<String, Path> inputs = new LinkedHashMap<>();
      inputs.put("--y-true", yTrue);
      inputs.put("--y-pred", yPred);
      inputs.put("--weights", weights);
      checkOutput("--grad", grad, inputs);
    }
    Tensor t = readNpy("--y-true", yTrue);
    Tensor p = readNpy("--y-pred", yPred);
    LossInput.Builder b = LossInput.builder(t, p)
        .fromLogits(logits)
        .threads(threads)
        .names("--y-true (" + yTrue + ")", "--y-pred (" + yPred + ")", "--weights (" + weights + ")");
    if (weights != null) b.weights(readNpy("--weights", weights));
    b.ignoreValue(ignoreValue.orNaN());
    LossInput input = b.build();
    LossResult r = eng.compute(parsed.toSpec(), input, grad != null);
    FiniteLoss.check(loss, eng, input, r, grad != null);
    double[] values = r.values();
    boolean perImage = parsed.reduction() == Reduction.NONE;
    if (grad != null) {
      float[] g = r.gradient();
      if (g == null || g.length != p.size()) {
        throw new IllegalStateException("engine " + eng.name() + " returned no gradient of the input's size");
      }
      writeOutput("--grad", grad, () -> Npy.write(grad, Tensor.of(g, p.shape())));
    }
    if (json) {
      ObjectNode o = object();
      if (perImage) {
        ArrayNode a = array();
        for (double v : values) a.add(number(v));
        o.set("loss", a);
      } else {
        o.set("loss", number(values[0]));
      }
      o.put("spec", parsed.toSpec());
      o.put("engine", eng.name());
      printJson(o);
    } else {
      for (double v : values) out().println(fmt(v));
      out().flush();
    }
    return 0;
  }
}
