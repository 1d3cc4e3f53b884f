#!/usr/bin/env python3
"""Fits the polynomial coefficients of VectorKernels.exp and VectorKernels.log.

Near-minimax fits of the *relative* error by Lawson's iteratively reweighted least squares on Chebyshev
nodes, targets evaluated with mpmath at 40 digits; prints the coefficients rounded to float32 and the
maximum relative error of the (double) fit. Requires numpy and mpmath.

  exp(r) = 1 + r + r^2 * Q(r),   Q of degree 4,  r in [-ln2/2, ln2/2]
  log(1 + f) = f - f^2/2 + f^3 * P(f),  P of degree 7,  f in [sqrt(1/2) - 1, sqrt(2) - 1]
  log1p(e) = 2 atanh(s) = 2s + s^3 * R(s^2),  R of degree 3,  s = e/(2 + e) in [0, 1/3]

The float32 evaluation error of the kernels (1 ulp; 2 ulp for log1p) is measured by
VectorKernelsTest.elementaryFunctionsWithinTheirBounds.
"""
import mpmath as mp
import numpy as np

mp.mp.dps = 40


def lawson(basis, target, x, iters=200):
    a = np.array([[b(xi) for b in basis] for xi in x], dtype=np.float64)
    t = np.array([target(xi) for xi in x], dtype=np.float64)
    w = np.ones(len(x)) / len(x)
    for _ in range(iters):
        sw = np.sqrt(w)
        c, *_ = np.linalg.lstsq(a * sw[:, None], t * sw, rcond=None)
        err = np.abs(a @ c - t)
        w = w * err
        w /= w.sum()
    return c, np.max(np.abs(a @ c - t))


def nodes(lo, hi, n=4001):
    x = (np.cos(np.linspace(0, np.pi, n)) * (hi - lo) + (hi + lo)) / 2
    return x[np.abs(x) > 1e-4]


def show(name, c, err):
    print(name, [repr(float(np.float32(v))) for v in c], "max relative error %.3g" % err)


h = float(mp.log(2)) / 2
x = nodes(-h, h)
q = lambda r: float((mp.exp(mp.mpf(r)) - 1 - r) / mp.mpf(r) ** 2)
# relative error of exp(r): weight the residual of Q by r^2 / exp(r)
c, e = lawson([lambda r, k=k: r ** k * r * r / np.exp(r) for k in range(5)], lambda r: q(r) * r * r / np.exp(r), x)
show("exp Q (E2..E6):", c, e)

x = nodes(np.sqrt(0.5) - 1, np.sqrt(2) - 1)
p = lambda f: float((mp.log1p(mp.mpf(f)) - f + mp.mpf(f) ** 2 / 2) / mp.mpf(f) ** 3)
lg = lambda f: abs(float(mp.log1p(mp.mpf(f))))
c, e = lawson([lambda f, k=k: f ** k * f ** 3 / lg(f) for k in range(8)], lambda f: p(f) * f ** 3 / lg(f), x)
show("log P (P0..P7):", c, e)

x = nodes(1e-6, 1 / 3)
rr = lambda s: float((2 * mp.atanh(mp.mpf(s)) - 2 * mp.mpf(s)) / mp.mpf(s) ** 3)
at = lambda s: float(2 * mp.atanh(mp.mpf(s)))
c, e = lawson([lambda s, k=k: (s * s) ** k * s ** 3 / at(s) for k in range(4)], lambda s: rr(s) * s ** 3 / at(s), x)
show("log1p R (R0..R3):", c, e)
