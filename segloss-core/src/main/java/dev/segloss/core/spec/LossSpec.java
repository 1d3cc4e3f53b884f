package dev.segloss.core.spec;

import dev.segloss.core.loss.LossParams;
import dev.segloss.core.loss.LossSpecException;
import dev.segloss.core.loss.LossType;
import dev.segloss.core.loss.Losses;
import dev.segloss.core.loss.Param;
import dev.segloss.core.loss.SegLoss;
import dev.segloss.core.loss.WeightedSumLoss;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The entry point of the loss-spec language: text to loss objects. The grammar is {@link SpecParser}'s; the
 * names, parameters, defaults and ranges are the loss families' own ({@link Losses#types()}, each family's
 * {@link LossType}), so this package depends on the loss package and not the other way round. Printing is
 * the losses' job ({@link SegLoss#toSpec()}); parsing a printed spec gives an equal loss.
 */
public final class LossSpec {
  private LossSpec() {}

  /**
   * Parses a spec such as {@code 0.3*bce(w_pos=1, w_neg=0.11) + 0.7*dice(smooth_nr=1e-5)}. A single term
   * with coefficient 1 gives that loss itself; anything else a {@link WeightedSumLoss}.
   *
   * @throws LossSpecException for text that is not a spec, an unknown loss or parameter, or a value out of
   *     range; one line, naming the column
   */
  public static SegLoss parse(String spec) {
    return build(SpecParser.parse(spec));
  }

  /** Builds parsed terms (after any {@code auto} values were resolved). */
  public static SegLoss build(List<RawTerm> terms) {
    List<WeightedSumLoss.Term> built = new ArrayList<>();
    for (RawTerm t : terms) built.add(new WeightedSumLoss.Term(t.coefficient(), build(t)));
    if (built.size() == 1 && built.get(0).coefficient() == 1.0) return built.get(0).loss();
    return new WeightedSumLoss(built);
  }

  /** Builds one term's loss (its coefficient is not applied). */
  public static SegLoss build(RawTerm t) {
    LossType type = Losses.type(t.name());
    if (type == null) throw Losses.unknown(t.name(), " at column " + t.nameColumn());
    LossParams p = type.defaults();
    for (Map.Entry<String, Object> a : t.args().entrySet()) {
      Param param = type.param(a.getKey());
      if (param == null) {
        throw new LossSpecException("unknown parameter '" + a.getKey() + "' for " + type.name() + " at column "
            + t.column(a.getKey()) + "; known: " + type.paramNames());
      }
      Object v = a.getValue();
      if ("none".equals(v) && param.kind() == Param.Kind.OPTIONAL_NUMBER) v = null;
      try {
        p = p.with(a.getKey(), v);
      } catch (LossSpecException e) {
        throw new LossSpecException(e.getMessage() + " at column " + t.column(a.getKey()));
      }
    }
    return type.create(p);
  }
}
