package dev.segloss.core;

/**
 * Makes text from files safe to print on a terminal: every character a terminal would act on rather
 * than show is replaced by a visible escape, so a file holding {@code ESC[2J} cannot clear the user's
 * screen, and a stray carriage return or backspace cannot overwrite what a message says.
 *
 * <p>Escaped: the C0 controls U+0000–U+001F (including {@code \n}, {@code \r}, {@code \t} in {@link
 * #escape}), DEL U+007F and the C1 controls U+0080–U+009F (U+009B is a one-byte CSI on some terminals),
 * written {@code \xHH} (the common ones as {@code \n}, {@code \r}, {@code \t}); format characters such
 * as the bidirectional overrides U+202A–U+202E and zero-width characters (Unicode category Cf), line and
 * paragraph separators, lone surrogates and unassigned code points, written {@code \}{@code uHHHH} (or
 * {@code \}{@code UHHHHHHHH} beyond the Basic Multilingual Plane), the notation of Python's {@code repr}.
 * Letters of any script, digits, punctuation, symbols and spaces stay as they are; a backslash is not
 * doubled (the result is for reading, not for parsing back).
 */
public final class SafeText {
  private SafeText() {}

  /** True for a code point a terminal may act on instead of showing (see the class comment). */
  public static boolean isUnsafe(int cp) {
    if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) return true;
    if (cp < 0x7f) return false;
    switch (Character.getType(cp)) {
      case Character.FORMAT:
      case Character.LINE_SEPARATOR:
      case Character.PARAGRAPH_SEPARATOR:
      case Character.SURROGATE:
      case Character.UNASSIGNED:
      case Character.CONTROL:
        return true;
      default:
        return false;
    }
  }

  /** The visible escape of one code point: {@code \n}, {@code \x1b}, {@code \}{@code u202e}. */
  public static String escapeCodePoint(int cp) {
    switch (cp) {
      case '\n':
        return "\\n";
      case '\r':
        return "\\r";
      case '\t':
        return "\\t";
      default:
        if (cp <= 0xff) return String.format(java.util.Locale.ROOT, "\\x%02x", cp);
        if (cp <= 0xffff) return String.format(java.util.Locale.ROOT, "\\u%04x", cp);
        return String.format(java.util.Locale.ROOT, "\\U%08x", cp);
    }
  }

  /** The text with every unsafe character (including newlines and tabs) escaped; null gives "null". */
  public static String escape(CharSequence s) {
    if (s == null) return "null";
    StringBuilder sb = null;
    int n = s.length();
    for (int i = 0; i < n; ) {
      int cp = Character.codePointAt(s, i);
      int len = Character.charCount(cp);
      if (isUnsafe(cp)) {
        if (sb == null) sb = new StringBuilder(n + 16).append(s, 0, i);
        sb.append(escapeCodePoint(cp));
      } else if (sb != null) {
        sb.append(s, i, i + len);
      }
      i += len;
    }
    return sb == null ? s.toString() : sb.toString();
  }
}
