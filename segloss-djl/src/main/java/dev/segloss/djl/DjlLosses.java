package dev.segloss.djl;

import dev.segloss.core.spec.LossSpec;
import ai.djl.training.evaluator.Evaluator;
import ai.djl.training.loss.Loss;
import dev.segloss.core.InvalidInputException;
import dev.segloss.core.loss.AbstractSegLoss;
import dev.segloss.core.loss.CombinedLoss;
import dev.segloss.core.loss.SegLoss;
import dev.segloss.core.loss.WeightedSumLoss;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Every segloss loss as a DJL {@link Loss}, from a spec or from a core loss object. Names, parameters,
 * defaults and validation are the core's (parse with {@link LossSpec#parse}); the DJL losses read the
 * parsed parameters, so there is one source of truth.
 *
 * <pre>{@code
 * Loss loss = DjlLosses.fromSpec("0.3*bce(w_neg=0.11) + 0.7*dice", true);   // model outputs logits
 * DefaultTrainingConfig config = new DefaultTrainingConfig(loss)
 *     .addEvaluators(DjlLosses.termEvaluators(loss));                          // show each term too
 * }</pre>
 *
 * A single term with coefficient 1 gives a {@link DjlSegLoss}; several terms, or {@code combined}, give a
 * {@link DjlWeightedSumLoss}.
 */
public final class DjlLosses {
  private static final Map<String, BiFunction<AbstractSegLoss, DjlLossOptions, Loss>> FACTORIES = new LinkedHashMap<>();

  static {
    FACTORIES.put("bce", DjlBceLoss::new);
    FACTORIES.put("dice", DjlDiceLoss::new);
    FACTORIES.put("jaccard", DjlJaccardLoss::new);
    FACTORIES.put("tversky", DjlTverskyLoss::new);
    FACTORIES.put("focal", DjlFocalLoss::new);
    FACTORIES.put("lovasz", DjlLovaszLoss::new);
    FACTORIES.put("gdice", DjlGeneralizedDiceLoss::new);
    FACTORIES.put("logcosh_dice", DjlLogCoshDiceLoss::new);
    FACTORIES.put("mcc", DjlMccLoss::new);
    FACTORIES.put("topk", DjlTopKLoss::new);
    FACTORIES.put("boundary", DjlBoundaryLoss::new);
    FACTORIES.put("combined", (core, o) -> weightedSum(core.toSpec(), ((CombinedLoss) core).asWeightedSum(), o));
  }

  private DjlLosses() {}

  /** Parses {@code spec} with the core's spec language and builds the DJL loss. */
  public static Loss fromSpec(String spec, boolean fromLogits) {
    return of(LossSpec.parse(spec), DjlLossOptions.of(fromLogits));
  }

  /** As {@link #fromSpec(String, boolean)} with options (logits, ignore value, value checks). */
  public static Loss fromSpec(String spec, DjlLossOptions options) {
    return of(LossSpec.parse(spec), options);
  }

  /** The DJL version of a core loss (same parameters). */
  public static Loss of(SegLoss coreLoss, boolean fromLogits) {
    return of(coreLoss, DjlLossOptions.of(fromLogits));
  }

  /** The DJL version of a core loss (same parameters) with options. */
  public static Loss of(SegLoss coreLoss, DjlLossOptions options) {
    if (coreLoss == null) throw new InvalidInputException("loss: expected a segloss loss, got null");
    if (options == null) throw new InvalidInputException("options: expected DjlLossOptions, got null");
    if (coreLoss instanceof WeightedSumLoss) return weightedSum(coreLoss.toSpec(), (WeightedSumLoss) coreLoss, options);
    if (!(coreLoss instanceof AbstractSegLoss)) {
      throw new InvalidInputException("loss: " + coreLoss.getClass().getName() + " is not a segloss loss family");
    }
    AbstractSegLoss a = (AbstractSegLoss) coreLoss;
    BiFunction<AbstractSegLoss, DjlLossOptions, Loss> f = FACTORIES.get(a.type().name());
    if (f == null) {
      throw new InvalidInputException("loss: '" + a.type().name() + "' has no DJL implementation; available: "
          + String.join(", ", FACTORIES.keySet()));
    }
    return f.apply(a, options);
  }

  /** The loss names with a DJL implementation. */
  public static Set<String> supported() {
    return Collections.unmodifiableSet(FACTORIES.keySet());
  }

  /**
   * The term evaluators of a weighted sum ({@link DjlWeightedSumLoss#termEvaluators()}), an empty list
   * for a single loss: add them to the training configuration to see every term in the logs.
   */
  public static List<Evaluator> termEvaluators(Loss loss) {
    return loss instanceof DjlWeightedSumLoss ? ((DjlWeightedSumLoss) loss).termEvaluators() : List.of();
  }

  private static DjlWeightedSumLoss weightedSum(String name, WeightedSumLoss sum, DjlLossOptions o) {
    List<WeightedSumLoss.Term> ts = sum.terms();
    double[] c = new double[ts.size()];
    List<Loss> losses = new ArrayList<>();
    for (int i = 0; i < ts.size(); i++) {
      c[i] = ts.get(i).coefficient();
      losses.add(of(ts.get(i).loss(), o));
    }
    return new DjlWeightedSumLoss(name, sum, o, c, losses);
  }
}
