package dev.segloss.data;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segloss.core.InvalidInputException;
import org.junit.jupiter.api.function.Executable;

/** Test helper: the one-line error rule (exception type, one line, names the fragment). */
public final class Messages {
  private Messages() {}

  /** Asserts that {@code e} throws an {@link InvalidInputException} whose one-line message contains {@code fragment}. */
  public static void assertMessage(Executable e, String fragment) {
    InvalidInputException x = assertThrows(InvalidInputException.class, e);
    assertTrue(x.getMessage().contains(fragment), "message: " + x.getMessage());
    assertTrue(!x.getMessage().contains("\n"), "one line: " + x.getMessage());
  }
}
