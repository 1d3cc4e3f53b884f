package dev.segloss.djl;

import ai.djl.training.evaluator.Evaluator;
import ai.djl.training.loss.Loss;
import dev.segloss.core.InvalidInputException;
import dev.segloss.core.loss.AbstractSegLoss;
import dev.segloss.core.loss.BceLoss;
import dev.segloss.core.loss.BoundaryLoss;
import dev.segloss.core.loss.CombinedLoss;
import dev.segloss.core.loss.FocalLoss;
import dev.segloss.core.loss.LossType;
import dev.segloss.core.loss.Losses;
import dev.segloss.core.loss.LovaszHingeLoss;
import dev.segloss.core.loss.RegionLoss;
import dev.segloss.core.loss.SegLoss;
import dev.segloss.core.loss.TopKLoss;
import dev.segloss.core.loss.WeightedSumLoss;
import dev.segloss.core.spec.LossSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Every segloss loss as a DJL {@link Loss}, from a spec or from a core loss object. Names, parameters,
 * defaults and validation are the core's (parse with {@link LossSpec#parse}); the DJL losses read the core
 * loss's typed parameter record, and a region loss runs the core loss's own formula, so there is one
 * source of truth.
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
  /** The losses whose DJL computation is written here (not the core's formula): by their core class. */
  private static final Map<Class<?>, BiFunction<AbstractSegLoss, DjlLossOptions, Loss>> ENGINE_SPECIFIC = new LinkedHashMap<>();

  static {
    ENGINE_SPECIFIC.put(BceLoss.class, (core, o) -> new DjlBceLoss((BceLoss) core, o));
    ENGINE_SPECIFIC.put(FocalLoss.class, (core, o) -> new DjlFocalLoss((FocalLoss) core, o));
    ENGINE_SPECIFIC.put(LovaszHingeLoss.class, (core, o) -> new DjlLovaszLoss((LovaszHingeLoss) core, o));
    ENGINE_SPECIFIC.put(TopKLoss.class, (core, o) -> new DjlTopKLoss((TopKLoss) core, o));
    ENGINE_SPECIFIC.put(BoundaryLoss.class, (core, o) -> new DjlBoundaryLoss((BoundaryLoss) core, o));
    ENGINE_SPECIFIC.put(CombinedLoss.class, (core, o) -> weightedSum(core.toSpec(), ((CombinedLoss) core).asWeightedSum(), o));
  }

  private DjlLosses() {}

  /** Parses {@code spec} with the core's spec language and builds the DJL loss. */
  public static Loss fromSpec(String spec, boolean fromLogits) {
    return of(LossSpec.parse(spec), DjlLossOptions.of(fromLogits));
  }

  /** As {@link #fromSpec(String, boolean)} with options (logits, ignore value, input checks). */
  public static Loss fromSpec(String spec, DjlLossOptions options) {
    return of(LossSpec.parse(spec), options);
  }

  /** The DJL version of a core loss (same parameters). */
  public static Loss of(SegLoss coreLoss, boolean fromLogits) {
    return of(coreLoss, DjlLossOptions.of(fromLogits));
  }

  /**
   * The DJL version of a core loss (same parameters) with options: any {@link RegionLoss} (its own formula,
   * {@link DjlRegionLoss}), the families written for DJL here, and weighted sums of them.
   */
  public static Loss of(SegLoss coreLoss, DjlLossOptions options) {
    if (coreLoss == null) throw new InvalidInputException("loss: expected a segloss loss, got null");
    if (options == null) throw new InvalidInputException("options: expected DjlLossOptions, got null");
    if (coreLoss instanceof WeightedSumLoss) return weightedSum(coreLoss.toSpec(), (WeightedSumLoss) coreLoss, options);
    if (coreLoss instanceof RegionLoss) return new DjlRegionLoss((RegionLoss<?>) coreLoss, options);
    BiFunction<AbstractSegLoss, DjlLossOptions, Loss> f = ENGINE_SPECIFIC.get(coreLoss.getClass());
    if (f == null) {
      throw new InvalidInputException("loss: " + coreLoss.toSpec() + " (" + coreLoss.getClass().getName()
          + ") has no DJL implementation; available: " + String.join(", ", supported()));
    }
    return f.apply((AbstractSegLoss) coreLoss, options);
  }

  /** The names of the core's loss families that have a DJL implementation, in the core's order. */
  public static Set<String> supported() {
    Set<String> out = new LinkedHashSet<>();
    for (LossType t : Losses.types()) {
      SegLoss l = t.create(t.defaults());
      if (l instanceof RegionLoss || ENGINE_SPECIFIC.containsKey(l.getClass())) out.add(t.name());
    }
    return Collections.unmodifiableSet(out);
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
