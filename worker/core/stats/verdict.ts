/**
 * @module
 * One word per arm for the marketer — winner, loser, keep running, no difference, or "the
 * traffic split is broken" — decided from the always-valid (peek-safe) results only, so the
 * verdict can be read every day without inflating false winners.
 */
import { diffState, mixtureHalfWidth, type AlwaysValidResult } from './alwaysValid';

export type VerdictKind = 'winner' | 'loser' | 'keep_running' | 'no_difference' | 'srm_problem';

export interface Verdict {
  verdict: VerdictKind;
  /** keep_running only: about how many more visitors the experiment (all arms together) needs. */
  moreVisitorsNeeded: number | null;
  /** keep_running only: that many visitors at the current traffic, in days. */
  moreDays: number | null;
}

/** Counts and configured weight of one arm. */
export interface ArmCounts {
  visitors: number;
  conversions: number;
  weight: number;
}

export interface VerdictInput {
  control: ArmCounts;
  arm: ArmCounts;
  /** Sum of the weights of all arms of the experiment (to turn experiment traffic into arm traffic). */
  totalWeight: number;
  /** `alwaysValid` / `alwaysValidHistory` for this arm vs control; null when an arm has no visitors. */
  alwaysValid: AlwaysValidResult | null;
  srmOk: boolean;
  /** Experiment-wide visitors per day at the current traffic; absent → moreDays is null. */
  visitorsPerDay?: number | null;
  /** Defaults: alpha 0.05, equivalenceBand 0.1, minVisitors 100, relativeEffectSd 0.2. */
  alpha?: number;
  equivalenceBand?: number;
  minVisitors?: number;
  relativeEffectSd?: number;
}

/**
 * "No difference" means the whole always-valid CI for p_B − p_A lies strictly inside
 * ±10 % of the control's CVR: whatever the true effect, it is too small to matter. 10 %
 * relative is half the 20 % effect the test is planned for.
 */
export const EQUIVALENCE_BAND = 0.1;
/**
 * No verdict but keep_running before each arm has this many visitors: the normal
 * approximation behind the mSPRT is not trustworthy on a handful of visitors.
 */
export const MIN_VISITORS_FOR_VERDICT = 100;

/** Projections further out than this are reported as unknown (null) rather than as absurd numbers. */
const MAX_PROJECTION = 1e9;

/**
 * Verdict for one arm against control.
 *
 * Order: SRM problem first (nothing else can be trusted) → not enough visitors → winner /
 * loser when the always-valid CI for the difference excludes 0 (equivalently: always-valid
 * p < α) → no_difference when it sits inside the equivalence band → keep_running.
 *
 * For keep_running, `moreVisitorsNeeded` projects the CI forward: the observed difference and
 * rates are held fixed, new visitors are split by the configured weights, and we look for the
 * smallest number of extra experiment visitors s at which the half-width w(s) falls to
 * max(|d|, band − |d|) — the first width at which either "winner/loser" (w < |d|) or "no
 * difference" (|d| + w < band) becomes reachable. It is a rough planning number, not a
 * promise: the estimate moves as data arrives. Null when it cannot be projected (an arm has
 * no visitors or weight 0, or both rates and the difference are 0).
 *
 * @example
 * verdict({ control: { visitors: 20000, conversions: 1000, weight: 0.5 },
 *           arm: { visitors: 20000, conversions: 1300, weight: 0.5 }, totalWeight: 1,
 *           alwaysValid: alwaysValid(1000, 20000, 1300, 20000), srmOk: true });
 * // { verdict: 'winner', moreVisitorsNeeded: null, moreDays: null }
 */
export function verdict(input: VerdictInput): Verdict {
  const { control, arm, alwaysValid: av } = input;
  const band = (input.equivalenceBand ?? EQUIVALENCE_BAND) * (control.visitors > 0 ? control.conversions / control.visitors : 0);
  const minVisitors = input.minVisitors ?? MIN_VISITORS_FOR_VERDICT;
  if (!input.srmOk) return { verdict: 'srm_problem', moreVisitorsNeeded: null, moreDays: null };
  if (av && control.visitors >= minVisitors && arm.visitors >= minVisitors) {
    const [lo, hi] = av.diffCI;
    if (lo > 0) return { verdict: 'winner', moreVisitorsNeeded: null, moreDays: null };
    if (hi < 0) return { verdict: 'loser', moreVisitorsNeeded: null, moreDays: null };
    if (band > 0 && lo > -band && hi < band) return { verdict: 'no_difference', moreVisitorsNeeded: null, moreDays: null };
  }
  const more = projectMoreVisitors(input, band, minVisitors);
  const vpd = input.visitorsPerDay;
  return {
    verdict: 'keep_running',
    moreVisitorsNeeded: more,
    moreDays: more !== null && vpd != null && vpd > 0 ? Math.max(1, Math.ceil(more / vpd)) : null,
  };
}

function projectMoreVisitors(input: VerdictInput, band: number, minVisitors: number): number | null {
  const { control, arm, totalWeight } = input;
  if (control.visitors === 0 || arm.visitors === 0 || !(control.weight > 0) || !(arm.weight > 0) || !(totalWeight > 0)) {
    return null;
  }
  const shareA = control.weight / totalWeight;
  const shareB = arm.weight / totalWeight;
  const alpha = input.alpha ?? 0.05;
  const base = diffState({ cA: control.conversions, nA: control.visitors, cB: arm.conversions, nB: arm.visitors }, input.relativeEffectSd);
  const d = Math.abs(base.thetaHat);
  const target = Math.max(d, band - d);
  if (!(target > 0)) return null;
  // Per-visitor variances held fixed: V(s) = σ²_A/(n_A + s·share_A) + σ²_B/(n_B + s·share_B).
  const sA = (control.conversions + 1) / (control.visitors + 2);
  const sB = (arm.conversions + 1) / (arm.visitors + 2);
  const width = (s: number) =>
    mixtureHalfWidth(
      { v: (sA * (1 - sA)) / (control.visitors + s * shareA) + (sB * (1 - sB)) / (arm.visitors + s * shareB), tau2: base.tau2 },
      alpha,
    );
  // Visitors still needed just to reach the minimum sample for any verdict.
  const floor = Math.max(0, (minVisitors - control.visitors) / shareA, (minVisitors - arm.visitors) / shareB);
  if (width(floor) <= target) return Math.ceil(floor);
  // w² = V(V+τ²)/τ²·(2ln(1/α) + ln(1+τ²/V)) has dw²/dV = (2V+τ²)/τ²·(2ln(1/α) + ln(1+τ²/V)) − 1 > 0
  // for α < 0.6, and V falls as s grows: w(s) is decreasing, so bracket by doubling, then bisect.
  let lo = floor;
  let hi = Math.max(floor, 1) * 2;
  while (width(hi) > target) {
    lo = hi;
    hi *= 2;
    if (hi > MAX_PROJECTION) return null;
  }
  while (hi - lo > 1) {
    const mid = (lo + hi) / 2;
    if (width(mid) > target) lo = mid;
    else hi = mid;
  }
  return Math.ceil(hi);
}
