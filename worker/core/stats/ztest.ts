/**
 * @module
 * Two-sided two-proportion z-test with pooled standard error (docs/api.md#experiment-results `pValue`).
 */
import { assertCounts } from './counts';
import { normalTwoSided } from './special';

/**
 * Two-sided p-value for H0: p_A = p_B, using the pooled rate for the standard error (the
 * variance under H0, which is what a test of H0 should use).
 *
 * - An arm with no visitors → `null`: there is no comparison to make, and 1 would wrongly
 *   read as "tested, no difference".
 * - Pooled rate 0 or 1 (nobody or everybody converted in both arms) → SE is 0 and the
 *   observed difference is exactly 0, so the data are perfectly consistent with H0: p = 1.
 *
 * Note this is the fixed-horizon test: it is only valid if looked at once. Peeking daily
 * inflates false positives; the verdicts use `alwaysValid` instead.
 *
 * @example
 * twoProportionZTest(50, 1000, 72, 990); // ≈ 0.034
 * twoProportionZTest(0, 0, 5, 100);      // null
 */
export function twoProportionZTest(cA: number, nA: number, cB: number, nB: number): number | null {
  assertCounts(cA, nA);
  assertCounts(cB, nB);
  if (nA === 0 || nB === 0) return null;
  const pooled = (cA + cB) / (nA + nB);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / nA + 1 / nB));
  if (se === 0) return 1;
  const z = (cB / nB - cA / nA) / se;
  return Math.min(1, normalTwoSided(z));
}
