"""Reference values for the subgroup audit: per-group metrics computed independently by
scikit-learn on each subset, at the global operating points (a threshold, and the top-K%
cut computed on all cases). Writes test/golden/fairness.json.

Run from the repository root:  /usr/bin/python3 test/golden/fairness.py
"""
import json
import math
import os

import numpy as np
import sklearn
from sklearn.metrics import average_precision_score, confusion_matrix, roc_auc_score

rng = np.random.default_rng(20240601)
n = 400
groups = rng.choice(['A', 'B', 'C', 'D'], size=n, p=[0.5, 0.3, 0.15, 0.05])
sex = rng.choice(['F', 'M'], size=n)
base = {'A': 0.25, 'B': 0.35, 'C': 0.2, 'D': 0.0}
labels = np.array([rng.random() < base[g] for g in groups], dtype=int)
# Scores rounded to 2 decimals so there are ties; informative but noisy.
scores = np.round(np.clip(0.3 * labels + rng.normal(0.35, 0.2, size=n), 0, 1), 2)
threshold = 0.5
top_pct = 20
n_target = max(1, math.ceil(n * top_pct / 100))
top_threshold = float(np.sort(scores)[::-1][n_target - 1])


def rate(a, b):
    return None if b == 0 else a / b


def op(y, s, t):
    pred = (s >= t).astype(int)
    tn, fp, fn, tp = confusion_matrix(y, pred, labels=[0, 1]).ravel()
    tp, fp, fn, tn = int(tp), int(fp), int(fn), int(tn)
    return {
        'tp': tp, 'fp': fp, 'fn': fn, 'tn': tn, 'nFlagged': tp + fp,
        'precision': rate(tp, tp + fp), 'recall': rate(tp, tp + fn), 'fpr': rate(fp, fp + tn),
        'fnr': rate(fn, tp + fn), 'flaggedRate': rate(tp + fp, len(y)), 'falseOmissionRate': rate(fn, fn + tn),
    }


def subset(attribute, values):
    out = []
    for g in dict.fromkeys(values):  # first-seen order
        m = values == g
        y, s = labels[m], scores[m]
        both = len(set(y.tolist())) == 2
        out.append({
            'attribute': attribute, 'group': str(g), 'n': int(m.sum()), 'positives': int(y.sum()),
            'averagePrecision': float(average_precision_score(y, s)) if y.sum() > 0 else None,
            'rocAuc': float(roc_auc_score(y, s)) if both else None,
            'meanScore': float(s.mean()),
            'atThreshold': op(y, s, threshold), 'topK': op(y, s, top_threshold),
        })
    return out


result = {
    'sklearn': sklearn.__version__,
    'threshold': threshold, 'topPct': top_pct, 'topThreshold': top_threshold, 'nTarget': n_target,
    'labels': labels.tolist(), 'scores': scores.tolist(), 'group': groups.tolist(), 'sex': sex.tolist(),
    'subgroups': subset('group', groups) + subset('sex', sex),
}
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'fairness.json'), 'w') as f:
    json.dump(result, f)
    f.write('\n')
print({s['group']: (s['n'], s['positives']) for s in result['subgroups']})
