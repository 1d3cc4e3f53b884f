package dev.segloss.core.spec;

import dev.segloss.core.SafeText;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Parses the loss-spec language into {@link RawTerm}s:
 *
 * <pre>
 *   spec  := term ('+' term)*
 *   term  := [number '*'] name ['(' [arg (',' arg)*] ')']
 *   arg   := name '=' value
 *   value := number | true | false | word
 * </pre>
 *
 * Numbers use Java floating-point syntax ({@code 0.5}, {@code 1e-5}, {@code 2}, {@code .3}, {@code 1e-7f},
 * hexadecimal {@code 0x1p-3}); underscores are not accepted.
 * Errors name the 1-based column.
 */
public final class SpecParser {
  private final String s;
  private int i;

  private SpecParser(String s) {
    this.s = s;
  }

  public static List<RawTerm> parse(String spec) {
    if (spec == null || spec.isBlank()) throw new LossSpecException("loss spec: empty; expected e.g. '0.3*bce(w_neg=0.11) + 0.7*dice'");
    SpecParser p = new SpecParser(spec);
    List<RawTerm> terms = new ArrayList<>();
    terms.add(p.term());
    p.ws();
    while (p.i < p.s.length()) {
      if (p.s.charAt(p.i) != '+') throw p.error("expected '+' or the end of the spec");
      p.i++;
      terms.add(p.term());
      p.ws();
    }
    return terms;
  }

  private RawTerm term() {
    ws();
    double coef = 1.0;
    if (numberAhead()) {
      coef = number();
      ws();
      if (i >= s.length() || s.charAt(i) != '*') throw error("expected '*' after the coefficient");
      i++;
      ws();
    }
    int col = i + 1;
    String name = ident("a loss name");
    LinkedHashMap<String, Object> args = new LinkedHashMap<>();
    LinkedHashMap<String, Integer> cols = new LinkedHashMap<>();
    ws();
    if (i < s.length() && s.charAt(i) == '(') {
      i++;
      ws();
      if (i < s.length() && s.charAt(i) == ')') {
        i++;
      } else {
        while (true) {
          ws();
          int acol = i + 1;
          String arg = ident("a parameter name");
          ws();
          if (i >= s.length() || s.charAt(i) != '=') throw error("expected '=' after parameter '" + arg + "'");
          i++;
          ws();
          Object v = value();
          if (args.containsKey(arg)) throw new LossSpecException("parameter '" + arg + "' given twice for " + name + " at column " + acol);
          args.put(arg, v);
          cols.put(arg, acol);
          ws();
          if (i < s.length() && s.charAt(i) == ',') {
            i++;
            continue;
          }
          if (i < s.length() && s.charAt(i) == ')') {
            i++;
            break;
          }
          throw error("expected ',' or ')' in the parameters of " + name);
        }
      }
    }
    return new RawTerm(coef, name, col, args, cols);
  }

  private Object value() {
    if (numberAhead()) return number();
    String w = ident("a value (number, true, false or a word)");
    if (w.equals("true")) return Boolean.TRUE;
    if (w.equals("false")) return Boolean.FALSE;
    return w;
  }

  /** A digit or '.', optionally after a sign: a lone '+' or '-' is not the start of a number. */
  private boolean numberAhead() {
    int j = i;
    if (j < s.length() && (s.charAt(j) == '-' || s.charAt(j) == '+')) j++;
    return j < s.length() && (Character.isDigit(s.charAt(j)) || s.charAt(j) == '.');
  }

  private double number() {
    int start = i;
    if (i < s.length() && (s.charAt(i) == '-' || s.charAt(i) == '+')) i++;
    boolean hex = i + 1 < s.length() && s.charAt(i) == '0' && (s.charAt(i + 1) == 'x' || s.charAt(i + 1) == 'X');
    if (hex) i += 2; // a hexadecimal floating-point literal such as 0x1p-3 (Java's p exponent is mandatory)
    while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.'
        || (hex && "abcdefABCDEF".indexOf(s.charAt(i)) >= 0))) {
      i++;
    }
    char exp = hex ? 'p' : 'e';
    if (i < s.length() && Character.toLowerCase(s.charAt(i)) == exp) {
      i++;
      if (i < s.length() && (s.charAt(i) == '-' || s.charAt(i) == '+')) i++;
      while (i < s.length() && Character.isDigit(s.charAt(i))) i++;
    }
    String text = s.substring(start, i);
    if (i < s.length() && "fFdD".indexOf(s.charAt(i)) >= 0) i++;
    try {
      if (text.isEmpty() || text.endsWith("e") || text.endsWith("E") || (hex && !text.matches(".*[pP][-+]?\\d+"))) {
        throw new NumberFormatException();
      }
      double d = Double.parseDouble(text);
      if (!Double.isFinite(d)) throw new NumberFormatException();
      return d;
    } catch (NumberFormatException e) {
      i = start;
      throw error("'" + SafeText.escape(s.substring(start, Math.max(start + 1, Math.min(s.length(), start + text.length() + 1)))) + "' is not a number");
    }
  }

  private String ident(String what) {
    int start = i;
    while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) i++;
    if (start == i || Character.isDigit(s.charAt(start))) {
      i = start;
      throw error("expected " + what);
    }
    return s.substring(start, i);
  }

  private void ws() {
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
  }

  private LossSpecException error(String msg) {
    // the spec is quoted escaped (dev.segloss.core.SafeText): a control character or newline in it stays visible, on one line
    String found = i < s.length() ? "'" + SafeText.escape(String.valueOf(s.charAt(i))) + "'" : "the end";
    return new LossSpecException("loss spec: " + msg + " at column " + (i + 1) + ", found " + found + " in \"" + SafeText.escape(s) + "\"");
  }
}
