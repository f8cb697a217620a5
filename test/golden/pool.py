"""Reference values for src/lib/bundle/pool.ts (random-effects meta-analysis).

Run with Debian's Python (numpy, scipy):  /usr/bin/python3 test/golden/pool.py > test/golden/pool.json
Independent of the TypeScript: REML tau^2 here maximises the restricted log-likelihood
numerically (scipy.optimize), quantiles come from scipy.stats.
"""
import json, math, sys
import numpy as np, scipy
from scipy import stats, optimize

Z = stats.norm.ppf(0.975)

def logit(p):
    return math.log(p / (1 - p))

def reml_tau2(y, v):
    def nll(t2):
        w = 1 / (v + t2)
        mu = np.sum(w * y) / np.sum(w)
        return 0.5 * (np.sum(np.log(v + t2)) + math.log(np.sum(w)) + np.sum(w * (y - mu) ** 2))
    r = optimize.minimize_scalar(nll, bounds=(0, 20), method="bounded", options={"xatol": 1e-13, "maxiter": 10000})
    # The bounded search cannot land exactly on 0; take 0 when it is no worse.
    return 0.0 if nll(0.0) <= r.fun else float(r.x)

def pool(y, se, method, hk):
    y, v = np.asarray(y, float), np.asarray(se, float) ** 2
    k = len(y)
    w0 = 1 / v
    mu0 = np.sum(w0 * y) / np.sum(w0)
    q = float(np.sum(w0 * (y - mu0) ** 2))
    df = k - 1
    tau2 = max(0.0, (q - df) / (np.sum(w0) - np.sum(w0 ** 2) / np.sum(w0)))
    if method == "REML":
        tau2 = reml_tau2(y, v)
    w = 1 / (v + tau2)
    mu = float(np.sum(w * y) / np.sum(w))
    s = math.sqrt(1 / np.sum(w))
    crit = Z
    if hk:
        s = math.sqrt(np.sum(w * (y - mu) ** 2) / ((k - 1) * np.sum(w)))
        crit = stats.t.ppf(0.975, k - 1)
    out = dict(estimate=mu, se=s, lo=mu - crit * s, hi=mu + crit * s, tau2=float(tau2), q=q, df=df,
               pQ=float(stats.chi2.sf(q, df)), i2=max(0.0, (q - df) / q) * 100 if q > 0 else 0.0,
               weights=list(map(float, w / np.sum(w))))
    if k >= 3:
        half = stats.t.ppf(0.975, k - 2) * math.sqrt(tau2 + s * s)
        out.update(predictionLo=mu - half, predictionHi=mu + half)
    else:
        out.update(predictionLo=None, predictionHi=None)
    return out

# BCG vaccine trials (Colditz et al. 1994), log risk ratios, as in metafor's dat.bcg.
bcg = [(4, 119, 11, 128), (6, 300, 29, 274), (3, 228, 11, 209), (62, 13536, 248, 12619), (33, 5036, 47, 5761),
       (180, 1361, 372, 1079), (8, 2537, 10, 619), (505, 87886, 499, 87892), (29, 7470, 45, 7232),
       (17, 1699, 65, 1600), (186, 50448, 141, 27197), (5, 2493, 3, 2338), (27, 16886, 29, 17825)]
bcg_y = [math.log((a / (a + b)) / (c / (c + d))) for a, b, c, d in bcg]
bcg_se = [math.sqrt(1 / a - 1 / (a + b) + 1 / c - 1 / (c + d)) for a, b, c, d in bcg]

# Average precision of one model in five councils: value and 95% bootstrap interval.
ap = [(0.41, 0.35, 0.47), (0.33, 0.24, 0.43), (0.52, 0.44, 0.60), (0.38, 0.30, 0.46), (0.29, 0.21, 0.38)]
ap_y = [logit(v) for v, lo, hi in ap]
ap_se = [(logit(hi) - logit(lo)) / (2 * Z) for v, lo, hi in ap]

# Precision at the operating point in four councils: tp, nFlagged (homogeneous: tau^2 = 0 under DL).
prec = [(40, 100), (85, 200), (21, 50), (130, 300)]
prec_y = [logit(tp / n) for tp, n in prec]
prec_se = [1 / math.sqrt(n * (tp / n) * (1 - tp / n)) for tp, n in prec]

cases = {}
for name, y, se in [("bcg", bcg_y, bcg_se), ("ap", ap_y, ap_se), ("precision", prec_y, prec_se)]:
    cases[name] = {"y": y, "se": se}
    for method in ("DL", "REML"):
        for hk in (False, True):
            cases[name][f"{method}{'-HK' if hk else ''}"] = pool(y, se, method, hk)

json.dump({"generator": "test/golden/pool.py", "numpy": np.__version__, "scipy": scipy.__version__,
           "python": sys.version.split()[0], "ap": ap, "precision": prec, "cases": cases}, sys.stdout, indent=1)
print()
