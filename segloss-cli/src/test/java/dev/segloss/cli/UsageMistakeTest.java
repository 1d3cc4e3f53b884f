package dev.segloss.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Typos in option names: the unknown flag is named (with the option meant), not a "missing" one. */
class UsageMistakeTest {
  @Test
  void typoInRequiredFlagNamesTheUnknownFlag() {
    Cli r = Cli.run("loss", "--ytrue", "t.npy", "--loss", "dice", "--y-pred", "p.npy");
    assertEquals(2, r.code);
    assertEquals("segloss loss: Unknown option: '--ytrue'; did you mean --y-true? (see 'segloss loss --help')", r.err.strip());
  }

  @Test
  void typoAfterAnOptionValueThatStartsWithADash() {
    // -1 is the value of --ignore-value, not an option; --predd is the mistake
    Cli r = Cli.run("evaluate", "--truth", "t.npy", "--ignore-value", "-1", "--predd", "p.npy");
    assertEquals(2, r.code);
    assertEquals("segloss evaluate: Unknown option: '--predd'; did you mean --pred or --pred-label or --pred-suffix? (see 'segloss evaluate --help')", r.err.strip());
  }

  @Test
  void missingRequiredOptionStillSaysSoWhenNoFlagIsUnknown() {
    Cli r = Cli.run("loss", "--loss", "dice", "--y-pred", "p.npy");
    assertEquals(2, r.code);
    assertTrue(r.err.contains("Missing required option: '--y-true=T.npy'"), r.err);
  }

  @Test
  void trainHelpShowsLossAndOutAsRequiredUnlessResume() {
    Cli r = Cli.run("train", "--help");
    assertEquals(0, r.code);
    String[] lines = r.out.split("\n");
    assertEquals("Usage: segloss train --loss SPEC --out runs/NAME [--data D] [options]", lines[0]);
    assertEquals("   or: segloss train --resume runs/NAME [--epochs N] [--patience N] [--device D] [--dry-run]", lines[1]);
    assertTrue(r.out.matches("(?s).*--loss=SPEC\\s+Required \\(unless --resume\\)\\..*"), r.out);
    assertTrue(r.out.matches("(?s).*--out=runs/NAME\\s+Required \\(unless --resume\\)\\..*"), r.out);
  }
}
