package dev.segloss.core.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segloss.core.InvalidInputException;
import dev.segloss.core.spec.LossSpecException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The loss-spec language: names, parameters, defaults, canonical printing and every kind of error. */
class SpecLanguageTest {
  static String error(String spec) {
    return assertThrows(LossSpecException.class, () -> Losses.parse(spec), spec).getMessage();
  }

  /** Canonical numbers: shortest decimal, no ".0", a lowercase exponent; they read back as the same double. */
  @Test
  void canonicalNumbersAreShortAndReadBackExactly() {
    Object[][] table = {
        {1e-7, "1e-7"}, {2.5e-4, "2.5e-4"}, {1e-5, "1e-5"}, {0.0204, "0.0204"}, {30.0, "30"}, {0.0, "0"},
        {1e20, "1e20"}, {0.1, "0.1"}, {1.0 / 3, "0.3333333333333333"}, {1.5e-300, "1.5e-300"},
    };
    for (Object[] row : table) {
      double v = (Double) row[0];
      assertEquals(row[1], dev.segloss.core.spec.Param.format(v), "format of " + v);
      String spec = "dice(smooth_nr=" + row[1] + ")";
      assertEquals(v, ((AbstractSegLoss) Losses.parse(spec)).params().number("smooth_nr"), 0.0, spec);
    }
    assertEquals("dice(smooth_nr=1e-5)", Losses.parse("dice(smooth_nr=0.00001)").toSpec());
  }

  @Test
  void everyLossOfIssueTwoIsRegisteredWithItsParameters() {
    String[][] table = {
        {"bce", "w_pos=1, w_neg=1, eps=1e-7, label_smoothing=0"},
        {"dice", "smooth_nr=1e-7, smooth_dr=1e-7, batch=false, squared=false, log=false, soft=false"},
        {"jaccard", "smooth_nr=1e-7, smooth_dr=1e-7, batch=false, log=false, soft=false"},
        {"tversky", "alpha=0.5, beta=0.5, gamma=1, smooth_nr=1e-7, smooth_dr=1e-7, batch=false, soft=false"},
        {"focal", "gamma=2, alpha=none, eps=1e-7, label_smoothing=0"},
        {"lovasz", "per_image=true, eps=1e-7"},
        {"gdice", "weighting=square, smooth_nr=1e-5, smooth_dr=1e-5, batch=false"},
        {"logcosh_dice", "smooth_nr=1e-7, smooth_dr=1e-7, batch=false, squared=false, log=false, soft=false"},
        {"mcc", "smooth=1e-7, batch=false"},
        {"topk", "k=10, w_pos=1, w_neg=1"},
        {"boundary", ""},
        {"combined", "dice_weight=0.5, w_pos=1, w_neg=1"},
    };
    assertEquals(table.length, Losses.types().size());
    for (int i = 0; i < table.length; i++) {
      var t = Losses.types().get(i);
      assertEquals(table[i][0], t.name());
      String params = String.join(", ", t.params().stream().map(Object::toString).toList());
      String expected = table[i][1].isEmpty() ? "reduction=mean" : table[i][1] + ", reduction=mean";
      assertEquals(expected, params, t.name());
      assertEquals(t.name(), Losses.parse(t.name()).toSpec(), "a loss with all defaults prints as its bare name");
      assertEquals(Losses.parse(t.name()), Losses.parse(t.name() + "()"));
    }
  }

  @Test
  void buildersEqualParsedSpecsAndPrintCanonically() {
    Object[][] table = {
        {JaccardLoss.builder().log(true).soft(true).smoothNr(0).build(), "jaccard(smooth_nr=0, log=true, soft=true)"},
        {TverskyLoss.builder().alpha(0.3).beta(0.7).gamma(0.75).batch(true).build(), "tversky(alpha=0.3, beta=0.7, gamma=0.75, batch=true)"},
        {FocalLoss.builder().alpha(0.25).build(), "focal(alpha=0.25)"},
        {FocalLoss.builder().alpha(0.25).noAlpha().labelSmoothing(0.1).eps(1e-6).gamma(0).build(), "focal(gamma=0, eps=1e-6, label_smoothing=0.1)"},
        {LovaszHingeLoss.builder().perImage(false).eps(0.001).build(), "lovasz(per_image=false, eps=0.001)"},
        {GeneralizedDiceLoss.builder().weighting(GeneralizedDiceLoss.Weighting.SIMPLE).smoothNr(0).smoothDr(1e-3).batch(true).build(),
            "gdice(weighting=simple, smooth_nr=0, smooth_dr=0.001, batch=true)"},
        {LogCoshDiceLoss.builder().squared(true).log(true).soft(true).batch(true).smoothDr(1).smoothNr(1).build(),
            "logcosh_dice(smooth_nr=1, smooth_dr=1, batch=true, squared=true, log=true, soft=true)"},
        {MccLoss.builder().smooth(1).batch(true).reduction(Reduction.SUM).build(), "mcc(smooth=1, batch=true, reduction=sum)"},
        {TopKLoss.builder().k(2.5).wPos(3).wNeg(0.5).build(), "topk(k=2.5, w_pos=3, w_neg=0.5)"},
        {BoundaryLoss.builder().reduction(Reduction.NONE).build(), "boundary(reduction=none)"},
        {BoundaryLoss.create(), "boundary"},
    };
    for (Object[] row : table) {
      SegLoss built = (SegLoss) row[0];
      String spec = (String) row[1];
      assertEquals(spec, built.toSpec());
      assertEquals(built, Losses.parse(spec));
      assertEquals(built.hashCode(), Losses.parse(spec).hashCode());
    }
    // parameter order, spacing and number syntax do not matter; the canonical form is fixed
    assertEquals(Losses.parse("tversky(alpha=0.3, beta=0.7)"), Losses.parse("  tversky( beta = .7e0 ,alpha=3e-1f )"));
    assertEquals(Losses.parse("focal"), Losses.parse("focal(alpha=none)"));
    assertEquals("0.3*bce(w_neg=0.11) + 0.7*dice(smooth_nr=1e-5)", Losses.parse("0.3*bce(w_pos=1, w_neg=0.11) + 0.7*dice(smooth_nr=1e-5)").toSpec());
    assertInstanceOf(WeightedSumLoss.class, Losses.parse("lovasz + 0.01*boundary"));
    assertInstanceOf(TverskyLoss.class, Losses.parse("1*tversky"));
  }

  /** -0 is 0: the canonical text, equality and hashing agree, so print-then-parse gives an equal loss. */
  @Test
  void negativeZeroIsZero() {
    for (String spec : new String[] {"bce(label_smoothing=-0)", "bce(w_neg=-0.0)", "focal(gamma=-0, alpha=-0)", "dice(smooth_nr=-0e5)"}) {
      SegLoss l = Losses.parse(spec);
      SegLoss again = Losses.parse(l.toSpec());
      assertEquals(l, again, spec + " printed as " + l.toSpec());
      assertEquals(l.hashCode(), again.hashCode(), spec);
      assertEquals(l.toSpec(), again.toSpec(), spec);
    }
    assertEquals("bce", Losses.parse("bce(label_smoothing=-0)").toSpec());
    assertEquals(BceLoss.create(), Losses.parse("bce(label_smoothing=-0)"));
    assertEquals("focal(gamma=0, alpha=0)", Losses.parse("focal(gamma=-0, alpha=-0)").toSpec());
    SegLoss negZero = Losses.parse("-0*bce + dice");
    assertEquals(Losses.parse("0*bce + dice"), negZero);
    assertEquals(Losses.parse("0*bce + dice").hashCode(), negZero.hashCode());
    assertEquals("0*bce + dice", negZero.toSpec());
  }

  /** Numbers in Java floating-point syntax, hexadecimal literals included. */
  @Test
  void hexadecimalFloatingPointLiterals() {
    assertEquals(Losses.parse("bce(w_neg=0.125)"), Losses.parse("bce(w_neg=0x1p-3)"));
    assertEquals(Losses.parse("bce(w_neg=0.125)"), Losses.parse("bce(w_neg=0X1.0P-3f)"));
    assertEquals(Losses.parse("focal(gamma=2.5)"), Losses.parse("focal(gamma=0x1.4p1d)"));
    assertEquals(Losses.parse("0.5*dice + 0.5*bce"), Losses.parse("0x.8p0*dice + 0x1p-1*bce"));
    assertTrue(error("bce(w_neg=0x1.8)").startsWith("loss spec: '0x1.8)' is not a number at column 11"), error("bce(w_neg=0x1.8)"));
    assertTrue(error("bce(w_neg=0xp3)").contains("is not a number"), error("bce(w_neg=0xp3)"));
  }

  @Test
  void unknownLossNamesColumnAndSuggests() {
    assertEquals("unknown loss 'tverski' at column 15; known: bce, dice, jaccard, tversky, focal, lovasz, gdice, "
        + "logcosh_dice, mcc, topk, boundary, combined (did you mean 'tversky'?)", error("0.3*bce + 0.7*tverski"));
    assertTrue(error("lovaz").endsWith("(did you mean 'lovasz'?)"));
    assertTrue(error("gdise(weighting=simple)").endsWith("(did you mean 'gdice'?)"));
    assertTrue(error("logcoshdice").endsWith("(did you mean 'logcosh_dice'?)"));
    // a swap of two neighbouring letters is one typo, and case does not hide the name
    assertTrue(error("dcie").endsWith("(did you mean 'dice'?)"), error("dcie"));
    assertTrue(error("0.5*tevrsky").endsWith("(did you mean 'tversky'?)"), error("0.5*tevrsky"));
    assertTrue(error("BCE").endsWith("(did you mean 'bce'?)"), error("BCE"));
    assertTrue(error("Focal(gamma=2)").endsWith("(did you mean 'focal'?)"), error("Focal(gamma=2)"));
    assertEquals(1, Losses.editDistance("dcie", "dice"));
    assertEquals(2, Losses.editDistance("dcie", "bce"));
    assertEquals(3, Losses.editDistance("kitten", "sitting"));
    String far = error("hausdorff");
    assertTrue(far.startsWith("unknown loss 'hausdorff' at column 1; known: bce, "), far);
    assertTrue(!far.contains("did you mean"), far);
  }

  @Test
  void unknownParameterNamesColumnAndListsTheKnownOnes() {
    assertEquals("unknown parameter 'alfa' for tversky at column 9; known: alpha, beta, gamma, smooth_nr, smooth_dr, "
        + "batch, soft, reduction", error("tversky(alfa=0.3)"));
    assertEquals("unknown parameter 'k' for focal at column 21; known: gamma, alpha, eps, label_smoothing, reduction",
        error("focal(alpha=0.25,   k=3)"));
    assertEquals("unknown parameter 'eps' for topk at column 12; known: k, w_pos, w_neg, reduction", error("topk(k=20, eps=0.1)"));
    assertEquals("unknown parameter 'smooth' for boundary at column 10; known: reduction", error("boundary(smooth=1)"));
    assertEquals("unknown parameter 'weighting' for dice at column 6; known: smooth_nr, smooth_dr, batch, squared, log, soft, reduction",
        error("dice(weighting=square)"));
  }

  @Test
  void badValuesAndRanges() {
    String[][] table = {
        {"tversky(alpha=-1)", "tversky: parameter 'alpha' must be in [0, inf), got -1 at column 9"},
        {"tversky(gamma=0)", "tversky: parameter 'gamma' must be in (0, inf), got 0 at column 9"},
        {"topk(k=0)", "topk: parameter 'k' must be in (0, 100], got 0 at column 6"},
        {"topk(k=100.5)", "topk: parameter 'k' must be in (0, 100], got 100.5 at column 6"},
        {"focal(alpha=1.5)", "focal: parameter 'alpha' must be in [0, 1], got 1.5 at column 7"},
        {"focal(gamma=-2)", "focal: parameter 'gamma' must be in [0, 100], got -2 at column 7"},
        {"focal(gamma=1e308)", "focal: parameter 'gamma' must be in [0, 100], got 1e308 at column 7"},
        {"focal(gamma=none)", "focal: parameter 'gamma' needs a number, got none at column 7"},
        {"focal(eps=0.6)", "focal: parameter 'eps' must be in (0, 0.5], got 0.6 at column 7"},
        {"lovasz(eps=0)", "lovasz: parameter 'eps' must be in (0, 0.5], got 0 at column 8"},
        {"lovasz(per_image=maybe)", "lovasz: parameter 'per_image' needs true or false, got maybe at column 8"},
        {"gdice(weighting=cubic)", "gdice: parameter 'weighting' must be one of square, simple, uniform, got cubic at column 7"},
        {"gdice(weighting=0.5)", "gdice: parameter 'weighting' must be one of square, simple, uniform, got 0.5 at column 7"},
        {"mcc(smooth=-1e-7)", "mcc: parameter 'smooth' must be in [0, inf), got -1e-7 at column 5"},
        {"mcc(batch=1)", "mcc: parameter 'batch' needs true or false, got 1.0 at column 5"},
        {"jaccard(smooth_dr=abc)", "jaccard: parameter 'smooth_dr' needs a number, got abc at column 9"},
        {"logcosh_dice(reduction=avg)", "logcosh_dice: parameter 'reduction' must be one of mean, weighted_mean, sum, none, got avg at column 14"},
        {"tversky(beta=1, beta=2)", "parameter 'beta' given twice for tversky at column 17"},
    };
    for (String[] row : table) assertEquals(row[1], error(row[0]), row[0]);
    // builders apply the same checks
    assertThrows(LossSpecException.class, () -> TopKLoss.builder().k(0));
    assertThrows(LossSpecException.class, () -> FocalLoss.builder().alpha(-0.1));
    assertThrows(LossSpecException.class, () -> TverskyLoss.builder().beta(Double.NaN));
  }

  @Test
  void syntaxErrorsPointAtTheColumn() {
    String[][] table = {
        {"dice(", "loss spec: expected a parameter name at column 6, found the end in \"dice(\""},
        {"0.3*", "loss spec: expected a loss name at column 5, found the end in \"0.3*\""},
        {"0.3 bce", "loss spec: expected '*' after the coefficient at column 5, found 'b' in \"0.3 bce\""},
        {"dice(smooth_nr=)", "loss spec: expected a value (number, true, false or a word) at column 16, found ')' in \"dice(smooth_nr=)\""},
        {"bce(w_pos=1 w_neg=2)", "loss spec: expected ',' or ')' in the parameters of bce at column 13, found 'w' in \"bce(w_pos=1 w_neg=2)\""},
        {"dice + + bce", "loss spec: expected a loss name at column 8, found '+' in \"dice + + bce\""},
        {"dice bce", "loss spec: expected '+' or the end of the spec at column 6, found 'b' in \"dice bce\""},
        {"tversky(alpha 0.3)", "loss spec: expected '=' after parameter 'alpha' at column 15, found '0' in \"tversky(alpha 0.3)\""},
        {"dice(smooth_nr=-x)", "loss spec: expected a value (number, true, false or a word) at column 16, found '-' in \"dice(smooth_nr=-x)\""},
        {"0.5*dice - bce", "loss spec: expected '+' or the end of the spec at column 10, found '-' in \"0.5*dice - bce\""},
    };
    for (String[] row : table) assertEquals(row[1], error(row[0]), row[0]);
    String num = error("1e*bce");
    assertTrue(num.startsWith("loss spec: '1e*' is not a number at column 1"), num);
    assertTrue(error("   ").startsWith("loss spec: empty"));
  }

  @Test
  void aWeightedSumMustShareOneReduction() {
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> Losses.parse("bce(reduction=sum) + dice"));
    assertEquals("loss spec: all terms of a weighted sum must share one reduction; got sum and mean (in dice)", e.getMessage());
    e = assertThrows(InvalidInputException.class, () -> Losses.parse("0.5*lovasz(reduction=none) + 0.5*focal(reduction=weighted_mean)"));
    assertTrue(e.getMessage().contains("got none and weighted_mean"), e.getMessage());
    // sharing one is fine, and the sum reports it
    assertEquals(Reduction.SUM, Losses.parse("topk(reduction=sum) + 2*boundary(reduction=sum)").reduction());
    // with none, terms must give as many values: a pooled term gives one
    WeightedSumLoss mixed = (WeightedSumLoss) Losses.parse("dice(reduction=none) + mcc(batch=true, reduction=none)");
    TestInput in = GoldenValuesTest.a();
    e = assertThrows(InvalidInputException.class, () -> mixed.value(in.lossInput()));
    assertTrue(e.getMessage().contains("give 2 and 1 values"), e.getMessage());
  }

  @Test
  void everyRegisteredNameParsesWithEveryReduction() {
    for (var t : Losses.types()) {
      for (Reduction r : Reduction.values()) {
        SegLoss l = Losses.parse(t.name() + "(reduction=" + r.word() + ")");
        assertEquals(r, l.reduction());
        assertEquals(r == Reduction.MEAN ? t.name() : t.name() + "(reduction=" + r.word() + ")", l.toSpec());
      }
    }
    assertEquals(List.of("square", "simple", "uniform"), GeneralizedDiceLoss.TYPE.param("weighting").words());
  }
}
