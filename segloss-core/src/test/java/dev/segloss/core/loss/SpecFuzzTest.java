package dev.segloss.core.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segloss.core.InvalidInputException;
import dev.segloss.core.Tensor;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 9 fuzz test for the loss-spec parser: seeded character-level mutations of valid specs (a
 * character inserted, deleted, replaced or doubled, two swapped, the text cut short). Each mutated spec
 * must either be refused with a one-line {@link InvalidInputException}, or give a loss that (a) prints as
 * a canonical spec that parses back to the same loss, (b) computes on a fixed input without any other
 * exception (a non-finite value is allowed here: the CLI refuses it, which {@code StrictInputsCliTest}
 * and the CLI fuzz sample check), and (c) when the mutation only changed whitespace, is the very loss of
 * the original spec with the very same value. Never another exception type, never a hang.
 */
class SpecFuzzTest {
  static final String[] CORPUS = {
    "bce(w_pos=1, w_neg=0.2)",
    "dice",
    "combined(dice_weight=0.7, w_neg=0.2)",
    "0.3*bce(w_neg=0.2) + 0.7*dice",
    "dice(reduction=none, smooth_nr=1e-5)",
    "tversky(alpha=0.3, beta=0.7, gamma=0.75)",
    "focal(gamma=2, alpha=0.25)",
    "0.5*focal + 0.5*lovasz(per_image=false)",
    "gdice(weighting=simple, smooth_nr=1e-5)",
    "mcc(batch=true)",
    "topk(k=10, w_pos=2)",
    "logcosh_dice",
    "jaccard(log=true, soft=true)",
    "0.2*bce + 0.3*dice + 0.5*focal(alpha=none)",
  };
  static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz_ABZ0123456789.,()=*+-eEfFxXpP \t\n\u00e9\u001b\u202e\u0000";
  static final int MUTATIONS_PER_SPEC = 700;

  static String mutate(String s, Random r) {
    int n = s.length();
    int at = r.nextInt(n + 1);
    char c = ALPHABET.charAt(r.nextInt(ALPHABET.length()));
    switch (r.nextInt(6)) {
      case 0:
        return s.substring(0, at) + c + s.substring(at);
      case 1:
        return at < n ? s.substring(0, at) + s.substring(Math.min(n, at + 1 + r.nextInt(3))) : s + c;
      case 2:
        return at < n ? s.substring(0, at) + c + s.substring(at + 1) : s + c;
      case 3: {
        int len = Math.min(n - Math.min(at, n), 1 + r.nextInt(6));
        return s.substring(0, at) + s.substring(at, at + len) + s.substring(at);
      }
      case 4:
        return at + 1 < n ? s.substring(0, at) + s.charAt(at + 1) + s.charAt(at) + s.substring(at + 2) : s.substring(0, Math.max(0, n - 1));
      default:
        return s.substring(0, at);
    }
  }

  static LossInput input() {
    Random r = new Random(5);
    float[] y = new float[2 * 36];
    float[] p = new float[y.length];
    for (int i = 0; i < y.length; i++) {
      y[i] = r.nextInt(4) == 0 ? 1 : 0;
      p[i] = 0.02f + 0.96f * r.nextFloat();
    }
    return LossInput.builder(Tensor.of(y, 2, 6, 6), Tensor.of(p, 2, 6, 6)).build();
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void mutatedSpecsAreAnErrorOrALossThatRoundTrips() {
    Random r = new Random(31);
    LossInput in = input();
    int errors = 0;
    int parsed = 0;
    int sameAsOriginal = 0;
    for (String spec : CORPUS) {
      SegLoss original = Losses.parse(spec);
      double[] originalValues = original.compute(in, false).values();
      for (int k = 0; k < MUTATIONS_PER_SPEC; k++) {
        String m = mutate(spec, r);
        SegLoss loss;
        try {
          loss = Losses.parse(m);
        } catch (InvalidInputException e) {
          assertFalse(e.getMessage().contains("\n") || e.getMessage().contains("\r"), "one line for '" + m + "': " + e.getMessage());
          assertTrue(e.getMessage().indexOf('\u001b') < 0, "escaped: " + e.getMessage());
          errors++;
          continue;
        } catch (RuntimeException | Error e) {
          throw new AssertionError("'" + m + "' (from '" + spec + "'): " + e, e);
        }
        parsed++;
        String canonical = loss.toSpec();
        SegLoss again = Losses.parse(canonical);
        assertEquals(loss, again, "'" + m + "' prints as '" + canonical + "', which parses to another loss");
        assertEquals(canonical, again.toSpec(), "canonical form is stable");
        double[] v;
        try {
          v = loss.compute(in, true).values();
        } catch (InvalidInputException e) {
          continue; // e.g. topk's k leaves no pixel: a clean refusal
        } catch (RuntimeException | Error e) {
          throw new AssertionError("'" + m + "' parsed but computing it threw " + e, e);
        }
        if (m.replaceAll("\\s", "").equals(spec.replaceAll("\\s", ""))) {
          assertEquals(original, loss, "'" + m + "' differs from '" + spec + "' in whitespace only");
          assertEquals(java.util.Arrays.toString(originalValues), java.util.Arrays.toString(v), "'" + m + "'");
          sameAsOriginal++;
        }
      }
    }
    assertEquals(CORPUS.length * MUTATIONS_PER_SPEC, errors + parsed);
    assertTrue(errors > 1000 && parsed > 400 && sameAsOriginal > 100, errors + " refused, " + parsed + " parsed, " + sameAsOriginal + " whitespace-only");
  }
}
