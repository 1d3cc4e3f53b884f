"""Independent golden values for GoldenValuesTest (numpy/scipy, float64, straight from the formulas).

Input: shape (2, 1, 2, 3), probabilities P (float32 values), labels Y. Run: python3 golden_values.py
"""
import numpy as np
from scipy.ndimage import distance_transform_edt as edt

Y = np.array([[1, 0, 0, 1, 0, 0], [0, 1, 1, 0, 1, 0]], dtype=np.float64)
P = np.array([[0.8, 0.3, 0.1, 0.6, 0.2, 0.4], [0.3, 0.7, 0.9, 0.2, 0.6, 0.35]], dtype=np.float32).astype(np.float64)
EPS = 1e-7
LO, HI = float(np.float32(EPS)), float(np.float32(1) - np.float32(EPS))


def jaccard(y, p, s=1e-7):
    i = (p * y).sum()
    return 1 - (i + s) / (p.sum() + y.sum() - i + s)


def tversky(y, p, a, b, g=1.0, s=1e-7):
    tp = (p * y).sum(); fp = (p * (1 - y)).sum(); fn = ((1 - p) * y).sum()
    return (1 - (tp + s) / (tp + a * fp + b * fn + s)) ** g


def focal(y, p, gamma=2.0, alpha=None):
    pc = np.clip(p, LO, HI)
    bce = -(y * np.log(pc) + (1 - y) * np.log(1 - pc))
    pt = y * p + (1 - y) * (1 - p)
    l = (1 - pt) ** gamma * bce
    if alpha is not None:
        l = (y * alpha + (1 - y) * (1 - alpha)) * l
    return l.mean()


def lovasz(y, z):
    s = 2 * y - 1
    e = 1 - z * s
    order = np.argsort(-e, kind="stable")
    gt = y[order]
    g = gt.sum()
    inter = g - np.cumsum(gt)
    union = g + np.cumsum(1 - gt)
    j = 1 - inter / union
    j[1:] = j[1:] - j[:-1]
    return float(np.dot(np.maximum(e[order], 0), j))


def gdice(y, p, kind, s=1e-5):
    num = 0.0; den = 0.0; ws = []
    for yc, pc in ((1 - y, 1 - p), (y, p)):
        v = yc.sum()
        ws.append(np.inf if v == 0 else {"square": 1 / v ** 2, "simple": 1 / v, "uniform": 1.0}[kind])
    fin = [w for w in ws if np.isfinite(w)]
    ws = [w if np.isfinite(w) else (max(fin) if fin else 1.0) for w in ws]
    for w, (yc, pc) in zip(ws, ((1 - y, 1 - p), (y, p))):
        num += w * (pc * yc).sum(); den += w * (pc + yc).sum()
    return 1 - (2 * num + s) / (den + s)


def dice(y, p, s=1e-7):
    return 1 - (2 * (p * y).sum() + s) / (p.sum() + y.sum() + s)


def mcc(y, p, s=1e-7):
    tp = (p * y).sum() + s; fp = (p * (1 - y)).sum() + s
    fn = ((1 - p) * y).sum() + s; tn = ((1 - p) * (1 - y)).sum() + s
    return 1 - (tp * tn - fp * fn) / np.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn))


def topk(y, p, k):
    pc = np.clip(p, LO, HI)
    v = -(y * np.log(pc) + (1 - y) * np.log(1 - pc))
    n = max(1, int(np.floor(len(v) * k / 100)))
    return np.sort(v)[::-1][:n].mean()


def boundary(y, p, shape):
    m = y.reshape(shape).astype(bool)
    if m.any() and (~m).any():
        phi = edt(~m) * (~m) - (edt(m) - 1) * m
    else:
        phi = np.zeros(shape)
    return (p.reshape(shape) * phi).mean()


logit = lambda q: np.log(q) - np.log1p(-q)
mean = lambda f: np.mean([f(Y[n], P[n]) for n in range(2)])
print("jaccard", float(mean(jaccard)))
print("tversky(alpha=0.3, beta=0.7)", float(mean(lambda y, p: tversky(y, p, 0.3, 0.7))))
print("tversky(alpha=0.7, beta=0.3, gamma=0.75)", float(mean(lambda y, p: tversky(y, p, 0.7, 0.3, 0.75))))
print("focal", float(focal(Y, P)))
print("focal(alpha=0.25)", float(focal(Y, P, alpha=0.25)))
print("lovasz", float(mean(lambda y, p: lovasz(y, logit(np.clip(p, LO, HI))))))
print("lovasz(per_image=false)", float(lovasz(Y.ravel(), logit(np.clip(P.ravel(), LO, HI)))))
for k in ("square", "simple", "uniform"):
    print("gdice(weighting=%s)" % k, float(mean(lambda y, p: gdice(y, p, k))))
print("logcosh_dice", float(mean(lambda y, p: np.log(np.cosh(dice(y, p))))))
print("mcc", float(mean(mcc)))
print("topk(k=50)", float(mean(lambda y, p: topk(y, p, 50))))
print("boundary", float(mean(lambda y, p: boundary(y, p, (2, 3)))))
