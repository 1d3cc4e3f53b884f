package dev.segloss.core;

/**
 * Bad input from the caller: the message is one line that names the argument (or file) and says what
 * was expected. The CLI prints only the message and exits with code 2.
 */
public class InvalidInputException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public InvalidInputException(String message) {
    super(message);
  }

  public InvalidInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
