package dev.segloss.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.segloss.core.loss.Losses;
import dev.segloss.core.loss.SegLoss;
import dev.segloss.core.spec.LossType;
import dev.segloss.core.spec.Param;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code segloss losses}: the registry as users see it, text and JSON. */
class LossesCommandTest {
  /** The JSON default of a parameter as spec text: what a user would type. */
  static String specText(JsonNode def) {
    if (def.isNull()) return "none";
    if (def.isNumber()) return Double.toString(def.asDouble());
    return def.asText();
  }

  @Test
  void jsonListsEveryRegisteredLossWithItsParameters() {
    JsonNode j = Cli.run("losses", "--json").ok().json();
    assertEquals(1, j.size());
    JsonNode losses = j.get("losses");
    List<LossType> types = Losses.types();
    assertEquals(types.size(), losses.size());
    assertEquals(12, losses.size(), "the twelve losses of issue 2");
    for (int i = 0; i < types.size(); i++) {
      LossType t = types.get(i);
      JsonNode l = losses.get(i);
      assertEquals(t.name(), l.get("name").asText());
      assertEquals(t.summary(), l.get("summary").asText());
      assertEquals(t.name(), l.get("spec").asText(), "all defaults print as the bare name");
      JsonNode ps = l.get("params");
      assertEquals(t.params().size(), ps.size(), t.name());
      List<String> args = new ArrayList<>();
      for (int k = 0; k < ps.size(); k++) {
        Param p = t.params().get(k);
        JsonNode q = ps.get(k);
        assertEquals(p.name(), q.get("name").asText());
        assertEquals(p.doc(), q.get("doc").asText());
        args.add(p.name() + "=" + specText(q.get("default")));
      }
      assertEquals("reduction", ps.get(ps.size() - 1).get("name").asText(), t.name());
      // the listed defaults are the real ones: spelling them all out gives the bare loss
      SegLoss spelled = Losses.parse(t.name() + "(" + String.join(", ", args) + ")");
      assertEquals(Losses.parse(t.name()), spelled, t.name() + "(" + String.join(", ", args) + ")");
    }
  }

  @Test
  void jsonDescribesEachKindOfParameter() {
    JsonNode focal = Cli.run("losses", "focal", "gdice", "--json").ok().json().get("losses");
    assertEquals(2, focal.size());
    JsonNode gamma = focal.get(0).get("params").get(0);
    assertEquals("gamma", gamma.get("name").asText());
    assertEquals("number", gamma.get("type").asText());
    assertEquals(2.0, gamma.get("default").asDouble(), 0);
    assertEquals("[0, 100]", gamma.get("range").asText(), "issue 9: focal(gamma=1e308) is a range error");
    assertEquals(0.0, gamma.get("min").asDouble(), 0);
    assertEquals(100.0, gamma.get("max").asDouble(), 0);
    assertEquals(false, gamma.get("min_open").asBoolean());
    JsonNode smooth = focal.get(1).get("params").get(1);
    assertEquals("smooth_nr", smooth.get("name").asText());
    assertEquals("[0, inf)", smooth.get("range").asText());
    assertTrue(smooth.get("max").isNull(), "unbounded");
    JsonNode alpha = focal.get(0).get("params").get(1);
    assertEquals("optional_number", alpha.get("type").asText());
    assertTrue(alpha.get("default").isNull(), "alpha defaults to none");
    assertEquals("[0, 1] or none", alpha.get("range").asText());
    assertEquals(1.0, alpha.get("max").asDouble(), 0);
    JsonNode eps = focal.get(0).get("params").get(2);
    assertEquals(1e-7, eps.get("default").asDouble(), 0);
    assertEquals("(0, 0.5]", eps.get("range").asText());
    assertTrue(eps.get("min_open").asBoolean());
    JsonNode weighting = focal.get(1).get("params").get(0);
    assertEquals("word", weighting.get("type").asText());
    assertEquals("square", weighting.get("default").asText());
    assertEquals("[\"square\",\"simple\",\"uniform\"]", weighting.get("values").toString());
    JsonNode batch = focal.get(1).get("params").get(3);
    assertEquals("boolean", batch.get("type").asText());
    assertTrue(batch.get("default").isBoolean() && !batch.get("default").asBoolean());
  }

  @Test
  void textShowsSummaryDefaultAndRangeOfEveryParameter() {
    String out = Cli.run("losses").ok().out;
    for (LossType t : Losses.types()) {
      assertTrue(out.contains(t.name() + ": " + t.summary() + "\n"), t.name() + ":\n" + out);
      for (Param p : t.params()) {
        String line = "  " + p.name() + " ";
        String row = out.lines().dropWhile(l -> !l.startsWith(t.name() + ": ")).filter(l -> l.startsWith(line)).findFirst().orElse("");
        List<String> cells = List.of(row.trim().split("\\s{2,}"));
        assertEquals(p.name(), cells.get(0), row);
        assertEquals(Param.format(p.defaultValue()), cells.get(1), row);
        assertEquals(LossesCommand.range(p), cells.get(2), row);
      }
    }
    String tversky = Cli.run("losses", "tversky").ok().out;
    assertTrue(tversky.startsWith("tversky: ") && !tversky.contains("dice:"), tversky);
    assertTrue(tversky.contains("alpha") && tversky.contains("weight of false positives"), tversky);
  }

  @Test
  void unknownNameIsBadInputWithASuggestion() {
    Cli.run("losses", "dcie").badInput("NAME", "unknown loss 'dcie'", "known: bce, dice", "did you mean 'dice'");
    Cli.run("losses", "--jsn").badInput("--jsn");
  }
}
