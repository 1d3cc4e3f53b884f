package dev.segloss.tensorflow;

import dev.segloss.core.spec.LossSpec;
import dev.segloss.core.InvalidInputException;
import dev.segloss.core.loss.AbstractSegLoss;
import dev.segloss.core.loss.SegLoss;
import dev.segloss.core.loss.WeightedSumLoss;
import dev.segloss.core.loss.LossParams;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Entry point: TF losses from a spec string or from core loss objects. The spec is parsed by the core
 * ({@link LossSpec#parse}), so names, parameters, defaults, validation and error messages are the core's;
 * each parsed loss is then built in TF from its parameters.
 *
 * <pre>{@code
 * TfSegLoss loss = TfLosses.fromSpec("0.3*bce(w_pos=1, w_neg=0.11) + 0.7*dice()", true);
 * Operand<TFloat32> l = loss.call(tf, labels, logits, null);
 * }</pre>
 */
public final class TfLosses {
  private static final Map<String, BiFunction<LossParams, Config, TfSingleLoss>> FACTORIES = new LinkedHashMap<>();

  static {
    FACTORIES.put("bce", TfBceLoss::new);
    FACTORIES.put("dice", TfDiceLoss::new);
    FACTORIES.put("jaccard", TfJaccardLoss::new);
    FACTORIES.put("tversky", TfTverskyLoss::new);
    FACTORIES.put("focal", TfFocalLoss::new);
    FACTORIES.put("lovasz", TfLovaszLoss::new);
    FACTORIES.put("gdice", TfGeneralizedDiceLoss::new);
    FACTORIES.put("logcosh_dice", TfLogCoshDiceLoss::new);
    FACTORIES.put("mcc", TfMccLoss::new);
    FACTORIES.put("topk", TfTopKLoss::new);
    FACTORIES.put("boundary", TfBoundaryLoss::new);
    FACTORIES.put("combined", TfCombinedLoss::new);
  }

  private TfLosses() {}

  /**
   * The TF loss of a spec, e.g. {@code "0.3*bce(w_pos=1, w_neg=0.11) + 0.7*dice()"}: a single term with
   * coefficient 1 gives that loss's class ({@link TfBceLoss}, ...), anything else a
   * {@link TfWeightedSumLoss}.
   *
   * @throws InvalidInputException (a {@code LossSpecException}) for a bad spec, naming the column
   */
  public static TfSegLoss fromSpec(String spec, boolean fromLogits) {
    return of(LossSpec.parse(spec), fromLogits);
  }

  /** The TF loss with the same parameters as a core loss. */
  public static TfSegLoss of(SegLoss core, boolean fromLogits) {
    return of(core, Config.defaults(fromLogits));
  }

  /** The loss names that have a TF implementation, in the core's order. */
  public static Set<String> names() {
    return Collections.unmodifiableSet(FACTORIES.keySet());
  }

  static TfSegLoss of(SegLoss core, Config c) {
    if (core instanceof WeightedSumLoss) {
      WeightedSumLoss ws = (WeightedSumLoss) core;
      List<TfWeightedSumLoss.Term> terms = new ArrayList<>();
      Config tc = c.reduction(ws.reduction());
      for (WeightedSumLoss.Term t : ws.terms()) terms.add(new TfWeightedSumLoss.Term(t.coefficient(), of(t.loss(), tc)));
      return new TfWeightedSumLoss(terms, tc);
    }
    if (core instanceof AbstractSegLoss) {
      LossParams p = ((AbstractSegLoss) core).paramValues();
      return create(p, c.reduction(p.reduction()));
    }
    throw new InvalidInputException("loss: " + core.toSpec() + " (" + core.getClass().getSimpleName()
        + ") has no TensorFlow implementation");
  }

  /** Builds the TF loss of one family; the config's reduction must be the parameters'. */
  static TfSingleLoss create(LossParams p, Config c) {
    BiFunction<LossParams, Config, TfSingleLoss> f = FACTORIES.get(p.type().name());
    if (f == null) {
      throw new InvalidInputException("loss: '" + p.type().name() + "' has no TensorFlow implementation yet; available: "
          + String.join(", ", FACTORIES.keySet()));
    }
    return f.apply(p, c);
  }
}
