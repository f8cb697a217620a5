"""Reference values for src/lib/evaluate/decision-curve.ts: calibration intercept and slope by
group from statsmodels (Logit of the outcome on logit(score); GLM Binomial with logit(score) as
offset for the intercept), and net benefit (Vickers & Elkin 2006) by hand with numpy.

Run from the repository root with Debian's Python (python3-statsmodels):
    /usr/bin/python3 test/golden/decision.py > test/golden/decision.json
"""
import json

import numpy as np
import statsmodels
import statsmodels.api as sm

rs = np.random.RandomState(11)
n = 1200
group = np.where(rs.rand(n) < 0.35, "B", "A")
true_logit = -1.6 + rs.randn(n)
# Group B's outcome runs higher than its score says (miscalibration by group).
y = (rs.rand(n) < 1 / (1 + np.exp(-(true_logit + np.where(group == "B", 0.6, 0.0))))).astype(int)
score = 1 / (1 + np.exp(-(0.8 * true_logit)))
score = np.round(score, 6)

thresholds = [(i + 1) / 100 for i in range(50)]


def net_benefit(yy, ss):
    out = []
    for t in thresholds:
        flag = ss >= t
        tp = np.sum(flag & (yy == 1))
        fp = np.sum(flag & (yy == 0))
        out.append(float(tp / len(yy) - fp / len(yy) * t / (1 - t)))
    prev = yy.mean()
    return out, [float(prev - (1 - prev) * t / (1 - t)) for t in thresholds]


def calibration(yy, ss):
    lp = np.log(ss / (1 - ss))
    slope = sm.Logit(yy, sm.add_constant(lp)).fit(disp=0, tol=1e-12, maxiter=200)
    citl = sm.GLM(yy, np.ones((len(yy), 1)), family=sm.families.Binomial(), offset=lp).fit(tol=1e-12)
    ci_s = slope.conf_int(0.05)
    ci_i = citl.conf_int(0.05)
    return {"slope": [float(slope.params[1]), float(ci_s[1][0]), float(ci_s[1][1])],
            "intercept": [float(citl.params[0]), float(ci_i[0][0]), float(ci_i[0][1])]}


out = {"versions": {"statsmodels": statsmodels.__version__, "numpy": np.__version__},
       "labels": y.tolist(), "scores": score.tolist(), "group": group.tolist(), "thresholds": thresholds, "subsets": {}}
for name, mask in [("all", np.ones(n, bool)), ("A", group == "A"), ("B", group == "B")]:
    model, all_ = net_benefit(y[mask], score[mask])
    out["subsets"][name] = {"netBenefit": model, "flagAll": all_, **calibration(y[mask], score[mask])}
print(json.dumps(out))
