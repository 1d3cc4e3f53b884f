package dev.segloss.core.loss;

import dev.segloss.core.spec.LossParams;
import dev.segloss.core.spec.LossSpecException;
import dev.segloss.core.spec.LossType;
import dev.segloss.core.spec.Param;
import dev.segloss.core.spec.RawTerm;
import dev.segloss.core.spec.SpecParser;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The registry of loss families by spec name, and the entry point of the spec language. */
public final class Losses {
  private static final Map<String, LossType> TYPES = new LinkedHashMap<>();

  static {
    register(BceLoss.TYPE);
    register(DiceLoss.TYPE);
    register(JaccardLoss.TYPE);
    register(TverskyLoss.TYPE);
    register(FocalLoss.TYPE);
    register(LovaszHingeLoss.TYPE);
    register(GeneralizedDiceLoss.TYPE);
    register(LogCoshDiceLoss.TYPE);
    register(MccLoss.TYPE);
    register(TopKLoss.TYPE);
    register(BoundaryLoss.TYPE);
    register(CombinedLoss.TYPE);
  }

  private Losses() {}

  private static void register(LossType t) {
    TYPES.put(t.name(), t);
  }

  /** All families, in documentation order. */
  public static List<LossType> types() {
    return Collections.unmodifiableList(new ArrayList<>(TYPES.values()));
  }

  /** The family of that name, or null. */
  public static LossType type(String name) {
    return TYPES.get(name);
  }

  /**
   * Parses a spec such as {@code 0.3*bce(w_pos=1, w_neg=0.11) + 0.7*dice(smooth_nr=1e-5)}. A single term
   * with coefficient 1 gives that loss itself; anything else a {@link WeightedSumLoss}.
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

  /**
   * The family of that name.
   *
   * @throws LossSpecException for an unknown name, listing the known names and suggesting the closest
   */
  public static LossType require(String name) {
    LossType type = TYPES.get(name);
    if (type == null) throw unknown(name, "");
    return type;
  }

  private static LossSpecException unknown(String name, String where) {
    return new LossSpecException("unknown loss '" + name + "'" + where + "; known: " + String.join(", ", TYPES.keySet())
        + suggestion(name, TYPES.keySet()));
  }

  /** Builds one term's loss (its coefficient is not applied). */
  public static SegLoss build(RawTerm t) {
    LossType type = TYPES.get(t.name());
    if (type == null) throw unknown(t.name(), " at column " + t.nameColumn());
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

  /**
   * The closest known name within two edits, ignoring case ({@code BCE} suggests {@code bce}), where
   * swapping two neighbouring letters is one edit ({@code dcie} suggests {@code dice}); "" when none is
   * that close. Ties go to the earlier name.
   */
  private static String suggestion(String name, Iterable<String> known) {
    String best = null;
    int bestD = 3;
    for (String k : known) {
      int d = editDistance(name.toLowerCase(java.util.Locale.ROOT), k);
      if (d < bestD) {
        bestD = d;
        best = k;
      }
    }
    return best == null ? "" : " (did you mean '" + best + "'?)";
  }

  /**
   * Optimal string alignment distance: insertions, deletions, substitutions and transpositions of
   * adjacent characters each cost 1 (Damerau's typing errors).
   */
  static int editDistance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) d[i][0] = i;
    for (int j = 0; j <= b.length(); j++) d[0][j] = j;
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        int v = Math.min(d[i - 1][j - 1] + cost, Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1));
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          v = Math.min(v, d[i - 2][j - 2] + 1);
        }
        d[i][j] = v;
      }
    }
    return d[a.length()][b.length()];
  }
}
