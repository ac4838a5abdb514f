/**
 * @module
 * L2-regularized logistic regression, fitted exactly by Newton's method (iteratively
 * reweighted least squares) on standardized features: explainable by construction — one
 * weight per feature, in log-odds per standard deviation — and small enough to store as data.
 *
 * Objective: Σ logloss(yᵢ, σ(b₀ + b·zᵢ)) + λ/2 ‖b‖², the intercept unpenalized — scikit-learn's
 * `LogisticRegression(C = 1/λ)` (its default `lbfgs` solver does not penalize the intercept
 * either), which the tests compare against. Newton converges in a handful of steps; each costs
 * one pass over the rows (n·d² for the Hessian) and a (d+1)² Cholesky solve.
 */

export interface LogisticOptions {
  /** λ, the L2 penalty (1 / scikit-learn's C). Default 1. */
  l2?: number;
  /** Standardize features to mean 0, sd 1 (population sd) before fitting. Default true. */
  standardize?: boolean;
  maxIterations?: number;
  /** Stop when no parameter moves more than this. */
  tolerance?: number;
}

export interface LogisticFit {
  intercept: number;
  /** One weight per feature, on the standardized scale. */
  weights: number[];
  /** The standardization: z = (x − mean) / sd (mean 0, sd 1 when not standardized). */
  means: number[];
  sds: number[];
  iterations: number;
  converged: boolean;
}

const sigmoid = (t: number) => (t >= 0 ? 1 / (1 + Math.exp(-t)) : Math.exp(t) / (1 + Math.exp(t)));

/** log(1 + e^t) without overflow. */
const softplus = (t: number) => (t > 30 ? t : t < -30 ? Math.exp(t) : Math.log1p(Math.exp(t)));

/** Solves A x = b for a symmetric positive definite A (row-major, size m), in place on copies. */
function choleskySolve(a: Float64Array, b: Float64Array, m: number): Float64Array {
  const l = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[i * m + j]!;
      for (let k = 0; k < j; k++) sum -= l[i * m + k]! * l[j * m + k]!;
      if (i === j) l[i * m + i] = Math.sqrt(Math.max(sum, 1e-300));
      else l[i * m + j] = sum / l[j * m + j]!;
    }
  }
  const y = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let sum = b[i]!;
    for (let k = 0; k < i; k++) sum -= l[i * m + k]! * y[k]!;
    y[i] = sum / l[i * m + i]!;
  }
  const x = new Float64Array(m);
  for (let i = m - 1; i >= 0; i--) {
    let sum = y[i]!;
    for (let k = i + 1; k < m; k++) sum -= l[k * m + i]! * x[k]!;
    x[i] = sum / l[i * m + i]!;
  }
  return x;
}

/**
 * @example
 *   const fit = fitLogistic([[0], [1], [2], [3]], [0, 0, 1, 1], {l2: 1});
 *   fit.weights[0] > 0 // true
 */
export function fitLogistic(rows: readonly (readonly number[])[], labels: ArrayLike<number>, opts: LogisticOptions = {}): LogisticFit {
  const n = rows.length;
  const d = n ? rows[0]!.length : 0;
  const lambda = opts.l2 ?? 1;
  const maxIterations = opts.maxIterations ?? 50;
  const tolerance = opts.tolerance ?? 1e-10;
  const means = new Array<number>(d).fill(0);
  const sds = new Array<number>(d).fill(1);
  if (opts.standardize !== false && n > 0) {
    for (const r of rows) for (let j = 0; j < d; j++) means[j]! += r[j]!;
    for (let j = 0; j < d; j++) means[j]! /= n;
    const ss = new Array<number>(d).fill(0);
    for (const r of rows) for (let j = 0; j < d; j++) ss[j]! += (r[j]! - means[j]!) ** 2;
    // A constant feature gets sd 1: its z is 0 for everyone, and the penalty keeps its weight 0.
    for (let j = 0; j < d; j++) sds[j] = ss[j]! > 0 ? Math.sqrt(ss[j]! / n) : 1;
  }
  const m = d + 1;
  const z = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    z[i * m] = 1;
    for (let j = 0; j < d; j++) z[i * m + j + 1] = (rows[i]![j]! - means[j]!) / sds[j]!;
  }
  const beta = new Float64Array(m);
  const objective = (b: Float64Array) => {
    let loss = 0;
    for (let i = 0; i < n; i++) {
      let eta = 0;
      for (let j = 0; j < m; j++) eta += z[i * m + j]! * b[j]!;
      loss += softplus(eta) - labels[i]! * eta;
    }
    for (let j = 1; j < m; j++) loss += (lambda / 2) * b[j]! * b[j]!;
    return loss;
  };
  let current = objective(beta);
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations) {
    iterations++;
    const grad = new Float64Array(m);
    const hess = new Float64Array(m * m);
    for (let i = 0; i < n; i++) {
      const row = i * m;
      let eta = 0;
      for (let j = 0; j < m; j++) eta += z[row + j]! * beta[j]!;
      const p = sigmoid(eta);
      const r = p - labels[i]!;
      const w = p * (1 - p);
      for (let j = 0; j < m; j++) {
        const zj = z[row + j]!;
        grad[j]! += r * zj;
        const wz = w * zj;
        // Lower triangle only; mirrored below.
        for (let k = 0; k <= j; k++) hess[j * m + k]! += wz * z[row + k]!;
      }
    }
    for (let j = 0; j < m; j++) for (let k = j + 1; k < m; k++) hess[j * m + k] = hess[k * m + j]!;
    for (let j = 1; j < m; j++) {
      grad[j]! += lambda * beta[j]!;
      hess[j * m + j]! += lambda;
    }
    // A tiny ridge on the intercept keeps the solve defined when every label is the same.
    hess[0]! += 1e-12;
    const step = choleskySolve(hess, grad, m);
    // Newton's step, halved while it does not lower the objective (it always does near the optimum).
    let scale = 1;
    let next = new Float64Array(m);
    let value = current;
    for (let tries = 0; tries < 30; tries++) {
      for (let j = 0; j < m; j++) next[j] = beta[j]! - scale * step[j]!;
      value = objective(next);
      if (value <= current + 1e-12 * Math.abs(current)) break;
      scale /= 2;
    }
    let moved = 0;
    for (let j = 0; j < m; j++) moved = Math.max(moved, Math.abs(next[j]! - beta[j]!));
    beta.set(next);
    current = value;
    if (moved < tolerance) {
      converged = true;
      break;
    }
    next = new Float64Array(m);
  }
  return { intercept: beta[0]!, weights: Array.from(beta.subarray(1)), means, sds, iterations, converged };
}

/** The log-odds of a feature vector under a fit. */
export function logOdds(fit: Pick<LogisticFit, 'intercept' | 'weights' | 'means' | 'sds'>, x: readonly number[]): number {
  let eta = fit.intercept;
  for (let j = 0; j < fit.weights.length; j++) eta += (fit.weights[j]! * (x[j]! - fit.means[j]!)) / fit.sds[j]!;
  return eta;
}

export { sigmoid };
