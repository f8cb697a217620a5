"""Reference values for test/features and test/models, from scikit-learn.

Run with Debian's Python (which has scikit-learn):  /usr/bin/python3 test/golden/models.py
Writes test/golden/models.json next to this script.

Contents:
  preprocess  a mixed fixture (numbers with missing, a constant column, a column missing only in
              training, categories with missing, unseen levels at transform time) and the output of
              DESIGN.md's ColumnTransformer on it, fitted on the training rows.
  text        HashingVectorizer(1-2 grams, 2**16, signed) + TfidfTransformer on a few documents.
  synthetic   a seeded synthetic table, the design, and LogisticRegression(C=1) on it.
  adult       ../shared/data/adult/adult.csv: the first 10,000 official training rows and all official
              test rows; LogisticRegression(C=1) coefficients, standard errors and test AP.
For logistic regression: `apDefault`/`coefDefault` from LogisticRegression(C=1.0, max_iter=1000)
(lbfgs), `coef`/`intercept`/`apExact` from LogisticRegression(C=1.0, solver="newton-cg", tol=1e-8),
checked against a Newton solve in numpy; `se` = sqrt(diag(H^-1)) at that optimum.
"""
import json
import os
import sys

import numpy as np
import pandas as pd
import sklearn
from sklearn.compose import ColumnTransformer
from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
ADULT = os.path.join(ROOT, "..", "shared", "data", "adult", "adult.csv")


def nan_to_none(a):
    return [None if (isinstance(v, float) and np.isnan(v)) else v for v in a]


def preprocessor(numeric, categorical):
    return ColumnTransformer(
        [
            ("num", Pipeline([("impute", SimpleImputer(strategy="median", add_indicator=True)), ("scale", StandardScaler())]), numeric),
            ("cat", OneHotEncoder(handle_unknown="ignore"), categorical),
        ],
        sparse_threshold=0,
    )


def frame_for_sklearn(df, categorical):
    # Missing categories become NaN in an object column: OneHotEncoder then treats them as a level sorted last.
    out = df.copy()
    for c in categorical:
        out[c] = out[c].astype(object).where(out[c].notna(), np.nan)
    return out


def hessian_se(X, w, b, C):
    Xb = np.hstack([X, np.ones((X.shape[0], 1))])
    coef = np.concatenate([w, [b]])
    p = 1 / (1 + np.exp(-(Xb @ coef)))
    H = Xb.T @ (Xb * (p * (1 - p))[:, None])
    H[np.arange(X.shape[1]), np.arange(X.shape[1])] += 1 / C
    cov = np.linalg.inv(H)
    return np.sqrt(np.diag(cov))


def newton_optimum(X, y, C):
    """The exact optimum of sum log-loss + ||w||^2/(2C) (intercept unpenalised), by Newton's method."""
    Xb = np.hstack([X, np.ones((X.shape[0], 1))])
    th = np.zeros(Xb.shape[1])
    pen = np.full(Xb.shape[1], 1 / C)
    pen[-1] = 0
    for _ in range(50):
        p = 1 / (1 + np.exp(-(Xb @ th)))
        g = Xb.T @ (p - y) + pen * th
        if np.abs(g).max() < 1e-11:
            break
        H = Xb.T @ (Xb * (p * (1 - p))[:, None]) + np.diag(pen)
        th -= np.linalg.solve(H, g)
    return th


def fit_logistic(X_train, y_train, X_test, y_test):
    # The default solver (lbfgs) stops on a relative objective change of 64 eps, which leaves its
    # coefficients up to ~4e-3 from the optimum along the weakly curved one-hot/intercept
    # directions. newton-cg with a tight tol reaches the optimum; Newton in numpy confirms it.
    default = LogisticRegression(C=1.0, max_iter=1000).fit(X_train, y_train)
    exact = LogisticRegression(C=1.0, solver="newton-cg", tol=1e-8, max_iter=1000).fit(X_train, y_train)
    th = newton_optimum(X_train, y_train, 1.0)
    assert np.abs(exact.coef_[0] - th[:-1]).max() < 1e-7, np.abs(exact.coef_[0] - th[:-1]).max()
    se = hessian_se(X_train, exact.coef_[0], exact.intercept_[0], 1.0)
    return {
        "apDefault": float(average_precision_score(y_test, default.predict_proba(X_test)[:, 1])),
        "apExact": float(average_precision_score(y_test, exact.predict_proba(X_test)[:, 1])),
        "coef": exact.coef_[0].tolist(),
        "intercept": float(exact.intercept_[0]),
        "se": se.tolist(),
        "coefDefault": default.coef_[0].tolist(),
        "interceptDefault": float(default.intercept_[0]),
    }


def preprocess_fixture():
    r = np.random.default_rng(20240601)
    n, n_train = 400, 300
    a = r.normal(10, 3, n).round(3)
    a[r.random(n) < 0.15] = np.nan
    b = r.integers(0, 10, n).astype(float)
    b[n_train:][r.random(n - n_train) < 0.3] = np.nan  # missing only at transform time: imputed, no indicator
    k = np.full(n, 5.0)  # zero variance: centred, not scaled
    z = np.where(np.arange(n) < n_train, np.nan, r.normal(0, 1, n))  # never observed in training: dropped
    c = r.choice(["x", "y", "Z", "é", "a b", "ÿ"], n).astype(object)
    c[r.random(n) < 0.1] = None
    d = r.choice(["low", "mid", "high"], n).astype(object)
    d[n_train:][r.random(n - n_train) < 0.2] = "new"  # unseen level
    d[n_train:][r.random(n - n_train) < 0.1] = None  # missing, unseen in training
    df = pd.DataFrame({"a": a, "b": b, "k": k, "z": z, "c": c, "d": d})
    numeric, categorical = ["a", "b", "k", "z"], ["c", "d"]
    ct = preprocessor(numeric, categorical)
    sk = frame_for_sklearn(df, categorical)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        train = ct.fit_transform(sk.iloc[:n_train])
        test = ct.transform(sk.iloc[n_train:])
    return {
        "columns": {
            "a": nan_to_none(a.tolist()),
            "b": nan_to_none(b.tolist()),
            "k": k.tolist(),
            "z": nan_to_none(z.tolist()),
            "c": [None if v is None else v for v in c.tolist()],
            "d": [None if v is None else v for v in d.tolist()],
        },
        "numeric": numeric,
        "categorical": categorical,
        "nTrain": n_train,
        "names": list(ct.get_feature_names_out()),
        "train": train.ravel().tolist(),
        "test": test.ravel().tolist(),
        "p": int(train.shape[1]),
    }


def text_fixture():
    train_docs = [
        "Concerns raised by school about neglect; home visit arranged.",
        "Parent engaged well, no further action. Home visit completed.",
        "Domestic abuse incident reported by police; children present at home.",
        "",
        "Repeat referral: neglect concerns, poor school attendance, school nurse involved.",
        "Ünïcödé words and numbers 42 and x y single letters",
    ]
    test_docs = ["Neglect concerns again, school attendance poor.", "Nothing here matches zzzz", ""]
    hv = HashingVectorizer(ngram_range=(1, 2), n_features=2**16, alternate_sign=True, norm=None)
    tf = TfidfTransformer(smooth_idf=True, sublinear_tf=False, norm="l2").fit(hv.transform(train_docs))
    m = tf.transform(hv.transform(test_docs)).tocsr()
    m.sort_indices()
    mt = tf.transform(hv.transform(train_docs)).tocsr()
    mt.sort_indices()
    return {
        "train": train_docs,
        "test": test_docs,
        "testIndptr": m.indptr.tolist(),
        "testIndices": m.indices.tolist(),
        "testValues": m.data.tolist(),
        "trainIndptr": mt.indptr.tolist(),
        "trainIndices": mt.indices.tolist(),
        "trainValues": mt.data.tolist(),
    }


def synthetic_fixture():
    r = np.random.default_rng(7)
    n, n_train = 3000, 2000
    x1 = r.normal(0, 1, n)
    x2 = r.lognormal(0, 0.5, n)
    f1 = r.random(n) < 0.3
    f2 = r.random(n) < 0.2
    g = r.choice(["north", "south", "east", "west"], n).astype(object)
    logit = -2.0 + 1.0 * f1 + 0.8 * f2 - 0.7 * x1 + 0.3 * x2 + np.where(g == "east", 0.5, 0.0)
    y = (r.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    x1m = x1.round(4)
    x1m[r.random(n) < 0.1] = np.nan
    g[r.random(n) < 0.05] = None
    f1s = np.where(f1, "yes", "no").astype(object)
    f2s = np.where(f2, "yes", "no").astype(object)
    df = pd.DataFrame({"x1": x1m, "x2": x2.round(4), "f1": f1s, "f2": f2s, "g": g})
    numeric, categorical = ["x1", "x2"], ["f1", "f2", "g"]
    ct = preprocessor(numeric, categorical)
    sk = frame_for_sklearn(df, categorical)
    X_train = ct.fit_transform(sk.iloc[:n_train])
    X_test = ct.transform(sk.iloc[n_train:])
    out = fit_logistic(X_train, y[:n_train], X_test, y[n_train:])
    out.update(
        {
            "columns": {
                "x1": nan_to_none(x1m.tolist()),
                "x2": x2.round(4).tolist(),
                "f1": f1s.tolist(),
                "f2": f2s.tolist(),
                "g": [None if v is None else v for v in g.tolist()],
            },
            "y": y.tolist(),
            "numeric": numeric,
            "categorical": categorical,
            "nTrain": n_train,
            "names": list(ct.get_feature_names_out()),
        }
    )
    return out


ADULT_NUMERIC = ["age", "education_num", "capital_gain", "capital_loss", "hours_per_week"]
ADULT_CATEGORICAL = ["workclass", "marital_status", "occupation", "relationship", "race", "sex", "native_country"]
ADULT_TRAIN_ROWS = 10000


def adult_fixture():
    df = pd.read_csv(ADULT, na_values=["?"], keep_default_na=False, dtype={c: object for c in ADULT_CATEGORICAL})
    train = df[df["split"] == "train"].iloc[:ADULT_TRAIN_ROWS]
    test = df[df["split"] == "test"]
    ct = preprocessor(ADULT_NUMERIC, ADULT_CATEGORICAL)
    X_train = ct.fit_transform(frame_for_sklearn(train, ADULT_CATEGORICAL))
    X_test = ct.transform(frame_for_sklearn(test, ADULT_CATEGORICAL))
    out = fit_logistic(X_train, train["income_gt_50k"].to_numpy(), X_test, test["income_gt_50k"].to_numpy())
    out.update(
        {
            "numeric": ADULT_NUMERIC,
            "categorical": ADULT_CATEGORICAL,
            "trainRows": ADULT_TRAIN_ROWS,
            "nTest": int(len(test)),
            "names": list(ct.get_feature_names_out()),
        }
    )
    return out


def main():
    result = {
        "generator": "test/golden/models.py",
        "versions": {"python": sys.version.split()[0], "sklearn": sklearn.__version__, "numpy": np.__version__, "pandas": pd.__version__},
        "preprocess": preprocess_fixture(),
        "text": text_fixture(),
        "synthetic": synthetic_fixture(),
        "adult": adult_fixture(),
    }
    with open(os.path.join(HERE, "models.json"), "w") as f:
        json.dump(result, f)


if __name__ == "__main__":
    main()
