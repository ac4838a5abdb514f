/**
 * @module
 * Chance to beat control: P(p_B > p_A) under independent Beta posteriors (docs/api.md#experiment-results
 * `chanceToBeatControl`). Exact, never Monte Carlo, so the number a marketer sees does not
 * wobble between page loads.
 */
import { assertCounts } from './counts';
import { logBeta } from './special';

/**
 * P(X₂ > X₁) for X₁ ~ Beta(a1, b1), X₂ ~ Beta(a2, b2) with integer a2 (Evan Miller,
 * "Formulas for Bayesian A/B Testing", 2015):
 *
 *   Σ_{i=0}^{a2−1} B(a1+i, b1+b2) / ((b2+i) · B(1+i, b2) · B(a1, b1))
 *
 * Only the first term goes through log-Beta; each next term is the previous one times the
 * ratio (a1+i)(b2+i) / ((a1+b1+b2+i)(1+i)) (from B(x+1, y) = B(x, y)·x/(x+y)). Kept in
 * log space so terms that underflow early can still grow into the ones that matter.
 * Cost: a2 cheap iterations.
 */
function probSecondBeatsFirst(a1: number, b1: number, a2: number, b2: number): number {
  let logTerm = logBeta(a1, b1 + b2) - Math.log(b2) - logBeta(1, b2) - logBeta(a1, b1);
  let sum = Math.exp(logTerm);
  for (let i = 0; i < a2 - 1; i++) {
    logTerm += Math.log(((a1 + i) * (b2 + i)) / ((a1 + b1 + b2 + i) * (1 + i)));
    sum += Math.exp(logTerm);
  }
  return sum;
}

/**
 * P(p_B > p_A) with posteriors Beta(1 + c, 1 + n − c) (uniform priors), exact.
 *
 * The sum in `probSecondBeatsFirst` has as many terms as B's α. Four equivalent forms exist
 * (swap the arms and take 1 − P; or swap successes and failures, since p_B > p_A ⇔
 * 1 − p_A > 1 − p_B), each looping over one of α_A, α_B, β_A, β_B. Taking the smallest keeps
 * it at min(c_A, c_B, n_A − c_A, n_B − c_B) + 1 iterations — at most 500 001 for n = 10^6, a
 * few milliseconds — so no approximation is needed at large n. A form written as 1 − P loses
 * relative precision near 0 but keeps ~1e-12 absolute accuracy, far inside the ±0.005 the
 * contract asks.
 *
 * An arm with no visitors has a uniform posterior, so the answer is still defined (e.g. ½
 * when both are empty); callers decide whether to show it.
 *
 * @example
 * chanceToBeatControl(50, 1000, 72, 990); // ≈ 0.983
 */
export function chanceToBeatControl(cA: number, nA: number, cB: number, nB: number): number {
  assertCounts(cA, nA);
  assertCounts(cB, nB);
  const aA = 1 + cA;
  const bA = 1 + nA - cA;
  const aB = 1 + cB;
  const bB = 1 + nB - cB;
  const smallest = Math.min(aA, aB, bA, bB);
  let p: number;
  if (smallest === aB) p = probSecondBeatsFirst(aA, bA, aB, bB);
  else if (smallest === aA) p = 1 - probSecondBeatsFirst(aB, bB, aA, bA);
  else if (smallest === bA) p = probSecondBeatsFirst(bB, aB, bA, aA);
  else p = 1 - probSecondBeatsFirst(bA, aA, bB, aB);
  return Math.min(1, Math.max(0, p));
}
