package dev.segloss.core.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The {@link Kernels} on the Vector API ({@code jdk.incubator.vector}), {@link FloatVector#SPECIES_PREFERRED}
 * lanes (16 float lanes with AVX-512). Loaded reflectively by {@link KernelSelector} only when the JVM runs
 * with {@code --add-modules jdk.incubator.vector}.
 *
 * <h2>Math</h2>
 * Every method evaluates the formulas of the scalar reference (the per-pixel {@code pixel} method of each
 * loss, in double) in float32 lanes, rearranged only where that avoids a cancellation:
 * <ul>
 *   <li>On logits z: {@code e = exp(−|z|)}, {@code r = 1/(1 + e)}; σ(z) and 1 − σ(z) are {@code r} and
 *       {@code e·r} (swapped for z &lt; 0), so neither is formed by a subtraction;
 *       {@code softplus(±z) = max(±z, 0) + log1p(e)}; {@code dBCE/dz = (1 − t)·σ − t·(1 − σ)};
 *       σ'(z) = e·r².
 *   <li>On probabilities p is clipped to [lo, hi] for the logarithms ({@code log(1 − p)} as
 *       {@code log(w) + (−p − (w − 1))·(1 + p)}, w = 1 − p rounded: the rounding error of w is recovered
 *       exactly (Fast2Sum), so small p lose no digits); the BCE derivative
 *       {@code (B·p − A·(1 − p))/(p(1 − p))} is zero outside the bounds, as the gradient of
 *       {@code tf.clip_by_value}.
 *   <li>Focal (Keras 3 {@code BinaryFocalCrossentropy}): {@code l = α_t·f^γ·BCE(t, p)} with the smoothed
 *       label t, {@code f = 1 − p_t = t(1 − p) + (1 − t)p} (p the unclipped probability, or σ(z)),
 *       {@code α_t = tα + (1 − t)(1 − α)} (1 when α is NaN); {@code dl/dx = α_t·(γ·f^(γ−1)·df/dx·BCE +
 *       f^γ·dBCE/dx)} with {@code df/dp = 1 − 2t}, {@code df/dz = (1 − 2t)·σ(1 − σ)}. For integer γ in
 *       0..{@value #MAX_INT_GAMMA} f^(γ−1) is a product of f's (a Horner sum with one-hot coefficients, no
 *       branch; γ = 2, the default, has its own loops with f^γ = f·f); other γ use f^γ = exp(γ·log f) (SVML's
 *       EXP and LOG, exact down to subnormal f) and f^(γ−1) = f^γ/f, both 0 where f = 0 (for γ &lt; 1 the
 *       derivative is infinite there and taken as 0, as {@code FocalLoss} does).
 * </ul>
 *
 * <h2>exp, log, log1p</h2>
 * The lanewise {@code EXP}/{@code LOG} of the Vector API are intrinsified on this JDK (calls into Intel's
 * SVML, {@code libjsvml}, ~0.2 ns per float alone) but every call clobbers all vector registers, and in a
 * kernel with two of them the spills cost more than the math (bce on logits: 0.94 ns/px with SVML's exp,
 * 1.10 with its log1p, 0.45–0.48 with the inline versions, machine of docs/BENCHMARKS.md). The hot paths
 * therefore use inline polynomial
 * approximations written for this class (coefficients: near-minimax fits of the relative error by
 * Lawson's iteration, {@code docs/tools/fit_kernel_polynomials.py}):
 * <ul>
 *   <li>{@link #expNegAbs}: e<sup>−|z|</sup>, x = −|z| = n·ln2 + r, |r| &le; ln2/2 (Cody–Waite, two-part
 *       ln2), e<sup>r</sup> = 1 + r + r²·Q(r), Q of degree 4 (fit error 3·10<sup>−9</sup>), times
 *       2<sup>n</sup> by adding n to the exponent bits. |z| is limited to 87 (an integer min on the bit
 *       patterns, no mask), so results below e<sup>−87</sup> ≈ 1.6·10<sup>−38</sup> (subnormal floats)
 *       come out as 1.6·10<sup>−38</sup>: an absolute error below the smallest normal float, harmless in every
 *       formula here. Within 1 ulp.
 *   <li>{@link #log}: x = 2<sup>e</sup>·m, m ∈ [√½, √2), f = m − 1 (exact), log(1 + f) = f − f²/2 +
 *       f³·P(f), P of degree 7 (fit error 6·10<sup>−9</sup>), plus e·ln2. For normal positive x only;
 *       callers never pass anything else (the clip bound lo must be a normal float, else the kernel
 *       declines, see {@link #bce}). Within 1 ulp.
 *   <li>{@link #log1pUnit}: log1p(e) for e ∈ [0, 1] (softplus) as 2·atanh(s) = 2s + s³·R(s²),
 *       s = e/(2 + e) ∈ [0, 1/3], R of degree 3 (fit error 4.5·10<sup>−9</sup>). Within 2 ulp (the
 *       roundings of 2 + e and of the quotient), at half the cost of log(1 + e).
 * </ul>
 * The bounds are measured against {@code Math} over the kernels' ranges by
 * {@code VectorKernelsTest.elementaryFunctionsWithinTheirBounds}. The general-γ focal loops call SVML's
 * {@code LOG} and {@code EXP} for f^γ (f may be 0 or subnormal; two more inline polynomials would
 * exceed C2's inlining budget there, and a vector not inlined is boxed). Masks ({@code compare} +
 * {@code blend}) are avoided where an integer operation on the bit patterns does the same (JDK 17
 * materialises masks slowly): max(z, 0) is an integer max, the σ/1 − σ swap a bitwise select.
 *
 * <h2>Sums, tails, allocation</h2>
 * Values are accumulated in float lanes over blocks of {@value #BLOCK} elements (64 per lane with 16
 * lanes); each block's lanes are reduced and added into a double: the relative error of a sum of
 * non-negative terms stays below ~(64 + 4)·2<sup>−24</sup> ≈ 4·10<sup>−6</sup> however long the image.
 * A range whose length is not a multiple of the lane count ends with one vector step over a padded
 * per-thread scratch copy of the last elements (the same loop code, no masks, no scalar copy of the
 * math). Each loop is its own method with no vector-valued branch inside: C2 then keeps every vector in
 * registers (a vector merged from two branches, or returned from a method that is not inlined, would be
 * boxed on the heap). Nothing is allocated per call once compiled (tested).
 */
public final class VectorKernels implements Kernels {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  /** Elements summed in float lanes before the block sum goes into the double accumulator. */
  static final int BLOCK = 1024;
  /** Largest integer γ evaluated by products rather than exp(γ·log f). */
  static final int MAX_INT_GAMMA = 5;

  private static final FloatVector ZERO = FloatVector.zero(S);
  private static final FloatVector ONE = FloatVector.broadcast(S, 1f);

  // exp: Cody–Waite reduction and Q(r) (exp(r) = 1 + r + r²·Q(r)), fit on [−ln2/2, ln2/2]
  private static final int EXP_MAX_ARG_BITS = Float.floatToRawIntBits(87f);
  private static final FloatVector LOG2E = FloatVector.broadcast(S, 1.44269504f);
  private static final float ROUND_MAGIC = 12582912f; // 1.5·2^23: adding it rounds to an integer
  private static final FloatVector MAGIC = FloatVector.broadcast(S, ROUND_MAGIC);
  private static final int MAGIC_BITS = Float.floatToRawIntBits(ROUND_MAGIC);
  private static final FloatVector NEG_LN2_HI = FloatVector.broadcast(S, -0.693145751953125f); // 16 bits
  private static final FloatVector NEG_LN2_LO = FloatVector.broadcast(S, -1.42860677e-6f);
  private static final FloatVector E2 = FloatVector.broadcast(S, 0.49999994f);
  private static final FloatVector E3 = FloatVector.broadcast(S, 0.16666521f);
  private static final FloatVector E4 = FloatVector.broadcast(S, 0.041668389f);
  private static final FloatVector E5 = FloatVector.broadcast(S, 0.0083687101f);
  private static final FloatVector E6 = FloatVector.broadcast(S, 0.0013814613f);

  // log1p on [0, 1]: 2·atanh(s) = 2s + s³·R(s²), s = e/(2 + e) ∈ [0, 1/3]
  private static final FloatVector TWO = FloatVector.broadcast(S, 2f);
  private static final FloatVector R0 = FloatVector.broadcast(S, 0.66666418f);
  private static final FloatVector R1 = FloatVector.broadcast(S, 0.40021527f);
  private static final FloatVector R2 = FloatVector.broadcast(S, 0.28001803f);
  private static final FloatVector R3 = FloatVector.broadcast(S, 0.28011996f);

  // log: log(1 + f) = f − f²/2 + f³·P(f), f ∈ [√½ − 1, √2 − 1]
  private static final int SQRT_HALF_BITS = 0x3f3504f3;
  private static final FloatVector LN2 = FloatVector.broadcast(S, 0.69314718f);
  private static final FloatVector MINUS_HALF = FloatVector.broadcast(S, -0.5f);
  private static final FloatVector P0 = FloatVector.broadcast(S, 0.33333331f);
  private static final FloatVector P1 = FloatVector.broadcast(S, -0.25000820f);
  private static final FloatVector P2 = FloatVector.broadcast(S, 0.20001227f);
  private static final FloatVector P3 = FloatVector.broadcast(S, -0.16623357f);
  private static final FloatVector P4 = FloatVector.broadcast(S, 0.14201757f);
  private static final FloatVector P5 = FloatVector.broadcast(S, -0.13160184f);
  private static final FloatVector P6 = FloatVector.broadcast(S, 0.12761582f);
  private static final FloatVector P7 = FloatVector.broadcast(S, -0.076344974f);

  /**
   * Per-thread scratch, so that no call allocates: padded copies of a range's last (length mod lanes)
   * elements, count sums, and the focal parameters.
   */
  private static final class Scratch {
    final float[] y = new float[L];
    final float[] x = new float[L];
    final float[] g = new float[L];
    final float[] l = new float[L];
    final double[] counts = new double[6];
    final double[] tailCounts = new double[6];
    final Focal focal = new Focal();

    /** Copies [from, to) of y and x to the start of the scratch arrays and pads with (0, pad). */
    void load(float[] ys, float[] xs, int from, int to, float pad) {
      int n = to - from;
      System.arraycopy(ys, from, y, 0, n);
      System.arraycopy(xs, from, x, 0, n);
      for (int j = n; j < L; j++) {
        y[j] = 0f;
        x[j] = pad;
      }
    }

    /** The sum in double of the first n per-element values. */
    double sum(int n) {
      double s = 0;
      for (int j = 0; j < n; j++) s += l[j];
      return s;
    }
  }

  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  /** Public for {@link KernelSelector}'s reflective construction. */
  public VectorKernels() {}

  @Override
  public String name() {
    return "vector-" + S.vectorBitSize();
  }

  private static void checkRange(float[] y, float[] x, int from, int to, float[] out) {
    if (from < 0 || to < from || to > y.length || to > x.length || (out != null && to > out.length)) {
      throw new IndexOutOfBoundsException("range [" + from + ", " + to + ") outside arrays of length "
          + y.length + ", " + x.length + (out != null ? ", " + out.length : ""));
    }
  }

  /** True when the clip bounds keep every logarithm argument a normal float (else the kernel declines). */
  private static boolean boundsSupported(float lo, float hi) {
    return lo >= Float.MIN_NORMAL && hi >= lo && hi <= 1f - Math.ulp(1f) / 2;
  }

  // ------------------------------------------------------------------------------ exp, log (inline)

  /**
   * e<sup>−|z|</sup> (1 ulp), with |z| limited to 87 (an integer min on the bit patterns, no mask): results
   * below e<sup>−87</sup> ≈ 1.6·10<sup>−38</sup> come out as e<sup>−87</sup>.
   */
  static FloatVector expNegAbs(FloatVector z) {
    FloatVector x = z.viewAsIntegralLanes().and(0x7fffffff).min(EXP_MAX_ARG_BITS).viewAsFloatingLanes().neg();
    FloatVector t = x.fma(LOG2E, MAGIC); // n + 1.5·2^23, n = round(x·log2 e)
    FloatVector n = t.sub(MAGIC);
    FloatVector r = n.fma(NEG_LN2_LO, n.fma(NEG_LN2_HI, x));
    FloatVector q = r.fma(E6, E5).fma(r, E4).fma(r, E3).fma(r, E2);
    FloatVector p = r.mul(r).fma(q, r).add(ONE);
    IntVector scale = t.viewAsIntegralLanes().sub(MAGIC_BITS).lanewise(VectorOperators.LSHL, 23);
    return p.viewAsIntegralLanes().add(scale).viewAsFloatingLanes();
  }

  /** log1p(e) for e in [0, 1] as 2·atanh(e/(2 + e)) (2 ulp: the rounding of 2 + e and of the quotient). */
  static FloatVector log1pUnit(FloatVector e) {
    FloatVector s = e.div(e.add(TWO));
    FloatVector u = s.mul(s);
    return s.mul(u).fma(u.fma(R3, R2).fma(u, R1).fma(u, R0), s.add(s));
  }

  /** σ(z) from r = 1/(1 + e) and e·r (e = exp(−|z|)): r where z &ge; 0, e·r where z &lt; 0 (a bitwise select). */
  static FloatVector sigmoid(FloatVector z, FloatVector r, FloatVector er) {
    IntVector ri = r.viewAsIntegralLanes();
    IntVector m = z.viewAsIntegralLanes().lanewise(VectorOperators.ASHR, 31);
    return ri.lanewise(VectorOperators.XOR, ri.lanewise(VectorOperators.XOR, er.viewAsIntegralLanes()).and(m)).viewAsFloatingLanes();
  }

  /** log x for normal positive x (1 ulp). */
  static FloatVector log(FloatVector x) {
    IntVector bits = x.viewAsIntegralLanes();
    IntVector e = bits.sub(SQRT_HALF_BITS).lanewise(VectorOperators.ASHR, 23);
    FloatVector f = bits.sub(e.lanewise(VectorOperators.LSHL, 23)).viewAsFloatingLanes().sub(ONE);
    FloatVector p = f.fma(P7, P6).fma(f, P5).fma(f, P4).fma(f, P3).fma(f, P2).fma(f, P1).fma(f, P0);
    FloatVector s = f.mul(f).mul(f.fma(p, MINUS_HALF)); // f²·(f·P − 1/2)
    return ((FloatVector) e.convert(VectorOperators.I2F, 0)).fma(LN2, f.add(s));
  }

  // ------------------------------------------------------------------------------------------- BCE

  @Override
  public double bce(float[] y, float[] x, int from, int to, boolean logits, float wPos, float wNeg,
      float lo, float hi, float smoothing, float[] grad, float scale) {
    checkRange(y, x, from, to, grad);
    if (!logits && !boundsSupported(lo, hi)) return Double.NaN;
    final float sa = 1f - smoothing;
    final float sb = 0.5f * smoothing;
    final int bound = from + S.loopBound(to - from);
    double total = logits ? bceLogits(y, x, grad, from, bound, sa, sb, wPos, wNeg, scale, null)
        : bceProb(y, x, grad, from, bound, sa, sb, wPos, wNeg, lo, hi, scale, null);
    if (bound < to) {
      Scratch tl = SCRATCH.get();
      tl.load(y, x, bound, to, 0.5f);
      float[] g = grad == null ? null : tl.g;
      if (logits) bceLogits(tl.y, tl.x, g, 0, L, sa, sb, wPos, wNeg, scale, tl.l);
      else bceProb(tl.y, tl.x, g, 0, L, sa, sb, wPos, wNeg, lo, hi, scale, tl.l);
      if (grad != null) System.arraycopy(tl.g, 0, grad, bound, to - bound);
      total += tl.sum(to - bound);
    }
    return total;
  }

  /** Σ over [from, to) (a multiple of the lanes) of A·softplus(−z) + B·softplus(z); g = scale·(B·σ − A·(1 − σ)). */
  private static double bceLogits(float[] y, float[] x, float[] grad, int from, int to,
      float sa, float sb, float wPos, float wNeg, float scale, float[] lossOut) {
    double total = 0;
    for (int i = from; i < to; ) {
      int end = Math.min(to, i + BLOCK);
      FloatVector acc = FloatVector.zero(S);
      for (; i < end; i += L) {
        FloatVector t = FloatVector.fromArray(S, y, i).fma(sa, sb);
        FloatVector z = FloatVector.fromArray(S, x, i);
        FloatVector a = t.mul(wPos);
        FloatVector b = ONE.sub(t).mul(wNeg);
        FloatVector az = z.abs();
        FloatVector e = expNegAbs(z);
        FloatVector r = ONE.div(ONE.add(e));
        FloatVector lg = log1pUnit(e);
        FloatVector zp = z.viewAsIntegralLanes().max(0).viewAsFloatingLanes(); // max(z, 0)
        FloatVector l = a.fma(az.sub(zp).add(lg), b.mul(zp.add(lg)));
        acc = acc.add(l);
        if (lossOut != null) l.intoArray(lossOut, i);
        if (grad != null) {
          FloatVector er = e.mul(r);
          IntVector ri = r.viewAsIntegralLanes(), eri = er.viewAsIntegralLanes();
          IntVector swap = ri.lanewise(VectorOperators.XOR, eri).and(z.viewAsIntegralLanes().lanewise(VectorOperators.ASHR, 31));
          FloatVector sig = ri.lanewise(VectorOperators.XOR, swap).viewAsFloatingLanes(); // r, or e·r for z < 0
          FloatVector q = eri.lanewise(VectorOperators.XOR, swap).viewAsFloatingLanes(); // e·r, or r for z < 0
          b.mul(sig).sub(a.mul(q)).mul(scale).intoArray(grad, i);
        }
      }
      total += acc.reduceLanes(VectorOperators.ADD);
    }
    return total;
  }

  /** Σ over [from, to) of −A·log p − B·log(1 − p), p clipped; g = scale·(B·p − A·(1 − p))/(p(1 − p)) inside. */
  private static double bceProb(float[] y, float[] x, float[] grad, int from, int to,
      float sa, float sb, float wPos, float wNeg, float lo, float hi, float scale, float[] lossOut) {
    final int loBits = Float.floatToRawIntBits(lo), hiBits = Float.floatToRawIntBits(hi);
    double total = 0;
    for (int i = from; i < to; ) {
      int end = Math.min(to, i + BLOCK);
      FloatVector acc = FloatVector.zero(S);
      for (; i < end; i += L) {
        FloatVector t = FloatVector.fromArray(S, y, i).fma(sa, sb);
        FloatVector p = FloatVector.fromArray(S, x, i);
        FloatVector a = t.mul(wPos);
        FloatVector b = ONE.sub(t).mul(wNeg);
        IntVector pb = p.viewAsIntegralLanes();
        IntVector pcb = pb.min(hiBits).max(loBits); // the clip, on the bit patterns of non-negative floats
        FloatVector pc = pcb.viewAsFloatingLanes();
        FloatVector w = ONE.sub(pc);
        FloatVector c = pc.neg().sub(w.sub(ONE)); // (1 − pc) − w, exactly
        FloatVector lq = log(w).add(c.fma(pc, c)); // log1p(−pc)
        FloatVector l = a.fma(log(pc), b.mul(lq)).neg();
        acc = acc.add(l);
        if (lossOut != null) l.intoArray(lossOut, i);
        if (grad != null) {
          FloatVector g = b.mul(pc).sub(a.mul(w)).div(pc.mul(w)).mul(scale);
          IntVector d = pb.lanewise(VectorOperators.XOR, pcb);
          IntVector outside = d.or(d.neg()).lanewise(VectorOperators.ASHR, 31); // sign set where p != pc
          g.viewAsIntegralLanes().lanewise(VectorOperators.AND_NOT, outside).viewAsFloatingLanes().intoArray(grad, i);
        }
      }
      total += acc.reduceLanes(VectorOperators.ADD);
    }
    return total;
  }

  // ----------------------------------------------------------------------------------------- focal

  @Override
  public double focal(float[] y, float[] x, int from, int to, boolean logits, float gamma, float alpha,
      float lo, float hi, float smoothing, float[] grad, float scale) {
    checkRange(y, x, from, to, grad);
    if (!(gamma >= 0) || Float.isInfinite(gamma)) {
      throw new IllegalArgumentException("gamma: expected a finite value >= 0, got " + gamma);
    }
    if (!logits && !boundsSupported(lo, hi)) return Double.NaN;
    final Scratch tl = SCRATCH.get();
    final Focal fp = tl.focal.set(smoothing, gamma, alpha, scale);
    final int bound = from + S.loopBound(to - from);
    double total = focalRange(fp, logits, y, x, grad, from, bound, lo, hi, null);
    if (bound < to) {
      tl.load(y, x, bound, to, 0.5f);
      focalRange(fp, logits, tl.y, tl.x, grad == null ? null : tl.g, 0, L, lo, hi, tl.l);
      if (grad != null) System.arraycopy(tl.g, 0, grad, bound, to - bound);
      total += tl.sum(to - bound);
    }
    return total;
  }

  /** The scalar parameters of a focal call (per-thread, reset by {@link #set}). */
  private static final class Focal {
    float sa;
    float sb;
    float gamma;
    float a0;
    float a1;
    float scale;
    /** One-hot coefficients k[j] of f^j giving f^(γ−1) (all 0 when γ = 0), and d0 = 1 when γ = 0. */
    final float[] k = new float[MAX_INT_GAMMA];
    float d0;
    boolean integer;

    Focal set(float smoothing, float gamma, float alpha, float scale) {
      this.sa = 1f - smoothing;
      this.sb = 0.5f * smoothing;
      this.gamma = gamma;
      boolean balanced = !Float.isNaN(alpha);
      // α_t = t·α + (1 − t)(1 − α) = (1 − α) + t·(2α − 1)
      this.a1 = balanced ? 2f * alpha - 1f : 0f;
      this.a0 = balanced ? 1f - alpha : 1f;
      this.scale = scale;
      this.integer = gamma == Math.rint(gamma) && gamma <= MAX_INT_GAMMA;
      java.util.Arrays.fill(k, 0f);
      if (integer && gamma >= 1) k[(int) gamma - 1] = 1f;
      this.d0 = gamma == 0 ? 1f : 0f;
      return this;
    }
  }

  private static double focalRange(Focal fp, boolean logits, float[] y, float[] x, float[] grad, int from, int to,
      float lo, float hi, float[] lossOut) {
    if (fp.gamma == 2f) {
      return logits ? focalLogits2(fp, y, x, grad, from, to, lossOut)
          : focalProb2(fp, y, x, grad, from, to, lo, hi, lossOut);
    }
    if (fp.integer) {
      return logits ? focalLogitsInt(fp, y, x, grad, from, to, lossOut)
          : focalProbInt(fp, y, x, grad, from, to, lo, hi, lossOut);
    }
    return logits ? focalLogitsGeneral(fp, y, x, grad, from, to, lossOut)
        : focalProbGeneral(fp, y, x, grad, from, to, lo, hi, lossOut);
  }

  private static double focalLogitsInt(Focal fp, float[] y, float[] x, float[] grad, int from, int to, float[] lossOut) {
    final float sa = fp.sa, sb = fp.sb, a0 = fp.a0, a1 = fp.a1, gamma = fp.gamma, scale = fp.scale;
    final FloatVector k0 = FloatVector.broadcast(S, fp.k[0]), k1 = FloatVector.broadcast(S, fp.k[1]);
    final FloatVector k2 = FloatVector.broadcast(S, fp.k[2]), k3 = FloatVector.broadcast(S, fp.k[3]);
    final FloatVector k4 = FloatVector.broadcast(S, fp.k[4]), d0 = FloatVector.broadcast(S, fp.d0);
    double total = 0;
    for (int i = from; i < to; ) {
      int end = Math.min(to, i + BLOCK);
      FloatVector acc = FloatVector.zero(S);
      for (; i < end; i += L) {
        FloatVector t = FloatVector.fromArray(S, y, i).fma(sa, sb);
        FloatVector z = FloatVector.fromArray(S, x, i);
        FloatVector u = ONE.sub(t);
        FloatVector az = z.abs();
        FloatVector e = expNegAbs(z);
        FloatVector r = ONE.div(ONE.add(e));
        FloatVector lg = log1pUnit(e);
        FloatVector zp = z.viewAsIntegralLanes().max(0).viewAsFloatingLanes();
        FloatVector bce = t.fma(az.sub(zp).add(lg), u.mul(zp.add(lg)));
        FloatVector er = e.mul(r);
        IntVector ri = r.viewAsIntegralLanes(), eri = er.viewAsIntegralLanes();
        IntVector swap = ri.lanewise(VectorOperators.XOR, eri).and(z.viewAsIntegralLanes().lanewise(VectorOperators.ASHR, 31));
        FloatVector sig = ri.lanewise(VectorOperators.XOR, swap).viewAsFloatingLanes();
        FloatVector q = eri.lanewise(VectorOperators.XOR, swap).viewAsFloatingLanes();
        FloatVector f = t.fma(q, u.mul(sig)); // 1 − p_t
        FloatVector fg1 = f.fma(k4, k3).fma(f, k2).fma(f, k1).fma(f, k0); // f^(γ−1)
        FloatVector fg = fg1.fma(f, d0); // f^γ
        FloatVector at = t.fma(a1, a0);
        FloatVector l = at.mul(fg).mul(bce);
        acc = acc.add(l);
        if (lossOut != null) l.intoArray(lossOut, i);
        if (grad != null) {
          FloatVector dBce = u.mul(sig).sub(t.mul(q));
          FloatVector df = t.fma(-2f, 1f).mul(sig.mul(q));
          FloatVector g = fg1.mul(gamma).mul(df).fma(bce, fg.mul(dBce));
          g.mul(at).mul(scale).intoArray(grad, i);
        }
      }
      total += acc.reduceLanes(VectorOperators.ADD);
    }
    return total;
  }

  private static double focalProbInt(Focal fp, float[] y, float[] x, float[] grad, int from, int to,
      float lo, float hi, float[] lossOut) {
    final float sa = fp.sa, sb = fp.sb, a0 = fp.a0, a1 = fp.a1, gamma = fp.gamma, scale = fp.scale;
    final FloatVector k0 = FloatVector.broadcast(S, fp.k[0]), k1 = FloatVector.broadcast(S, fp.k[1]);
    final FloatVector k2 = FloatVector.broadcast(S, fp.k[2]), k3 = FloatVector.broadcast(S, fp.k[3]);
    final FloatVector k4 = FloatVector.broadcast(S, fp.k[4]), d0 = FloatVector.broadcast(S, fp.d0);
    final int loBits = Float.floatToRawIntBits(lo), hiBits = Float.floatToRawIntBits(hi);
    double total = 0;
    for (int i = from; i < to; ) {
      int end = Math.min(to, i + BLOCK);
      FloatVector acc = FloatVector.zero(S);
      for (; i < end; i += L) {
        FloatVector t = FloatVector.fromArray(S, y, i).fma(sa, sb);
        FloatVector p = FloatVector.fromArray(S, x, i);
        FloatVector u = ONE.sub(t);
        IntVector pb = p.viewAsIntegralLanes();
        IntVector pcb = pb.min(hiBits).max(loBits); // the clip, on the bit patterns of non-negative floats
        FloatVector pc = pcb.viewAsFloatingLanes();
        FloatVector w = ONE.sub(pc);
        FloatVector c = pc.neg().sub(w.sub(ONE));
        FloatVector lq = log(w).add(c.fma(pc, c));
        FloatVector bce = t.fma(log(pc), u.mul(lq)).neg();
        FloatVector f = t.fma(ONE.sub(p), u.mul(p)); // 1 − p_t on the unclipped p
        FloatVector fg1 = f.fma(k4, k3).fma(f, k2).fma(f, k1).fma(f, k0);
        FloatVector fg = fg1.fma(f, d0);
        FloatVector at = t.fma(a1, a0);
        FloatVector l = at.mul(fg).mul(bce);
        acc = acc.add(l);
        if (lossOut != null) l.intoArray(lossOut, i);
        if (grad != null) {
          IntVector d = pb.lanewise(VectorOperators.XOR, pcb);
          IntVector outside = d.or(d.neg()).lanewise(VectorOperators.ASHR, 31); // sign set where p != pc
          FloatVector dBce = pc.sub(t).div(pc.mul(w)).viewAsIntegralLanes()
              .lanewise(VectorOperators.AND_NOT, outside).viewAsFloatingLanes(); // 0 outside the clip
          FloatVector g = fg1.mul(gamma).mul(t.fma(-2f, 1f)).fma(bce, fg.mul(dBce));
          g.mul(at).mul(scale).intoArray(grad, i);
        }
      }
      total += acc.reduceLanes(VectorOperators.ADD);
    }
    return total;
  }

  /** γ = 2, the default: {@link #focalLogitsInt} with f^γ = f·f (four fewer operations per vector). */
  private static double focalLogits2(Focal fp, float[] y, float[] x, float[] grad, int from, int to, float[] lossOut) {
    final float sa = fp.sa, sb = fp.sb, a0 = fp.a0, a1 = fp.a1, gamma = fp.gamma, scale = fp.scale;
    double total = 0;
    for (int i = from; i < to; ) {
      int end = Math.min(to, i + BLOCK);
      FloatVector acc = FloatVector.zero(S);
      for (; i < end; i += L) {
        FloatVector t = FloatVector.fromArray(S, y, i).fma(sa, sb);
        FloatVector z = FloatVector.fromArray(S, x, i);
        FloatVector u = ONE.sub(t);
        FloatVector az = z.abs();
        FloatVector e = expNegAbs(z);
        FloatVector r = ONE.div(ONE.add(e));
        FloatVector lg = log1pUnit(e);
        FloatVector zp = z.viewAsIntegralLanes().max(0).viewAsFloatingLanes();
        FloatVector bce = t.fma(az.sub(zp).add(lg), u.mul(zp.add(lg)));
        FloatVector er = e.mul(r);
        IntVector ri = r.viewAsIntegralLanes(), eri = er.viewAsIntegralLanes();
        IntVector swap = ri.lanewise(VectorOperators.XOR, eri).and(z.viewAsIntegralLanes().lanewise(VectorOperators.ASHR, 31));
        FloatVector sig = ri.lanewise(VectorOperators.XOR, swap).viewAsFloatingLanes();
        FloatVector q = eri.lanewise(VectorOperators.XOR, swap).viewAsFloatingLanes();
        FloatVector f = t.fma(q, u.mul(sig)); // 1 − p_t
        FloatVector fg1 = f; // f^(γ−1)
        FloatVector fg = f.mul(f); // f^γ
        FloatVector at = t.fma(a1, a0);
        FloatVector l = at.mul(fg).mul(bce);
        acc = acc.add(l);
        if (lossOut != null) l.intoArray(lossOut, i);
        if (grad != null) {
          FloatVector dBce = u.mul(sig).sub(t.mul(q));
          FloatVector df = t.fma(-2f, 1f).mul(sig.mul(q));
          FloatVector g = fg1.mul(gamma).mul(df).fma(bce, fg.mul(dBce));
          g.mul(at).mul(scale).intoArray(grad, i);
        }
      }
      total += acc.reduceLanes(VectorOperators.ADD);
    }
    return total;
  }

  /** γ = 2: {@link #focalProbInt} with f^γ = f·f. */
  private static double focalProb2(Focal fp, float[] y, float[] x, float[] grad, int from, int to,
      float lo, float hi, float[] lossOut) {
    final float sa = fp.sa, sb = fp.sb, a0 = fp.a0, a1 = fp.a1, gamma = fp.gamma, scale = fp.scale;
    final int loBits = Float.floatToRawIntBits(lo), hiBits = Float.floatToRawIntBits(hi);
    double total = 0;
    for (int i = from; i < to; ) {
      int end = Math.min(to, i + BLOCK);
      FloatVector acc = FloatVector.zero(S);
      for (; i < end; i += L) {
        FloatVector t = FloatVector.fromArray(S, y, i).fma(sa, sb);
        FloatVector p = FloatVector.fromArray(S, x, i);
        FloatVector u = ONE.sub(t);
        IntVector pb = p.viewAsIntegralLanes();
        IntVector pcb = pb.min(hiBits).max(loBits); // the clip, on the bit patterns of non-negative floats
        FloatVector pc = pcb.viewAsFloatingLanes();
        FloatVector w = ONE.sub(pc);
        FloatVector c = pc.neg().sub(w.sub(ONE));
        FloatVector lq = log(w).add(c.fma(pc, c));
        FloatVector bce = t.fma(log(pc), u.mul(lq)).neg();
        FloatVector f = t.fma(ONE.sub(p), u.mul(p)); // 1 − p_t on the unclipped p
        FloatVector fg1 = f;
        FloatVector fg = f.mul(f);
        FloatVector at = t.fma(a1, a0);
        FloatVector l = at.mul(fg).mul(bce);
        acc = acc.add(l);
        if (lossOut != null) l.intoArray(lossOut, i);
        if (grad != null) {
          IntVector d = pb.lanewise(VectorOperators.XOR, pcb);
          IntVector outside = d.or(d.neg()).lanewise(VectorOperators.ASHR, 31); // sign set where p != pc
          FloatVector dBce = pc.sub(t).div(pc.mul(w)).viewAsIntegralLanes()
              .lanewise(VectorOperators.AND_NOT, outside).viewAsFloatingLanes(); // 0 outside the clip
          FloatVector g = fg1.mul(gamma).mul(t.fma(-2f, 1f)).fma(bce, fg.mul(dBce));
          g.mul(at).mul(scale).intoArray(grad, i);
        }
      }
      total += acc.reduceLanes(VectorOperators.ADD);
    }
    return total;
  }

  private static double focalLogitsGeneral(Focal fp, float[] y, float[] x, float[] grad, int from, int to, float[] lossOut) {
    final float sa = fp.sa, sb = fp.sb, a0 = fp.a0, a1 = fp.a1, gamma = fp.gamma, scale = fp.scale;
    double total = 0;
    for (int i = from; i < to; ) {
      int end = Math.min(to, i + BLOCK);
      FloatVector acc = FloatVector.zero(S);
      for (; i < end; i += L) {
        FloatVector t = FloatVector.fromArray(S, y, i).fma(sa, sb);
        FloatVector z = FloatVector.fromArray(S, x, i);
        FloatVector u = ONE.sub(t);
        FloatVector az = z.abs();
        FloatVector e = expNegAbs(z);
        FloatVector r = ONE.div(ONE.add(e));
        FloatVector lg = log1pUnit(e);
        FloatVector zp = z.viewAsIntegralLanes().max(0).viewAsFloatingLanes();
        FloatVector bce = t.fma(az.sub(zp).add(lg), u.mul(zp.add(lg)));
        FloatVector er = e.mul(r);
        IntVector ri = r.viewAsIntegralLanes(), eri = er.viewAsIntegralLanes();
        IntVector swap = ri.lanewise(VectorOperators.XOR, eri).and(z.viewAsIntegralLanes().lanewise(VectorOperators.ASHR, 31));
        FloatVector sig = ri.lanewise(VectorOperators.XOR, swap).viewAsFloatingLanes();
        FloatVector q = eri.lanewise(VectorOperators.XOR, swap).viewAsFloatingLanes();
        FloatVector f = t.fma(q, u.mul(sig));
        // f^γ = exp(γ·log f) (SVML: exact down to subnormal f, and 0 at f = 0), f^(γ−1) = f^γ / f, 0 where
        // f = 0 (the derivative is infinite there for γ < 1, and FocalLoss takes it as 0). The inline
        // polynomials would exceed C2's inlining budget in this loop.
        FloatVector fg = f.lanewise(VectorOperators.LOG).mul(gamma).lanewise(VectorOperators.EXP);
        IntVector fb = f.viewAsIntegralLanes();
        IntVector nonzero = fb.or(fb.neg()).lanewise(VectorOperators.ASHR, 31);
        FloatVector fg1 = fg.div(f).viewAsIntegralLanes().and(nonzero).viewAsFloatingLanes();
        FloatVector at = t.fma(a1, a0);
        FloatVector l = at.mul(fg).mul(bce);
        acc = acc.add(l);
        if (lossOut != null) l.intoArray(lossOut, i);
        if (grad != null) {
          FloatVector dBce = u.mul(sig).sub(t.mul(q));
          FloatVector df = t.fma(-2f, 1f).mul(sig.mul(q));
          FloatVector g = fg1.mul(gamma).mul(df).fma(bce, fg.mul(dBce));
          g.mul(at).mul(scale).intoArray(grad, i);
        }
      }
      total += acc.reduceLanes(VectorOperators.ADD);
    }
    return total;
  }

  private static double focalProbGeneral(Focal fp, float[] y, float[] x, float[] grad, int from, int to,
      float lo, float hi, float[] lossOut) {
    final float sa = fp.sa, sb = fp.sb, a0 = fp.a0, a1 = fp.a1, gamma = fp.gamma, scale = fp.scale;
    final int loBits = Float.floatToRawIntBits(lo), hiBits = Float.floatToRawIntBits(hi);
    double total = 0;
    for (int i = from; i < to; ) {
      int end = Math.min(to, i + BLOCK);
      FloatVector acc = FloatVector.zero(S);
      for (; i < end; i += L) {
        FloatVector t = FloatVector.fromArray(S, y, i).fma(sa, sb);
        FloatVector p = FloatVector.fromArray(S, x, i);
        FloatVector u = ONE.sub(t);
        IntVector pb = p.viewAsIntegralLanes();
        IntVector pcb = pb.min(hiBits).max(loBits); // the clip, on the bit patterns of non-negative floats
        FloatVector pc = pcb.viewAsFloatingLanes();
        FloatVector w = ONE.sub(pc);
        FloatVector c = pc.neg().sub(w.sub(ONE));
        FloatVector lq = log(w).add(c.fma(pc, c));
        FloatVector bce = t.fma(log(pc), u.mul(lq)).neg();
        FloatVector f = t.fma(ONE.sub(p), u.mul(p));
        // f^γ = exp(γ·log f) (SVML: exact down to subnormal f, and 0 at f = 0), f^(γ−1) = f^γ / f, 0 where
        // f = 0 (the derivative is infinite there for γ < 1, and FocalLoss takes it as 0). The inline
        // polynomials would exceed C2's inlining budget in this loop.
        FloatVector fg = f.lanewise(VectorOperators.LOG).mul(gamma).lanewise(VectorOperators.EXP);
        IntVector fb = f.viewAsIntegralLanes();
        IntVector nonzero = fb.or(fb.neg()).lanewise(VectorOperators.ASHR, 31);
        FloatVector fg1 = fg.div(f).viewAsIntegralLanes().and(nonzero).viewAsFloatingLanes();
        FloatVector at = t.fma(a1, a0);
        FloatVector l = at.mul(fg).mul(bce);
        acc = acc.add(l);
        if (lossOut != null) l.intoArray(lossOut, i);
        if (grad != null) {
          IntVector d = pb.lanewise(VectorOperators.XOR, pcb);
          IntVector outside = d.or(d.neg()).lanewise(VectorOperators.ASHR, 31); // sign set where p != pc
          FloatVector dBce = pc.sub(t).div(pc.mul(w)).viewAsIntegralLanes()
              .lanewise(VectorOperators.AND_NOT, outside).viewAsFloatingLanes(); // 0 outside the clip
          FloatVector g = fg1.mul(gamma).mul(t.fma(-2f, 1f)).fma(bce, fg.mul(dBce));
          g.mul(at).mul(scale).intoArray(grad, i);
        }
      }
      total += acc.reduceLanes(VectorOperators.ADD);
    }
    return total;
  }

  // ----------------------------------------------------------------------------------- soft counts

  private static final int PY = 0;
  private static final int P = 1;
  private static final int Y = 2;
  private static final int PP = 3;
  private static final int YY = 4;
  private static final int ABS = 5;
  private static final int EXTRA = (1 << PP) | (1 << YY) | (1 << ABS);

  @Override
  public void softCounts(float[] y, float[] x, int from, int to, boolean logits, int needed, double[] out, float[] pOut) {
    checkRange(y, x, from, to, pOut);
    final boolean full = (needed & EXTRA) != 0;
    final int bound = from + S.loopBound(to - from);
    final Scratch tl = SCRATCH.get();
    final double[] c = tl.counts;
    java.util.Arrays.fill(c, 0);
    if (full) {
      if (logits) countsFullLogits(y, x, from, bound, c, pOut);
      else countsFullProb(y, x, from, bound, c);
    } else {
      if (logits) countsBasicLogits(y, x, from, bound, c, pOut);
      else countsBasicProb(y, x, from, bound, c);
    }
    if (bound < to) {
      int n = to - bound;
      float[] p = x;
      int off = bound;
      if (logits) {
        tl.load(y, x, bound, to, 0f);
        countsBasicLogits(tl.y, tl.x, 0, L, tl.tailCounts, tl.l); // for the probabilities, stored in tl.l
        if (pOut != null) System.arraycopy(tl.l, 0, pOut, bound, n);
        p = tl.l;
        off = 0;
      }
      for (int j = 0; j < n; j++) {
        double pj = p[off + j];
        double yj = y[bound + j];
        c[PY] += pj * yj;
        c[P] += pj;
        c[Y] += yj;
        c[PP] += pj * pj;
        c[YY] += yj * yj;
        c[ABS] += Math.abs(pj - yj);
      }
    }
    for (int j = 0; j < 6; j++) if ((needed & (1 << j)) != 0) out[j] += c[j];
  }

  /** σ(z) = 1/(1 + e^{−z}) via e = exp(−|z|): r = 1/(1 + e) for z &ge; 0, e·r below. */
  private static void countsBasicLogits(float[] y, float[] x, int from, int to, double[] c, float[] pOut) {
    for (int i = from; i < to; ) {
      int end = Math.min(to, i + BLOCK);
      FloatVector aPY = FloatVector.zero(S), aP = FloatVector.zero(S), aY = FloatVector.zero(S);
      for (; i < end; i += L) {
        FloatVector yv = FloatVector.fromArray(S, y, i);
        FloatVector z = FloatVector.fromArray(S, x, i);
        FloatVector e = expNegAbs(z);
        FloatVector r = ONE.div(ONE.add(e));
        FloatVector p = sigmoid(z, r, e.mul(r));
        if (pOut != null) p.intoArray(pOut, i);
        aPY = p.fma(yv, aPY);
        aP = aP.add(p);
        aY = aY.add(yv);
      }
      c[PY] += aPY.reduceLanes(VectorOperators.ADD);
      c[P] += aP.reduceLanes(VectorOperators.ADD);
      c[Y] += aY.reduceLanes(VectorOperators.ADD);
    }
  }

  private static void countsBasicProb(float[] y, float[] x, int from, int to, double[] c) {
    for (int i = from; i < to; ) {
      int end = Math.min(to, i + BLOCK);
      FloatVector aPY = FloatVector.zero(S), aP = FloatVector.zero(S), aY = FloatVector.zero(S);
      for (; i < end; i += L) {
        FloatVector yv = FloatVector.fromArray(S, y, i);
        FloatVector p = FloatVector.fromArray(S, x, i);
        aPY = p.fma(yv, aPY);
        aP = aP.add(p);
        aY = aY.add(yv);
      }
      c[PY] += aPY.reduceLanes(VectorOperators.ADD);
      c[P] += aP.reduceLanes(VectorOperators.ADD);
      c[Y] += aY.reduceLanes(VectorOperators.ADD);
    }
  }

  private static void countsFullLogits(float[] y, float[] x, int from, int to, double[] c, float[] pOut) {
    for (int i = from; i < to; ) {
      int end = Math.min(to, i + BLOCK);
      FloatVector aPY = FloatVector.zero(S), aP = FloatVector.zero(S), aY = FloatVector.zero(S);
      FloatVector aPP = FloatVector.zero(S), aYY = FloatVector.zero(S), aABS = FloatVector.zero(S);
      for (; i < end; i += L) {
        FloatVector yv = FloatVector.fromArray(S, y, i);
        FloatVector z = FloatVector.fromArray(S, x, i);
        FloatVector e = expNegAbs(z);
        FloatVector r = ONE.div(ONE.add(e));
        FloatVector p = sigmoid(z, r, e.mul(r));
        if (pOut != null) p.intoArray(pOut, i);
        aPY = p.fma(yv, aPY);
        aP = aP.add(p);
        aY = aY.add(yv);
        aPP = p.fma(p, aPP);
        aYY = yv.fma(yv, aYY);
        aABS = aABS.add(p.sub(yv).abs());
      }
      c[PY] += aPY.reduceLanes(VectorOperators.ADD);
      c[P] += aP.reduceLanes(VectorOperators.ADD);
      c[Y] += aY.reduceLanes(VectorOperators.ADD);
      c[PP] += aPP.reduceLanes(VectorOperators.ADD);
      c[YY] += aYY.reduceLanes(VectorOperators.ADD);
      c[ABS] += aABS.reduceLanes(VectorOperators.ADD);
    }
  }

  private static void countsFullProb(float[] y, float[] x, int from, int to, double[] c) {
    for (int i = from; i < to; ) {
      int end = Math.min(to, i + BLOCK);
      FloatVector aPY = FloatVector.zero(S), aP = FloatVector.zero(S), aY = FloatVector.zero(S);
      FloatVector aPP = FloatVector.zero(S), aYY = FloatVector.zero(S), aABS = FloatVector.zero(S);
      for (; i < end; i += L) {
        FloatVector yv = FloatVector.fromArray(S, y, i);
        FloatVector p = FloatVector.fromArray(S, x, i);
        aPY = p.fma(yv, aPY);
        aP = aP.add(p);
        aY = aY.add(yv);
        aPP = p.fma(p, aPP);
        aYY = yv.fma(yv, aYY);
        aABS = aABS.add(p.sub(yv).abs());
      }
      c[PY] += aPY.reduceLanes(VectorOperators.ADD);
      c[P] += aP.reduceLanes(VectorOperators.ADD);
      c[Y] += aY.reduceLanes(VectorOperators.ADD);
      c[PP] += aPP.reduceLanes(VectorOperators.ADD);
      c[YY] += aYY.reduceLanes(VectorOperators.ADD);
      c[ABS] += aABS.reduceLanes(VectorOperators.ADD);
    }
  }

  // ------------------------------------------------------------------------------- region gradient

  @Override
  public void regionGradientByLabel(float[] y, float[] x, int from, int to, boolean logits,
      float c1, float c0, float cPP, float cABS, float cMIN, float[] grad) {
    checkRange(y, x, from, to, grad);
    final int bound = from + S.loopBound(to - from);
    final float twoPP = 2f * cPP;
    final boolean sign = cABS != 0f || cMIN != 0f;
    regionRange(y, x, grad, from, bound, logits, sign, c1, c0, twoPP, cABS, cMIN);
    if (bound < to) {
      Scratch tl = SCRATCH.get();
      tl.load(y, x, bound, to, 0f);
      regionRange(tl.y, tl.x, tl.g, 0, L, logits, sign, c1, c0, twoPP, cABS, cMIN);
      System.arraycopy(tl.g, 0, grad, bound, to - bound);
    }
  }

  private static void regionRange(float[] y, float[] x, float[] grad, int from, int to, boolean logits, boolean sign,
      float c1, float c0, float twoPP, float cABS, float cMIN) {
    if (logits) {
      if (sign) regionLogitsSign(y, x, grad, from, to, c1, c0, twoPP, cABS, cMIN);
      else regionLogits(y, x, grad, from, to, c1, c0, twoPP);
    } else {
      if (sign) regionProbSign(y, x, grad, from, to, c1, c0, twoPP, cABS, cMIN);
      else regionProb(y, x, grad, from, to, c1, c0, twoPP);
    }
  }



  /** g = c1·y + c0·(1 − y) + 2cPP·p (no sign term). */
  private static void regionProb(float[] y, float[] p, float[] grad, int from, int to, float c1, float c0, float twoPP) {
    final FloatVector vPP = FloatVector.broadcast(S, twoPP);
    for (int i = from; i < to; i += L) {
      FloatVector yv = FloatVector.fromArray(S, y, i);
      FloatVector pv = FloatVector.fromArray(S, p, i);
      pv.fma(vPP, yv.mul(c1).add(ONE.sub(yv).mul(c0))).intoArray(grad, i);
    }
  }

  /** g = c1·y + c0·(1 − y) + 2cPP·p + cABS·sign(p − y) + cMIN·[p &lt; y]. */
  private static void regionProbSign(float[] y, float[] p, float[] grad, int from, int to,
      float c1, float c0, float twoPP, float cABS, float cMIN) {
    final FloatVector vPP = FloatVector.broadcast(S, twoPP);
    final FloatVector vABS = FloatVector.broadcast(S, cABS);
    final FloatVector vMIN = FloatVector.broadcast(S, cMIN);
    for (int i = from; i < to; i += L) {
      FloatVector yv = FloatVector.fromArray(S, y, i);
      FloatVector pv = FloatVector.fromArray(S, p, i);
      FloatVector d = pv.sub(yv);
      FloatVector sign = ZERO.blend(1f, d.compare(VectorOperators.GT, 0f)).blend(-1f, d.compare(VectorOperators.LT, 0f));
      ONE.sub(sign).mul(0.5f).fma(vMIN, sign.fma(vABS, pv.fma(vPP, yv.mul(c1).add(ONE.sub(yv).mul(c0))))).intoArray(grad, i);
    }
  }

  /**
   * The same on logits z: p = σ(z), times σ'(z) = e·r² (e = exp(−|z|), r = 1/(1 + e)); p and 1 − p are r
   * and e·r (swapped for z &lt; 0), never a difference.
   */
  private static void regionLogits(float[] y, float[] x, float[] grad, int from, int to, float c1, float c0, float twoPP) {
    final FloatVector vPP = FloatVector.broadcast(S, twoPP);
    for (int i = from; i < to; i += L) {
      FloatVector yv = FloatVector.fromArray(S, y, i);
      FloatVector z = FloatVector.fromArray(S, x, i);
      FloatVector e = expNegAbs(z);
      FloatVector r = ONE.div(ONE.add(e));
      FloatVector er = e.mul(r);
      FloatVector pv = sigmoid(z, r, er);
      pv.fma(vPP, yv.mul(c1).add(ONE.sub(yv).mul(c0))).mul(er.mul(r)).intoArray(grad, i);
    }
  }

  private static void regionLogitsSign(float[] y, float[] x, float[] grad, int from, int to,
      float c1, float c0, float twoPP, float cABS, float cMIN) {
    final FloatVector vPP = FloatVector.broadcast(S, twoPP);
    final FloatVector vABS = FloatVector.broadcast(S, cABS);
    final FloatVector vMIN = FloatVector.broadcast(S, cMIN);
    for (int i = from; i < to; i += L) {
      FloatVector yv = FloatVector.fromArray(S, y, i);
      FloatVector z = FloatVector.fromArray(S, x, i);
      FloatVector e = expNegAbs(z);
      FloatVector r = ONE.div(ONE.add(e));
      FloatVector er = e.mul(r);
      VectorMask<Float> pos = z.compare(VectorOperators.GE, 0f);
      FloatVector pv = er.blend(r, pos);
      // p − y, as (1 − y) − (1 − p) where p is near 1, so that its sign survives p rounding to 1
      FloatVector d = er.sub(yv).blend(ONE.sub(yv).sub(er), pos);
      FloatVector sign = ZERO.blend(1f, d.compare(VectorOperators.GT, 0f)).blend(-1f, d.compare(VectorOperators.LT, 0f));
      FloatVector g = ONE.sub(sign).mul(0.5f).fma(vMIN, sign.fma(vABS, pv.fma(vPP, yv.mul(c1).add(ONE.sub(yv).mul(c0)))));
      g.mul(er.mul(r)).intoArray(grad, i);
    }
  }

  // ------------------------------------------------------------------------------ accuracy probes

  /**
   * Applies an elementary function to every element, for the accuracy test and the benchmark (not part of
   * the API): {@code exp-neg-abs} (e<sup>−|x|</sup>), {@code log} and {@code log1p-unit} are this class's polynomials, {@code svml-exp}, {@code svml-log},
   * {@code svml-log1p} the Vector API's lanewise operations. The length must be a multiple of the lanes.
   */
  static void elementary(String op, float[] in, float[] out) {
    if (in.length % L != 0) throw new IllegalArgumentException("length: expected a multiple of " + L + ", got " + in.length);
    switch (op) {
      case "exp-neg-abs": for (int i = 0; i < in.length; i += L) expNegAbs(FloatVector.fromArray(S, in, i)).intoArray(out, i); break;
      case "log1p-unit": for (int i = 0; i < in.length; i += L) log1pUnit(FloatVector.fromArray(S, in, i)).intoArray(out, i); break;
      case "log": for (int i = 0; i < in.length; i += L) log(FloatVector.fromArray(S, in, i)).intoArray(out, i); break;
      case "svml-exp": lanewise(VectorOperators.EXP, in, out); break;
      case "svml-log": lanewise(VectorOperators.LOG, in, out); break;
      case "svml-log1p": lanewise(VectorOperators.LOG1P, in, out); break;
      default: throw new IllegalArgumentException("op: expected exp-neg-abs, log, log1p-unit, svml-exp, svml-log or svml-log1p, got " + op);
    }
  }

  private static void lanewise(VectorOperators.Unary u, float[] in, float[] out) {
    for (int i = 0; i < in.length; i += L) FloatVector.fromArray(S, in, i).lanewise(u).intoArray(out, i);
  }

  /** Lanes of the preferred species (for tests). */
  static int lanes() {
    return L;
  }
}
