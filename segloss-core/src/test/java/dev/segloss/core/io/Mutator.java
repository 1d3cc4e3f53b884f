package dev.segloss.core.io;

import java.util.Arrays;
import java.util.Random;

/**
 * Seeded byte-level mutations for the parser fuzz tests: a bit flip, a byte replaced by a random or an
 * "interesting" value (0, 0xff, a digit, a quote, a newline, ESC...), 1 to 4 bytes inserted or deleted,
 * the file cut short or extended, a run of bytes copied elsewhere. Half of the positions fall into a
 * focus range (usually the header), where a parser has the most to get wrong.
 */
final class Mutator {
  enum Kind {
    FLIP,
    REPLACE,
    INSERT,
    DELETE,
    TRUNCATE,
    APPEND,
    COPY
  }

  /** One mutation: what was done where, and the mutated bytes. */
  record Mutation(Kind kind, int pos, byte[] bytes) {
    /** True when only the byte at {@link #pos} may differ from the input (and the length is the same). */
    boolean inPlace() {
      return kind == Kind.FLIP || kind == Kind.REPLACE;
    }

    @Override
    public String toString() {
      return kind + " at " + pos;
    }
  }

  private static final byte[] INTERESTING = {0, 1, 0x7f, (byte) 0x80, (byte) 0xff, ' ', '\n', '\t', '0', '1', '9', '(', ')', ',', '\'', '"',
      ':', '{', '}', 'L', '-', '.', 0x1b};

  private Mutator() {}

  static Mutation mutate(byte[] in, Random r, int focusFrom, int focusTo) {
    Kind kind = Kind.values()[r.nextInt(Kind.values().length)];
    int n = in.length;
    int pos = r.nextBoolean() && focusTo > focusFrom ? focusFrom + r.nextInt(focusTo - focusFrom) : r.nextInt(Math.max(1, n));
    pos = Math.min(pos, Math.max(0, n - 1));
    switch (kind) {
      case FLIP: {
        byte[] b = in.clone();
        b[pos] ^= (byte) (1 << r.nextInt(8));
        return new Mutation(kind, pos, b);
      }
      case REPLACE: {
        byte[] b = in.clone();
        byte v = r.nextBoolean() ? INTERESTING[r.nextInt(INTERESTING.length)] : (byte) r.nextInt(256);
        if (v == b[pos]) v ^= 0x01;
        b[pos] = v;
        return new Mutation(kind, pos, b);
      }
      case INSERT: {
        int k = 1 + r.nextInt(4);
        byte[] add = new byte[k];
        for (int i = 0; i < k; i++) add[i] = r.nextBoolean() ? INTERESTING[r.nextInt(INTERESTING.length)] : (byte) r.nextInt(256);
        return new Mutation(kind, pos, splice(in, pos, 0, add));
      }
      case DELETE: {
        int k = Math.min(1 + r.nextInt(4), n - pos);
        return new Mutation(kind, pos, splice(in, pos, k, new byte[0]));
      }
      case TRUNCATE:
        return new Mutation(kind, pos, Arrays.copyOf(in, pos));
      case APPEND: {
        int k = 1 + r.nextInt(8);
        byte[] b = Arrays.copyOf(in, n + k);
        for (int i = n; i < n + k; i++) b[i] = (byte) r.nextInt(256);
        return new Mutation(kind, n, b);
      }
      case COPY: {
        int len = 1 + r.nextInt(Math.min(16, n));
        int from = r.nextInt(Math.max(1, n - len + 1));
        byte[] b = in.clone();
        int to = Math.min(pos, n - len);
        System.arraycopy(in, from, b, to, len);
        return new Mutation(kind, to, b);
      }
      default:
        throw new AssertionError(kind);
    }
  }

  static byte[] splice(byte[] in, int at, int remove, byte[] add) {
    byte[] b = new byte[in.length - remove + add.length];
    System.arraycopy(in, 0, b, 0, at);
    System.arraycopy(add, 0, b, at, add.length);
    System.arraycopy(in, at + remove, b, at + add.length, in.length - at - remove);
    return b;
  }

  /** The single position where {@code a} and {@code b} (same length) differ, -1 when equal, -2 when several. */
  static int onlyDifference(byte[] a, byte[] b) {
    if (a.length != b.length) return -2;
    int at = -1;
    for (int i = 0; i < a.length; i++) {
      if (a[i] != b[i]) {
        if (at >= 0) return -2;
        at = i;
      }
    }
    return at;
  }
}
