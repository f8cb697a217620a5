"""Reference for test/models/logistic-bench.test.ts: LogisticRegression(C=1) at the size and shape of
bench/train.bench.ts (24,000 rows, 150 columns: 20 roughly normal numbers, 130 binary columns of
rates 0.05-0.35; the first 70% train), so the fast path the benchmark times is checked against
scikit-learn at the optimum, not only on small fixtures.

Run with Debian's Python (which has scikit-learn):  /usr/bin/python3 test/golden/logistic-bench.py
Writes test/golden/logistic-bench.json next to this script.

The design comes from a 32-bit linear congruential generator that the test reproduces exactly:
u = s / 2^32, s <- (1664525 s + 1013904223) mod 2^32; a "normal" is the sum of 12 such u minus 6
(exact in double precision, so both sides get the same bits). Only the label draw goes through
exp(); the golden records checksums of the design and labels so the test can tell a different
design from a different fit.
"""
import json
import os

import numpy as np
import sklearn
from sklearn.linear_model import LogisticRegression

from models import hessian_se, newton_optimum

HERE = os.path.dirname(os.path.abspath(__file__))
N, P, N_NUM, SEED = 24000, 150, 20, 20
N_TRAIN = 16800


def design():
    s = SEED

    def nxt():
        nonlocal s
        s = (1664525 * s + 1013904223) % 4294967296
        return s / 4294967296

    def normal():
        t = 0.0
        for _ in range(12):
            t += nxt()
        return t - 6

    beta = [0.4 * normal() if j < N_NUM else 0.6 * normal() for j in range(P)]
    rate = [0.05 + 0.3 * nxt() for _ in range(P)]
    X = np.zeros((N, P))
    y = np.zeros(N, dtype=int)
    for i in range(N):
        z = -2.2
        row = X[i]
        for j in range(P):
            v = normal() if j < N_NUM else (1.0 if nxt() < rate[j] else 0.0)
            row[j] = v
            z += beta[j] * v
        y[i] = 1 if nxt() < 1 / (1 + np.exp(-z)) else 0
    return X, y


def main():
    X, y = design()
    Xtr, ytr = X[:N_TRAIN], y[:N_TRAIN]
    exact = LogisticRegression(C=1.0, solver="newton-cg", tol=1e-8, max_iter=1000).fit(Xtr, ytr)
    th = newton_optimum(Xtr, ytr, 1.0)
    gap = max(np.abs(exact.coef_[0] - th[:-1]).max(), abs(exact.intercept_[0] - th[-1]))
    assert gap < 1e-7, gap
    default = LogisticRegression(C=1.0, max_iter=1000).fit(Xtr, ytr)
    out = {
        "about": "LogisticRegression(C=1) on the bench-shaped design; see logistic-bench.py",
        "sklearn": sklearn.__version__,
        "n": N,
        "p": P,
        "nNumeric": N_NUM,
        "seed": SEED,
        "nTrain": N_TRAIN,
        "checks": {
            "positives": int(y.sum()),
            "ones": int(X[:, N_NUM:].sum()),
            "sumNumeric": float(X[:, :N_NUM].sum()),
        },
        # The optimum: Newton in numpy (newton-cg with tol 1e-8 agrees within 1e-7).
        "coef": th[:-1].tolist(),
        "intercept": float(th[-1]),
        "se": hessian_se(Xtr, th[:-1], th[-1], 1.0).tolist(),
        # The default solver (lbfgs, tol 1e-4), which the benchmark times: close, not at the optimum.
        "coefDefault": default.coef_[0].tolist(),
        "interceptDefault": float(default.intercept_[0]),
        "nIterDefault": int(default.n_iter_[0]),
    }
    with open(os.path.join(HERE, "logistic-bench.json"), "w") as f:
        json.dump(out, f)
        f.write("\n")


if __name__ == "__main__":
    main()
