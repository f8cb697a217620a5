"""scikit-learn doing what bench/audit.bench.ts times: on the same CSV, AP, ROC AUC and Brier
overall; per group of 4 attributes the same metrics plus confusion counts at threshold 0.5; and a
bootstrap over children (cluster resampling by child_id) recomputing all of it per replicate.

    /usr/bin/python3 bench/sklearn/audit.py FILE REPLICATES_TO_RUN [REPLICATES_TARGET=1000]

A scikit-learn loop of 1000 replicates takes minutes at 24k and hours at 1M rows, so it runs
REPLICATES_TO_RUN replicates and extrapolates linearly to REPLICATES_TARGET (the per-replicate
cost is constant); both the measured and the extrapolated seconds are printed (one JSON line).
"""
import json, sys, time, resource
import numpy as np
import pandas as pd
from sklearn.metrics import average_precision_score, roc_auc_score, brier_score_loss, confusion_matrix

path, run_b = sys.argv[1], int(sys.argv[2])
target_b = int(sys.argv[3]) if len(sys.argv) > 3 else 1000
groups = ["gender", "ethnicity_group", "disability", "age_band"]
df = pd.read_csv(path, keep_default_na=False, dtype={g: str for g in groups})
y = df["outcome"].to_numpy()
s = df["score"].to_numpy()
codes, child = np.unique(df["child_id"].to_numpy(), return_inverse=True)
gcols = {g: df[g].to_numpy() for g in groups}

def metrics(idx):
    yy, ss = y[idx], s[idx]
    out = [average_precision_score(yy, ss), roc_auc_score(yy, ss), brier_score_loss(yy, ss)]
    flag = ss >= 0.5
    for g in groups:
        col = gcols[g][idx]
        for level in np.unique(col):
            m = col == level
            yg, sg = yy[m], ss[m]
            if yg.min() != yg.max():
                out += [average_precision_score(yg, sg), roc_auc_score(yg, sg)]
            out += list(confusion_matrix(yg, flag[m], labels=[0, 1]).ravel())
    return out

t0 = time.perf_counter()
point = metrics(np.arange(len(y)))
t_point = time.perf_counter() - t0
rng = np.random.default_rng(1)
# Cluster bootstrap: draw children with replacement, take all their rows.
order = np.argsort(child, kind="stable")
starts = np.searchsorted(child[order], np.arange(len(codes)))
ends = np.append(starts[1:], len(y))
t1 = time.perf_counter()
for _ in range(run_b):
    pick = rng.integers(0, len(codes), len(codes))
    lens = (ends - starts)[pick]
    offsets = np.arange(lens.sum()) - np.repeat(np.cumsum(lens) - lens, lens)
    idx = order[np.repeat(starts[pick], lens) + offsets]
    metrics(idx)
t_boot = time.perf_counter() - t1
print(json.dumps({"rows": int(len(y)), "pointSeconds": t_point, "replicatesRun": run_b, "bootstrapSeconds": t_boot,
                  "secondsMeasured": t_point + t_boot,
                  "secondsExtrapolated": t_point + t_boot / max(run_b, 1) * target_b, "replicatesTarget": target_b,
                  "averagePrecision": point[0], "rocAuc": point[1],
                  "peakGB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e9}))
