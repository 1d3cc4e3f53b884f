package dev.segloss.cli;

import dev.segloss.core.InvalidInputException;
import dev.segloss.core.loss.LossInput;
import dev.segloss.core.loss.LossResult;
import dev.segloss.core.loss.Losses;
import dev.segloss.core.spec.RawTerm;
import dev.segloss.core.spec.SpecParser;
import java.util.List;

/**
 * A loss value or gradient that is NaN or infinite is an error, never a printed {@code nan} with exit
 * code 0 (issue 9). Parameters inside their documented ranges can still overflow on some inputs: the
 * sums of a region loss grow with the pixel count, engines compute in float32 (largest value about
 * 3.4e38), so {@code bce(w_pos=1e308)} or {@code 1e308*topk} give infinite gradients and {@code
 * tversky(alpha=1e308, beta=1e308)} a NaN one. No fixed range can rule that out for every input size,
 * so the check is made on the result, at the boundary where the CLI prints it.
 *
 * <p>When the result is not finite, each term of the spec is computed on its own (with its coefficient)
 * to name the first one that is not, with its 1-based position and the column of its name in the spec:
 * {@code loss term 2 'topk' (column 8) gave a non-finite value (inf)}. When every term is finite but
 * their weighted sum is not, the message says so.
 */
final class FiniteLoss {
  private FiniteLoss() {}

  /**
   * Throws an {@link InvalidInputException} (message starting {@code --loss: }) when {@code result}'s
   * values, or its gradient when {@code withGradient}, are not all finite.
   */
  static void check(String spec, LossEngine engine, LossInput input, LossResult result, boolean withGradient) {
    String problem = problem(result, 1.0, withGradient);
    if (problem == null) return;
    List<RawTerm> terms = SpecParser.parse(spec);
    for (int k = 0; k < terms.size(); k++) {
      RawTerm t = terms.get(k);
      String termSpec = Losses.build(t).toSpec();
      String p = problem(engine.compute(termSpec, input, withGradient), t.coefficient(), withGradient);
      if (p != null) {
        String written = t.coefficient() == 1.0 ? termSpec : dev.segloss.core.spec.Param.format(t.coefficient()) + "*" + termSpec;
        throw new InvalidInputException("--loss: loss term " + (k + 1) + " '" + t.name() + "' (column " + t.nameColumn() + ") gave " + p
            + " on these inputs: " + written + " overflows; use smaller parameter values or coefficients");
      }
    }
    throw new InvalidInputException("--loss: the weighted sum of the loss terms gave " + problem
        + " on these inputs, although every term alone is finite; use smaller coefficients");
  }

  /** "a non-finite value (inf)" or "a non-finite gradient (NaN at flat index 3 of --y-pred)", or null. */
  private static String problem(LossResult r, double coefficient, boolean withGradient) {
    double[] v = r.values();
    for (int i = 0; i < v.length; i++) {
      double x = v[i] * coefficient;
      if (!Double.isFinite(x)) {
        return "a non-finite value (" + fmt(x) + (v.length > 1 ? " for image " + i : "") + ")";
      }
    }
    if (withGradient && r.gradient() != null) {
      float[] g = r.gradient();
      for (int i = 0; i < g.length; i++) {
        float x = (float) (g[i] * coefficient);
        if (!Float.isFinite(x)) return "a non-finite gradient (" + fmt(x) + " at flat index " + i + " of --y-pred)";
      }
    }
    return null;
  }

  private static String fmt(double x) {
    return Double.isNaN(x) ? "NaN" : x > 0 ? "inf" : "-inf";
  }
}
