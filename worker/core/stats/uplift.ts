/**
 * @module
 * Relative uplift of an arm over control with a 95 % confidence interval (docs/api.md#experiment-results `uplift`).
 */
import { assertCounts } from './counts';
import { Z95 } from './special';

/** Relative uplift point estimate and its confidence interval, both as fractions (0.1 = +10 %). */
export interface Uplift {
  relative: number;
  ci: [number, number];
}

/**
 * Relative uplift p_B / p_A − 1 with a CI from the delta method on log(p_B / p_A):
 *
 *   Var[log(p̂_B / p̂_A)] ≈ (1 − p_A) / (n_A p_A) + (1 − p_B) / (n_B p_B)
 *   CI = exp(log(p̂_B / p̂_A) ± z·√Var) − 1
 *
 * The log scale is used because a ratio of rates is skewed; on the log scale it is close to
 * normal, and the back-transformed interval can never go below −100 %.
 *
 * Edge cases:
 * - control has no visitors or no conversions, or the arm has no visitors → `null`
 *   (a ratio against 0, or against nothing, is undefined).
 * - the arm has 0 conversions → relative is −1 (−100 %), the log-ratio variance is infinite,
 *   so the interval is [−1, upper] with the upper bound from the Haldane–Anscombe correction
 *   (0.5 added to every cell of the 2×2 table: c + 0.5 of n + 1 in each arm).
 *
 * @example
 * relativeUplift(50, 1000, 72, 990); // { relative: ≈0.4545, ci: ≈[0.0251, 1.0640] }
 */
export function relativeUplift(cA: number, nA: number, cB: number, nB: number, z: number = Z95): Uplift | null {
  assertCounts(cA, nA);
  assertCounts(cB, nB);
  if (nA === 0 || nB === 0 || cA === 0) return null;
  const pA = cA / nA;
  const pB = cB / nB;
  if (cB === 0) {
    const [a, na, b, nb] = [cA + 0.5, nA + 1, 0.5, nB + 1];
    const se = Math.sqrt((1 - a / na) / a + (1 - b / nb) / b);
    const hi = Math.exp(Math.log(b / nb / (a / na)) + z * se) - 1;
    return { relative: -1, ci: [-1, hi] };
  }
  const logRatio = Math.log(pB / pA);
  // (1 − p)/(n p) written as (1 − p)/c: the same value, no extra rounding.
  const se = Math.sqrt((1 - pA) / cA + (1 - pB) / cB);
  return {
    relative: pB / pA - 1,
    ci: [Math.exp(logRatio - z * se) - 1, Math.exp(logRatio + z * se) - 1],
  };
}
