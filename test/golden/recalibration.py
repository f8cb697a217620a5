"""Reference values for src/lib/external/recalibration.ts: calibration-in-the-large and slope.

Run from the repository root with Debian's Python (it has scikit-learn and SciPy):
    /usr/bin/python3 test/golden/recalibration.py > test/golden/recalibration.json
Both are SciPy's exact-Hessian trust-region minimiser of the logistic log-likelihood (the slope fit
of y on [1, logit(score)]; the intercept with logit(score) as an offset), checked against
scikit-learn's unpenalised LogisticRegression (to its lbfgs tolerance, about 1e-6). Standard errors come from the inverse of the observed information at the optimum.
"""
import json

import numpy as np
import scipy
import sklearn
from scipy.optimize import minimize, minimize_scalar
from sklearn.linear_model import LogisticRegression

rs = np.random.RandomState(11)
cases = []
for n, shift, stretch in [(400, 0.8, 0.7), (1500, -0.5, 1.3), (60, 0.0, 1.0)]:
    z = rs.normal(-1.5, 1.2, n)
    p_true = 1 / (1 + np.exp(-(shift + stretch * z)))
    y = (rs.uniform(size=n) < p_true).astype(int)
    score = 1 / (1 + np.exp(-z))
    lp = np.log(score / (1 - score))
    X = np.column_stack([np.ones(n), lp])

    def f(t):
        e = X @ t
        return np.sum(np.logaddexp(0, e) - y * e)

    def g(t):
        return X.T @ (1 / (1 + np.exp(-(X @ t))) - y)

    def h(t):
        q = 1 / (1 + np.exp(-(X @ t)))
        return (X * (q * (1 - q))[:, None]).T @ X

    a, b = (float(v) for v in minimize(f, np.array([0.0, 1.0]), jac=g, hess=h, method="trust-exact", options={"gtol": 1e-12}).x)
    m = LogisticRegression(penalty=None, tol=1e-12, max_iter=10000).fit(lp.reshape(-1, 1), y)
    assert abs(m.coef_[0, 0] - b) < 1e-5 and abs(m.intercept_[0] - a) < 1e-5
    p = 1 / (1 + np.exp(-(a + b * lp)))
    w = p * (1 - p)
    H = np.array([[w.sum(), (w * lp).sum()], [(w * lp).sum(), (w * lp * lp).sum()]])
    cov = np.linalg.inv(H)

    def nll(c):
        t = c + lp
        return np.sum(np.logaddexp(0, t) - y * t)

    c = float(minimize_scalar(nll, bracket=(-3, 3), tol=1e-14).x)
    pc = 1 / (1 + np.exp(-(c + lp)))
    se_c = float(1 / np.sqrt((pc * (1 - pc)).sum()))
    cases.append({
        "y": y.tolist(), "score": score.tolist(),
        "slope": b, "slopeIntercept": a, "slopeSe": float(np.sqrt(cov[1, 1])), "slopeInterceptSe": float(np.sqrt(cov[0, 0])),
        "citl": c, "citlSe": se_c,
    })
print(json.dumps({"versions": {"numpy": np.__version__, "scipy": scipy.__version__, "sklearn": sklearn.__version__}, "cases": cases}))
