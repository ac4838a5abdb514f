#!/usr/bin/python3
"""Reference values for the propensity models in worker/core/propensity.

Run from the repo root with Debian's scikit-learn (`apt-get install python3-sklearn`):

    /usr/bin/python3 scripts/propensity-reference.py

It writes tests/fixtures/propensity-reference.json, which tests/core/propensity.test.ts
compares the TypeScript against: scikit-learn's LogisticRegression (lbfgs, C = 1/lambda) on
the same standardized data as the TypeScript's Newton fit, sklearn's roc_auc_score and scipy's
Mann-Whitney U for the AUC, numpy for the top-decile lift. Only the Hanley-McNeil standard
error is re-typed here: it is a definition, not a computation. The data sets themselves are
generated here (seeded) and written into the fixture, so both sides read the same rows.
"""
import json
import platform
from pathlib import Path

import numpy as np
import scipy
import sklearn
from scipy import stats
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score


def standardize(x):
    mean = x.mean(axis=0)
    sd = x.std(axis=0)  # population sd, as the TypeScript
    sd[sd == 0] = 1
    return (x - mean) / sd, mean, sd


def fit_case(name, n, coef, intercept, lam, seed, binary_last=False):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, len(coef)))
    x[:, 0] = np.log1p(rng.poisson(2.0, size=n))  # a count, as the features are
    if binary_last:
        x[:, -1] = (rng.random(n) < 0.3).astype(float)  # a one-hot trait value
    logit = intercept + x @ np.array(coef)
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    # The fixture holds x to 6 decimals: fit on exactly what the TypeScript reads.
    x = np.round(x, 6)
    z, mean, sd = standardize(x)
    # newton-cg stops on the gradient itself (lbfgs stops at a relative tolerance near 1e-4).
    model = LogisticRegression(C=1 / lam, solver="newton-cg", tol=1e-10, max_iter=100000).fit(z, y)
    return {
        "name": name,
        "l2": lam,
        "x": x.tolist(),
        "y": y.tolist(),
        "intercept": float(model.intercept_[0]),
        "weights": model.coef_[0].tolist(),
        "means": mean.tolist(),
    }


def hanley_mcneil(a, npos, nneg):
    q1 = a / (2 - a)
    q2 = 2 * a * a / (1 + a)
    se = np.sqrt((a * (1 - a) + (npos - 1) * (q1 - a * a) + (nneg - 1) * (q2 - a * a)) / (npos * nneg))
    z = stats.norm.ppf(0.975)
    return [max(0.0, a - z * se), min(1.0, a + z * se)]


def auc_case(name, scores, labels):
    scores = np.asarray(scores, dtype=float)
    labels = np.asarray(labels, dtype=int)
    a = roc_auc_score(labels, scores)
    u = stats.mannwhitneyu(scores[labels == 1], scores[labels == 0]).statistic
    npos, nneg = int(labels.sum()), int((1 - labels).sum())
    assert abs(u / (npos * nneg) - a) < 1e-12
    order = np.argsort(-scores, kind="stable")
    top = int(np.ceil(len(scores) / 10))
    lift = labels[order][:top].mean() / labels.mean()
    return {"name": name, "scores": scores.tolist(), "labels": labels.tolist(), "auc": a, "ci": hanley_mcneil(a, npos, nneg), "lift": float(lift)}


def main():
    rng = np.random.default_rng(7)
    noisy = rng.random(500)
    noisy_labels = (rng.random(500) < 0.1 + 0.3 * noisy).astype(int)
    tied = np.round(rng.random(300) * 4) / 4  # four distinct scores: many ties
    tied_labels = (rng.random(300) < 0.2 + 0.4 * tied).astype(int)
    out = {
        "generator": f"scripts/propensity-reference.py (python {platform.python_version()}, numpy {np.__version__}, scipy {scipy.__version__}, scikit-learn {sklearn.__version__})",
        "fits": [
            fit_case("four features, lambda 1", 400, [0.8, -0.5, 0.3, 0.0], -1.5, 1.0, 11),
            fit_case("strong penalty, lambda 50", 400, [0.8, -0.5, 0.3, 0.0], -1.5, 50.0, 12),
            fit_case("rare outcome with a binary feature, lambda 0.1", 3000, [1.2, 0.4, 0.9], -4.0, 0.1, 13, True),
        ],
        "aucs": [
            auc_case("a noisy score", noisy, noisy_labels),
            auc_case("many ties", tied, tied_labels),
        ],
    }
    path = Path("tests/fixtures/propensity-reference.json")
    path.write_text(json.dumps(out, indent=None) + "\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
