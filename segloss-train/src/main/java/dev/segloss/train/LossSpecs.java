package dev.segloss.train;

import dev.segloss.core.InvalidInputException;
import dev.segloss.core.loss.Losses;
import dev.segloss.core.loss.SegLoss;
import dev.segloss.core.spec.LossSpecException;
import dev.segloss.core.spec.RawTerm;
import dev.segloss.core.spec.SpecParser;
import dev.segloss.core.weights.ClassPixelCounter;
import dev.segloss.core.weights.ClassWeights;
import dev.segloss.core.weights.WeightMethod;
import dev.segloss.data.Sample;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Resolves {@code auto} class weights in a loss spec from the training masks.
 *
 * <p>In any term, {@code w_pos=auto} and/or {@code w_neg=auto} take their values from the pixel counts of
 * the training masks by a class-weight method: the term's own {@code weights=inverse|balanced|median|effective}
 * (a pseudo-parameter removed before the loss is built), else the run's default (the seed's inverse-
 * frequency rule, {@code inverse}: the rarer class gets 1.0 and the other its frequency ratio). When one
 * weight is {@code auto}:
 *
 * <ul>
 *   <li>and its partner is not written, both take the method's values: {@code bce(w_pos=auto)} on 2 %
 *       foreground becomes {@code bce(w_pos=1, w_neg=0.0204)} — the seed's weighted BCE;
 *   <li>and its partner is written, the partner is kept and the auto weight is set so that the ratio
 *       w_pos/w_neg is the method's: {@code bce(w_pos=auto, w_neg=0.5)} becomes {@code w_pos=24.5}.
 * </ul>
 *
 * Weights are rounded to {@value #DIGITS} significant digits, and the resolved spec — the loss's canonical
 * spec, which parses back to the same loss — is what is trained, printed and saved, so a run can be
 * repeated from its {@code config.json} alone.
 */
public final class LossSpecs {
  /** Significant digits of resolved weights. */
  public static final int DIGITS = 4;

  private LossSpecs() {}

  /**
   * A resolved spec.
   *
   * @param given the spec as written
   * @param resolved the canonical spec with weights resolved
   * @param foreground the foreground fraction of the training masks
   * @param note how auto values were resolved (empty when there were none)
   */
  public record Resolved(String given, String resolved, double foreground, String note) {}

  /** Checks a spec's syntax and parameters without data ({@code auto} values and {@code weights=} allowed). */
  public static void check(String spec) {
    List<RawTerm> terms = parse(spec);
    List<RawTerm> probe = new ArrayList<>();
    for (RawTerm t : terms) {
      RawTerm p = t.without("weights");
      if (t.args().containsKey("weights")) method(spec, t);
      for (String w : new String[] {"w_pos", "w_neg"}) if ("auto".equals(p.args().get(w))) p = p.with(w, 1.0);
      probe.add(p);
    }
    build(spec, probe);
  }

  /** Resolves {@code spec} against the training masks with {@code defaultMethod} for terms that do not choose. */
  public static Resolved resolve(String spec, List<Sample> train, String defaultMethod) {
    List<RawTerm> terms = parse(spec);
    ClassPixelCounter counter = null;
    List<RawTerm> out = new ArrayList<>();
    StringBuilder note = new StringBuilder();
    for (RawTerm t : terms) {
      Object methodArg = t.args().get("weights");
      RawTerm r = t.without("weights");
      boolean autoPos = "auto".equals(r.args().get("w_pos"));
      boolean autoNeg = "auto".equals(r.args().get("w_neg"));
      if (!autoPos && !autoNeg) {
        if (methodArg != null) {
          throw new InvalidInputException("loss spec: 'weights=" + methodArg + "' in " + t.name() + " at column " + t.column("weights")
              + " only applies together with w_pos=auto or w_neg=auto");
        }
        out.add(r);
        continue;
      }
      WeightMethod method = methodArg == null ? WeightMethod.parse(defaultMethod) : method(spec, t);
      if (counter == null) counter = count(train);
      ClassWeights cw;
      try {
        cw = counter.weights(method);
      } catch (InvalidInputException e) {
        throw new InvalidInputException("loss spec '" + spec + "': cannot resolve auto weights from the training masks: " + e.getMessage());
      }
      double wPos, wNeg;
      if (autoPos && autoNeg) {
        wPos = cw.wPos();
        wNeg = cw.wNeg();
      } else if (autoPos) {
        Object partner = r.args().get("w_neg");
        if (partner instanceof Double d) {
          wNeg = d;
          wPos = d * cw.wPos() / cw.wNeg();
        } else {
          wPos = cw.wPos();
          wNeg = cw.wNeg();
        }
      } else {
        Object partner = r.args().get("w_pos");
        if (partner instanceof Double d) {
          wPos = d;
          wNeg = d * cw.wNeg() / cw.wPos();
        } else {
          wPos = cw.wPos();
          wNeg = cw.wNeg();
        }
      }
      r = r.with("w_pos", round(wPos)).with("w_neg", round(wNeg));
      if (note.length() > 0) note.append("; ");
      note.append(String.format(Locale.ROOT, "%s: %s weights from %.4g%% foreground in %d training masks", t.name(), method.word(),
          100 * cw.positiveFrequency(), counter.images()));
      out.add(r);
    }
    SegLoss loss = build(spec, out);
    double fg = counter != null ? counter.positive() / counter.counted() : foreground(train);
    return new Resolved(spec, loss.toSpec(), fg, note.toString());
  }

  /** The term's {@code weights=} method; an unknown word is an error naming the spec, term and column. */
  private static WeightMethod method(String spec, RawTerm t) {
    String word = String.valueOf(t.args().get("weights"));
    try {
      return WeightMethod.parse(word);
    } catch (InvalidInputException e) {
      throw new InvalidInputException("loss spec '" + spec + "': weights=" + word + " in " + t.name() + " at column " + t.column("weights")
          + ": unknown class-weight method '" + word + "'; expected one of " + String.join(", ", methodWords()), e);
    }
  }

  private static List<String> methodWords() {
    List<String> words = new ArrayList<>();
    for (WeightMethod m : WeightMethod.values()) words.add(m.word());
    return words;
  }

  private static List<RawTerm> parse(String spec) {
    try {
      return SpecParser.parse(spec);
    } catch (LossSpecException e) {
      throw new InvalidInputException(e.getMessage(), e);
    }
  }

  private static SegLoss build(String spec, List<RawTerm> terms) {
    try {
      return Losses.build(terms);
    } catch (LossSpecException e) {
      throw new InvalidInputException("loss spec '" + spec + "': " + e.getMessage(), e);
    }
  }

  private static ClassPixelCounter count(List<Sample> train) {
    ClassPixelCounter c = new ClassPixelCounter();
    for (Sample s : train) c.addImage(s.mask(), s.name());
    return c;
  }

  private static double foreground(List<Sample> train) {
    long fg = 0, n = 0;
    for (Sample s : train) {
      fg += s.foregroundPixels();
      n += s.mask().length;
    }
    return n == 0 ? Double.NaN : fg / (double) n;
  }

  static double round(double v) {
    return new BigDecimal(v).round(new MathContext(DIGITS, RoundingMode.HALF_EVEN)).doubleValue();
  }
}
