"""Reference values for src/lib/evaluate/intervals.ts from statsmodels and scipy.

Run from the repository root with Debian's Python (python3-statsmodels, python3-scipy):
    /usr/bin/python3 test/golden/intervals.py > test/golden/intervals.json
Clopper-Pearson and Wilson: statsmodels.stats.proportion.proportion_confint (method "beta",
"wilson"). Katz log ratio: by hand from its formula (0.5 added to a zero count and its
denominator), as statsmodels has no such helper for two independent proportions.
"""
import json
import math

import scipy
import statsmodels
from scipy.stats import norm
from statsmodels.stats.proportion import proportion_confint

z = norm.ppf(0.975)
cases = [(0, 1), (1, 1), (0, 3), (1, 3), (2, 3), (3, 3), (0, 10), (1, 10), (5, 10), (9, 10), (10, 10),
         (3, 30), (17, 30), (0, 100), (7, 100), (50, 100), (99, 100), (123, 4567), (2.5, 7.5)]
props = []
for x, n in cases:
    cp = proportion_confint(x, n, alpha=0.05, method="beta")
    wi = proportion_confint(x, n, alpha=0.05, method="wilson")
    cp = [0.0 if (x == 0) else float(cp[0]), 1.0 if x == n else float(cp[1])]
    props.append({"x": x, "n": n, "clopperPearson": cp, "wilson": [float(wi[0]), float(wi[1])]})


def katz(x1, d1, x2, d2):
    if x1 == 0:
        x1, d1 = 0.5, d1 + 0.5
    if x2 == 0:
        x2, d2 = 0.5, d2 + 0.5
    lr = math.log(x1 / d1) - math.log(x2 / d2)
    se = math.sqrt(1 / x1 - 1 / d1 + 1 / x2 - 1 / d2)
    return [math.exp(lr - z * se), math.exp(lr + z * se)]


ratios = []
for x1, d1, x2, d2 in [(3, 10, 30, 100), (0, 12, 20, 200), (12, 12, 50, 100), (40, 400, 20, 400), (1, 3, 5, 90)]:
    ratios.append({"x1": x1, "d1": d1, "x2": x2, "d2": d2, "katz": katz(x1, d1, x2, d2)})

print(json.dumps({"versions": {"scipy": scipy.__version__, "statsmodels": statsmodels.__version__},
                  "proportions": props, "ratios": ratios}, indent=1))
