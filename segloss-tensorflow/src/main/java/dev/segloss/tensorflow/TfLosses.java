package dev.segloss.tensorflow;

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
 * Entry point: TF losses from a spec string or from core loss objects. The spec is parsed by the core
 * ({@link LossSpec#parse}), so names, parameters, defaults, validation and error messages are the core's;
 * a region loss runs the core loss's own formula ({@link TfRegionLoss}), the other families read the core
 * loss's typed parameter record.
 *
 * <pre>{@code
 * TfSegLoss loss = TfLosses.fromSpec("0.3*bce(w_pos=1, w_neg=0.11) + 0.7*dice()", true);
 * Operand<TFloat32> l = loss.call(tf, labels, logits, null);
 * TfSegLoss tversky = TfLosses.of(TverskyLoss.builder().alpha(0.3).beta(0.7).build(), true);  // typed
 * }</pre>
 */
public final class TfLosses {
  /** The losses whose TF computation is written here (not the core's formula): by their core class. */
  private static final Map<Class<?>, BiFunction<AbstractSegLoss, Config, TfSingleLoss>> ENGINE_SPECIFIC = new LinkedHashMap<>();

  static {
    ENGINE_SPECIFIC.put(BceLoss.class, (core, c) -> new TfBceLoss((BceLoss) core, c));
    ENGINE_SPECIFIC.put(FocalLoss.class, (core, c) -> new TfFocalLoss((FocalLoss) core, c));
    ENGINE_SPECIFIC.put(LovaszHingeLoss.class, (core, c) -> new TfLovaszLoss((LovaszHingeLoss) core, c));
    ENGINE_SPECIFIC.put(TopKLoss.class, (core, c) -> new TfTopKLoss((TopKLoss) core, c));
    ENGINE_SPECIFIC.put(BoundaryLoss.class, (core, c) -> new TfBoundaryLoss((BoundaryLoss) core, c));
    ENGINE_SPECIFIC.put(CombinedLoss.class, (core, c) -> new TfCombinedLoss((CombinedLoss) core, c));
  }

  private TfLosses() {}

  /**
   * The TF loss of a spec, e.g. {@code "0.3*bce(w_pos=1, w_neg=0.11) + 0.7*dice()"}: a single term with
   * coefficient 1 gives that loss's class ({@link TfBceLoss}, {@link TfRegionLoss}, ...), anything else a
   * {@link TfWeightedSumLoss}.
   *
   * @throws InvalidInputException (a {@code LossSpecException}) for a bad spec, naming the column
   */
  public static TfSegLoss fromSpec(String spec, boolean fromLogits) {
    return of(LossSpec.parse(spec), fromLogits);
  }

  /** The TF loss with the same parameters as a core loss (any region loss, the families written here, sums of them). */
  public static TfSegLoss of(SegLoss core, boolean fromLogits) {
    return of(core, Config.defaults(fromLogits));
  }

  /** The names of the core's loss families that have a TF implementation, in the core's order. */
  public static Set<String> names() {
    Set<String> out = new LinkedHashSet<>();
    for (LossType t : Losses.types()) {
      SegLoss l = t.create(t.defaults());
      if (l instanceof RegionLoss || ENGINE_SPECIFIC.containsKey(l.getClass())) out.add(t.name());
    }
    return Collections.unmodifiableSet(out);
  }

  static TfSegLoss of(SegLoss core, Config c) {
    if (core == null) throw new InvalidInputException("loss: expected a segloss loss, got null");
    if (core instanceof WeightedSumLoss) {
      WeightedSumLoss ws = (WeightedSumLoss) core;
      List<TfWeightedSumLoss.Term> terms = new ArrayList<>();
      Config tc = c.reduction(ws.reduction());
      for (WeightedSumLoss.Term t : ws.terms()) terms.add(new TfWeightedSumLoss.Term(t.coefficient(), of(t.loss(), tc)));
      return new TfWeightedSumLoss(terms, tc);
    }
    if (core instanceof AbstractSegLoss) return create((AbstractSegLoss) core, c.reduction(core.reduction()));
    throw new InvalidInputException("loss: " + core.toSpec() + " (" + core.getClass().getSimpleName()
        + ") has no TensorFlow implementation");
  }

  /** Builds the TF loss of one family; the config's reduction must be the core loss's. */
  static TfSingleLoss create(AbstractSegLoss core, Config c) {
    if (core instanceof RegionLoss) return new TfRegionLoss((RegionLoss<?>) core, c);
    BiFunction<AbstractSegLoss, Config, TfSingleLoss> f = ENGINE_SPECIFIC.get(core.getClass());
    if (f == null) {
      throw new InvalidInputException("loss: " + core.toSpec() + " (" + core.getClass().getName()
          + ") has no TensorFlow implementation; available: " + String.join(", ", names()));
    }
    return f.apply(core, c);
  }
}
