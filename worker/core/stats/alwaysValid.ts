/**
 * @module
 * Peek-safe ("always valid") inference for the difference of two conversion rates: the
 * mixture sequential probability ratio test (mSPRT) of Johari, Pekelis & Walsh, "Always Valid
 * Inference: Continuous Monitoring of A/B Tests" (Operations Research 70(3), 2022; arXiv
 * 1512.04922, 2015/2017).
 *
 * Why: marketers open the results page every day and stop when it looks good. A fixed-horizon
 * p-value read daily has a false-positive rate far above its nominal 5 % (see the A/A test in
 * `tests/core/stats`). The mSPRT p-value and confidence sequence stay valid however often
 * they are looked at, at the price of wider intervals.
 *
 * Model (normal approximation, as in the paper's §5 for two binomial streams):
 *   θ̂ = p̂_B − p̂_A  ~  N(θ, V),   V = p̃_A(1−p̃_A)/n_A + p̃_B(1−p̃_B)/n_B
 * Mixing H1 over θ ~ N(0, τ²) gives the closed-form likelihood ratio against θ = θ₀:
 *   Λ(θ₀) = √(V / (V+τ²)) · exp( (θ̂−θ₀)² τ² / (2V(V+τ²)) )
 * Always-valid p-value: min(1, 1/Λ(0)), running minimum over looks. Confidence sequence:
 * {θ₀ : Λ(θ₀) < 1/α}, i.e. θ̂ ± √( V(V+τ²)/τ² · (2·ln(1/α) + ln((V+τ²)/V)) ), intersected
 * over looks.
 *
 * Choices (documented because they matter):
 * - p̃ = (c+1)/(n+2) in V (Agresti–Caffo style smoothing) so an arm at 0 % or 100 % does
 *   not claim zero variance; it changes nothing at realistic n.
 * - τ = 0.2 × pooled CVR (p̃ of both arms together): the prior on the effect is "a relative
 *   uplift of typically ±20 %", the same effect size the sample-size planning uses. The pooled
 *   rate does not depend on which arm converts, so under H0 it does not bias the test; the
 *   seeded A/A simulation checks the false-positive rate stays ≤ 5 %.
 * - Only totals reach the core, so the running minimum / intersection is taken over the looks
 *   the caller passes (`alwaysValidHistory`, fed the daily cumulative series); `alwaysValid`
 *   with a single look is 1/Λ at that look, which is still valid, just less sharp.
 * - The relative-uplift sequence runs the same mSPRT on log(p_B / p_A) (delta-method
 *   variance, τ = 0.2 on the log scale). It is informational; verdicts use the difference.
 */
import { assertCounts } from './counts';

/** Cumulative totals at one look. */
export interface Look {
  cA: number;
  nA: number;
  cB: number;
  nB: number;
}

export interface AlwaysValidOptions {
  /** Error rate the confidence sequence is built for. Default 0.05. */
  alpha?: number;
  /** Prior standard deviation of the relative effect. Default 0.2 (see module notes). */
  relativeEffectSd?: number;
}

export interface AlwaysValidResult {
  /** Always-valid p-value for H0: p_B = p_A (capped at 1). */
  pValue: number;
  /** Confidence sequence for p_B − p_A (absolute, e.g. 0.01 = one percentage point). */
  diffCI: [number, number];
  /** Confidence sequence for p_B / p_A − 1; null while either arm has no conversion (or both are at 100 %). */
  relativeCI: [number, number] | null;
}

const DEFAULT_ALPHA = 0.05;
const DEFAULT_RELATIVE_SD = 0.2;

/** The mixture's ingredients at one look: estimate, its variance and the prior variance τ². */
export interface MixtureState {
  thetaHat: number;
  v: number;
  tau2: number;
}

/** Smoothed rate (c+1)/(n+2): never exactly 0 or 1, so variances stay positive. */
export function smoothedRate(c: number, n: number): number {
  return (c + 1) / (n + 2);
}

/** Difference-scale state at a look (both arms must have visitors). */
export function diffState(look: Look, relativeEffectSd = DEFAULT_RELATIVE_SD): MixtureState {
  const { cA, nA, cB, nB } = look;
  const sA = smoothedRate(cA, nA);
  const sB = smoothedRate(cB, nB);
  const pooled = smoothedRate(cA + cB, nA + nB);
  const tau = relativeEffectSd * pooled;
  return { thetaHat: cB / nB - cA / nA, v: (sA * (1 - sA)) / nA + (sB * (1 - sB)) / nB, tau2: tau * tau };
}

/** ln Λ(θ₀): log of the mixture likelihood ratio against θ = θ₀. */
export function logMixtureRatio({ thetaHat, v, tau2 }: MixtureState, theta0 = 0): number {
  const d = thetaHat - theta0;
  return 0.5 * Math.log(v / (v + tau2)) + (d * d * tau2) / (2 * v * (v + tau2));
}

/**
 * Half-width of the confidence sequence {θ₀ : Λ(θ₀) < 1/α} around θ̂.
 *
 * @example
 * mixtureHalfWidth({ v: 1e-4, tau2: 1e-4 }, 0.05); // ≈ 0.0366
 */
export function mixtureHalfWidth({ v, tau2 }: Pick<MixtureState, 'v' | 'tau2'>, alpha = DEFAULT_ALPHA): number {
  return Math.sqrt(((v * (v + tau2)) / tau2) * (2 * Math.log(1 / alpha) + Math.log((v + tau2) / v)));
}

interface OneLook {
  pValue: number;
  diffCI: [number, number];
  relativeCI: [number, number] | null;
}

function atLook(look: Look, alpha: number, relSd: number): OneLook {
  const s = diffState(look, relSd);
  const pValue = Math.min(1, Math.exp(-logMixtureRatio(s)));
  const hw = mixtureHalfWidth(s, alpha);
  const diffCI: [number, number] = [Math.max(-1, s.thetaHat - hw), Math.min(1, s.thetaHat + hw)];
  let relativeCI: [number, number] | null = null;
  const { cA, nA, cB, nB } = look;
  if (cA > 0 && cB > 0) {
    const pA = cA / nA;
    const pB = cB / nB;
    const v = (1 - pA) / cA + (1 - pB) / cB;
    const logRatio = Math.log(pB / pA);
    // v = 0 only when both arms are at 100 %: the delta method has nothing to say then.
    if (v > 0) {
      const rhw = mixtureHalfWidth({ v, tau2: relSd * relSd }, alpha);
      relativeCI = [Math.exp(logRatio - rhw) - 1, Math.exp(logRatio + rhw) - 1];
    }
  }
  return { pValue, diffCI, relativeCI };
}

function checkLook(look: Look): void {
  assertCounts(look.cA, look.nA);
  assertCounts(look.cB, look.nB);
}

/**
 * Always-valid p-value and confidence sequence from the current totals only (one look).
 * Null when either arm has no visitors.
 *
 * @example
 * alwaysValid(500, 10000, 650, 10000); // { pValue: ≈0.00025, diffCI: ≈[0.0050, 0.0250], relativeCI: ≈[0.090, 0.550] }
 */
export function alwaysValid(cA: number, nA: number, cB: number, nB: number, opts: AlwaysValidOptions = {}): AlwaysValidResult | null {
  return alwaysValidHistory([{ cA, nA, cB, nB }], opts);
}

/**
 * Always-valid results over a history of cumulative looks (e.g. one per day, oldest first,
 * the last being the current totals): p = min over looks, CI = intersection over looks
 * (each look's interval covers θ simultaneously with all others, so their intersection does
 * too). Looks where an arm has no visitors carry no information and are skipped; null when
 * none is left. If the intersection is empty — possible only through the normal
 * approximation misbehaving at tiny early samples — the latest look's interval is returned.
 *
 * @example
 * alwaysValidHistory([{ cA: 10, nA: 200, cB: 14, nB: 200 }, { cA: 21, nA: 400, cB: 30, nB: 400 }]);
 */
export function alwaysValidHistory(looks: Look[], opts: AlwaysValidOptions = {}): AlwaysValidResult | null {
  const alpha = opts.alpha ?? DEFAULT_ALPHA;
  const relSd = opts.relativeEffectSd ?? DEFAULT_RELATIVE_SD;
  let out: AlwaysValidResult | null = null;
  let last: OneLook | null = null;
  for (const look of looks) {
    checkLook(look);
    if (look.nA === 0 || look.nB === 0) continue;
    const r = atLook(look, alpha, relSd);
    last = r;
    if (!out) {
      out = { pValue: r.pValue, diffCI: [...r.diffCI], relativeCI: r.relativeCI && [...r.relativeCI] };
      continue;
    }
    out.pValue = Math.min(out.pValue, r.pValue);
    out.diffCI = [Math.max(out.diffCI[0], r.diffCI[0]), Math.min(out.diffCI[1], r.diffCI[1])];
    if (r.relativeCI) {
      out.relativeCI = out.relativeCI
        ? [Math.max(out.relativeCI[0], r.relativeCI[0]), Math.min(out.relativeCI[1], r.relativeCI[1])]
        : [...r.relativeCI];
    }
  }
  if (!out || !last) return null;
  if (out.diffCI[0] > out.diffCI[1]) out.diffCI = last.diffCI;
  if (out.relativeCI && out.relativeCI[0] > out.relativeCI[1]) out.relativeCI = last.relativeCI;
  return out;
}
