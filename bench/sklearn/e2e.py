"""What an analyst would do instead of Candour's 24k end-to-end run, with pandas and scikit-learn
on the same CSV: read it, split by referral date (last 30% of dates to test), the default
preprocessing of DESIGN.md, logistic regression (C=1) and HistGradientBoostingClassifier, AP and
ROC AUC with a 1000-replicate bootstrap, and the subgroup audit of 4 attributes (per-group AP,
AUC and confusion counts at the top 10%, recomputed in each replicate).

    /usr/bin/python3 bench/sklearn/e2e.py FILE [replicates_to_run=50]

The bootstrap loop is run for `replicates_to_run` replicates and extrapolated linearly to 1000
(printed separately). One JSON line with seconds per step.
"""
import json, sys, time, resource, warnings
import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.pipeline import Pipeline
from sklearn.impute import SimpleImputer
from sklearn.preprocessing import StandardScaler, OneHotEncoder
from sklearn.linear_model import LogisticRegression
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import average_precision_score, roc_auc_score, confusion_matrix
warnings.filterwarnings("ignore")

path = sys.argv[1]
run_b = int(sys.argv[2]) if len(sys.argv) > 2 else 50
groups = ["gender", "ethnicity_group", "disability", "referral_source"]
steps = {}
t_all = time.perf_counter()
t = time.perf_counter()
df = pd.read_csv(path, parse_dates=["referral_date"])
steps["read"] = time.perf_counter() - t

t = time.perf_counter()
y = df["outcome"].to_numpy().astype(int)
cut = df["referral_date"].quantile(0.7)
train, test = (df["referral_date"] < cut).to_numpy(), (df["referral_date"] >= cut).to_numpy()
drop = {"outcome", "child_id", "referral_id", "referral_date", "note"}
num = [c for c in df.columns if c not in drop and pd.api.types.is_numeric_dtype(df[c])]
cat = [c for c in df.columns if c not in drop and c not in num]
X = df[num + cat].copy()
for c in cat:
    X[c] = X[c].astype(object).where(X[c].notna(), "(missing)").astype(str)
pre = ColumnTransformer([
    ("num", Pipeline([("imp", SimpleImputer(strategy="median", add_indicator=True)), ("sc", StandardScaler())]), num),
    ("cat", OneHotEncoder(handle_unknown="ignore"), cat)])
Xtr = pre.fit_transform(X[train]); Xte = pre.transform(X[test])
steps["preprocess"] = time.perf_counter() - t

scores = {}
t = time.perf_counter()
scores["logistic"] = LogisticRegression(C=1.0, max_iter=1000).fit(Xtr, y[train]).predict_proba(Xte)[:, 1]
steps["logistic"] = time.perf_counter() - t
t = time.perf_counter()
dense_tr = Xtr.toarray() if hasattr(Xtr, "toarray") else Xtr
dense_te = Xte.toarray() if hasattr(Xte, "toarray") else Xte
scores["gbdt"] = HistGradientBoostingClassifier(random_state=0).fit(dense_tr, y[train]).predict_proba(dense_te)[:, 1]
steps["gbdt"] = time.perf_counter() - t

yte = y[test]
gte = {g: df.loc[test, g].astype(str).to_numpy() for g in groups}
def metrics(idx, s):
    yy, ss = yte[idx], s[idx]
    out = [average_precision_score(yy, ss), roc_auc_score(yy, ss)]
    thr = np.sort(ss)[::-1][max(1, int(np.ceil(len(ss) * 0.1))) - 1]
    flag = ss >= thr
    for g in groups:
        col = gte[g][idx]
        for level in np.unique(col):
            m = col == level
            if yy[m].min() != yy[m].max():
                out += [average_precision_score(yy[m], ss[m]), roc_auc_score(yy[m], ss[m])]
            out += list(confusion_matrix(yy[m], flag[m], labels=[0, 1]).ravel())
    return out
t = time.perf_counter()
point = {k: metrics(np.arange(len(yte)), s)[:2] for k, s in scores.items()}
steps["pointMetrics"] = time.perf_counter() - t
rng = np.random.default_rng(1)
t = time.perf_counter()
for _ in range(run_b):
    idx = rng.integers(0, len(yte), len(yte))
    for s in scores.values():
        metrics(idx, s)
boot = time.perf_counter() - t
steps["bootstrapMeasured"] = boot
steps["bootstrap1000Extrapolated"] = boot / run_b * 1000
measured = time.perf_counter() - t_all
print(json.dumps({"rows": int(len(df)), "trainRows": int(train.sum()), "testRows": int(test.sum()), "features": int(Xtr.shape[1]),
                  "replicatesRun": run_b, "steps": steps, "secondsMeasured": measured,
                  "secondsExtrapolated": measured - boot + steps["bootstrap1000Extrapolated"],
                  "ap": {k: v[0] for k, v in point.items()}, "auc": {k: v[1] for k, v in point.items()},
                  "peakGB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e9}))
