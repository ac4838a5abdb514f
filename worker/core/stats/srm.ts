/**
 * @module
 * Sample ratio mismatch (SRM) check (docs/api.md#experiment-results `srm`): are visitors split the way the
 * weights say? A mismatch means assignment or exposure logging is broken (a bot hitting one
 * arm, a redirect losing visitors), and then no comparison between arms can be trusted.
 */
import { chiSquareSf } from './special';

/** SRM result. `pValue` is null when the check was not judged (too few visitors or < 2 arms). */
export interface SrmResult {
  pValue: number | null;
  ok: boolean;
}

/** Below this p-value the split is called broken. Strict because the check runs on every page view of the results. */
export const SRM_ALPHA = 0.001;
/** Each judged arm needs this many visitors: the chi-square approximation is poor below it. */
export const SRM_MIN_VISITORS = 8;

/**
 * Chi-square goodness-of-fit of `visitors` against `weights`.
 *
 * Arms with weight 0 (paused) are skipped, and the weights of the others are normalized to
 * sum to 1, so an experiment configured 0.5/0.3/0.2 then paused to 0.5/0/0.2 is judged
 * against 5/7 and 2/7. df = (number of judged arms) − 1. `ok` is false when p < 0.001.
 * Not judged — `{pValue: null, ok: true}` — with fewer than two judged arms or when any
 * judged arm has fewer than 8 visitors.
 *
 * @example
 * srmTest([1000, 990, 1010], [0.34, 0.33, 0.33]); // { pValue: ≈0.67, ok: true }
 * srmTest([5, 900], [0.5, 0.5]);                  // { pValue: null, ok: true }
 */
export function srmTest(visitors: number[], weights: number[]): SrmResult {
  if (visitors.length !== weights.length) throw new RangeError('srmTest: visitors and weights differ in length');
  const judged: Array<[number, number]> = [];
  for (let i = 0; i < visitors.length; i++) {
    const w = weights[i]!;
    const v = visitors[i]!;
    if (!(w >= 0) || !(v >= 0)) throw new RangeError('srmTest: weights and visitors must be ≥ 0');
    if (w > 0) judged.push([v, w]);
  }
  if (judged.length < 2 || judged.some(([v]) => v < SRM_MIN_VISITORS)) return { pValue: null, ok: true };
  const total = judged.reduce((s, [v]) => s + v, 0);
  const weightSum = judged.reduce((s, [, w]) => s + w, 0);
  let chi2 = 0;
  for (const [v, w] of judged) {
    const expected = (total * w) / weightSum;
    chi2 += ((v - expected) * (v - expected)) / expected;
  }
  const pValue = chiSquareSf(chi2, judged.length - 1);
  return { pValue, ok: pValue >= SRM_ALPHA };
}
