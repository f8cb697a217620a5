"""Reference values for src/lib/evaluate from scikit-learn.

Run from the repository root with Debian's Python (it has scikit-learn):
    /usr/bin/python3 test/golden/metrics.py > test/golden/metrics.json
Inputs are fixed (seeded) so the JSON is reproducible; the versions are recorded in it.
"""
import json
import math
import warnings

import numpy as np
import os
import pandas as pd
import sklearn
from sklearn.calibration import calibration_curve
from sklearn.metrics import (average_precision_score, brier_score_loss, confusion_matrix, log_loss,
                             precision_recall_curve, roc_auc_score, roc_curve)

warnings.simplefilter("ignore")
rs = np.random.RandomState(7)


def case(name, y, s, w=None):
    return {"name": name, "labels": [int(v) for v in y], "scores": [float(v) for v in s],
            "weights": None if w is None else [float(v) for v in w]}


n = 200
y_rand = (rs.rand(n) < 0.3).astype(int)
s_rand = np.clip(0.3 * y_rand + rs.rand(n) * 0.7, 0, 1)
y_ties = (rs.rand(120) < 0.25).astype(int)
s_ties = np.round(np.clip(0.2 * y_ties + rs.rand(120) * 0.8, 0, 1), 1)
cases = [
    case("sklearn docs example", [0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]),
    case("random continuous", y_rand, s_rand),
    case("heavy ties (one decimal)", y_ties, s_ties),
    case("deciles with ties", (rs.rand(60) < 0.4).astype(int), rs.randint(1, 11, 60)),
    case("all negative", [0] * 8, [0.1, 0.9, 0.3, 0.3, 0.5, 0.7, 0.2, 0.6]),
    case("all positive", [1] * 5, [0.2, 0.4, 0.4, 0.8, 0.1]),
    case("single positive", [0, 0, 0, 1, 0, 0, 0], [0.3, 0.2, 0.9, 0.5, 0.5, 0.1, 0.4]),
    case("constant scores", [0, 1, 0, 1, 1, 0], [0.5] * 6),
    case("scores at 0 and 1", [0, 1, 1, 0, 1, 0], [0.0, 1.0, 0.0, 1.0, 0.7, 0.2]),
    case("weighted multiplicities", y_ties[:40], s_ties[:40], rs.randint(0, 4, 40)),
    case("weighted fractional", y_rand[:50], s_rand[:50], rs.rand(50) * 3),
]


def fin(x):
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)


def arr(a):
    return [None if math.isnan(v) else float(v) for v in np.asarray(a, dtype=float)]


def try_(f):
    try:
        return fin(f())
    except ValueError as e:
        return {"error": str(e)}


def confusion(y, flagged):
    tn, fp, fn, tp = confusion_matrix(y, flagged.astype(int), labels=[0, 1]).ravel()
    return {"tp": int(tp), "fp": int(fp), "fn": int(fn), "tn": int(tn)}


def top_k(y, s, k):
    n_target = max(1, math.ceil(len(s) * k / 100))
    t = float(np.sort(s)[::-1][n_target - 1])
    out = confusion(y, s >= t)
    out.update({"topPct": k, "nTarget": n_target, "threshold": t})
    return out


def ece(y, s, n_bins):
    bins = np.linspace(0.0, 1.0, n_bins + 1)
    ids = np.searchsorted(bins[1:-1], s)
    tot = np.bincount(ids, minlength=n_bins)
    true = np.bincount(ids, weights=y, minlength=n_bins)
    pred = np.bincount(ids, weights=s, minlength=n_bins)
    nz = tot > 0
    return float(np.sum(tot[nz] / len(s) * np.abs(true[nz] / tot[nz] - pred[nz] / tot[nz])))


out = {"generator": "test/golden/metrics.py", "sklearn": sklearn.__version__, "numpy": np.__version__, "cases": []}
for c in cases:
    y = np.array(c["labels"])
    s = np.array(c["scores"], dtype=float)
    w = None if c["weights"] is None else np.array(c["weights"])
    r = dict(c)
    r["averagePrecision"] = try_(lambda: average_precision_score(y, s, sample_weight=w))
    r["rocAuc"] = try_(lambda: roc_auc_score(y, s, sample_weight=w))
    r["brier"] = try_(lambda: brier_score_loss(y, s, sample_weight=w))
    r["logLoss"] = try_(lambda: log_loss(y, s, sample_weight=w, labels=[0, 1]))
    if w is None:
        p, rc, t = precision_recall_curve(y, s)
        r["pr"] = {"precision": arr(p), "recall": arr(rc), "thresholds": arr(t)}
        fpr, tpr, t = roc_curve(y, s)
        r["roc"] = {"fpr": arr(fpr), "tpr": arr(tpr), "thresholds": arr(t)}
        thresholds = sorted(set([0.5, float(np.median(s)), float(s[0])]))
        r["atThreshold"] = [dict(threshold=t, **confusion(y, s >= t)) for t in thresholds]
        r["topK"] = [top_k(y, s, k) for k in [0.5, 10, 25, 33.3, 50, 100]]
        r["calibration"] = []
        if s.min() >= 0 and s.max() <= 1 and len(np.unique(y)) <= 2:
            for nb in [10, 5]:
                pt, pp = calibration_curve(y, s, n_bins=nb, strategy="uniform")
                r["calibration"].append({"nBins": nb, "probTrue": arr(pt), "probPred": arr(pp), "ece": ece(y, s, nb)})
    out["cases"].append(r)

# Real data: ProPublica's COMPAS extract (../shared/data relative to the repository root),
# the decile score against two-year recidivism, overall and by race.
compas = pd.read_csv(os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "data", "compas", "compas_all.csv"))
real = []
for race, g in [("all", compas)] + [(r, compas[compas.race == r]) for r in sorted(compas.race.unique())]:
    y = g.two_year_recid.to_numpy()
    s = g.decile_score.to_numpy().astype(float)
    item = {"race": race, "n": int(len(g)), "averagePrecision": float(average_precision_score(y, s))}
    item["rocAuc"] = try_(lambda: roc_auc_score(y, s))
    item["atThreshold5"] = confusion(y, s >= 5)
    item["topK"] = [top_k(y, s, k) for k in [10, 30]]
    real.append(item)
out["compas"] = {"file": "../shared/data/compas/compas_all.csv", "score": "decile_score", "outcome": "two_year_recid", "groups": real}

print(json.dumps(out, indent=1))
