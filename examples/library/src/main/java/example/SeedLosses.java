package example;

import dev.segloss.core.Tensor;
import dev.segloss.core.io.Npy;
import dev.segloss.core.loss.LossInput;
import dev.segloss.core.loss.LossResult;
import dev.segloss.core.loss.Reduction;
import dev.segloss.core.loss.SegLoss;
import dev.segloss.core.loss.TverskyLoss;
import dev.segloss.core.spec.LossSpec;
import java.nio.file.Path;
import java.util.Arrays;

/** The seed's worked example through segloss-core: a loss from a spec, and one from a builder. */
public final class SeedLosses {
  public static void main(String[] args) {
    Tensor yTrue = Npy.read(Path.of(args[0])); // labels in [0,1], batch first: [N, ...]
    Tensor yPred = Npy.read(Path.of(args[1])); // probabilities (fromLogits(true) for logits)
    SegLoss combined = LossSpec.parse("0.3*bce(w_neg=0.2) + 0.7*dice");
    LossResult r = combined.valueAndGradient(LossInput.builder(yTrue, yPred).build());
    System.out.println("combined " + (float) r.value() + " gradient " + Arrays.toString(r.gradient()));
    SegLoss tversky = TverskyLoss.builder().alpha(0.3).beta(0.7).reduction(Reduction.MEAN).build();
    System.out.println("tversky  " + (float) tversky.valueAndGradient(LossInput.builder(yTrue, yPred).build()).value());
  }
}
