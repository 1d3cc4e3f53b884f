package dev.segloss.cli;

import dev.segloss.core.SafeText;
import java.io.IOException;
import java.io.Writer;

/**
 * The one place where everything the CLI prints is made safe for a terminal: {@link Segloss} wraps its
 * stdout and stderr in this writer, so a file name, a header field or a decoder message holding
 * {@code ESC[2J}, a backspace or a bidirectional override is shown escaped ({@link SafeText}: {@code
 * \x1b[2J}) and cannot clear the screen or disguise a message, whichever command prints it.
 *
 * <p>Passed through: newline and tab (the text's own layout); a carriage return written on its own
 * ({@code print('\r')}: the progress line redrawing itself; inside text it is escaped); on stdout, when
 * {@code allowColours}, well-formed SGR colour sequences ({@code ESC [ digits/; m}), which picocli's
 * help uses on a terminal and which cannot move the cursor or erase anything.
 */
final class TerminalSafeWriter extends Writer {
  private final Writer out;
  private final boolean allowColours;
  private char pendingHigh;

  TerminalSafeWriter(Writer out, boolean allowColours) {
    this.out = out;
    this.allowColours = allowColours;
  }

  @Override
  public void write(int c) throws IOException {
    if (c == '\r' && pendingHigh == 0) {
      out.write('\r');
      return;
    }
    write(new char[] {(char) c}, 0, 1);
  }

  @Override
  public void write(char[] cbuf, int off, int len) throws IOException {
    StringBuilder sb = new StringBuilder(len + 8);
    int i = off;
    int end = off + len;
    if (pendingHigh != 0) {
      if (i < end && Character.isLowSurrogate(cbuf[i])) {
        sb.append(pendingHigh).append(cbuf[i]);
        i++;
      } else {
        sb.append(SafeText.escapeCodePoint(pendingHigh));
      }
      pendingHigh = 0;
    }
    while (i < end) {
      char c = cbuf[i];
      if (Character.isHighSurrogate(c)) {
        if (i + 1 == end) {
          pendingHigh = c; // its low half may come with the next write
          i++;
          continue;
        }
        if (Character.isLowSurrogate(cbuf[i + 1])) {
          int cp = Character.toCodePoint(c, cbuf[i + 1]);
          sb.append(SafeText.isUnsafe(cp) ? SafeText.escapeCodePoint(cp) : new String(Character.toChars(cp)));
          i += 2;
          continue;
        }
      }
      if (c == '\n' || c == '\t') {
        sb.append(c);
        i++;
        continue;
      }
      if (c == 0x1b && allowColours) {
        int j = i + 1;
        if (j < end && cbuf[j] == '[') {
          j++;
          while (j < end && (Character.isDigit(cbuf[j]) || cbuf[j] == ';')) j++;
          if (j < end && cbuf[j] == 'm') {
            sb.append(cbuf, i, j + 1 - i);
            i = j + 1;
            continue;
          }
        }
      }
      sb.append(SafeText.isUnsafe(c) ? SafeText.escapeCodePoint(c) : String.valueOf(c));
      i++;
    }
    out.write(sb.toString());
  }

  @Override
  public void flush() throws IOException {
    out.flush();
  }

  @Override
  public void close() throws IOException {
    if (pendingHigh != 0) {
      out.write(SafeText.escapeCodePoint(pendingHigh));
      pendingHigh = 0;
    }
    out.close();
  }
}
