package dev.segloss.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.segloss.core.InvalidInputException;
import dev.segloss.core.loss.LossType;
import dev.segloss.core.loss.Losses;
import dev.segloss.core.loss.Param;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code segloss losses}: the loss families of the spec language as the core registry defines them
 * ({@link Losses#types()}, {@link LossType#params()}, {@link Param}): name, one-line summary, and per
 * parameter its default (canonical spec text) and valid range. Nothing here is written by hand, so the
 * listing cannot drift from what {@code --loss} accepts.
 *
 * <p>{@code --json} prints {@code {"losses": [{"name", "summary", "spec", "params": [{"name", "type",
 * "default", "range", ...}]}]}}; {@code type} is {@code number}, {@code optional_number}, {@code boolean}
 * or {@code word}; defaults are JSON numbers, booleans, strings, or {@code null} for an absent optional
 * number ({@code none}); numbers carry {@code min}, {@code max} ({@code null}: unbounded) and
 * {@code min_open}, words their {@code values}.
 */
@Command(
    name = "losses",
    mixinStandardHelpOptions = true,
    header = "Every loss of the spec language with its parameters, defaults and ranges.",
    sortOptions = false,
    usageHelpWidth = 100,
    description = {
      "Lists the losses that --loss of 'segloss loss' accepts, from the library's registry: name, summary,",
      "and each parameter's default and valid range. A parameter left out of a spec takes its default;",
      "every loss takes reduction (mean | weighted_mean | sum | none)."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  ./segloss losses",
      "  ./segloss losses tversky focal",
      "  ./segloss losses --json"
    })
public final class LossesCommand extends SeglossCommand {
  @Parameters(paramLabel = "NAME", arity = "0..*", description = "Only these losses (default: all), e.g. tversky.")
  List<String> names;

  @Option(names = "--json", description = "Print {\"losses\": [{\"name\", \"summary\", \"spec\", \"params\": [...]}]}.")
  boolean json;

  @Override
  public Integer call() {
    List<LossType> types = selected();
    if (json) {
      ObjectNode root = object();
      ArrayNode list = root.putArray("losses");
      for (LossType t : types) list.add(json(t));
      printJson(root);
    } else {
      printText(types);
    }
    return 0;
  }

  private List<LossType> selected() {
    if (names == null || names.isEmpty()) return Losses.types();
    List<LossType> out = new ArrayList<>();
    for (String n : names) {
      try {
        out.add(Losses.require(n));
      } catch (InvalidInputException e) {
        throw new InvalidInputException("NAME: " + e.getMessage(), e);
      }
    }
    return out;
  }

  /** The valid values of a parameter as text: a range, {@code true | false}, or the words. */
  static String range(Param p) {
    switch (p.kind()) {
      case NUMBER:
        return p.range();
      case OPTIONAL_NUMBER:
        return p.range() + " or none";
      case BOOLEAN:
        return "true | false";
      case WORD:
        return String.join(" | ", p.words());
      default:
        throw new AssertionError(p.kind());
    }
  }

  private static ObjectNode json(LossType t) {
    ObjectNode o = object();
    o.put("name", t.name());
    o.put("summary", t.summary());
    o.put("spec", t.defaults().toSpec());
    ArrayNode ps = o.putArray("params");
    for (Param p : t.params()) {
      ObjectNode j = ps.addObject();
      j.put("name", p.name());
      j.put("type", p.kind().name().toLowerCase(java.util.Locale.ROOT));
      Object d = p.defaultValue();
      if (d == null) j.putNull("default");
      else if (d instanceof Double) j.set("default", number((Double) d));
      else if (d instanceof Boolean) j.put("default", (Boolean) d);
      else j.put("default", d.toString());
      j.put("range", range(p));
      if (p.kind() == Param.Kind.NUMBER || p.kind() == Param.Kind.OPTIONAL_NUMBER) {
        j.set("min", number(p.min()));
        j.set("max", Double.isInfinite(p.max()) ? JsonNodeFactory.instance.nullNode() : number(p.max()));
        j.put("min_open", p.minOpen());
      }
      if (p.kind() == Param.Kind.WORD) {
        ArrayNode w = j.putArray("values");
        p.words().forEach(w::add);
      }
      j.put("doc", p.doc());
    }
    return o;
  }

  private void printText(List<LossType> types) {
    PrintWriter o = out();
    int nameW = "parameter".length();
    int defW = "default".length();
    int rangeW = "range".length();
    for (LossType t : types) {
      for (Param p : t.params()) {
        nameW = Math.max(nameW, p.name().length());
        defW = Math.max(defW, Param.format(p.defaultValue()).length());
        rangeW = Math.max(rangeW, range(p).length());
      }
    }
    String row = "  %-" + nameW + "s  %-" + defW + "s  %-" + rangeW + "s  %s%n";
    boolean first = true;
    for (LossType t : types) {
      if (!first) o.println();
      first = false;
      o.println(t.name() + ": " + t.summary());
      o.printf(java.util.Locale.ROOT, row, "parameter", "default", "range", "meaning");
      for (Param p : t.params()) {
        o.printf(java.util.Locale.ROOT, row, p.name(), Param.format(p.defaultValue()), range(p), p.doc());
      }
    }
    o.flush();
  }
}
