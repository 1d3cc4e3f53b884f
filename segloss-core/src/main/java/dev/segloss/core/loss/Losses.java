package dev.segloss.core.loss;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The registry of loss families by spec name. The spec language ({@code dev.segloss.core.spec.LossSpec})
 * builds losses from these types; this package does not depend on it.
 */
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
   * The family of that name.
   *
   * @throws LossSpecException for an unknown name, listing the known names and suggesting the closest
   */
  public static LossType require(String name) {
    LossType type = TYPES.get(name);
    if (type == null) throw unknown(name, "");
    return type;
  }

  /**
   * The error for an unknown family name: lists the known names and suggests the closest; {@code where}
   * is appended to the name (e.g. {@code " at column 5"}).
   */
  public static LossSpecException unknown(String name, String where) {
    return new LossSpecException("unknown loss '" + name + "'" + where + "; known: " + String.join(", ", TYPES.keySet())
        + suggestion(name, TYPES.keySet()));
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
