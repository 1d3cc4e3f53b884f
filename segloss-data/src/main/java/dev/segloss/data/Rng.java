package dev.segloss.data;

import java.util.SplittableRandom;

/**
 * Deterministic random streams keyed by integers (seed, epoch, sample index, ...), so that what a
 * sample gets never depends on which thread made it or in which order: each key tuple is hashed
 * with the SplitMix64 finaliser (Steele, Lea and Flood, "Fast splittable pseudorandom number
 * generators", OOPSLA 2014) and seeds its own {@link SplittableRandom}.
 */
public final class Rng {
  private Rng() {}

  /** SplitMix64 finaliser: a bijective 64-bit mix. */
  public static long mix(long z) {
    z += 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** A key derived from all parts, order-sensitive. */
  public static long key(long... parts) {
    long h = 0x6A09E667F3BCC909L;
    for (long p : parts) h = mix(h ^ mix(p));
    return h;
  }

  /** A fresh generator for the key tuple. */
  public static SplittableRandom stream(long... parts) {
    return new SplittableRandom(key(parts));
  }

  /** Stream labels, so that different uses of one seed never share a stream. */
  public static final long SPLIT = 0x53504C4954L; // "SPLIT"
  public static final long PLAN = 0x504C414EL; // "PLAN"
  public static final long IMAGE = 0x494D414745L; // "IMAGE"
  public static final long ORDER = 0x4F52444552L; // "ORDER"
  public static final long AUGMENT = 0x4155474DL; // "AUGM"
  public static final long SLICES = 0x534C494345L; // "SLICE"
  public static final long PATCH = 0x5041544348L; // "PATCH"
  public static final long FOLDS = 0x464F4C4453L; // "FOLDS"

  /** A uniformly random permutation of 0..n-1 (Fisher-Yates). */
  public static int[] permutation(int n, SplittableRandom rng) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) p[i] = i;
    for (int i = n - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }
}
