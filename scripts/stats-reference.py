#!/usr/bin/env python3
"""Reference values for the experiment statistics in worker/core/stats (docs/api.md#experiment-results).

Run from the repo root:

    python3 scripts/stats-reference.py

It writes tests/fixtures/stats-reference.json, which tests/core/stats/reference.test.ts
compares the TypeScript against. The values are computed independently of the TypeScript:
scipy's own Wilson interval, normal and chi-square distributions, numerical integration of the
Beta posteriors (not Evan Miller's sum the TypeScript uses) and numerical integration of the
mSPRT mixture (not its closed form). Only the sample-size formula and the plug-in inputs of
the mSPRT (smoothed variances, tau) are re-typed here, because they are definitions, not
computations. Run at test time? Never: the tests only read the JSON.
"""
import json
import math
import platform
import sys
from pathlib import Path

import numpy as np
import scipy
from scipy import integrate, optimize, stats

ALPHA = 0.05
REL_SD = 0.2  # prior sd of the relative effect in the mSPRT (worker/core/stats/alwaysValid.ts)


def wilson(c, n):
    if n == 0:
        return [0.0, 1.0]  # definition: nothing observed
    ci = stats.binomtest(c, n).proportion_ci(confidence_level=0.95, method="wilson")
    return [float(ci.low), float(ci.high)]


def ztest(cA, nA, cB, nB):
    if nA == 0 or nB == 0:
        return None
    pooled = (cA + cB) / (nA + nB)
    se = math.sqrt(pooled * (1 - pooled) * (1 / nA + 1 / nB))
    if se == 0:
        return 1.0
    z = (cB / nB - cA / nA) / se
    return float(2 * stats.norm.sf(abs(z)))


def uplift(cA, nA, cB, nB):
    if nA == 0 or nB == 0 or cA == 0:
        return None
    z = stats.norm.ppf(0.975)
    if cB == 0:  # Haldane–Anscombe: 0.5 added to every cell, upper bound only
        a, na, b, nb = cA + 0.5, nA + 1, 0.5, nB + 1
        pa, pb = a / na, b / nb
        se = math.sqrt((1 - pa) / (na * pa) + (1 - pb) / (nb * pb))
        return {"relative": -1.0, "ci": [-1.0, float(np.expm1(np.log(pb / pa) + z * se))]}
    pa, pb = cA / nA, cB / nB
    se = math.sqrt((1 - pa) / (nA * pa) + (1 - pb) / (nB * pb))
    lr = math.log(pb / pa)
    return {"relative": pb / pa - 1, "ci": [float(np.expm1(lr - z * se)), float(np.expm1(lr + z * se))]}


def chance(cA, nA, cB, nB):
    """P(pB > pA) = ∫ pdf_B(x) · cdf_A(x) dx, integrated numerically over where the mass is."""
    A = stats.beta(1 + cA, 1 + nA - cA)
    B = stats.beta(1 + cB, 1 + nB - cB)
    lo = max(0.0, min(A.ppf(1e-13), B.ppf(1e-13)))
    hi = min(1.0, max(A.isf(1e-13), B.isf(1e-13)))
    pts = sorted({float(A.mean()), float(B.mean())})
    pts = [p for p in pts if lo < p < hi]
    val, err = integrate.quad(lambda x: B.pdf(x) * A.cdf(x), lo, hi, points=pts or None, limit=1000,
                              epsabs=1e-11, epsrel=1e-10)
    assert err < 1e-6, err
    return float(val)


def srm(visitors, weights):
    judged = [(v, w) for v, w in zip(visitors, weights) if w > 0]
    if len(judged) < 2 or any(v < 8 for v, _ in judged):
        return {"pValue": None, "ok": True}
    obs = np.array([v for v, _ in judged], dtype=float)
    w = np.array([w for _, w in judged], dtype=float)
    exp = obs.sum() * w / w.sum()
    p = float(stats.chisquare(obs, exp).pvalue)
    return {"pValue": p, "ok": p >= 0.001}


def sample_size(p1, u, alpha=0.05, power=0.8):
    """n = (z_{1-a/2}·sqrt(2·pbar(1-pbar)) + z_{power}·sqrt(p1(1-p1)+p2(1-p2)))² / (p2-p1)², ceil."""
    if not (0 < p1 < 1):
        return None, None
    u = abs(u) if (u != 0 and math.isfinite(u)) else 0.2
    p2 = min(1.0, p1 * (1 + u))
    pbar = (p1 + p2) / 2
    za, zb = stats.norm.ppf(1 - alpha / 2), stats.norm.ppf(power)
    n = (za * np.sqrt(2 * pbar * (1 - pbar)) + zb * np.sqrt(p1 * (1 - p1) + p2 * (1 - p2))) ** 2 / (p2 - p1) ** 2
    return int(math.ceil(n - 1e-9)), float(n)


def mixture_log_lr(theta_hat, v, tau2, theta0):
    """log of ∫ N(θ̂; θ, V) N(θ; θ0, τ²) dθ / N(θ̂; θ0, V), by quadrature (not the closed form)."""
    sd = math.sqrt(v)
    tau = math.sqrt(tau2)
    # posterior of θ given θ̂ (normal-normal) only sets the integration window
    pv = 1 / (1 / v + 1 / tau2)
    pm = pv * (theta_hat / v + theta0 / tau2)
    ps = math.sqrt(pv)
    # factor out the peak so the integrand is O(1)
    logpeak = stats.norm.logpdf(theta_hat, pm, sd) + stats.norm.logpdf(pm, theta0, tau)
    f = lambda t: math.exp(stats.norm.logpdf(theta_hat, t, sd) + stats.norm.logpdf(t, theta0, tau) - logpeak)
    val, _ = integrate.quad(f, pm - 40 * ps, pm + 40 * ps, points=[pm], limit=500, epsabs=0, epsrel=1e-12)
    return math.log(val) + logpeak - stats.norm.logpdf(theta_hat, theta0, sd)


def cs_interval(theta_hat, v, tau2):
    """{θ0 : Λ(θ0) < 1/α} by root finding on the quadrature Λ."""
    g = lambda t0: mixture_log_lr(theta_hat, v, tau2, t0) - math.log(1 / ALPHA)
    step = math.sqrt(v + tau2)
    hi = theta_hat + step
    while g(hi) < 0:
        hi += step
    lo = theta_hat - step
    while g(lo) < 0:
        lo -= step
    return [optimize.brentq(g, theta_hat, hi, xtol=1e-14, rtol=1e-13), optimize.brentq(g, lo, theta_hat, xtol=1e-14, rtol=1e-13)][::-1]


def smoothed(c, n):
    return (c + 1) / (n + 2)


def always_valid_look(cA, nA, cB, nB):
    sA, sB, pooled = smoothed(cA, nA), smoothed(cB, nB), smoothed(cA + cB, nA + nB)
    theta = cB / nB - cA / nA
    v = sA * (1 - sA) / nA + sB * (1 - sB) / nB
    tau2 = (REL_SD * pooled) ** 2
    p = min(1.0, math.exp(-mixture_log_lr(theta, v, tau2, 0.0)))
    lo, hi = cs_interval(theta, v, tau2)
    rel = None
    if cA > 0 and cB > 0:
        pa, pb = cA / nA, cB / nB
        rv = (1 - pa) / cA + (1 - pb) / cB
        if rv > 0:
            rlo, rhi = cs_interval(math.log(pb / pa), rv, REL_SD ** 2)
            rel = [math.expm1(rlo), math.expm1(rhi)]
    return {"pValue": p, "diffCI": [max(-1.0, lo), min(1.0, hi)], "relativeCI": rel}


def always_valid_history(looks):
    out = None
    for (cA, nA, cB, nB) in looks:
        if nA == 0 or nB == 0:
            continue
        r = always_valid_look(cA, nA, cB, nB)
        if out is None:
            out = r
            continue
        out = {
            "pValue": min(out["pValue"], r["pValue"]),
            "diffCI": [max(out["diffCI"][0], r["diffCI"][0]), min(out["diffCI"][1], r["diffCI"][1])],
            "relativeCI": out["relativeCI"] if r["relativeCI"] is None else (
                r["relativeCI"] if out["relativeCI"] is None else
                [max(out["relativeCI"][0], r["relativeCI"][0]), min(out["relativeCI"][1], r["relativeCI"][1])]),
        }
    return out


PAIRS = [
    # label, cA, nA, cB, nB
    ("contract example", 50, 1000, 72, 990),
    ("no visitors in either arm", 0, 0, 0, 0),
    ("control has no visitors", 0, 0, 5, 100),
    ("arm has no visitors", 5, 100, 0, 0),
    ("zero conversions both", 0, 100, 0, 100),
    ("zero conversions control", 0, 100, 5, 100),
    ("zero conversions arm", 10, 100, 0, 100),
    ("everyone converted both", 100, 100, 100, 100),
    ("everyone converted arm", 90, 100, 100, 100),
    ("tiny n=3", 1, 3, 2, 3),
    ("tiny n=3 extreme", 0, 3, 3, 3),
    ("tiny n=3 reversed", 3, 3, 0, 3),
    ("small", 1, 10, 2, 10),
    ("unequal n", 40, 800, 30, 300),
    ("low rate", 10, 1000, 40, 1000),
    ("n=1e5", 5000, 100000, 5150, 100000),
    ("n=1e6 low rate", 50000, 1000000, 50300, 1000000),
    ("n=1e6 half", 500000, 1000000, 501000, 1000000),
    ("n=1e6 rare", 10, 1000000, 20, 1000000),
    ("n=1e6 almost all", 999990, 1000000, 999995, 1000000),
]

WILSON = [(50, 1000), (72, 990), (0, 0), (0, 10), (10, 10), (0, 3), (1, 3), (3, 3), (1, 1), (5000, 100000),
          (50000, 1000000), (999999, 1000000)]

SRM = [
    ("3 arms close to weights", [1000, 990, 1010], [0.34, 0.33, 0.33]),
    ("unequal weights 0.5/0.3/0.2 ok", [5000, 3050, 1950], [0.5, 0.3, 0.2]),
    ("unequal weights 0.5/0.3/0.2 broken", [5000, 3300, 1700], [0.5, 0.3, 0.2]),
    ("weight-0 arm skipped", [520, 37, 480], [0.5, 0.0, 0.5]),
    ("weights need normalizing", [700, 300], [7, 3]),
    ("2 arms broken", [1000, 1200], [0.5, 0.5]),
    ("exactly on weights", [10, 10, 10], [1, 1, 1]),
    ("an arm below 8 visitors", [100, 7], [0.5, 0.5]),
    ("weight-0 arm below 8 does not block", [100, 3, 110], [0.5, 0, 0.5]),
    ("single judged arm", [100, 50], [1, 0]),
    ("4 arms", [2600, 2450, 2500, 2550], [0.25, 0.25, 0.25, 0.25]),
]

SAMPLE = [(0.05, 0.2), (0.05, -0.2), (0.05, 0.0), (0.01, 0.1), (0.3, 0.5), (0.5, 1.5), (0.0, 0.2), (1.0, 0.2),
          (0.1, 0.05), (0.02, 0.4545)]
SAMPLE_OPTS = [(0.05, 0.2, 0.01, 0.9), (0.1, 0.3, 0.1, 0.8)]

HISTORY = [
    ("daily looks, drifting apart", [(10, 200, 14, 200), (21, 400, 30, 400), (30, 600, 47, 600), (41, 800, 66, 800)]),
    ("early look without arm visitors", [(3, 50, 0, 0), (12, 250, 15, 240), (25, 500, 33, 490)]),
]

QUANTILES = [1e-12, 1e-6, 0.001, 0.025, 0.1, 0.2, 0.5, 0.8, 0.9, 0.975, 0.999999]
CDF = [-12, -8, -3, -1.959963984540054, -0.5, 0, 0.5, 1, 3, 6]
CHI2 = [(0.5, 1), (3.841458820694124, 1), (20, 3), (0.01, 2), (100, 5), (300, 10), (7, 7)]


def main():
    out = {
        "generatedBy": "python3 scripts/stats-reference.py",
        "generatedWith": {"python": platform.python_version(), "scipy": scipy.__version__, "numpy": np.__version__},
        "notes": "Reference values for worker/core/stats. Regenerate with the command above; never computed at test time.",
        "normalQuantile": [{"p": p, "z": float(stats.norm.ppf(p))} for p in QUANTILES],
        "normalCdf": [{"x": x, "p": float(stats.norm.cdf(x))} for x in CDF],
        "chiSquareSf": [{"x": x, "df": df, "p": float(stats.chi2.sf(x, df))} for x, df in CHI2],
        "wilson": [{"conversions": c, "visitors": n, "ci": wilson(c, n)} for c, n in WILSON],
        "pairs": [],
        "srm": [{"label": l, "visitors": v, "weights": w, **srm(v, w)} for l, v, w in SRM],
        "sampleSize": [],
        "alwaysValidHistory": [],
    }
    for label, cA, nA, cB, nB in PAIRS:
        out["pairs"].append({
            "label": label, "cA": cA, "nA": nA, "cB": cB, "nB": nB,
            "zTestP": ztest(cA, nA, cB, nB),
            "uplift": uplift(cA, nA, cB, nB),
            "chanceToBeatControl": chance(cA, nA, cB, nB),
            "alwaysValid": None if nA == 0 or nB == 0 else always_valid_look(cA, nA, cB, nB),
        })
    for p1, u in SAMPLE:
        n, raw = sample_size(p1, u)
        out["sampleSize"].append({"controlCvr": p1, "relativeUplift": u, "alpha": 0.05, "power": 0.8, "n": n, "unrounded": raw})
    for p1, u, a, pw in SAMPLE_OPTS:
        n, raw = sample_size(p1, u, a, pw)
        out["sampleSize"].append({"controlCvr": p1, "relativeUplift": u, "alpha": a, "power": pw, "n": n, "unrounded": raw})
    for label, looks in HISTORY:
        out["alwaysValidHistory"].append({
            "label": label,
            "looks": [{"cA": a, "nA": b, "cB": c, "nB": d} for a, b, c, d in looks],
            "result": always_valid_history(looks),
        })
    path = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "stats-reference.json"
    path.write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n")
    print(f"wrote {path}", file=sys.stderr)


if __name__ == "__main__":
    main()
