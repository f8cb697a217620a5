#!/usr/bin/python3
"""Reference numbers for the gradient-boosted trees (test/models/gbdt.test.ts).

Run from the repository root with Debian's Python (which has scikit-learn):
    /usr/bin/python3 test/golden/gbdt.py
Writes test/golden/gbdt.json.

1. Adult (../shared/data/adult/adult.csv, official split): design = the five numeric columns
   raw, then one-hot of each categorical column with levels sorted as strings, taken from the
   training rows ('?' is a level; unseen test levels give all zeros). The test builds the same
   design independently. HistGradientBoostingClassifier() defaults; random_state only fixes
   the early-stopping split. Test average precision for several seeds.
2. A seeded synthetic problem with missing values where routing matters (x0 is missing more
   often when it is high). The design itself is stored (rounded to 4 decimals) so that both
   sides fit on identical numbers; with 6,000 training rows early stopping is off and the fit
   is deterministic, so predictions can be compared one by one. Also the AP after random
   imputation (missingness made uninformative), and the bin thresholds of one continuous column.
"""
import json
import os

import numpy as np
import pandas as pd
import sklearn
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.ensemble._hist_gradient_boosting.binning import _BinMapper
from sklearn.metrics import average_precision_score

HERE = os.path.dirname(os.path.abspath(__file__))
ADULT = os.path.join(HERE, "..", "..", "..", "shared", "data", "adult", "adult.csv")
NUMERIC = ["age", "education_num", "capital_gain", "capital_loss", "hours_per_week"]
CATEGORICAL = ["workclass", "marital_status", "occupation", "relationship", "race", "sex", "native_country"]
OUTCOME = "income_gt_50k"


def adult_design():
    d = pd.read_csv(ADULT, dtype={c: str for c in CATEGORICAL}, keep_default_na=False)
    train = d[d["split"] == "train"]
    test = d[d["split"] == "test"]

    def encode(part, levels):
        cols = [part[c].to_numpy(dtype=float) for c in NUMERIC]
        for c in CATEGORICAL:
            v = part[c].to_numpy()
            for level in levels[c]:
                cols.append((v == level).astype(float))
        return np.column_stack(cols)

    levels = {c: sorted(set(train[c])) for c in CATEGORICAL}
    return (encode(train, levels), train[OUTCOME].to_numpy(), encode(test, levels), test[OUTCOME].to_numpy())


def synthetic():
    r = np.random.default_rng(20240611)
    n = 10000
    x0 = r.normal(size=n)
    x1 = r.uniform(-2, 2, size=n)
    x2 = (r.uniform(size=n) < 0.4).astype(float)
    x3 = r.integers(0, 10, size=n).astype(float)
    x4 = r.normal(size=n)
    x5 = r.normal(size=n)
    logit = -1.0 + 1.6 * x0 + 0.9 * (x1 ** 2 - 1.3) + 0.8 * x2 + 0.15 * (x3 - 4.5)
    y = (r.uniform(size=n) < 1 / (1 + np.exp(-logit))).astype(int)
    # Missing not at random: high x0 is hidden far more often, so missing x0 means high risk.
    hide0 = r.uniform(size=n) < np.where(x0 > 0.8, 0.6, 0.05)
    x0[hide0] = np.nan
    x1[r.uniform(size=n) < 0.1] = np.nan
    x5[r.uniform(size=n) < 0.2] = np.nan
    X = np.round(np.column_stack([x0, x1, x2, x3, x4, x5]), 4)
    return X[:6000], y[:6000], X[6000:], y[6000:]


def main():
    out = {"sklearn": sklearn.__version__, "numpy": np.__version__}

    Xtr, ytr, Xte, yte = adult_design()
    aps, iters = [], []
    for seed in range(5):
        m = HistGradientBoostingClassifier(random_state=seed).fit(Xtr, ytr)
        aps.append(float(average_precision_score(yte, m.predict_proba(Xte)[:, 1])))
        iters.append(int(m.n_iter_))
    out["adult"] = {
        "features": int(Xtr.shape[1]),
        "trainRows": int(Xtr.shape[0]),
        "testRows": int(Xte.shape[0]),
        "testAveragePrecision": aps,
        "iterations": iters,
    }

    Xtr, ytr, Xte, yte = synthetic()
    m = HistGradientBoostingClassifier().fit(Xtr, ytr)
    proba = m.predict_proba(Xte)[:, 1]
    # Ablation: fill each missing value with a random observed value of its column, which
    # keeps the marginal distribution but removes what missingness says about the outcome.
    fr = np.random.default_rng(7)

    def fill(X):
        X = X.copy()
        for j in range(X.shape[1]):
            miss = np.isnan(X[:, j])
            X[miss, j] = fr.choice(Xtr[~np.isnan(Xtr[:, j]), j], size=int(miss.sum()))
        return X

    m_imp = HistGradientBoostingClassifier().fit(fill(Xtr), ytr)
    mapper = _BinMapper(n_bins=256).fit(Xtr)
    out["synthetic"] = {
        "p": int(Xtr.shape[1]),
        "trainX": [None if np.isnan(v) else float(v) for v in Xtr.ravel()],
        "trainY": ytr.tolist(),
        "testX": [None if np.isnan(v) else float(v) for v in Xte.ravel()],
        "testY": yte.tolist(),
        "iterations": int(m.n_iter_),
        "testAveragePrecision": float(average_precision_score(yte, proba)),
        "testAveragePrecisionRandomImputed": float(average_precision_score(yte, m_imp.predict_proba(fill(Xte))[:, 1])),
        "testProba": [float(v) for v in proba],
        "binThresholdsX4": [float(v) for v in mapper.bin_thresholds_[4]],
        "binThresholdsX3": [float(v) for v in mapper.bin_thresholds_[3]],
    }
    with open(os.path.join(HERE, "gbdt.json"), "w") as f:
        json.dump(out, f, separators=(",", ":"))


if __name__ == "__main__":
    main()
